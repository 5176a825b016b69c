"""``/ontology`` and ``/shapes``: the vocabulary and the SHACL shapes of the
served release, at their IRIs (``https://w3id.org/codikg/ontology`` and
``.../shapes``, plus their version IRIs ``.../ontology/{version}``).

Cool URIs content negotiation: browsers get HTML (pyLODE's documentation of the
ontology; a page listing the shapes), RDF clients get Turtle, N-Triples,
JSON-LD or RDF/XML by ``Accept`` (or ``?format=``); every answer says
``Vary: Accept``; a type none of these fits gets 406. Answers carry the
release's validators and a current copy gets 304
(:mod:`codikg.web.http.conditional`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from codikg.graph.vocabulary import ONTOLOGY_HTML, ONTOLOGY_TTL, SHAPES_TTL
from codikg.sparql.formats import GRAPH_FORMATS, HTML, TURTLE, Format
from codikg.web.http.conditional import not_modified, release_validators
from codikg.web.http.negotiation import NotAcceptable, choose

router = APIRouter()

_FORMATS = (*GRAPH_FORMATS, HTML)  # RDF first: a client without preferences gets Turtle
_HEADERS = {"Vary": "Accept"}


@dataclass
class Document:
    """One published RDF document (the ontology or the shapes) and its forms.

    Attributes:
        name: the route's name (``ontology``, ``shapes``), part of its ETags.
        turtle: the Turtle file as published in the release.
        version: its ``owl:versionInfo``.
        html: a prepared HTML page, or None when the page is rendered per request.
    """

    name: str
    turtle: bytes
    version: str | None
    html: bytes | None = None
    _forms: dict = field(default_factory=dict)

    def serialize(self, fmt: Format) -> bytes:
        """The document in ``fmt`` (one of :data:`codikg.sparql.formats.GRAPH_FORMATS`), cached."""
        if fmt is TURTLE:
            return self.turtle
        if fmt.media_type not in self._forms:
            quads = ox.parse(self.turtle, format=ox.RdfFormat.TURTLE)
            self._forms[fmt.media_type] = ox.serialize(quads, format=fmt.oxigraph)
        return self._forms[fmt.media_type]


@dataclass
class Vocabulary:
    """The ontology and shapes documents of one release."""

    ontology: Document
    shapes: Document
    shapes_graph: Graph

    @classmethod
    def load(cls, release_dir: Path) -> "Vocabulary":
        """Read ``ontology.ttl``, ``ontology.html`` and ``shapes.ttl`` from a release.

        Raises:
            FileNotFoundError: if the release predates published vocabulary files.
        """
        release_dir = Path(release_dir)
        ontology_ttl = (release_dir / ONTOLOGY_TTL).read_bytes()
        shapes_ttl = (release_dir / SHAPES_TTL).read_bytes()
        ontology = Graph().parse(data=ontology_ttl, format="turtle")
        shapes = Graph().parse(data=shapes_ttl, format="turtle")
        return cls(Document("ontology", ontology_ttl, _version(ontology),
                            (release_dir / ONTOLOGY_HTML).read_bytes()),
                   Document("shapes", shapes_ttl, _version(shapes)), shapes)


def load_vocabulary(release_dir: Path) -> Vocabulary | None:
    """:meth:`Vocabulary.load`, or ``None`` for a release built before the
    vocabulary files were published (the routes then answer 404)."""
    try:
        return Vocabulary.load(release_dir)
    except FileNotFoundError:
        return None


def _version(graph: Graph) -> str | None:
    for ontology in graph.subjects(RDF.type, OWL.Ontology):
        version = graph.value(ontology, OWL.versionInfo)
        if version is not None:
            return str(version)
    return None


def _answer(request: Request, document: Document, version: str | None, html):
    if version is not None and version != document.version:
        raise HTTPException(404, f"no version {version!r} here; the served version is {document.version}",
                            headers=_HEADERS)
    try:
        fmt = choose(request, _FORMATS)
    except NotAcceptable as exc:
        raise HTTPException(406, str(exc), headers=_HEADERS) from None
    headers = {**_HEADERS, **release_validators(request, f"{document.name}-{fmt.names[0]}")}
    if (current := not_modified(request, headers)) is not None:
        return current
    if fmt is HTML:
        body = document.html if document.html is not None else html(request)
        return HTMLResponse(body, headers=headers)
    return Response(document.serialize(fmt), media_type=fmt.content_type, headers=headers)


def _vocabulary(request: Request) -> Vocabulary:
    vocabulary = request.app.state.vocabulary.get()
    if vocabulary is None:
        raise HTTPException(404, "this release publishes no ontology files (rebuild it with 'codikg build')")
    return vocabulary


@router.api_route("/ontology", methods=["GET", "HEAD"])
@router.api_route("/ontology/{version}", methods=["GET", "HEAD"])
def ontology(request: Request, version: str | None = None):
    """The ontology: pyLODE HTML for browsers, RDF by content negotiation."""
    return _answer(request, _vocabulary(request).ontology, version, None)


@router.api_route("/shapes", methods=["GET", "HEAD"])
@router.api_route("/shapes/{version}", methods=["GET", "HEAD"])
def shapes(request: Request, version: str | None = None):
    """The SHACL shapes: an HTML list for browsers, RDF by content negotiation."""
    vocabulary = _vocabulary(request)

    def page(req: Request) -> bytes:
        return req.app.state.templates.get_template("shapes.html").render(
            shapes=_shape_rows(vocabulary.shapes_graph), version=vocabulary.shapes.version,
            turtle=vocabulary.shapes.turtle.decode("utf-8")).encode("utf-8")

    return _answer(request, vocabulary.shapes, version, page)


def _text(graph: Graph, node, prop, lang: str) -> str:
    for value in graph.objects(node, prop):
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    return ""


def _shape_rows(graph: Graph) -> list[dict]:
    rows = []
    for shape in sorted(s for s in set(graph.subjects(RDF.type, SH.NodeShape)) if isinstance(s, URIRef)):
        targets = [str(t).rsplit("#", 1)[-1] for p in (SH.targetClass, SH.targetSubjectsOf)
                   for t in graph.objects(shape, p)]
        severity = graph.value(shape, SH.severity)
        rows.append({"id": str(shape).rsplit("#", 1)[-1], "iri": str(shape),
                     "label_th": _text(graph, shape, RDFS.label, "th"),
                     "label_en": _text(graph, shape, RDFS.label, "en"),
                     "comment_th": _text(graph, shape, RDFS.comment, "th"),
                     "comment_en": _text(graph, shape, RDFS.comment, "en"),
                     "targets": sorted(targets),
                     "severity": str(severity).rsplit("#", 1)[-1] if severity else "Violation"})
    return rows
