"""``/api``: the OpenAPI description in Swagger UI, served from this server.

FastAPI's own ``/docs`` page loads Swagger UI from a CDN, so it is blank
offline and on closed networks. The assets here come from the PyPI package
``fastapi-swagger``, which ships a current Swagger UI distribution (OpenAPI
3.1, which FastAPI writes, needs Swagger UI 5).
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/api/assets"


def install(app: FastAPI, path: str = "/api") -> None:
    """Serve Swagger UI for ``app.openapi_url`` at ``path`` and its assets under :data:`ASSETS`.

    ``app`` must be created with ``docs_url=None`` (FastAPI's CDN page).
    """
    app.mount(ASSETS, StaticFiles(directory=str(files("fastapi_swagger") / "resources")), name="api-assets")

    @app.get(path, include_in_schema=False, response_class=HTMLResponse)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=app.openapi_url, title=f"{app.title} — API",
                                   swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{ASSETS}/swagger-ui.css",
                                   swagger_favicon_url=f"{ASSETS}/favicon-32x32.png")
