"""Blocking work never runs on the event loop (issue 7): every route that
queries the store in-process, reads files or renders a page is a plain
``def``, which FastAPI runs in its thread pool."""

from __future__ import annotations

import inspect

from fastapi.routing import APIRoute

#: Async on purpose: they only await the query workers (or a remote store) and
#: hand anything blocking (service description, query page) to the thread pool.
AWAITING = {"sparql_endpoint"}


def _api_routes(routes):
    """Every APIRoute, also inside included routers (FastAPI ≥ 0.16x wraps them)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from _api_routes(route.original_router.routes)


def test_only_the_endpoint_that_awaits_workers_is_async(client):
    routes = list(_api_routes(client.app.routes))
    asynchronous = {r.endpoint.__name__ for r in routes if inspect.iscoroutinefunction(r.endpoint)}
    assert asynchronous == AWAITING
    # The resource pages (/id/…, /graph/…) are among the sync routes.
    assert {"linked-data:id/", "linked-data:graph/"} <= {r.name for r in routes}
    assert len(routes) > 20
