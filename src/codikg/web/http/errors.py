"""Plain-text bodies for HTTP errors raised by routes and by routing itself.

Starlette answers a 404 or 405 from routing, and FastAPI an ``HTTPException``,
with JSON (``{"detail": …}``); the rest of codikg answers errors as
``text/plain`` (the SPARQL endpoint, the store errors). This handler makes
them all plain text, keeping the status and headers (``Allow`` on 405).
Handlers registered for one status code (e.g. an HTML 404 page) still win.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse
from starlette.exceptions import HTTPException


def plain_error(status: int, message: str, headers: Mapping[str, str] | None = None) -> PlainTextResponse:
    """An error answer: ``message`` and a newline as ``text/plain; charset=utf-8``."""
    return PlainTextResponse(f"{message}\n", status_code=status, headers=dict(headers or {}))


async def _plain_text(request: Request, exc: HTTPException) -> PlainTextResponse:
    return plain_error(exc.status_code, exc.detail, exc.headers)


def install(app: FastAPI) -> None:
    """Answer every :class:`starlette.exceptions.HTTPException` as ``text/plain``."""
    app.add_exception_handler(HTTPException, _plain_text)
