"""FastAPI dependencies: what a route may ask for (the served release, its store, settings, limits).

Routes declare ``served: ServedRelease = Depends(served_release)`` instead of
reading the app's state, so a test can override any of them
(``app.dependency_overrides[store] = lambda: fixture_store``).
"""

from __future__ import annotations

from fastapi import Depends, Request

from codikg.config.limits import Limits
from codikg.config.settings import Settings
from codikg.services.served import ServedRelease


def served_release(request: Request) -> ServedRelease:
    """The release this app serves (set by :func:`codikg.web.app.create_app`)."""
    return request.app.state.served


def store(served: ServedRelease = Depends(served_release)):
    """The app's own store (embedded, on disk or remote)."""
    return served.store


def settings(served: ServedRelease = Depends(served_release)) -> Settings:
    """The settings the release is served with."""
    return served.settings


def limits(served: ServedRelease = Depends(served_release)) -> Limits:
    """The public endpoint's limits."""
    return served.limits
