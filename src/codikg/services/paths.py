"""IRIs under the base as paths on this server.

The server maps its URL space onto the base IRI (docs/DESIGN.md): the IRI
``{base}id/{agency}/plan/{fy}`` is served at ``/id/{agency}/plan/{fy}``, so links in
pages stay on the server that rendered them, on any deployment.
"""

from __future__ import annotations


def local_path(iri: str, base: str) -> str:
    """``iri`` as a path on this server (``/…``) when it lies under ``base``
    (an IRI ending in ``/``); any other ``iri``, or an empty ``base``, is returned unchanged."""
    return "/" + iri[len(base):] if base and iri.startswith(base) else iri
