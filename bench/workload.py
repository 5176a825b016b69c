"""The benchmark's requests: the same SPARQL on every server, plus codikg's own pages.

Each query is plain SPARQL 1.1 over the default graph (the union of the named
graphs on every server), so that every peer answers the same question.
"""

from __future__ import annotations

PREFIXES = """PREFIX cdk: <https://w3id.org/codikg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

#: name → (SPARQL, Accept header, expected number of result rows/triples on the real plan or None)
QUERIES = {
    "trace": (PREFIXES + """SELECT ?indicator ?notation ?objective ?issue ?mission ?vision WHERE {
  ?issue cdk:hasIndicator ?indicator ; cdk:hasObjective ?objective .
  ?indicator skos:notation ?notation ; cdk:measures ?objective .
  ?objective cdk:supportsMission ?mission .
  ?mission cdk:makesOperative ?vision .
} ORDER BY ?issue ?notation ?mission""", "application/sparql-results+json"),
    "label-search": (PREFIXES + """SELECT ?item ?label WHERE {
  ?item skos:prefLabel ?label .
  FILTER (CONTAINS(STR(?label), "ชุมชน"))
} ORDER BY ?item LIMIT 50""", "application/sparql-results+json"),
    "counts": (PREFIXES + """SELECT ?issue (COUNT(DISTINCT ?i) AS ?indicators) (COUNT(DISTINCT ?s) AS ?strategies)
       (COUNT(DISTINCT ?p) AS ?projects) WHERE {
  ?issue a cdk:StrategicIssue .
  OPTIONAL { ?issue cdk:hasIndicator ?i } OPTIONAL { ?issue cdk:hasStrategy ?s }
  OPTIONAL { ?issue cdk:hasProject ?p }
} GROUP BY ?issue ORDER BY ?issue""", "application/sparql-results+json"),
    "describe": ("DESCRIBE <https://w3id.org/codikg/id/codi/plan/2552/issue/3/indicator/1.2>",
                 "text/turtle"),
}

#: The SPARQL mix: every query above, round robin.
MIX = tuple(QUERIES)

#: codikg-only requests: (name, path, Accept).
PAGES = {
    "page-303": ("/id/codi/plan/2552/issue/3/indicator/1.2", "text/html"),
    "page-html": ("/id/codi/plan/2552/issue/3/indicator/1.2.html", "text/html"),
    "page-turtle": ("/id/codi/plan/2552/issue/3/indicator/1.2.ttl", "text/turtle"),
    "dump": ("/download/codikg.nt", "application/n-triples"),
}
