"""IRIs under the base as paths on this server, for a request (:mod:`codikg.services.paths`)."""

from __future__ import annotations

from starlette.requests import Request

from codikg.services.paths import local_path
from codikg.web.deps import release_of

__all__ = ["local_path", "local_url"]


def local_url(request: Request, iri: str) -> str:
    """:func:`local_path` under the base IRI of the release the app serves."""
    return local_path(iri, release_of(request).base_iri)
