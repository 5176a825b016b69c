"""The FastAPI application serving one release."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from codikg import __version__
from codikg.build.release import DUMP_FILES, read_manifest
from codikg.examples import load_examples
from codikg.store import EmbeddedStore
from codikg.web import audit, catalog, dumps, sparql

_TEMPLATES = Path(__file__).parent / "templates"

_SUMMARY_QUERY = """
PREFIX cdk: <https://w3id.org/codikg/ontology#>
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  VALUES ?class { cdk:Vision cdk:Mission cdk:StrategicObjective cdk:StrategicIssue
                  cdk:Indicator cdk:Strategy cdk:Project }
  ?s a ?class } GROUP BY ?class"""


def create_app(release_dir: Path, queries_dir: Path) -> FastAPI:
    """Load the release in ``release_dir`` into an embedded store and build the app.

    Args:
        release_dir: a folder written by :func:`codikg.build.release.write_release`.
        queries_dir: folder of example ``*.rq`` queries shown to users.

    Raises:
        FileNotFoundError: if ``release_dir`` holds no release.
    """
    release_dir = Path(release_dir)
    manifest = read_manifest(release_dir)
    if manifest is None:
        raise FileNotFoundError(f"{release_dir}: no release here (run 'codikg build')")
    app = FastAPI(title="codikg", version=__version__, docs_url="/api", redoc_url=None)
    store_files = [release_dir / DUMP_FILES["trig"]]
    if manifest.get("catalog"):
        store_files.append(release_dir / manifest["catalog"]["file"])
    app.state.store = EmbeddedStore(store_files)
    app.state.manifest = manifest
    app.state.release_dir = release_dir
    app.state.catalog = catalog.load_catalog(release_dir, manifest)
    app.state.examples = load_examples(queries_dir)
    app.state.templates = Jinja2Templates(directory=str(_TEMPLATES))
    counts = {str(row["class"].value).rsplit("#", 1)[1]: int(row["n"].value)
              for row in app.state.store.query(_SUMMARY_QUERY)}
    app.include_router(sparql.router)
    app.include_router(dumps.router)
    app.include_router(catalog.router)
    audit.install(app)

    @app.get("/", response_class=HTMLResponse)
    def landing(request: Request):
        """Landing page: what the service holds, the endpoint and the dumps."""
        return app.state.templates.TemplateResponse(request, "index.html", {
            "manifest": manifest, "counts": counts, "dumps": DUMP_FILES,
            "examples": app.state.examples})

    return app
