"""FastAPI dependencies: the release a route serves.

Routes declare ``served: ServedRelease = Depends(served_release)`` instead of
reading the app's state; code below a route that has only the request (page
helpers, Linked Data, the HTTP layer's validators) calls :func:`release_of`,
which honours the same override. So a test can hand every route another
release: ``app.dependency_overrides[served_release] = lambda: fixture_release``.
"""

from __future__ import annotations

from fastapi import Request

from codikg.services.served import ServedRelease


def served_release(request: Request) -> ServedRelease:
    """The release this app serves (set by :func:`codikg.web.app.create_app`)."""
    return request.app.state.served


def release_of(request: Request) -> ServedRelease:
    """:func:`served_release` for code that is not a route, through the app's
    ``dependency_overrides`` when one replaces it (an override takes no arguments)."""
    override = request.app.dependency_overrides.get(served_release)
    return override() if override is not None else request.app.state.served
