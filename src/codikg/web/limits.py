"""``/limits``: the limits of this server, in plain text, and the mark a cut answer carries.

An answer cut at the result-row limit says so in ``Query-Limit-Exceeded:
result-rows`` and, where the format has a place for it, in its body: the
``link`` member of the head of SPARQL 1.1 Query Results JSON (§3.1) and a
``<link href="…"/>`` in the head of SPARQL Query Results XML (§2.1), both
pointing at ``/limits`` (:func:`mark_cut`). CSV and TSV have no such place.
"""

from __future__ import annotations

import json
from xml.sax.saxutils import quoteattr

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse

from codikg.services.served import ServedRelease
from codikg.web.deps import served_release

router = APIRouter()

PATH = "/limits"
_JSON_HEAD = b'{"head":{"vars":['


def limits_url(request: Request) -> str:
    """The path of the limits page on this server (under the app's ``root_path``)."""
    return request.scope.get("root_path", "") + PATH


def mark_cut(body: bytes, media_type: str, href: str) -> bytes:
    """``body`` (a SPARQL results document of ``media_type``, as Oxigraph writes it)
    with a link to ``href`` in its head: ``"link": [href]`` in JSON, ``<link
    href="…"/>`` in XML; other formats, or a body laid out otherwise, unchanged."""
    if media_type == "application/sparql-results+json" and body.startswith(_JSON_HEAD):
        end = body.index(b"]", len(_JSON_HEAD)) + 1  # variable names hold no "]"
        return body[:end] + b',"link":' + json.dumps([href]).encode() + body[end:]
    if media_type == "application/sparql-results+xml" and (end := body.find(b"</head>")) >= 0:
        return body[:end] + b"<link href=" + quoteattr(href).encode() + b"/>" + body[end:]
    return body


@router.get(PATH)
def limits_page(served: ServedRelease = Depends(served_release)) -> PlainTextResponse:
    """The limits of this server's SPARQL endpoint and HTTP layer, as ``text/plain``."""
    lim = served.limits
    lines = [
        "Limits of this SPARQL endpoint (codikg)",
        "",
        f"query time: {lim.time_limit:g} s; a query running longer is stopped: "
        "503, Query-Limit-Exceeded: time",
        f"query memory: {lim.worker_memory} MiB per query worker; a query whose worker grows past it "
        "is stopped: 503, Query-Limit-Exceeded: memory",
        f"result rows: {lim.result_limit} solutions or triples; a longer answer is CUT after them and "
        'marked: Query-Limit-Exceeded: result-rows, and in SPARQL JSON "link": ["/limits"], in '
        'SPARQL XML <link href="/limits"/>. Add LIMIT/OFFSET to page through the rest.',
        f"query length: {lim.max_query_bytes} bytes (414 on GET, 413 on POST)",
        f"POST body: {lim.max_body_bytes} bytes (413)",
        f"request header fields: {lim.max_header_bytes} bytes in all (431)",
        f"Accept, Accept-Language, Accept-Encoding: {lim.max_accept_ranges} members, "
        f"{lim.max_accept_bytes} bytes each (431)",
        f"time to send the request headers: {lim.header_timeout:g} s; the body: "
        f"{lim.body_timeout:g} s (408, closed)",
        f"idle keep-alive connection: closed after {lim.keep_alive_timeout:g} s",
        f"open connections: {lim.max_connections} (503, Retry-After)",
    ]
    fair = lim.fair_use()
    if fair["long_after"] is not None:
        lines += [
            f"long queries: a query that has used {fair['long_after']:g} s of CPU moves to the long lane "
            f"(lowest CPU priority), at most {fair['long_lane']} at once (else it is stopped: 503, "
            f"Query-Limit-Exceeded: long-queries, Retry-After) and {fair['client_long']} per client "
            "(429, Query-Limit-Exceeded: client-long-queries, Retry-After); the other workers take "
            "fresh queries",
        ]
    lines.append("a query whose client disconnects is stopped at once")
    lines.append(f"trusted proxies (X-Forwarded-For names the client): {', '.join(lim.proxies()) or 'none'}")
    return PlainTextResponse("\n".join(lines) + "\n", headers={"Cache-Control": "max-age=3600"})
