"""Serving a release from a remote store (``codikg serve --store URL``).

The release folder still provides what is not a graph (the manifest, the
dumps, the search index, the catalog file); the store must hold the same
release, which is checked at start-up by comparing every graph's triple
count with the manifest.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse

from codikg.store.protocol import StoreError


def install_store_errors(app: FastAPI) -> None:
    """A page whose remote-store query fails answers 503 (store unreachable, with
    ``Retry-After``) or 502, never a traceback."""
    app.add_exception_handler(StoreError, _store_failed)


async def _store_failed(request: Request, exc: StoreError) -> PlainTextResponse:
    """The public message (no store URL); the details go to the server's log."""
    logging.getLogger("codikg.store").error("store error on %s: %s", request.url.path, exc)
    return PlainTextResponse(f"{exc.public}\n", status_code=exc.status, headers=dict(exc.headers))
