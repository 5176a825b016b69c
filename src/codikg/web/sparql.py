"""The public SPARQL 1.1 Protocol endpoint, ``/sparql``.

Follows https://www.w3.org/TR/sparql11-protocol/: query via GET, via POST
``application/x-www-form-urlencoded`` and via POST ``application/sparql-query``;
``default-graph-uri``/``named-graph-uri`` set the dataset. Read-only: updates
get 403, unless the server runs with ``--allow-update`` (a scratch copy, for
the W3C protocol tests). A GET without ``query`` returns the SPARQL 1.1
Service Description, or the query page for browsers.

Queries run in worker processes (:mod:`codikg.store.pool`) under the
:class:`codikg.config.limits.Limits` of the app. Every answer carries
``Query-Time-Limit`` (seconds) and ``Query-Result-Limit`` (rows); a query
stopped by the time limit gets 503 with ``Query-Limit-Exceeded: time`` (by
the worker memory limit: ``memory``), an answer cut at the row limit gets
``Query-Limit-Exceeded: result-rows``.
Answers are cached per release and carry an ``ETag`` (a hash of the body)
and, but for volatile queries, ``Last-Modified`` (the release's time);
:mod:`codikg.web.http.conditional` answers 304 to either, the GZip
middleware makes the tag of a compressed body weak.

A ``format``/``output``/``results`` parameter decides the answer's type; one
naming no type the answer can take (``format=csv`` for a graph or a boolean,
``format=bogus``) gets 406 listing those that it can, as on every route
(:func:`codikg.web.http.negotiation.not_available`); ``format=html`` gets the
query page. A browser that prefers ``text/html`` over every answer type (a
shared ``/sparql?query=…`` link) gets the query page with the query filled in
and run there.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from urllib.parse import parse_qsl

import mimeparse
from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.requests import ClientDisconnect

from codikg.store.pool import LongQueryRefused, PoolBusy, QueryMemoryExceeded, QueryTimeout, WorkerFailed
from codikg.store.protocol import StoreError
from codikg.sparql.query_text import query_form
from codikg.services.service_description import service_description as describe_service
from codikg.sparql.formats import GRAPH_FORMATS, HTML, RESULTS_FORMATS, format_by_name
from codikg.web.cache import CachedResponse, etag_of
from codikg.web.http.conditional import not_modified, release_modified
from codikg.web.http.disconnect import ClientGone, unless_disconnected
from codikg.web.http.errors import plain_error
from codikg.web.http.negotiation import (FormatNotAvailable, available, negotiate, not_available,
                                         prefers_html, requested_format)
from codikg.sparql.policy import QueryRefused, apply_using, check_query, check_update, is_volatile
from codikg.services.served import ServedRelease
from codikg.web.deps import served_release
from codikg.web.limits import limits_url, mark_cut

router = APIRouter()
_log = logging.getLogger("codikg.sparql")

_FORMAT_PARAMS = ("format", "output", "results")
_FORM = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"
_ANSWER_KINDS = {"SELECT": ("results",), "ASK": ("boolean",), "CONSTRUCT": ("graph",),
                 "DESCRIBE": ("graph",)}
_BOOLEAN_FORMATS = RESULTS_FORMATS[:2]  # JSON and XML; CSV/TSV cannot carry a boolean
_FORM_FORMATS = {"SELECT": RESULTS_FORMATS, "ASK": _BOOLEAN_FORMATS, "CONSTRUCT": GRAPH_FORMATS,
                 "DESCRIBE": GRAPH_FORMATS}


class ProtocolError(Exception):
    """A request that breaks the protocol or a limit; carries the HTTP status."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def _limit_headers(limits) -> dict:
    return {"Query-Time-Limit": f"{limits.time_limit:g}",
            "Query-Result-Limit": str(limits.result_limit)}


def _error(exc: ProtocolError, limits) -> Response:
    return plain_error(exc.status, exc.message, {**_limit_headers(limits), **exc.headers})


def _check_charset(content_type: str) -> str:
    try:
        main, sub, params = mimeparse.parse_mime_type(content_type)
    except ValueError:
        raise ProtocolError(415, f"unreadable Content-Type: {content_type!r}") from None
    charset = params.get("charset", "utf-8").strip('"').lower()
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"only UTF-8 request bodies are accepted, not charset={charset}")
    return f"{main}/{sub}".lower()


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"request body of {declared} bytes is over the limit of {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, f"request body is over the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _utf8_params(encoded: bytes) -> list[tuple[str, str]]:
    """``application/x-www-form-urlencoded`` parameters (a URL's query or a form body),
    percent-decoded as UTF-8: the SPARQL Protocol's query strings are UTF-8
    (SPARQL 1.1 Protocol §2.1.1, RFC 3986 §2.5), so a byte sequence that is not
    is refused rather than replaced with U+FFFD.

    Raises:
        ProtocolError: 400 naming the parameter that is not UTF-8.
    """
    params = []
    # latin-1 both ways keeps every byte, percent-encoded or not, as one code point
    for key, value in parse_qsl(encoded.decode("latin-1"), keep_blank_values=True, encoding="latin-1"):
        key, value = key.encode("latin-1"), value.encode("latin-1")
        try:
            name = key.decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError(400, "a parameter name is not valid UTF-8 after percent-decoding") from None
        try:
            params.append((name, value.decode("utf-8")))
        except UnicodeDecodeError:
            what = f"the {name}" if name in ("query", "update") else f"the parameter {name!r}"
            raise ProtocolError(400, f"{what} is not valid UTF-8 after percent-decoding") from None
    return params


async def _read_params(request: Request, limits) -> tuple[dict[str, list[str]], str | None, str | None]:
    """Protocol parameters (URL and form), and a query or update sent as the body."""
    params = _utf8_params(request.scope["query_string"])
    body_query = body_update = None
    if request.method == "POST":
        media_type = _check_charset(request.headers.get("content-type", ""))
        if media_type not in (_FORM, _QUERY, _UPDATE):
            raise ProtocolError(415, f"POST a query as {_FORM} or {_QUERY}, not "
                                     f"{media_type if media_type != '/' else 'no Content-Type'}")
        body = await _read_body(request, limits.max_body_bytes)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProtocolError(400, f"request body is not UTF-8: {exc}") from None
        if media_type == _FORM:
            params += _utf8_params(body)
        elif media_type == _QUERY:
            body_query = text
        else:
            body_update = text
    values: dict[str, list[str]] = {}
    for key, value in params:
        values.setdefault(key, []).append(value)
    return values, body_query, body_update


@router.api_route("/sparql", methods=["GET", "POST", "HEAD"])
async def sparql_endpoint(request: Request, served: ServedRelease = Depends(served_release)) -> Response:
    """Answer a SPARQL 1.1 Protocol request (see the module docstring)."""
    limits = served.limits
    try:
        values, body_query, body_update = await _read_params(request, limits)
        updates = values.get("update", []) + ([body_update] if body_update is not None else [])
        queries = values.get("query", []) + ([body_query] if body_query is not None else [])
        if updates:
            if queries:
                raise ProtocolError(400, "give either a query or an update, not both")
            return await run_update(request, served, updates, values)
        if len(queries) > 1:
            raise ProtocolError(400, "give exactly one query (several 'query' values were sent)")
        if not queries:
            if request.method == "POST":
                raise ProtocolError(400, "missing 'query' parameter")
            return await run_in_threadpool(service_description, request, served, values)
        return await run_query(request, served, queries[0], values)
    except ProtocolError as exc:
        return _error(exc, limits)
    except ClientDisconnect:  # the client left mid-body (or the body timed out): nobody to answer
        _log.debug("client disconnected before its request body was complete")
        return Response(status_code=400)
    except ClientGone:  # the client left while its query ran: the worker was freed
        _log.debug("client disconnected; its query was stopped")
        return Response(status_code=400)


def _check_length(request: Request, text: str, what: str, limits) -> None:
    size = len(text.encode("utf-8"))
    if size > limits.max_query_bytes:
        status = 414 if request.method != "POST" else 413
        raise ProtocolError(status, f"the {what} is {size} bytes long, over the limit of "
                                    f"{limits.max_query_bytes} bytes", {"Query-Limit-Exceeded": "length"})


async def _execute(request: Request, served: ServedRelease, header: dict, text: str) -> tuple[dict, bytes]:
    """Run ``header``/``text`` on the query pool for the client of ``request``;
    a client that disconnects meanwhile has its query stopped (:class:`ClientGone`)."""
    limits = served.limits
    client = request.client.host if request.client else ""
    try:
        return await unless_disconnected(request, served.query_pool.execute(
            header, text.encode("utf-8"), limits.time_limit, wait_limit=limits.time_limit, client=client))
    except QueryTimeout as exc:
        raise ProtocolError(503, str(exc), {"Query-Limit-Exceeded": "time"}) from None
    except QueryMemoryExceeded as exc:
        raise ProtocolError(503, str(exc), {"Query-Limit-Exceeded": "memory"}) from None
    except LongQueryRefused as exc:  # the long lane (429: this client's share of it) is full
        raise ProtocolError(429 if exc.per_client else 503, f"{exc}; try again later",
                            {"Query-Limit-Exceeded": "client-long-queries" if exc.per_client
                             else "long-queries", "Retry-After": str(exc.retry_after)}) from None
    except PoolBusy as exc:
        raise ProtocolError(503, f"{exc}; try again later",
                            {"Query-Limit-Exceeded": "workers", "Retry-After": "1"}) from None
    except WorkerFailed as exc:  # the worker died (e.g. a parser crash); the pool replaced it
        _log.error("query worker failed on %r: %s", text[:200], exc)
        raise ProtocolError(500, "the query engine crashed on this query; it has been restarted") from None
    except StoreError as exc:  # serve --store: the remote store is down (503) or failed (502)
        _log.error("store error: %s", exc)
        raise ProtocolError(exc.status, exc.public, dict(exc.headers)) from None


def _endpoint(request: Request) -> str:
    """This endpoint's URL as the client named it (the base IRI of its queries)."""
    url = request.url
    return f"{url.scheme}://{url.netloc}{request.scope.get('root_path', '')}/sparql"


@lru_cache(maxsize=1024)
def _negotiate_answer(requested: str | None, accept: str | None) -> dict:
    """Media types for solutions, a boolean and a graph (``None``: not acceptable).

    A format (its media type, from :func:`requested_format`) decides alone (a
    kind of answer it cannot carry gets ``None``); without one, ``Accept`` does.
    """
    known = format_by_name(RESULTS_FORMATS + GRAPH_FORMATS, requested) is not None

    def pick(formats):
        fmt = format_by_name(formats, requested) if known else negotiate(formats, accept)
        return fmt.media_type if fmt else None

    return {"results": pick(RESULTS_FORMATS), "boolean": pick(_BOOLEAN_FORMATS),
            "graph": pick(GRAPH_FORMATS)}


async def run_query(request: Request, served: ServedRelease, query: str,
                    values: dict[str, list[str]]) -> Response:
    """Evaluate ``query`` in a worker (or the cache) and send the serialised answer."""
    limits, cache = served.limits, request.app.state.query_cache
    _check_length(request, query, "query", limits)
    try:
        check_query(query)
    except QueryRefused as exc:
        raise ProtocolError(400, str(exc)) from None
    formats = _FORM_FORMATS.get(query_form(query), RESULTS_FORMATS + GRAPH_FORMATS)
    if request.method in ("GET", "HEAD"):
        formats += (HTML,)
    try:
        named = requested_format(formats, _requested_formats(values))
    except FormatNotAvailable as exc:
        raise ProtocolError(406, str(exc)) from None
    accept = request.headers.get("accept")
    if named is HTML or (named is None and request.method in ("GET", "HEAD")
                         and prefers_html(accept, RESULTS_FORMATS + GRAPH_FORMATS)):
        from codikg.web.query_page import query_page
        return await run_in_threadpool(query_page, request, query=query)
    chosen = _negotiate_answer(named.media_type if named else None, accept)
    if not any(chosen.values()):
        raise ProtocolError(406, "none of the Accept types can carry a SPARQL answer; available: "
                                 f"{available(RESULTS_FORMATS + GRAPH_FORMATS)}")
    header = {"op": "query", "default": values.get("default-graph-uri", []),
              "named": values.get("named-graph-uri", []), "base": _endpoint(request),
              "limit": limits.result_limit, **chosen}
    # Keyed on the type the answer will take, so that every Accept header
    # negotiating the same type shares one entry.
    key = (query, tuple(header["default"]), tuple(header["named"]), header["base"],
           *(chosen[kind] for kind in _ANSWER_KINDS.get(query_form(query), tuple(chosen))))
    entry = cache.get(key)
    if entry is None:
        meta, body = await _execute(request, served, header, query)
        if meta["status"] != 200:
            raise ProtocolError(meta["status"], meta.get("message", "query failed"))
        headers = {"Vary": "Accept", "Query-Result-Rows": str(meta["rows"])}
        if meta["truncated"]:  # said in the header, and in the body where the format has a place
            headers["Query-Limit-Exceeded"] = "result-rows"
            body = mark_cut(body, meta["type"], limits_url(request))
        if is_volatile(query):  # a new answer every time: no cache may keep it
            headers["Cache-Control"] = "no-store"
        entry = CachedResponse(200, f"{meta['type']}; charset=utf-8", headers, body, etag_of(body))
        if "Cache-Control" not in headers:
            cache.put(key, entry)
    headers = {**_limit_headers(limits), **entry.headers, "ETag": entry.etag}
    if "Cache-Control" not in headers:  # the release determines the answer (not NOW(), RAND()…)
        headers["Last-Modified"] = release_modified(request)
    if (current := not_modified(request, headers)) is not None:
        return current
    return Response(entry.body, status_code=entry.status, media_type=entry.content_type,
                    headers=headers)


def _requested_formats(values: dict[str, list[str]]) -> list[str]:
    return [v for k in _FORMAT_PARAMS for v in values.get(k, [])]


async def run_update(request: Request, served: ServedRelease, updates: list[str],
                     values: dict[str, list[str]]) -> Response:
    """Run a SPARQL 1.1 Update on the scratch store, or refuse it (read-only)."""
    limits = served.limits
    if not limits.allow_update:
        raise ProtocolError(403, "this SPARQL endpoint is read-only: updates are not accepted")
    if request.method != "POST":
        raise ProtocolError(400, "SPARQL updates must be sent with POST")
    if len(updates) > 1:
        raise ProtocolError(400, "give exactly one update (several 'update' values were sent)")
    update = updates[0]
    _check_length(request, update, "update", limits)
    try:
        check_update(update)
        update = apply_using(update, values.get("using-graph-uri", []),
                             values.get("using-named-graph-uri", []))
    except QueryRefused as exc:
        raise ProtocolError(400, str(exc)) from None
    meta, _ = await _execute(request, served, {"op": "update", "base": _endpoint(request)}, update)
    request.app.state.query_cache.clear()
    if meta["status"] != 204:
        raise ProtocolError(meta["status"], meta.get("message", "update failed"))
    return Response(status_code=204, headers=_limit_headers(limits))


def service_description(request: Request, served: ServedRelease,
                        values: dict[str, list[str]] | None = None) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, negotiated (or chosen by
    ``format=turtle|nt|jsonld|rdfxml``); HTML is the query page."""
    formats = GRAPH_FORMATS + (HTML,)
    try:
        fmt = requested_format(formats, _requested_formats(values or {}))
    except FormatNotAvailable as exc:
        raise ProtocolError(406, str(exc)) from None
    fmt = fmt or negotiate(formats, request.headers.get("accept"))
    if fmt is None:
        raise ProtocolError(406, not_available(f"Accept: {request.headers.get('accept')}", formats))
    limits = served.limits
    if fmt is HTML:
        from codikg.web.query_page import query_page
        return query_page(request)
    g = describe_service(_endpoint(request), limits, served.store.named_graphs(),
                         [f.iri for f in RESULTS_FORMATS + GRAPH_FORMATS])
    body = g.serialize(format=fmt.rdflib, encoding="utf-8")
    headers = {"Vary": "Accept", **_limit_headers(limits), "ETag": etag_of(body)}
    if (current := not_modified(request, headers)) is not None:
        return current
    return Response(body, media_type=fmt.content_type, headers=headers)
