"""The ontology and SHACL shapes documents of a release, and their forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from codikg.graph.vocabulary import ONTOLOGY_HTML, ONTOLOGY_TTL, SHAPES_TTL, ontology_titles
from codikg.sparql.formats import TURTLE, Format


@dataclass
class Document:
    """One published RDF document (the ontology or the shapes) and its forms.

    Attributes:
        name: the route's name (``ontology``, ``shapes``), part of its ETags.
        turtle: the Turtle file as published in the release.
        version: its ``owl:versionInfo``.
        html: the ontology's documentation (pyLODE, the content of a page), or None.
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
    ontology_title: str = ""

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
                   Document("shapes", shapes_ttl, _version(shapes)), shapes,
                   " / ".join(ontology_titles(ontology)))


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


def _text(graph: Graph, node, prop, lang: str) -> str:
    for value in graph.objects(node, prop):
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    return ""


def shape_rows(graph: Graph) -> list[dict]:
    """One row per named node shape: id, IRI, Thai/English label and comment, targets, severity."""
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
