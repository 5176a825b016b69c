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

A Linked Data document in a quad format (TriG, N-Quads) holds its triples in
its default graph, which is what a client that reads a document as one graph
sees (Comunica queries the default graph of every source), and each statement
again in the named graph that states it, as provenance
(:func:`document_quads`).

Everything goes through two SPARQL queries (the statements, then the labels of
the IRIs they mention: ``describe.rq`` and ``labels-of.rq`` of
:mod:`codikg.sparql.texts`) on the store's protocol, so a remote
SPARQL 1.1 store can replace the embedded one.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from codikg.graph.iris import PLAN_GRAPHS
from codikg.sparql.binding import values_clause
from codikg.sparql.texts import query_text


def _checked(iri: str) -> str:
    """``iri`` if it is an RFC 3987 IRI that a SPARQL query can name, else ``ValueError``."""
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
        store: a :class:`codikg.store.Store` (``query(sparql, substitutions=...)``
            returning pyoxigraph solutions).
        iri: an absolute IRI without a fragment.

    Returns:
        The quads, without duplicates, sorted as N-Quads lines; empty if the
        store says nothing about ``iri``.

    Raises:
        ValueError: if ``iri`` holds characters no IRI may hold.
    """
    resource = ox.NamedNode(_checked(iri))
    rows = store.query(query_text("describe"), substitutions={ox.Variable("resource"): resource})
    quads = [ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in rows]
    mentioned = {term for q in quads for term in (q.subject, q.predicate, q.object)
                 if isinstance(term, ox.NamedNode)}
    if mentioned:
        labels = f"{query_text('labels-of')}\n{values_clause('s', sorted(mentioned, key=str))}"
        seen = set(quads)
        quads += [quad for row in store.query(labels)
                  if (quad := ox.Quad(row["s"], row["p"], row["o"], row["g"])) not in seen]
    # In N-Quads order: the same bytes (and ETag) from an in-memory and an on-disk store.
    return sorted(quads, key=str)


def graph_quads(store, graph_iri: str, base: str = "") -> list[ox.Quad]:
    """Every statement of the named graph ``graph_iri``, sorted as N-Quads lines
    (empty if there is none).

    ``{base}graph/document``, ``…/curation`` and ``…/derived`` named the one
    plan's graphs before a release held several plans; they keep answering, with
    every plan's graph of that kind (``{base}graph/{agency}/{fy}/{kind}``), each
    quad in its own graph.

    Raises:
        ValueError: if ``graph_iri`` holds characters no IRI may hold.
    """
    quads = _graph(store, _checked(graph_iri))
    kind = graph_iri[len(base) + len("graph/"):] if base and graph_iri.startswith(base + "graph/") else ""
    if quads or kind not in PLAN_GRAPHS:
        return quads
    scoped = re.compile(re.escape(base) + r"graph/[^/]+/[0-9]+/" + kind)
    for name in sorted(store.named_graphs()):
        if scoped.fullmatch(name):
            quads += _graph(store, name)
    return sorted(quads, key=str)


def _graph(store, graph_iri: str) -> list[ox.Quad]:
    name = ox.NamedNode(graph_iri)
    rows = store.query(query_text("graph-statements"), substitutions={ox.Variable("graph"): name})
    return sorted((ox.Quad(row["s"], row["p"], row["o"], name) for row in rows), key=str)


def document_quads(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The quads of a Linked Data document in a quad format, from a description
    (or a graph's statements) ``quads``.

    Returns:
        Every distinct triple of ``quads`` in the default graph, first, in the
        order of ``quads``; then ``quads`` as they are (each statement in its
        named graph: where it comes from). Quads already in the default graph
        are not repeated.
    """
    default = ox.DefaultGraph()
    triples = dict.fromkeys(q.triple for q in quads)
    return ([ox.Quad(*t, default) for t in triples]
            + [q for q in quads if q.graph_name != default])
