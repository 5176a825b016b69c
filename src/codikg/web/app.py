"""The FastAPI application serving one release."""

from __future__ import annotations

import tomllib
from datetime import datetime, timezone
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from codikg import __version__
from codikg.build.release import DUMP_FILES, MANIFEST, PlanConfig, read_manifest
from codikg.examples import load_examples
from codikg.settings import Settings, load_settings
from codikg.store import EmbeddedStore
from codikg.web import linkeddata, pages, sparql
from codikg.web.describe import describe, graph_quads
from codikg.web.plan_view import PlanOverview

_TEMPLATES = Path(__file__).parent / "templates"
_STATIC = Path(__file__).parent / "static"
_DUMP_MEDIA_TYPES = {"trig": "application/trig", "ttl": "text/turtle", "nt": "application/n-triples"}

_SUMMARY_QUERY = """
PREFIX cdk: <https://w3id.org/codikg/ontology#>
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  VALUES ?class { cdk:Vision cdk:Mission cdk:StrategicObjective cdk:StrategicIssue
                  cdk:Indicator cdk:Strategy cdk:Project }
  ?s a ?class } GROUP BY ?class"""


def create_app(release_dir: Path, queries_dir: Path, settings: Settings | None = None) -> FastAPI:
    """Load the release in ``release_dir`` into an embedded store and build the app.

    Args:
        release_dir: a folder written by :func:`codikg.build.release.write_release`.
        queries_dir: folder of example ``*.rq`` queries shown to users.
        settings: base IRI and data folder (default: from the environment).

    Raises:
        FileNotFoundError: if ``release_dir`` holds no release.
    """
    release_dir = Path(release_dir)
    manifest = read_manifest(release_dir)
    if manifest is None:
        raise FileNotFoundError(f"{release_dir}: no release here (run 'codikg build')")
    app = FastAPI(title="codikg", version=__version__, docs_url="/api", redoc_url=None)
    app.state.store = EmbeddedStore(release_dir / DUMP_FILES["trig"])
    app.state.manifest = manifest
    app.state.examples = load_examples(queries_dir)
    app.state.templates = Jinja2Templates(directory=str(_TEMPLATES),
                                           context_processors=[pages.page_context])
    app.state.counts = {str(row["class"].value).rsplit("#", 1)[1]: int(row["n"].value)
                        for row in app.state.store.query(_SUMMARY_QUERY)}
    _linked_data_state(app, release_dir, settings or load_settings())
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.mount("/static", StaticFiles(directory=str(_STATIC)), name="static")
    app.include_router(sparql.router)
    app.include_router(pages.router)
    linkeddata.mount(app, linkeddata.LinkedDataSource(
        "id/", lambda request, iri: describe(request.app.state.store, iri), pages.resource_page))
    linkeddata.mount(app, linkeddata.LinkedDataSource(
        "graph/", lambda request, iri: graph_quads(request.app.state.store, iri), pages.graph_page,
        information_resource=True))

    @app.get("/download/{name}")
    def download(name: str):
        """A dump of the release (TriG of the dataset, Turtle/N-Triples of the union)."""
        kind = next((k for k, v in DUMP_FILES.items() if v == name), None)
        if kind is None:
            raise HTTPException(404, f"no dump named {name!r}; available: {', '.join(DUMP_FILES.values())}")
        return FileResponse(release_dir / name, media_type=f"{_DUMP_MEDIA_TYPES[kind]}; charset=utf-8",
                            headers={"Access-Control-Allow-Origin": "*"})

    return app


def _linked_data_state(app: FastAPI, release_dir: Path, settings: Settings) -> None:
    """What the pages and dereferencing need besides the store (see codikg.web.linkeddata)."""
    state = app.state
    state.base_iri = settings.base_iri
    state.release_time = datetime.fromtimestamp((release_dir / MANIFEST).stat().st_mtime, timezone.utc)
    state.plan_config = PlanConfig.load(settings.data_dir)
    plan_toml = tomllib.loads((settings.data_dir / "plan.toml").read_text(encoding="utf-8"))
    state.agency = plan_toml.get("agency", {})
    state.dump_files = DUMP_FILES
    state.vocab_labels = pages.vocabulary_labels(state.store)
    state.overview = PlanOverview(state.store)
