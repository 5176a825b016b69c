"""Assemble the RDF dataset and write an immutable release folder.

A release holds the dumps of :mod:`codikg.build.dumps` (TriG, N-Quads and
JSON-LD of every named graph, Turtle and N-Triples of their union, each also
gzipped), ``catalog.trig`` (the DCAT-AP catalog and VoID description, graph
``{base}graph/catalog``, kept out of the dumps because it lists their sizes and
checksums), ``search-index.json`` (the search index, see
:mod:`codikg.search.index`) and ``manifest.json`` (triple counts, dump sizes and SHA-256, input
fingerprint, release id). It is written to a temporary folder and renamed into
place, so a failed build never leaves a half-written release behind.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph

from codikg import __version__
from codikg.build.derived import derived_graph
from codikg.build.document import document_graph
from codikg.build.dumps import DUMP_FORMATS, graph_dataset, write_dumps
from codikg.build.iris import PlanIRIs
from codikg.build.namespaces import PREFIXES
from codikg.ingest import parse_plan_file
from codikg.search.index import INDEX_FILE, build_index, write_index
from codikg.settings import DEFAULT_BASE_IRI, Settings

DUMP_FILES = {fmt.key: fmt.filename for fmt in DUMP_FORMATS}
CATALOG_FILE = "catalog.trig"
MANIFEST = "manifest.json"
GRAPH_NAMES = ("document", "curation", "ontology", "derived")


class BuildError(Exception):
    """A build input is missing or malformed; the message names the file."""


class ReleaseInvalid(BuildError):
    """The built dataset violates the SHACL shapes; nothing was written.

    Attributes:
        report: the :class:`codikg.validate.ValidationReport`.
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


@dataclass(frozen=True)
class PlanConfig:
    """The plan's settings from ``data/plan.toml`` (see that file)."""

    agency: str
    fiscal_year_be: int
    source: Path
    source_media_type: str

    @classmethod
    def load(cls, data_dir: Path) -> "PlanConfig":
        """Read ``data_dir/plan.toml``.

        Raises:
            BuildError: if the file is missing, not TOML or lacks a key.
        """
        path = data_dir / "plan.toml"
        try:
            plan = tomllib.loads(path.read_text(encoding="utf-8"))["plan"]
            return cls(plan["agency"], int(plan["fiscal_year_be"]), data_dir / plan["source"],
                       plan.get("source_media_type", "text/plain; charset=utf-8"))
        except FileNotFoundError:
            raise BuildError(f"{path}: plan settings file not found") from None
        except (tomllib.TOMLDecodeError, KeyError, ValueError) as exc:
            raise BuildError(f"{path}: {type(exc).__name__}: {exc}") from None


def input_files(settings: Settings) -> list[Path]:
    """Every file a build reads, in a fixed order (for the input fingerprint)."""
    config = PlanConfig.load(settings.data_dir)
    curation = sorted((settings.data_dir / "curation").glob("*.ttl"))
    ontology = sorted(settings.ontology_dir.glob("*.ttl"))
    catalog = [settings.data_dir / "catalog.toml"] if (settings.data_dir / "catalog.toml").exists() else []
    return [settings.data_dir / "plan.toml", *catalog, config.source, *curation, *ontology]


def input_fingerprint(settings: Settings) -> str:
    """SHA-256 over the codikg version, base IRI, public URL (when it differs
    from the base: it is written into the catalog) and every input file's bytes."""
    digest = hashlib.sha256(f"{__version__}\n{settings.base_iri}\n".encode())
    if settings.public_url != settings.base_iri:
        digest.update(f"public {settings.public_url}\n".encode())
    for path in input_files(settings):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
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


def build_dataset(settings: Settings) -> Dataset:
    """Parse the plan, read curation and ontology, and return the dataset.

    Raises:
        BuildError: on a missing or malformed input file.
        codikg.ingest.PlanParseError: on a line of the plan that fits nowhere.
    """
    config = PlanConfig.load(settings.data_dir)
    iris = PlanIRIs(settings.base_iri, config.agency, config.fiscal_year_be)
    if not config.source.is_file():
        raise BuildError(f"{config.source}: plan document not found (see data/plan.toml)")
    plan = parse_plan_file(config.source, config.source_media_type)
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    parts = {
        "document": document_graph(plan, iris),
        "curation": rebase(_parse_turtle_files(sorted((settings.data_dir / "curation").glob("*.ttl")),
                                               settings.base_iri), settings.base_iri),
        "ontology": rebase(_parse_turtle_files(sorted(settings.ontology_dir.glob("*.ttl")),
                                               settings.base_iri), settings.base_iri),
    }
    parts["derived"] = derived_graph(parts["document"], parts["curation"])
    for name, graph in parts.items():
        named = dataset.graph(iris.graph(name))
        for triple in graph:
            named.add(triple)
    return dataset


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


def union_graph(dataset: Dataset) -> Graph:
    """All triples of all named graphs in one graph."""
    union = Graph()
    for prefix, namespace in PREFIXES.items():
        union.bind(prefix, namespace)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def write_release(dataset: Dataset, out_dir: Path, fingerprint: str,
                  describe: Callable[[str, dict], Graph] | None = None,
                  extra_files: dict[str, bytes] | None = None, validation: dict | None = None) -> dict:
    """Write the dumps and manifest of ``dataset`` into ``out_dir`` atomically.

    Args:
        dataset: the named graphs to dump.
        out_dir: the release folder (replaced as a whole).
        fingerprint: :func:`input_fingerprint` of the inputs.
        describe: ``(release_id, dumps) -> Graph`` building the catalog graph
            from the written dumps (see :func:`codikg.build.publish.describe_release`);
            ``None`` writes no catalog.
        extra_files: further files to publish, name → bytes (the vocabulary files);
            listed in the manifest under ``vocabulary``.
        validation: a summary of the SHACL validation, recorded in the manifest.

    Returns:
        The manifest: ``release`` (id), ``graphs`` (dumped graph IRI → triples),
        ``union_triples``, ``files`` (name → bytes), ``dumps`` (name → size,
        SHA-256, media types), ``catalog`` (graph IRI, triples, file) and
        ``fingerprint``.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        union = union_graph(dataset)
        release = fingerprint[:16]
        dumps = write_dumps(dataset, union, tmp)
        write_index(build_index(dataset), tmp / INDEX_FILE)
        manifest = {
            "release": release,
            "fingerprint": fingerprint,
            "graphs": {str(g.identifier): len(g) for g in dataset.graphs() if len(g)},
            "union_triples": len(union),
            "dumps": dumps,
        }
        for name, content in (extra_files or {}).items():
            (tmp / name).write_bytes(content)
            manifest.setdefault("vocabulary", {})[name] = len(content)
        if validation is not None:
            manifest["validation"] = validation
        if describe is not None:
            catalog = describe(release, dumps)
            graph_dataset(catalog, catalog.namespaces()).serialize(tmp / CATALOG_FILE, format="trig")
            manifest["catalog"] = {"graph": str(catalog.identifier), "triples": len(catalog),
                                   "file": CATALOG_FILE}
        manifest["files"] = {p.name: p.stat().st_size for p in sorted(tmp.iterdir())}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n",
                                    encoding="utf-8")
        _replace_dir(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def _replace_dir(new: Path, target: Path) -> None:
    if target.exists() and any(target.iterdir()) and not (target / MANIFEST).is_file():
        raise BuildError(f"{target}: not empty and not a codikg release (no {MANIFEST}); "
                         "refusing to replace it: choose a new or empty folder")
    new.chmod(0o755)  # mkdtemp makes it private; a release is for serving
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
        new.rename(target)
        shutil.rmtree(old)
    else:
        new.rename(target)


def snapshot_release(release_dir: Path) -> Path:
    """Hard-link the release's files into a private folder for one serving process.

    A build replaces the release folder by renaming; the snapshot keeps the
    served release's bytes until the process exits (then it is removed).
    Snapshots left by processes that died are removed first. Falls back to
    copying where hard links are not possible.

    Returns:
        the snapshot folder, beside ``release_dir``; ``release_dir`` itself if
        it already is this process's snapshot.

    Raises:
        OSError: the files cannot be linked or copied.
    """
    release_dir = Path(release_dir).resolve()
    if release_dir.name.startswith(".") and release_dir.name.endswith(f"-serving-{os.getpid()}"):
        return release_dir
    prefix = f".{release_dir.name}-serving-"
    for old in release_dir.parent.glob(prefix + "*"):
        pid = old.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    snapshot = release_dir.parent / f"{prefix}{os.getpid()}"
    shutil.rmtree(snapshot, ignore_errors=True)
    shutil.copytree(release_dir, snapshot, copy_function=_link_or_copy)
    atexit.register(shutil.rmtree, snapshot, ignore_errors=True)
    return snapshot


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def store_files(release_dir: Path, manifest: dict) -> list[Path]:
    """The TriG files a store loads for this release: the dump and the catalog graph."""
    files = [Path(release_dir) / DUMP_FILES["trig"]]
    if manifest.get("catalog"):
        files.append(Path(release_dir) / manifest["catalog"]["file"])
    return files


def read_manifest(release_dir: Path) -> dict | None:
    """The manifest of the release in ``release_dir``, or None if there is none."""
    try:
        return json.loads((Path(release_dir) / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def validate_build(dataset: Dataset, settings: Settings):
    """Validate ``dataset`` against ``ontology/shapes.ttl``; return the report.

    Raises:
        BuildError: if the shapes file is missing or malformed.
        ReleaseInvalid: if the dataset violates a shape.
    """
    from codikg.validate import SHAPES_FILE, load_shapes, validate_dataset

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
            in ``out_dir`` stays as it was.
    """
    from codikg.build.publish import release_describer
    from codikg.build.vocabulary import vocabulary_files

    dataset = build_dataset(settings)
    report = validate_build(dataset, settings)
    try:
        files = vocabulary_files(settings.ontology_dir)
    except (FileNotFoundError, ValueError) as exc:
        raise BuildError(str(exc)) from None
    validation = {"conforms": True, "violations": 0, "warnings": len(report.warnings)}
    manifest = write_release(dataset, out_dir or settings.release_dir, input_fingerprint(settings),
                             release_describer(settings, dataset), files, validation)
    manifest["validation_seconds"] = round(report.seconds, 3)
    return manifest


def ensure_release(settings: Settings, out_dir: Path | None = None) -> tuple[dict, bool]:
    """Build unless ``out_dir`` already holds a release of the current inputs.

    Returns:
        (manifest, built) — ``built`` is True when a new build was written.
    """
    out_dir = out_dir or settings.release_dir
    manifest = read_manifest(out_dir)
    if (manifest and manifest.get("fingerprint") == input_fingerprint(settings)
            and (Path(out_dir) / INDEX_FILE).is_file()):
        return manifest, False
    return build_release(settings, out_dir), True
