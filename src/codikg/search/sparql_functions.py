"""SPARQL extension functions of codikg, for pyoxigraph's ``custom_functions``.

``cdk:textMatch(?text, "query")`` (``cdk:`` is :data:`codikg.namespaces.NAMESPACE_IRIS`'s)
returns an ``xsd:double`` score telling how well the literal ``?text`` answers
the free-text query, with the same analysis as ``/search`` (newmm Thai words,
normalisation, Thai digits, tone-mark and romanisation folding, English
stems): 0 for no match, else a number in [tier, tier + 1) with tier 4 (the
whole text is the query), 3 (phrase), 2 (all words) or 1 (some words or
parts of words). The number is the one ``/search`` publishes for a label
field (:func:`codikg.search.matching.pack_score`), so higher is better in
the same order; spelling correction (``fuzzy``) needs the index's words and
is not done here. As a filter its effective boolean value is "matches"
(with the ``cdk:`` and ``skos:`` prefixes declared)::

    SELECT ?item ?label ?score WHERE {
      ?item skos:prefLabel ?label .
      BIND (cdk:textMatch(?label, "บ้านมั่นคง") AS ?score)
      FILTER (?score > 0)
    } ORDER BY DESC(?score)

A non-literal ``?text`` or a query that is not a plain string literal makes
the call an error (the solution's expression is unbound, as for a SPARQL
built-in given a wrong type).

Importing this module registers the function with :mod:`codikg.sparql.functions`
(it is listed there in ``PROVIDERS``), so every store and query worker offers it.
"""

from __future__ import annotations

import pyoxigraph as ox

from codikg.namespaces import NAMESPACE_IRIS
from codikg.sparql.functions import register

# The analysis modules (PyThaiNLP, rdflib) are imported at the first call, not
# here: every query worker imports this module, and its start-up time counts
# (NAMESPACE_IRIS is plain strings: it does not load rdflib).
TEXT_MATCH = ox.NamedNode(NAMESPACE_IRIS["cdk"] + "textMatch")
_DOUBLE = ox.NamedNode(NAMESPACE_IRIS["xsd"] + "double")
_STRING = NAMESPACE_IRIS["xsd"] + "string"


def text_match(text, query):
    """Implementation of ``cdk:textMatch`` (see the module docstring).

    Args:
        text: any RDF term; only literals are scored.
        query: a literal holding the query (plain or language-tagged string).

    Returns:
        ``xsd:double`` literal score, or None (SPARQL error → unbound) for wrong types.
    """
    if not isinstance(text, ox.Literal) or not isinstance(query, ox.Literal):
        return None
    if query.language is None and query.datatype.value != _STRING:
        return None
    from codikg.search.analysis import analyze_cached
    from codikg.search.matching import match

    score = match(analyze_cached(query.value), analyze_cached(text.value)).score()
    return ox.Literal(repr(round(score, 4)), datatype=_DOUBLE)


register(TEXT_MATCH.value)(text_match)

#: The extension functions of this module, by IRI (also registered in
#: :data:`codikg.sparql.functions.CUSTOM_FUNCTIONS` for every store and worker).
CUSTOM_FUNCTIONS = {TEXT_MATCH: text_match}
