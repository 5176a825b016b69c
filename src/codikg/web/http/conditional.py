"""Conditional GET and HEAD (RFC 9110 §13): validators and ``304 Not Modified``.

Every route with validators answers through :func:`not_modified`. A release is
immutable while it is served, so most answers are validated by the release:
a weak ``ETag`` naming the release and the variant, and ``Last-Modified``
(:func:`release_validators`). Those tags are weak because the GZip middleware
may re-encode the body (RFC 9110 §8.8.1: a strong tag names exact bytes);
the strong tags that name exact bytes (a hash of a SPARQL answer, a dump's
SHA-256) are made weak by that middleware when it compresses
(:class:`codikg.web.middleware.GZipMiddleware`). Header values are parsed by
Werkzeug.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from email.utils import format_datetime

from starlette.requests import Request
from starlette.responses import Response
from werkzeug.http import parse_date, parse_etags, quote_etag, unquote_etag
from codikg.web.deps import release_of


def weak(etag: str) -> str:
    """The weak form of an entity tag: ``"x"`` → ``W/"x"``; a weak tag is returned as it is."""
    value, _ = unquote_etag(etag)
    return quote_etag(value, weak=True)


def release_modified(request: Request) -> str:
    """``Last-Modified`` of an answer that the served release determines: the
    release's time as an HTTP-date (RFC 9110 §5.6.7)."""
    return format_datetime(release_of(request).release_time, usegmt=True)


def release_validators(request: Request, variant: str) -> dict[str, str]:
    """``ETag`` (``W/"{release}-{variant}"``) and ``Last-Modified``
    (:func:`release_modified`) of an answer that only the release and ``variant``
    (its format, language…) determine."""
    return {"ETag": f'W/"{release_of(request).manifest["release"]}-{variant}"',
            "Last-Modified": release_modified(request)}


def is_current(request: Request, etag: str | None, last_modified: datetime | None = None) -> bool:
    """Whether the client's copy is current, so a GET or HEAD gets 304 (RFC 9110 §13.2.2).

    Args:
        etag: the representation's entity tag (``"x"`` or ``W/"x"``), if it has one.
        last_modified: its modification time (timezone-aware), if it has one.

    Returns:
        For GET and HEAD, with ``If-None-Match`` (every line of it): whether it
        is ``*`` or lists a tag that matches ``etag`` by weak comparison
        (§13.1.2, §8.8.3.2; ``W/`` prefixes and lists allowed). Without it:
        whether ``If-Modified-Since`` is a valid HTTP-date no earlier than
        ``last_modified`` (§13.1.3). False for every other method: the answer
        to a POST is sent whatever the request's conditions.
    """
    if request.method not in ("GET", "HEAD"):
        return False
    if_none_match = request.headers.getlist("if-none-match")
    if if_none_match:
        tags = parse_etags(", ".join(if_none_match))
        return tags.star_tag or (etag is not None and tags.contains_weak(unquote_etag(etag)[0]))
    since = parse_date(request.headers.get("if-modified-since"))
    return since is not None and last_modified is not None and last_modified.replace(microsecond=0) <= since


def not_modified(request: Request, headers: Mapping[str, str]) -> Response | None:
    """``304 Not Modified`` if the client's copy is current (:func:`is_current`), else ``None``.

    Args:
        headers: the headers the answer would carry; their ``ETag`` and
            ``Last-Modified`` are the validators, and the 304 carries them all
            (RFC 9110 §15.4.5: validators, ``Vary``, ``Content-Location``…).
    """
    last_modified = parse_date(headers.get("Last-Modified"))
    if is_current(request, headers.get("ETag"), last_modified):
        return Response(status_code=304, headers=dict(headers))
    return None
