"""The pipeline: ingest → graph → validate → write, one release of the inputs.

:func:`build_release` parses the plan, reads curation and ontology, validates the
dataset against the shapes and hands it to :mod:`codikg.release.writer`;
:func:`ensure_release` builds only when the inputs changed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS
from rdflib.compare import to_canonical_graph

from codikg import __version__
from codikg.config.errors import BuildError
from codikg.config.plan import PLAN_FILE, load_plans
from codikg.config.settings import DEFAULT_BASE_IRI, Settings
from codikg.graph.curated import CuratedMetadataError, plan_period
from codikg.graph.derived import derived_graph
from codikg.graph.document import document_graph
from codikg.graph.iris import PLAN_GRAPHS, PlanIRIs, release_graph
from codikg.graph.release_catalog import release_describer
from codikg.graph.stratml import MEDIA_TYPE as STRATML_MEDIA_TYPE
from codikg.graph.stratml import stratml_document
from codikg.graph.vocabulary import vocabulary_files
from codikg.ingest.source import read_plan_file
from codikg.namespaces import PREFIXES
from codikg.release.layout import INDEX_FILE, STRATML_FORMAT, stratml_file
from codikg.release.reader import DamagedRelease, read_manifest
from codikg.release.writer import check_replaceable, write_release
from codikg.validate.shacl import SHAPES_FILE, load_shapes, validate_dataset

__all__ = ["BuildError", "ReleaseInvalid", "build_dataset", "build_release", "ensure_release",
           "input_files", "input_fingerprint", "plan_graphs", "rebase", "stratml_documents",
           "validate_build"]


class ReleaseInvalid(BuildError):
    """The built dataset violates the SHACL shapes; nothing was written.

    Attributes:
        report: the :class:`codikg.validate.shacl.ValidationReport`.
    """

    def __init__(self, report):
        self.report = report
        lines = [f"the release violates the shapes; nothing written ({report.summary()})"]
        for result in report.violations[:20]:
            label = result.labels.get("th") or result.labels.get("en") or ""
            lines.append(f"  {result.focus} {label}: {result.message} [{result.node_shape or result.shape}]")
        if len(report.violations) > 20:
            lines.append(f"  ... and {len(report.violations) - 20} more (run 'codikg validate')")
        super().__init__("\n".join(lines))


def input_files(settings: Settings, plans=None) -> list[Path]:
    """Every file a build reads, in a fixed order (for the input fingerprint).

    Args:
        plans: the plans of :func:`codikg.config.plan.load_plans`, read again when None.
    """
    plans = load_plans(settings.data_dir) if plans is None else plans
    files = [settings.data_dir / "catalog.toml"] if (settings.data_dir / "catalog.toml").exists() else []
    for plan in plans:
        catalog = plan.folder / "catalog.toml"
        files += [plan.folder / PLAN_FILE, *([catalog] if catalog.exists() else []), plan.source,
                  *plan.curation_files]
    return [*files, *sorted(settings.ontology_dir.glob("*.ttl"))]


def input_fingerprint(settings: Settings, plans=None) -> str:
    """SHA-256 over the codikg version, base IRI, public URL (when it differs
    from the base: it is written into the catalog) and every input file's bytes."""
    digest = hashlib.sha256(f"{__version__}\n{settings.base_iri}\n".encode())
    if settings.public_url != settings.base_iri:
        digest.update(f"public {settings.public_url}\n".encode())
    for path in input_files(settings, plans):
        name = path.relative_to(settings.data_dir) if path.is_relative_to(settings.data_dir) else path.name
        digest.update(str(name).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _parse_turtle_files(paths: list[Path], base_iri: str) -> Graph:
    """Parse Turtle files into one graph with its blank nodes skolemised.

    Each blank node becomes the IRI ``{base}.well-known/genid/{label}`` where the
    label is RDFLib's canonical label (RDF 1.1 Concepts §3.5 skolem IRIs), so a
    rebuild writes identical dumps and every parse of any dump yields the same
    terms (the shapes and the Data Cube structure hold blank nodes).
    """
    graph = Graph()
    for path in paths:
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser-specific types
            raise BuildError(f"{path}: not valid Turtle: {exc}") from exc
    if not any(isinstance(term, BNode) for triple in graph for term in triple):
        return graph
    genid = f"{base_iri}.well-known/genid/"
    skolem = Graph()
    for triple in to_canonical_graph(graph):
        skolem.add(tuple(URIRef(genid + str(t)) if isinstance(t, BNode) else t for t in triple))
    return skolem


def build_dataset(settings: Settings, plans=None) -> Dataset:
    """Parse every plan, read its curation and the ontology, and return the dataset:
    per plan its graphs ``{base}graph/{agency}/{fy}/{document,curation,derived}``,
    and the release's ``{base}graph/ontology``.

    Args:
        plans: the plans of :func:`codikg.config.plan.load_plans`, read when None.

    Raises:
        BuildError: on a missing or malformed input file.
        codikg.ingest.PlanParseError: on a line of a plan that fits nowhere.
    """
    plans = load_plans(settings.data_dir) if plans is None else plans
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    ontology = rebase(_parse_turtle_files(sorted(settings.ontology_dir.glob("*.ttl")),
                                          settings.base_iri), settings.base_iri)
    _add(dataset, release_graph(settings.base_iri, "ontology"), ontology)
    for config in plans:
        iris = PlanIRIs(settings.base_iri, config.agency, config.fiscal_year_be)
        parts = plan_graphs(settings, config)
        parts["derived"] = derived_graph(parts["document"], parts["curation"])
        for name, graph in parts.items():
            _add(dataset, iris.graph(name), graph)
    return dataset


def plan_graphs(settings: Settings, config) -> dict[str, Graph]:
    """One plan's ``document`` graph (its parsed source) and ``curation`` graph (its
    ``curation/*.ttl``, moved to the base IRI), without validation.

    Raises:
        BuildError: a missing document, an unreadable format or malformed curation.
        codikg.ingest.PlanParseError: a line of the document that fits nowhere.
    """
    iris = PlanIRIs(settings.base_iri, config.agency, config.fiscal_year_be)
    if not config.source.is_file():
        raise BuildError(f"{config.source}: plan document not found (see {config.folder / PLAN_FILE})")
    plan = read_plan_file(config.source, config.source_media_type)
    return {"document": document_graph(plan, iris),
            "curation": rebase(_parse_turtle_files(config.curation_files, settings.base_iri),
                               settings.base_iri)}


def _add(dataset: Dataset, name: URIRef, graph: Graph) -> None:
    named = dataset.graph(name)
    for triple in graph:
        named.add(triple)


def rebase(graph: Graph, base_iri: str) -> Graph:
    """Move editors' instance IRIs from the canonical base to ``base_iri``.

    Curation and ontology files are written against ``https://w3id.org/codikg/``; with
    another ``CODIKG_BASE_IRI`` their ``id/`` and ``graph/`` IRIs must follow
    the document graph's, or curated links would point at nothing. The
    vocabulary (``ontology#``, ``shapes#``) keeps its IRIs.
    """
    if base_iri == DEFAULT_BASE_IRI:
        return graph
    prefixes = tuple(DEFAULT_BASE_IRI + part for part in ("id/", "graph/"))

    def move(term):
        if isinstance(term, URIRef) and str(term).startswith(prefixes):
            return URIRef(base_iri + str(term)[len(DEFAULT_BASE_IRI):])
        return term

    moved = Graph()
    for prefix, namespace in graph.namespaces():
        moved.bind(prefix, namespace)
    for s, p, o in graph:
        moved.add((move(s), p, move(o)))
    return moved


def validate_build(dataset: Dataset, settings: Settings):
    """Validate ``dataset`` against ``ontology/shapes.ttl``; return the report.

    Raises:
        BuildError: if the shapes file is missing or malformed.
        ReleaseInvalid: if the dataset violates a shape.
    """
    try:
        shapes = load_shapes(settings.ontology_dir / SHAPES_FILE)
    except (FileNotFoundError, ValueError) as exc:
        raise BuildError(str(exc)) from None
    report = validate_dataset(dataset, shapes)
    if not report.conforms:
        raise ReleaseInvalid(report)
    return report


def build_release(settings: Settings, out_dir: Path | None = None) -> dict:
    """Build the dataset, validate it and write the release; return its manifest.

    The manifest's ``validation`` entry gives the violation and warning counts
    and ``validation_seconds`` the time spent validating.

    Raises:
        BuildError: on a malformed input; ReleaseInvalid when the shapes are
            violated. In both cases nothing is written and a previous release
            in ``out_dir`` stays as it was; BuildError before any work when
            ``out_dir`` is not a folder a release may replace.
    """
    check_replaceable(out_dir or settings.release_dir)
    plans = load_plans(settings.data_dir)
    dataset = build_dataset(settings, plans)
    report = validate_build(dataset, settings)
    try:
        files = vocabulary_files(settings.ontology_dir)
    except (FileNotFoundError, ValueError) as exc:
        raise BuildError(str(exc)) from None
    validation = {"conforms": True, "violations": 0, "warnings": len(report.warnings)}
    parts = {config.key: [str(PlanIRIs(settings.base_iri, config.agency, config.fiscal_year_be).graph(name))
                          for name in PLAN_GRAPHS] for config in plans}
    manifest = write_release(dataset, out_dir or settings.release_dir, input_fingerprint(settings, plans),
                             release_describer(settings, dataset, plans), files, validation, parts,
                             stratml_documents(settings, dataset, plans))
    manifest["validation_seconds"] = round(report.seconds, 3)
    return manifest


def stratml_documents(settings: Settings, dataset: Dataset, plans) -> dict[str, dict]:
    """Each plan as a StratML Part 2 document (docs/stratml.md), for :func:`write_release`.

    The period is the curated one when the plan's curation states it, else the
    one its document prints (none when neither does).

    Args:
        plans: the plans of :func:`codikg.config.plan.load_plans`.

    Raises:
        BuildError: on a malformed curated period.
        codikg.ingest.PlanParseError: on a line of a plan that fits nowhere.
    """
    documents = {}
    for config in plans:
        iris = PlanIRIs(settings.base_iri, config.agency, config.fiscal_year_be)
        plan = read_plan_file(config.source, config.source_media_type)
        curation, period = dataset.graph(iris.graph("curation")), None
        if curation.value(iris.plan, DCTERMS.temporal) is not None:
            try:
                curated = plan_period(curation, iris.plan)
            except CuratedMetadataError as exc:
                raise BuildError(str(exc)) from None
            period = (curated.start, curated.end)
        documents[stratml_file(config.agency, config.fiscal_year_be)] = {
            "data": stratml_document(plan, iris, config.agency_names, period),
            "format": STRATML_FORMAT, "media_type": STRATML_MEDIA_TYPE, "plan": config.key}
    return documents


def ensure_release(settings: Settings, out_dir: Path | None = None) -> tuple[dict, bool]:
    """Build unless ``out_dir`` already holds a release of the current inputs (a folder
    whose manifest is damaged is rebuilt; its other files are checked by the caller).

    Returns:
        (manifest, built) — ``built`` is True when a new build was written.
    """
    out_dir = out_dir or settings.release_dir
    try:
        manifest = read_manifest(out_dir)
    except DamagedRelease:  # rebuilt below, replacing the damaged folder
        manifest = None
    if (manifest and manifest.get("fingerprint") == input_fingerprint(settings)
            and (Path(out_dir) / INDEX_FILE).is_file()):
        return manifest, False
    return build_release(settings, out_dir), True
