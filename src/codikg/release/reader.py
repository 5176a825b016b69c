"""Read a written release: its manifest and its catalog graph (never writes)."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from codikg.release.layout import MANIFEST


class DamagedRelease(ValueError):
    """A release folder whose ``manifest.json`` cannot be read as a manifest."""


def read_manifest(release_dir: Path) -> dict | None:
    """The manifest of the release in ``release_dir``, or None if there is none.

    Raises:
        DamagedRelease: ``manifest.json`` is not UTF-8 JSON holding an object.
    """
    path = Path(release_dir) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise DamagedRelease(f"{path}: damaged release: not a manifest ({exc})") from None
    if not isinstance(manifest, dict) or "release" not in manifest:
        raise DamagedRelease(f"{path}: damaged release: not a manifest (no release id)")
    return manifest


def load_catalog(release_dir: Path, manifest: dict) -> Graph | None:
    """The catalog graph of a written release, or ``None`` if it has none.

    Raises:
        OSError, SyntaxError: if ``catalog.trig`` is missing or unreadable.
    """
    info = manifest.get("catalog")
    if not info:
        return None
    dataset = Dataset()
    dataset.parse(Path(release_dir) / info["file"], format="trig")
    graph = Graph(identifier=URIRef(info["graph"]))
    for prefix, namespace in dataset.namespaces():
        graph.bind(prefix, namespace)
    graph += dataset.graph(URIRef(info["graph"]))
    return graph


def triple_totals(manifest: dict) -> dict[str, int]:
    """What each triple count of a release covers: ``dumps`` (the union of the dumped
    graphs, ``manifest["union_triples"]``), ``catalog`` (the catalog graph, left out of
    the dumps) and ``endpoint`` (the served default graph: both, which is what
    ``SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }`` on ``/sparql`` counts)."""
    catalog = manifest["catalog"]["triples"] if manifest.get("catalog") else 0
    union = manifest["union_triples"]
    return {"dumps": union, "catalog": catalog, "endpoint": union + catalog}


def release_graph_counts(manifest: dict) -> dict[str, int]:
    """Named graph IRI → triples of a release (its dumped graphs and its catalog graph)."""
    counts = dict(manifest["graphs"])
    if manifest.get("catalog"):
        counts[manifest["catalog"]["graph"]] = manifest["catalog"]["triples"]
    return counts


def read_download(release_dir: Path, entry: dict) -> bytes:
    """The bytes of a file the manifest lists among the dumps (``entry`` is its record).

    Raises:
        OSError: if the file is missing or unreadable.
    """
    return (Path(release_dir) / entry["file"]).read_bytes()
