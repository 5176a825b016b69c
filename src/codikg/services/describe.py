"""What dereferencing an IRI returns: a bounded description, as quads.

A resource's description holds, from every named graph and with the graph of
each statement kept:

- its outgoing statements;
- its incoming statements (who links to it);
- the statements about its own hash IRIs (``<r#source-1>``: the Web
  Annotation anchor and its selectors), up to two steps away — the part of a
  Concise Bounded Description that blank nodes would be elsewhere;
- the labels (``skos:prefLabel``, ``rdfs:label``) of every resource, predicate
  and class it mentions, so a client can show the links without more requests.

Everything goes through two SPARQL queries (the statements, then the labels of
the IRIs they mention) on the store's protocol, so a remote
SPARQL 1.1 store can replace the embedded one.
"""

from __future__ import annotations

import pyoxigraph as ox

_LABELS = "<http://www.w3.org/2004/02/skos/core#prefLabel> <http://www.w3.org/2000/01/rdf-schema#label>"

_DESCRIBE = """
SELECT DISTINCT ?s ?p ?o ?g WHERE {
  { GRAPH ?g { <IRI> ?p ?o } BIND(<IRI> AS ?s) }
  UNION { GRAPH ?g { ?s ?p <IRI> } BIND(<IRI> AS ?o) }
  UNION { <IRI> ?p1 ?s . FILTER(isIRI(?s) && STRSTARTS(STR(?s), "HASH")) GRAPH ?g { ?s ?p ?o } }
  UNION { <IRI> ?p1 ?x . ?x ?p2 ?s .
          FILTER(isIRI(?x) && STRSTARTS(STR(?x), "HASH") && isIRI(?s) && STRSTARTS(STR(?s), "HASH"))
          GRAPH ?g { ?s ?p ?o } }
}"""

# Labels are fetched for the IRIs the first answer mentions: one join on a known
# set is much cheaper than letting the engine find the mentioned terms itself.
_LABELS_OF = "SELECT ?s ?p ?o ?g WHERE { VALUES ?s { TERMS } VALUES ?p { LABELS } GRAPH ?g { ?s ?p ?o } }"

_GRAPH = "SELECT ?s ?p ?o WHERE { GRAPH <IRI> { ?s ?p ?o } }"


def _checked(iri: str) -> str:
    """``iri`` if it is an RFC 3987 IRI that can be pasted between ``<>`` in SPARQL, else ``ValueError``."""
    if not iri or any(c in iri for c in '<>"{}|^`\\ \n\t\r'):
        raise ValueError(f"not an IRI that can be described: {iri!r}")
    try:
        ox.NamedNode(iri)  # Oxigraph's own IRI parser: control characters, U+FFFD, ...
    except (ValueError, UnicodeEncodeError):
        raise ValueError(f"not an IRI that can be described: {iri!r}") from None
    return iri


def describe(store, iri: str) -> list[ox.Quad]:
    """The bounded description of ``iri`` (see the module docstring).

    Args:
        store: an object with ``query(sparql)`` returning pyoxigraph solutions
            (:class:`codikg.store.EmbeddedStore`).
        iri: an absolute IRI without a fragment.

    Returns:
        The quads, without duplicates, sorted as N-Quads lines; empty if the
        store says nothing about ``iri``.

    Raises:
        ValueError: if ``iri`` holds characters no IRI may hold.
    """
    iri = _checked(iri)
    sparql = _DESCRIBE.replace("<IRI>", f"<{iri}>").replace("HASH", iri + "#")
    quads = [ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in store.query(sparql)]
    mentioned = {term for q in quads for term in (q.subject, q.predicate, q.object)
                 if isinstance(term, ox.NamedNode)}
    if mentioned:
        labels = (_LABELS_OF.replace("TERMS", " ".join(str(t) for t in sorted(mentioned, key=str)))
                  .replace("LABELS", _LABELS))
        seen = set(quads)
        quads += [quad for row in store.query(labels)
                  if (quad := ox.Quad(row["s"], row["p"], row["o"], row["g"])) not in seen]
    # In N-Quads order: the same bytes (and ETag) from an in-memory and an on-disk store.
    return sorted(quads, key=str)


def graph_quads(store, graph_iri: str) -> list[ox.Quad]:
    """Every statement of the named graph ``graph_iri``, sorted as N-Quads lines
    (empty if there is none).

    Raises:
        ValueError: if ``graph_iri`` holds characters no IRI may hold.
    """
    name = ox.NamedNode(_checked(graph_iri))
    return sorted((ox.Quad(row["s"], row["p"], row["o"], name)
                   for row in store.query(_GRAPH.replace("<IRI>", f"<{graph_iri}>"))), key=str)
