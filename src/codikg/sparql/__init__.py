"""SPARQL text: the query lexer and policy, result and RDF formats, query texts, custom functions."""
