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

from codikg.config.limits import Limits
from codikg.store.protocol import StoreError
from codikg.store.remote import RemoteStore
from codikg.store.remote_pool import RemoteQueryPool


class StoreMismatch(Exception):
    """The remote store does not hold the release being served."""


def release_graph_counts(manifest: dict) -> dict[str, int]:
    """Named graph IRI → triples of a release (its dumped graphs and its catalog graph)."""
    counts = dict(manifest["graphs"])
    if manifest.get("catalog"):
        counts[manifest["catalog"]["graph"]] = manifest["catalog"]["triples"]
    return counts


def use_remote_store(app: FastAPI, store: RemoteStore, manifest: dict, limits: Limits) -> None:
    """Make ``store`` the app's store and the backend of its public endpoint.

    Sets ``app.state.store`` and ``app.state.query_pool``; queries without
    their own dataset run over the release's graphs. A page whose store query
    fails answers 503 (store unreachable, with ``Retry-After``) or 502.

    Raises:
        ValueError: ``limits.allow_update`` (a remote store is never written by ``serve``).
        StoreMismatch: a graph's triple count differs from the manifest's.
        codikg.store.StoreError: the store cannot be reached.
    """
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
    app.state.store = store
    app.state.query_pool = RemoteQueryPool(store, limits.workers)
    app.add_exception_handler(StoreError, _store_failed)


async def _store_failed(request: Request, exc: StoreError) -> PlainTextResponse:
    """The public message (no store URL); the details go to the server's log."""
    logging.getLogger("codikg.store").error("store error on %s: %s", request.url.path, exc)
    return PlainTextResponse(f"{exc.public}\n", status_code=exc.status, headers=dict(exc.headers))
