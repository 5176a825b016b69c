"""The release a server serves, opened once: store, query pool, manifest and what pages load on first use.

:func:`open_release` is what ``codikg serve`` (through :func:`codikg.web.app.create_app`)
and the tests call; :class:`ServedRelease` is what every route receives through
the FastAPI dependencies of :mod:`codikg.web.deps`. A test may build a
``ServedRelease`` itself around a small pyoxigraph store
(:func:`served_from_store`).
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from rdflib import Graph

from codikg.audit.quality import QualityReport, quality_report
from codikg.config.errors import BuildError
from codikg.config.limits import Limits, limits_from_env
from codikg.config.plan import PlanConfig, load_plans
from codikg.config.settings import Settings, load_settings
from codikg.release.layout import DUMP_FILES, INDEX_FILE, MANIFEST, store_files
from codikg.release.reader import load_catalog, read_manifest, release_graph_counts, triple_totals
from codikg.release.snapshot import snapshot_release
from codikg.search.index import SearchIndex, SearchIndexError
from codikg.services.deferred import Deferred
from codikg.services.plan_view import PlanOverview
from codikg.services.resource_view import vocabulary_labels
from codikg.services.vocabulary import Vocabulary, load_vocabulary
from codikg.sparql.texts import query_text
from codikg.sparql.examples import ExampleQuery, load_examples
from codikg.store import EmbeddedStore
from codikg.store.disk import check_store
from codikg.store.pool import QueryPool
from codikg.store.remote import RemoteStore
from codikg.store.remote_pool import RemoteQueryPool



class StoreMismatch(Exception):
    """The remote store does not hold the release being served (triple counts differ)."""


class ElementCounts(Mapping):
    """Elements per class (local name → count), counted at first use, not at
    start-up (seconds on a 10M-triple store)."""

    def __init__(self, store):
        self._store, self._counts = store, None

    def _load(self) -> dict[str, int]:
        if self._counts is None:
            self._counts = {str(row["class"].value).rsplit("#", 1)[1]: int(row["n"].value)
                            for row in self._store.query(query_text("element-counts"))}
        return self._counts

    #: The plan's element classes in the order the plan runs, with their UI string keys
    #: (:mod:`codikg.services.i18n`).
    PLAN_ORDER = (("Vision", "vision"), ("Mission", "missions"), ("StrategicObjective", "objectives"),
                  ("StrategicIssue", "issues"), ("Indicator", "indicators"), ("Strategy", "strategies"),
                  ("Project", "projects"))

    def in_plan_order(self) -> list[tuple[str, int]]:
        """``(UI string key, count)`` per element class, vision first, projects last."""
        counts = self._load()
        return [(label, counts.get(name, 0)) for name, label in self.PLAN_ORDER]

    def __getitem__(self, key):
        return self._load()[key]

    def __iter__(self):
        return iter(self._load())

    def __len__(self):
        return len(self._load())


@dataclass
class ServedRelease:
    """One release as a server sees it.

    Attributes:
        folder: the (snapshot) release folder; dumps and files are read from it.
        manifest: its ``manifest.json``.
        settings: base IRI, public URL, project folders.
        limits: the public endpoint's limits.
        store: the app's own, trusted store (embedded, on disk or remote).
        query_pool: runs public queries: ``execute(header, body, time_limit,
            wait_limit)`` and ``close()`` (:class:`codikg.store.pool.QueryPool`,
            :class:`codikg.store.remote_pool.RemoteQueryPool` or
            :class:`codikg.store.inprocess.InProcessQueryPool`).
        plans: every plan's settings (``data/plans/*/*/plan.toml``), empty when unreadable.
        examples: the example queries shown to users.
        release_time: the manifest's modification time (``Last-Modified``).
        search_index, catalog, vocabulary, overview, quality_report: loaded on first use.
        counts: elements per class, counted on first use.
        vocab_labels: ``{term IRI: {lang: rdfs:label}}`` of the vocabulary.
        dump_files: dump key → file name.
    """

    folder: Path
    manifest: dict
    settings: Settings
    limits: Limits
    store: object
    query_pool: object
    plans: tuple[PlanConfig, ...]
    examples: list[ExampleQuery]
    release_time: datetime
    search_index: Deferred[SearchIndex]
    catalog: Deferred[Graph | None]
    vocabulary: Deferred[Vocabulary | None]
    overview: Deferred[PlanOverview | None]
    quality_report: Deferred[QualityReport]
    counts: Mapping
    vocab_labels: dict
    dump_files: dict = field(default_factory=lambda: dict(DUMP_FILES))
    plan_overviews: dict = field(default_factory=dict)

    @property
    def release(self) -> str:
        """The release id."""
        return self.manifest["release"]

    @property
    def plan(self) -> PlanConfig | None:
        """The first plan (in ``agency/fiscal-year`` order), or None."""
        return self.plans[0] if self.plans else None

    @property
    def base_iri(self) -> str:
        """The base IRI of every minted IRI (``settings.base_iri``)."""
        return self.settings.base_iri

    def overview_of(self, agency: str, fiscal_year: str) -> PlanOverview | None:
        """The overview of the plan ``{base}id/{agency}/plan/{fiscal_year}`` (laid out once), or None."""
        iri = f"{self.base_iri}id/{agency}/plan/{fiscal_year}"
        if iri not in self.plan_overviews:
            try:
                self.plan_overviews[iri] = PlanOverview(self.store, iri)
            except (LookupError, ValueError):  # no such plan, or characters no IRI holds
                return None
        return self.plan_overviews[iri]

    @property
    def triple_totals(self) -> dict[str, int]:
        """The release's triple counts and what each covers
        (:func:`codikg.release.reader.triple_totals`: dumps, catalog, endpoint)."""
        return triple_totals(self.manifest)

    @property
    def graph_counts(self) -> dict[str, int]:
        """Named graph IRI → triples, the catalog graph included."""
        return release_graph_counts(self.manifest)

    def deferred(self) -> list[Deferred]:
        """What a server warms up in the background once it listens."""
        return [self.overview, self.catalog, self.vocabulary, self.search_index, self.quality_report]

    def close(self) -> None:
        """Stop the query workers."""
        self.query_pool.close()


def _overview(store) -> PlanOverview | None:
    try:
        return PlanOverview(store)
    except LookupError:  # a release without a plan (e.g. the W3C protocol suite's data)
        return None


def _plans(settings: Settings) -> tuple[PlanConfig, ...]:
    try:
        return load_plans(settings.data_dir)
    except BuildError:  # serving a release needs no plan folder
        return ()


def served_from_store(folder: Path, manifest: dict, store, query_pool, settings: Settings,
                      limits: Limits, queries_dir: Path | None = None) -> ServedRelease:
    """Wrap an open ``store`` and ``query_pool`` of the release in ``folder``.

    Args:
        folder: the release folder (its search index, catalog and vocabulary
            files are read from it on first use).
        manifest: its manifest.
        store: the app's store (e.g. an :class:`codikg.store.EmbeddedStore`
            built from a fixture).
        query_pool: the public endpoint's runner (see :class:`ServedRelease`).
        settings, limits: as for :func:`open_release`.
        queries_dir: example queries (default: ``settings.queries_dir``).
    """
    index_file = Path(folder) / INDEX_FILE
    return ServedRelease(
        folder=Path(folder), manifest=manifest, settings=settings, limits=limits, store=store,
        query_pool=query_pool, plans=_plans(settings),
        examples=load_examples(queries_dir or settings.queries_dir),
        release_time=datetime.fromtimestamp((Path(folder) / MANIFEST).stat().st_mtime, timezone.utc),
        search_index=Deferred("search index", lambda: SearchIndex.load(index_file)),
        catalog=Deferred("catalog", lambda: load_catalog(folder, manifest)),
        vocabulary=Deferred("vocabulary", lambda: load_vocabulary(folder)),
        overview=Deferred("plan overview", lambda: _overview(store)),
        # The report reads the whole release (~0.3 s); a release never changes.
        quality_report=Deferred("quality report", lambda: quality_report(store)),
        counts=ElementCounts(store), vocab_labels=vocabulary_labels(store))


def _remote(store: RemoteStore, manifest: dict, limits: Limits):
    if limits.allow_update:
        raise ValueError("--allow-update works only with the embedded store, not with --store")
    expected = release_graph_counts(manifest)
    store.graphs = sorted(expected)
    found = store.count_triples(store.graphs)
    wrong = [f"<{g}> has {found[g]:,} triples, the release {n:,}" for g, n in expected.items()
             if found[g] != n]
    if wrong:
        raise StoreMismatch(f"the store at {store.endpoints.query} does not hold release "
                            f"{manifest['release']}: " + "; ".join(wrong)
                            + " (run 'codikg publish --to URL' with this release)")
    return store, RemoteQueryPool(store, limits.workers)


def open_release(release_dir: Path, queries_dir: Path | None = None, limits: Limits | None = None,
                 settings: Settings | None = None, store: RemoteStore | None = None,
                 store_path: Path | None = None, query_pool: QueryPool | None = None) -> ServedRelease:
    """Open the release in ``release_dir`` for serving.

    The release is served from a private hard-linked snapshot
    (:func:`codikg.release.snapshot.snapshot_release`), so a rebuild that
    replaces the folder never changes the bytes behind per-release URLs.

    Args:
        release_dir: a folder written by :func:`codikg.release.writer.write_release`.
        queries_dir: folder of example ``*.rq`` queries (default: the settings').
        limits: the public endpoint's limits (default: from the environment).
        settings: base IRI and data folder (default: from the environment).
        store: a remote store holding this release (``codikg serve --store``);
            its graph counts must equal the manifest's.
        store_path: an on-disk store of this release (``codikg load``), opened
            read-only here and by the workers.
        query_pool: a worker pool already started for this release and limits.

    Raises:
        FileNotFoundError: ``release_dir`` holds no release.
        SearchIndexError: it holds no search index.
        StoreMismatch: ``store`` holds another release.
        codikg.store.StoreError: ``store`` cannot be reached.
        codikg.store.disk.DiskStoreError: ``store_path`` holds no store of this release.
        ValueError: ``--allow-update`` with a disk or remote store.
    """
    if read_manifest(release_dir) is None:
        raise FileNotFoundError(f"{release_dir}: no release here (run 'codikg build')")
    settings = settings or load_settings()
    folder = snapshot_release(release_dir)
    try:
        manifest = read_manifest(folder)
        index_file = folder / INDEX_FILE
        if not index_file.is_file():  # fail at start-up, not at the first search
            raise SearchIndexError(f"{index_file}: no search index (rebuild with 'codikg build')")
        files = store_files(folder, manifest)
        limits = limits or limits_from_env()
        if store is not None:
            app_store, pool = _remote(store, manifest, limits)
        else:
            if store_path is not None:
                if limits.allow_update:
                    raise ValueError("--allow-update needs a scratch in-memory copy; "
                                     "it cannot be used with --disk-store")
                check_store(store_path, manifest["release"])
                app_store = EmbeddedStore.open_read_only(store_path)
            else:
                app_store = EmbeddedStore(files)
            if limits.allow_update:  # one scratch copy that sees its own writes, nothing cached
                limits = limits.with_options(workers=1, cache_bytes=0)
            pool = query_pool or QueryPool(files, limits.workers, writable=limits.allow_update,
                                           store_path=store_path, **limits.pool_options())
        return served_from_store(folder, manifest, app_store, pool, settings, limits, queries_dir)
    except BaseException:
        if folder != Path(release_dir).resolve():
            shutil.rmtree(folder, ignore_errors=True)
        raise
