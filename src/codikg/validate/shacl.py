"""SHACL validation of a release (W3C SHACL, SHACL-SPARQL; run by pySHACL).

The shapes live in ``ontology/shapes.ttl``; the build loads them into the graph
``{base}graph/ontology`` beside the vocabulary. The data validated is the union
of every other named graph. ``sh:Violation`` results make a release invalid;
``sh:Warning`` results (e.g. a missing English label) are reported only.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, SKOS

from codikg.namespaces import CDK, PREFIXES

SHAPES_FILE = "shapes.ttl"
_ONTOLOGY_GRAPH_SUFFIX = "graph/ontology"
_PLAN_CLASS = CDK.StrategicPlan


@dataclass(frozen=True)
class ValidationResult:
    """One ``sh:ValidationResult``.

    Attributes:
        severity: local name of the severity: ``Violation``, ``Warning`` or ``Info``.
        focus: the focus node.
        message: the result message (English when the shape gives several).
        shape: the source shape (IRI, or a blank node for an anonymous property shape).
        node_shape: the named node shape the result comes from (IRI), when known.
        component: the constraint component, e.g. ``sh:MinCountConstraintComponent``.
        path: the result path, if any (a property IRI or a path node).
        value: the offending value, if any.
        labels: Thai and English labels of :attr:`element`, ``{"th": ..., "en": ...}``.
        element: the element the result is about: the focus node, except for the
            once-per-plan SPARQL checks (focus: the plan), where it is the offending
            element or record the query reports as ``sh:value``.
    """

    severity: str
    focus: URIRef | BNode
    message: str
    shape: URIRef | BNode
    node_shape: URIRef | None
    component: URIRef
    path: URIRef | BNode | None = None
    value: URIRef | BNode | Literal | None = None
    labels: dict = field(default_factory=dict)
    element: URIRef | BNode | None = None

    def __post_init__(self):
        if self.element is None:
            object.__setattr__(self, "element", self.focus)


@dataclass
class ValidationReport:
    """The outcome of a validation.

    Attributes:
        results: every result, violations first.
        graph: the SHACL validation report graph (``sh:ValidationReport``).
        seconds: wall-clock time spent in pySHACL.
        data_triples: size of the data graph validated.
        shapes: number of named node shapes applied.
    """

    results: list[ValidationResult]
    graph: Graph
    seconds: float
    data_triples: int
    shapes: int

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        """True when no result has severity ``sh:Violation``."""
        return not self.violations

    def summary(self) -> str:
        """One line: verdict, counts and time."""
        verdict = "conforms" if self.conforms else "does NOT conform"
        return (f"{verdict}: {len(self.violations)} violation(s), {len(self.warnings)} warning(s); "
                f"{self.data_triples:,} triples against {self.shapes} shapes in {self.seconds:.2f} s")

    def turtle(self) -> str:
        """The machine-readable SHACL report in Turtle."""
        return self.graph.serialize(format="turtle")


def load_shapes(path: Path) -> Graph:
    """Parse a SHACL shapes file (Turtle).

    Raises:
        FileNotFoundError: if ``path`` does not exist.
        ValueError: if it is not valid Turtle (one line naming the file and the place).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: shapes file not found")
    try:
        return Graph().parse(path, format="turtle")
    except Exception as exc:  # rdflib raises parser-specific types
        raise ValueError(f"{path}: not valid Turtle: {_turtle_error(path, exc)}") from exc


def _turtle_error(path: Path, exc: Exception) -> str:
    """Where ``path``'s Turtle is wrong, in one line: pyoxigraph's message (line and
    columns), else rdflib's (several lines, N3 jargon) joined into one."""
    try:
        for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            pass
    except (SyntaxError, OSError) as strict:
        return " ".join(str(strict).split())
    return " ".join(str(exc).split())


def data_graph(dataset: Dataset) -> Graph:
    """The union of every named graph of ``dataset`` except the ontology graph."""
    data = Graph()
    for prefix, namespace in PREFIXES.items():
        data.bind(prefix, namespace)
    for graph in dataset.graphs():
        if not str(graph.identifier).endswith(_ONTOLOGY_GRAPH_SUFFIX):
            data += graph
    return data


def validate_graph(data: Graph, shapes: Graph) -> ValidationReport:
    """Validate ``data`` against ``shapes`` (no inference; SHACL-SPARQL on).

    Raises:
        pyshacl.errors.ReportableRuntimeError: if the shapes graph itself is malformed.
    """
    started = time.perf_counter()
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                    allow_warnings=True, advanced=False)
    seconds = time.perf_counter() - started
    if not isinstance(report, Graph):  # pySHACL reports a malformed shape this way
        raise ValueError(f"the shapes graph is not valid SHACL: {report}")
    results = [_result(report, node, data, shapes)
               for node in report.subjects(RDF.type, SH.ValidationResult)]
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    results.sort(key=lambda r: (order.get(r.severity, 3), str(r.node_shape or r.shape), str(r.element)))
    node_shapes = sum(1 for s in set(shapes.subjects(RDF.type, SH.NodeShape)) if isinstance(s, URIRef))
    return ValidationReport(results, report, seconds, len(data), node_shapes)


def validate_dataset(dataset: Dataset, shapes: Graph) -> ValidationReport:
    """Validate the data graphs of a release dataset (see :func:`data_graph`)."""
    return validate_graph(data_graph(dataset), shapes)


def _local(term) -> str:
    text = str(term)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


def _labels(node, data: Graph) -> dict:
    """Thai and English prefLabels of ``node``, or of the element a ``#fragment`` IRI belongs to."""
    candidates = [node]
    if isinstance(node, URIRef) and "#" in node:
        candidates.append(URIRef(node.split("#", 1)[0]))
    for candidate in candidates:
        labels = {label.language: str(label) for label in data.objects(candidate, SKOS.prefLabel)
                  if isinstance(label, Literal) and label.language in ("th", "en")}
        if labels:
            return labels
    return {}


def _node_shape(shape, shapes: Graph):
    if isinstance(shape, URIRef) and (shape, RDF.type, SH.NodeShape) in shapes:
        return shape
    owner = shapes.value(None, SH.property, shape) or shapes.value(None, SH.sparql, shape)
    return owner if isinstance(owner, URIRef) else (shape if isinstance(shape, URIRef) else None)


def _result(report: Graph, node, data: Graph, shapes: Graph) -> ValidationResult:
    messages = list(report.objects(node, SH.resultMessage))
    english = [m for m in messages if getattr(m, "language", None) in ("en", None)]
    shape = report.value(node, SH.sourceShape)
    focus, value = report.value(node, SH.focusNode), report.value(node, SH.value)
    component = report.value(node, SH.sourceConstraintComponent)
    element = focus
    # the plan-wide SPARQL checks report the offending element as the value
    if (component == SH.SPARQLConstraintComponent and isinstance(value, URIRef) and value != focus
            and (focus, RDF.type, _PLAN_CLASS) in data):
        element = value
    return ValidationResult(
        severity=_local(report.value(node, SH.resultSeverity)),
        focus=report.value(node, SH.focusNode),
        message=str((english or messages or ["(no message)"])[0]),
        shape=shape,
        node_shape=_node_shape(shape, shapes),
        component=report.value(node, SH.sourceConstraintComponent),
        path=report.value(node, SH.resultPath),
        value=report.value(node, SH.value),
        labels=_labels(element, data),
        element=element,
    )


def shape_counts(results: list[ValidationResult]) -> Counter:
    """How many results each named node shape produced."""
    return Counter(str(r.node_shape or r.shape) for r in results)
