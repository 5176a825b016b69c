"""Publish a release into a remote SPARQL 1.1 store, replacing the previous one.

Steps (``codikg publish --to URL``):

1. **Load**: each named graph of the release (the dump's graphs and the
   catalog graph) is PUT by the Graph Store Protocol into a *staging* graph
   ``{base}graph/staging/{release}/{name}``. Readers never see staging graphs:
   ``codikg serve --store`` names the live graphs in every query.
2. **Check**: the store's triple count of each staging graph must equal the
   release's; otherwise nothing is switched and the staging graphs stay for
   inspection (the next publish replaces them).
3. **Switch**: ONE SPARQL Update request ``MOVE`` s every staging graph onto its
   live name and ``DROP`` s the live graphs the new release no longer has (and
   stale staging graphs of earlier, failed runs). Oxigraph runs an update request
   as one transaction, so readers see the old release or the new one, never a
   mix. Stores that apply an update request operation by operation (Virtuoso
   by default) leave a window of a few milliseconds per graph in which a
   reader may see a mix; docs/deploy.md shows how to switch replicas instead.
   ``MOVE`` inside the store avoids a second upload and a window in which a
   live graph is empty.
4. **Verify**: the live graphs' counts must equal the release's.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from codikg.release.layout import CATALOG_FILE, DUMP_FILES
from codikg.release.reader import read_manifest
from codikg.sparql.binding import term_text
from codikg.store.remote import RemoteStore


class PublishError(Exception):
    """Publishing stopped; the message says at which step and what the store holds."""


@dataclass
class PublishReport:
    """What a publish did.

    Attributes:
        release: the release id.
        graphs: live graph IRI → triples (as verified in the store).
        dropped: live graphs of the previous release that were removed.
        seconds: step name (``parse``, ``load``, ``check``, ``switch``, ``verify``) → seconds.
    """

    release: str
    graphs: dict[str, int] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def release_graphs(release_dir: Path) -> tuple[dict, dict[str, bytes], dict[str, int]]:
    """The release's manifest, each named graph as N-Triples, and its triple count.

    Raises:
        PublishError: no release in ``release_dir``.
        SyntaxError, OSError: a release file is unreadable.
    """
    manifest = read_manifest(release_dir)
    if manifest is None:
        raise PublishError(f"{release_dir}: no release here (run 'codikg build')")
    files = [release_dir / DUMP_FILES["trig"]]
    if manifest.get("catalog"):
        files.append(release_dir / manifest["catalog"].get("file", CATALOG_FILE))
    dataset = ox.Store()
    for path in files:
        dataset.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
    data, counts = {}, {}
    for graph in sorted(dataset.named_graphs(), key=lambda g: g.value):
        triples = [ox.Triple(q.subject, q.predicate, q.object)
                   for q in dataset.quads_for_pattern(None, None, None, graph)]
        data[graph.value] = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        counts[graph.value] = len(triples)
    return manifest, data, counts


def staging_graph(base_iri: str, release: str, graph: str) -> str:
    """The staging name of ``graph`` for ``release`` (see the module docstring)."""
    name = graph[len(base_iri) + len("graph/"):] if graph.startswith(base_iri + "graph/") else \
        graph.encode().hex()
    return f"{base_iri}graph/staging/{release}/{name}"


def publish_release(release_dir: Path, store: RemoteStore, base_iri: str,
                    progress: Callable[[str], None] = lambda message: None,
                    timeout: float = 600.0) -> PublishReport:
    """Load the release in ``release_dir`` into ``store`` and switch readers to it.

    Args:
        release_dir: a folder written by ``codikg build``.
        store: a :class:`RemoteStore` with update and GSP endpoints.
        base_iri: ``CODIKG_BASE_IRI``; the release's graphs live under ``{base}graph/``.
        progress: called with a line of text per step.
        timeout: seconds each store request (one graph's upload, the switch) may take.

    Returns:
        A :class:`PublishReport`.

    Raises:
        PublishError: a count did not match (names the graph and both counts).
        StoreError, SyntaxError: the store failed or refused a request.
        ValueError: ``base_iri`` makes a staging graph name that is not an IRI.
    """
    started = time.perf_counter()
    manifest, data, expected = release_graphs(Path(release_dir))
    release = manifest["release"]
    report = PublishReport(release)
    report.seconds["parse"] = time.perf_counter() - started
    staging = {graph: staging_graph(base_iri, release, graph) for graph in data}

    started = time.perf_counter()
    for graph, ntriples in data.items():
        store.put_graph(staging[graph], ntriples, timeout=timeout)
        progress(f"loaded {expected[graph]:,} triples of <{graph}> into <{staging[graph]}>")
    report.seconds["load"] = time.perf_counter() - started

    started = time.perf_counter()
    _compare(store.count_triples(list(staging.values())),
             {staging[g]: n for g, n in expected.items()}, "staging (nothing was switched)")
    report.seconds["check"] = time.perf_counter() - started

    started = time.perf_counter()
    keep = set(data) | set(staging.values())
    report.dropped = [g for g in store.graphs_under(base_iri + "graph/") if g not in keep]
    operations = [f"MOVE SILENT GRAPH {_iri(staging[g])} TO GRAPH {_iri(g)}" for g in data]
    operations += [f"DROP SILENT GRAPH {_iri(g)}" for g in report.dropped]
    store.update(" ;\n".join(operations), timeout=timeout)
    report.seconds["switch"] = time.perf_counter() - started
    progress(f"switched readers to release {release}"
             + (f"; dropped {', '.join(report.dropped)}" if report.dropped else ""))

    started = time.perf_counter()
    report.graphs = store.count_triples(list(data))
    _compare(report.graphs, expected, "live graphs after the switch")
    report.seconds["verify"] = time.perf_counter() - started
    return report


def _iri(graph: str) -> str:
    """``<graph>`` for an update request; ``ValueError`` if ``graph`` is no IRI."""
    return term_text(ox.NamedNode(graph))


def _compare(found: dict[str, int], expected: dict[str, int], where: str) -> None:
    wrong = [f"<{g}>: store has {found.get(g, 0):,}, release has {n:,}"
             for g, n in expected.items() if found.get(g, 0) != n]
    if wrong:
        raise PublishError(f"triple counts differ in the {where}: " + "; ".join(wrong))
