"""IRIs under the base as paths on this server, for a request (:mod:`codikg.services.paths`)."""

from __future__ import annotations

from starlette.requests import Request

from codikg.services.paths import local_path

__all__ = ["local_path", "local_url"]


def local_url(request: Request, iri: str) -> str:
    """:func:`local_path` under the app's base IRI (``app.state.base_iri``)."""
    return local_path(iri, request.app.state.base_iri)
