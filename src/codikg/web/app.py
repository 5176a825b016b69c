"""The FastAPI application serving one release."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
import shutil
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from codikg import __version__
from codikg.release.layout import DUMP_FILES, MANIFEST, store_files
from codikg.config.plan import PlanConfig
from codikg.release.reader import read_manifest
from codikg.release.snapshot import snapshot_release
from codikg.sparql.examples import load_examples
from codikg.sparql.texts import query_text
from codikg.search.analysis import analyze
from codikg.release.layout import INDEX_FILE
from codikg.search.index import SearchIndex, SearchIndexError
from codikg.config.settings import Settings, load_settings
from codikg.store import EmbeddedStore
from codikg.store.disk import check_store
from codikg.config.limits import Limits, limits_from_env
from codikg.store.pool import QueryPool
from codikg.web import (audit, catalog, dumps, linkeddata, middleware, pages, query_page, search,
                        sparql, vocabulary)
from codikg.web import errors
from codikg.web.cache import ResponseCache
from codikg.services.deferred import Deferred, warm_up
from codikg.services.describe import describe, graph_quads
from codikg.web.fastpath import ReplayCache
from codikg.web.middleware import GZipMiddleware
from codikg.web.plan_view import PlanOverview

_TEMPLATES = Path(__file__).parent / "templates"
_STATIC = Path(__file__).parent / "static"

class _LazyCounts(Mapping):
    """Elements per class, counted at first use, not at start-up (seconds on a 10M-triple store)."""

    def __init__(self, store):
        self._store, self._counts = store, None

    def _load(self) -> dict[str, int]:
        if self._counts is None:
            self._counts = {str(row["class"].value).rsplit("#", 1)[1]: int(row["n"].value)
                            for row in self._store.query(query_text("element-counts"))}
        return self._counts

    def __getitem__(self, key):
        return self._load()[key]

    def __iter__(self):
        return iter(self._load())

    def __len__(self):
        return len(self._load())


def create_app(release_dir: Path, queries_dir: Path, limits: Limits | None = None,
               settings: Settings | None = None, store=None, store_path: Path | None = None,
               query_pool: QueryPool | None = None) -> FastAPI:
    """Load the release in ``release_dir`` into an embedded store and build the app.

    Args:
        release_dir: a folder written by :func:`codikg.release.writer.write_release`.
        queries_dir: folder of example ``*.rq`` queries shown to users.
        limits: limits of the public ``/sparql`` endpoint (default: from the
            environment, :func:`codikg.config.limits.limits_from_env`). Public
            queries run in a pool of worker processes; ``app.state.store``
            stays in this process for the app's own trusted queries.
        settings: base IRI and data folder (default: from the environment).
        store: a :class:`codikg.store.remote.RemoteStore` holding this release
            (``codikg serve --store``): the app's queries and the public
            endpoint go to it instead (:mod:`codikg.web.remote`); dumps, the
            catalog and the search index still come from ``release_dir``.
        store_path: an on-disk store of this release (``codikg load``), opened
            read-only by the app and the workers instead of loading the dumps
            (``codikg serve --disk-store``).
        query_pool: a pool already started for this release and these limits
            (``codikg serve`` starts it first, so that the workers load while
            the web stack imports); by default one is started here.

    Raises:
        FileNotFoundError: if ``release_dir`` holds no release.
        codikg.search.index.SearchIndexError: if it holds no readable search index.
        codikg.web.remote.StoreMismatch: ``store`` holds another release.
        codikg.store.StoreError: ``store`` cannot be reached.
        codikg.store.disk.DiskStoreError: ``store_path`` holds no store of this release.
    """
    if read_manifest(release_dir) is None:
        raise FileNotFoundError(f"{release_dir}: no release here (run 'codikg build')")
    # Serve a private snapshot, so a rebuild that replaces the folder never
    # changes the bytes behind this server's per-release URLs.
    release_dir = snapshot_release(release_dir)
    manifest = read_manifest(release_dir)
    app = FastAPI(title="codikg", version=__version__, docs_url="/api", redoc_url=None)
    errors.install(app)
    # uvicorn re-raises SIGTERM after its graceful shutdown, so atexit never runs there.
    app.router.on_shutdown.append(lambda: shutil.rmtree(release_dir, ignore_errors=True))
    files = store_files(release_dir, manifest)
    limits = limits or limits_from_env()
    if store is not None:
        from codikg.web.remote import use_remote_store
        use_remote_store(app, store, manifest, limits)
    else:
        if store_path is not None:
            if limits.allow_update:
                raise ValueError("--allow-update needs a scratch in-memory copy; "
                                 "it cannot be used with --disk-store")
            check_store(store_path, manifest["release"])
            app.state.store = EmbeddedStore.open_read_only(store_path)
        else:
            app.state.store = EmbeddedStore(files)
        if limits.allow_update:  # one scratch copy that sees its own writes, nothing cached
            limits = limits.with_options(workers=1, cache_bytes=0)
        app.state.query_pool = query_pool or QueryPool(files, limits.workers, writable=limits.allow_update,
                                                       store_path=store_path)
    app.state.limits = limits
    app.state.query_cache = ResponseCache(limits.cache_bytes)
    app.state.manifest = manifest
    app.state.release_dir = release_dir
    app.state.catalog = Deferred("catalog", lambda: catalog.load_catalog(release_dir, manifest))
    app.state.examples = load_examples(queries_dir)
    app.state.templates = Jinja2Templates(directory=str(_TEMPLATES),
                                          context_processors=[pages.page_context])
    pages.set_template_defaults(app.state.templates)
    index_file = release_dir / INDEX_FILE
    if not index_file.is_file():  # fail at start-up, not at the first search
        raise SearchIndexError(f"{index_file}: no search index (rebuild with 'codikg build')")
    app.state.search_index = Deferred("search index", lambda: SearchIndex.load(index_file))
    app.state.counts = _LazyCounts(app.state.store)
    _linked_data_state(app, release_dir, settings or load_settings())
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    middleware.install(app)
    app.mount("/static", StaticFiles(directory=str(_STATIC)), name="static")
    app.include_router(sparql.router)
    app.state.vocabulary = Deferred("vocabulary", lambda: vocabulary.load_vocabulary(release_dir))
    app.include_router(vocabulary.router)
    app.include_router(query_page.router)
    app.include_router(dumps.router)
    app.include_router(catalog.router)
    app.include_router(search.router)
    audit.install(app)
    app.include_router(pages.router)
    linkeddata.mount(app, linkeddata.LinkedDataSource(
        "id/", lambda request, iri: describe(request.app.state.store, iri), pages.resource_page))
    linkeddata.mount(app, linkeddata.LinkedDataSource(
        "graph/", lambda request, iri: graph_quads(request.app.state.store, iri), pages.graph_page,
        information_resource=True))
    # Loaded once the server listens: start-up does only what the first query needs (web/deferred.py).
    app.router.on_startup.append(lambda: warm_up(
        [app.state.overview, app.state.catalog, app.state.vocabulary, app.state.search_index,
         app.state.quality_report],
        [lambda: analyze("ก", second_reading=False)]))
    # Repeated GETs of the endpoint and of resource pages are replayed from the cache
    # (outermost, so a replay skips gzip too; the key includes Accept-Encoding).
    app.add_middleware(ReplayCache, cache=app.state.query_cache, release=manifest["release"],
                       prefixes=("/sparql", "/id/"))
    return app


def _linked_data_state(app: FastAPI, release_dir: Path, settings: Settings) -> None:
    """What the pages and dereferencing need besides the store (see codikg.web.linkeddata)."""
    state = app.state
    state.base_iri = settings.base_iri
    state.release_time = datetime.fromtimestamp((release_dir / MANIFEST).stat().st_mtime, timezone.utc)
    state.plan_config = PlanConfig.load(settings.data_dir)
    state.dump_files = DUMP_FILES
    state.vocab_labels = pages.vocabulary_labels(state.store)
    state.overview = Deferred("plan overview", lambda: _plan_overview(state.store))


def _plan_overview(store) -> PlanOverview | None:
    try:
        return PlanOverview(store)
    except LookupError:  # a release without a plan (e.g. the W3C protocol suite's data)
        return None
