"""Assemble the RDF dataset and write an immutable release folder.

A release holds ``codikg.trig`` (every named graph), ``codikg.ttl`` and
``codikg.nt`` (their union), ``search-index.json`` (the search index, see
:mod:`codikg.search.index`) and ``manifest.json`` (triple counts, input
checksums, release id). It is written to a temporary folder and renamed into
place, so a failed build never leaves a half-written release behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from codikg import __version__
from codikg.build.derived import derived_graph
from codikg.build.document import document_graph
from codikg.build.iris import PlanIRIs
from codikg.build.namespaces import PREFIXES
from codikg.ingest import parse_plan_file
from codikg.search.index import INDEX_FILE, build_index, write_index
from codikg.settings import Settings

DUMP_FILES = {"trig": "codikg.trig", "ttl": "codikg.ttl", "nt": "codikg.nt"}
MANIFEST = "manifest.json"
GRAPH_NAMES = ("document", "curation", "ontology", "derived")


class BuildError(Exception):
    """A build input is missing or malformed; the message names the file."""


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
    return [settings.data_dir / "plan.toml", config.source, *curation, *ontology]


def input_fingerprint(settings: Settings) -> str:
    """SHA-256 over the codikg version, base IRI and every input file's bytes."""
    digest = hashlib.sha256(f"{__version__}\n{settings.base_iri}\n".encode())
    for path in input_files(settings):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _parse_turtle_files(paths: list[Path]) -> Graph:
    graph = Graph()
    for path in paths:
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser-specific types
            raise BuildError(f"{path}: not valid Turtle: {exc}") from exc
    return graph


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
        "curation": _parse_turtle_files(sorted((settings.data_dir / "curation").glob("*.ttl"))),
        "ontology": _parse_turtle_files(sorted(settings.ontology_dir.glob("*.ttl"))),
    }
    parts["derived"] = derived_graph(parts["document"], parts["curation"])
    for name, graph in parts.items():
        named = dataset.graph(iris.graph(name))
        for triple in graph:
            named.add(triple)
    return dataset


def union_graph(dataset: Dataset) -> Graph:
    """All triples of all named graphs in one graph."""
    union = Graph()
    for prefix, namespace in PREFIXES.items():
        union.bind(prefix, namespace)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def write_release(dataset: Dataset, out_dir: Path, fingerprint: str) -> dict:
    """Write the dumps and manifest of ``dataset`` into ``out_dir`` atomically.

    Returns:
        The manifest: ``release`` (id), ``graphs`` (IRI → triples),
        ``union_triples``, ``files`` (name → bytes) and ``fingerprint``.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        union = union_graph(dataset)
        dataset.serialize(tmp / DUMP_FILES["trig"], format="trig")
        union.serialize(tmp / DUMP_FILES["ttl"], format="turtle")
        lines = sorted(set(union.serialize(format="nt").splitlines()) - {""})
        (tmp / DUMP_FILES["nt"]).write_text("\n".join(lines) + "\n", encoding="utf-8")
        write_index(build_index(dataset), tmp / INDEX_FILE)
        manifest = {
            "release": fingerprint[:16],
            "fingerprint": fingerprint,
            "graphs": {str(g.identifier): len(g) for g in dataset.graphs() if len(g)},
            "union_triples": len(union),
            "files": {name: (tmp / name).stat().st_size for name in (*DUMP_FILES.values(), INDEX_FILE)},
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _replace_dir(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def _replace_dir(new: Path, target: Path) -> None:
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
        new.rename(target)
        shutil.rmtree(old)
    else:
        new.rename(target)


def read_manifest(release_dir: Path) -> dict | None:
    """The manifest of the release in ``release_dir``, or None if there is none."""
    try:
        return json.loads((Path(release_dir) / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def build_release(settings: Settings, out_dir: Path | None = None) -> dict:
    """Build the dataset from the inputs and write the release; return its manifest."""
    dataset = build_dataset(settings)
    return write_release(dataset, out_dir or settings.release_dir, input_fingerprint(settings))


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
