"""The FastAPI application serving one release: middleware, routers, the served release."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from codikg import __version__
from codikg.config.limits import Limits
from codikg.config.settings import Settings
from codikg.search.analysis import analyze
from codikg.services.deferred import warm_up
from codikg.services.describe import describe, graph_quads
from codikg.services.served import ServedRelease, open_release
from codikg.store.pool import QueryPool
from codikg.store.remote import RemoteStore
from codikg.web import (api_docs, audit, catalog, dumps, limits as limits_page, linkeddata, middleware, pages,
                        query_page, search, sparql, vocabulary)
from codikg.web.cache import ResponseCache
from codikg.web.deps import release_of
from codikg.web.http import errors
from codikg.web.fastpath import ReplayCache
from codikg.web.middleware import GZipMiddleware

_TEMPLATES = Path(__file__).parent / "templates"
_STATIC = Path(__file__).parent / "static"



def _openapi_with_unique_ids(app: FastAPI):
    """``app.openapi`` whose ``operationId`` values are unique (OpenAPI 3.1 §4.8.10).

    FastAPI gives every method of a route one id, so a route that answers GET and HEAD
    (or one handler on two paths) repeats it and warns on each request for the schema;
    here each operation's id is its handler, path and method.
    """
    def openapi() -> dict:
        if app.openapi_schema is None:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Duplicate Operation ID", category=UserWarning)
                schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
            for path, operations in schema["paths"].items():
                slug = "".join(c if c.isalnum() else "_" for c in path).strip("_") or "root"
                for method, operation in operations.items():
                    name = operation["operationId"].split("_", 1)[0]
                    operation["operationId"] = f"{name}__{slug}__{method}"
            app.openapi_schema = schema
        return app.openapi_schema
    return openapi


def create_app(release_dir: Path | ServedRelease, queries_dir: Path | None = None,
               limits: Limits | None = None, settings: Settings | None = None, store=None,
               store_path: Path | None = None, query_pool: QueryPool | None = None) -> FastAPI:
    """Build the app serving one release.

    Args:
        release_dir: a release folder, opened with
            :func:`codikg.services.served.open_release` and the other arguments
            (see there); or a :class:`ServedRelease` already opened (a test's
            fixture store), in which case the other arguments are ignored.
        queries_dir, limits, settings, store, store_path, query_pool: as for
            :func:`codikg.services.served.open_release`.

    Raises:
        what :func:`codikg.services.served.open_release` raises.
    """
    served = release_dir if isinstance(release_dir, ServedRelease) else open_release(
        release_dir, queries_dir, limits, settings, store, store_path, query_pool)
    app = FastAPI(title="codikg", version=__version__, docs_url=None, redoc_url=None)
    app.openapi = _openapi_with_unique_ids(app)
    app.state.served = served
    errors.install(app)
    if isinstance(served.store, RemoteStore):
        from codikg.web.remote import install_store_errors
        install_store_errors(app)
    # uvicorn re-raises SIGTERM after its graceful shutdown, so atexit never runs there.
    app.router.on_shutdown.append(lambda: shutil.rmtree(served.folder, ignore_errors=True)
                                  if served.folder.name.startswith(".") else None)
    app.state.query_cache = ResponseCache(served.limits.cache_bytes)
    app.state.templates = Jinja2Templates(directory=str(_TEMPLATES),
                                          context_processors=[pages.page_context])
    pages.set_template_defaults(app.state.templates)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    middleware.install(app)
    app.mount("/static", StaticFiles(directory=str(_STATIC)), name="static")
    api_docs.install(app)
    # Browsers ask for /favicon.ico on a page that names no icon (Swagger UI at /api, a JSON answer).
    app.add_api_route("/favicon.ico", lambda: FileResponse(_STATIC / "favicon.ico", headers={
        "Cache-Control": "public, max-age=86400"}), methods=["GET", "HEAD"], include_in_schema=False)
    app.include_router(sparql.router)
    app.include_router(limits_page.router)
    app.include_router(vocabulary.router)
    app.include_router(query_page.router)
    app.include_router(dumps.router)
    app.include_router(catalog.router)
    app.include_router(search.router)
    audit.install(app)
    app.include_router(pages.router)
    linkeddata.mount(app, linkeddata.LinkedDataSource(
        "id/", lambda request, iri: describe(release_of(request).store, iri), pages.resource_page))
    linkeddata.mount(app, linkeddata.LinkedDataSource(
        "graph/", lambda request, iri: graph_quads(release_of(request).store, iri, release_of(request).base_iri), pages.graph_page,
        information_resource=True))
    # Loaded once the server listens: start-up does only what the first query needs (services/deferred.py).
    app.router.on_startup.append(lambda: warm_up(served.deferred(),
                                                 [lambda: analyze("ก", second_reading=False)]))
    # Repeated GETs of the endpoint and of resource pages are replayed from the cache
    # (outermost, so a replay skips gzip too; the key includes Accept-Encoding).
    app.add_middleware(ReplayCache, cache=app.state.query_cache, release=served.release,
                       prefixes=("/sparql", "/id/"))
    # Outermost: no negotiation header over its limits reaches a parser, not even the replay key.
    app.add_middleware(middleware.BoundNegotiation, max_ranges=served.limits.max_accept_ranges,
                       max_bytes=served.limits.max_accept_bytes)
    return app
