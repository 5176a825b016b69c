"""Plain-text bodies for HTTP errors raised by routes and by routing itself.

Starlette answers a 404 or 405 from routing, and FastAPI an ``HTTPException``,
with JSON (``{"detail": …}``); the rest of codikg answers errors as
``text/plain`` (the SPARQL endpoint, the store errors). This handler makes
them all plain text, keeping the status and headers (``Allow`` on 405).
Handlers registered for one status code (e.g. an HTML 404 page) still win.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse
from starlette.exceptions import HTTPException


async def _plain_text(request: Request, exc: HTTPException) -> PlainTextResponse:
    return PlainTextResponse(f"{exc.detail}\n", status_code=exc.status_code,
                             headers=dict(exc.headers or {}))


def install(app: FastAPI) -> None:
    """Answer every :class:`starlette.exceptions.HTTPException` as ``text/plain``."""
    app.add_exception_handler(HTTPException, _plain_text)
