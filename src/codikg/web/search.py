"""``/search``: free-text search over the release (HTML for people, JSON for programs).

Parameters: ``q`` (the query, at most 200 characters), ``limit`` (1..100,
default 20), ``format`` (``html`` or ``json``; otherwise ``Accept`` decides,
HTML first; any other ``format`` is 406, as on every route). The ranking is
:meth:`codikg.search.index.SearchIndex.search`.

The JSON answer has ``count`` (results returned), ``total`` (all matches),
``results`` (each with its ``score``, in ranking order) and ``groups``
(matches per kind, over all ``total`` matches). Errors reach a JSON client
as ``{"error": {"status": …, "message": …}}`` in ``application/json``, and
anyone else as ``text/plain``.
"""

from __future__ import annotations

import logging
from collections import Counter

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from codikg.ingest.collation import thai_sorted
from codikg.search.index import SearchIndexError
from codikg.search.matching import EXACTNESS_NAMES, TIER_NAMES, highlight
from codikg.sparql.formats import HTML, JSON, Format
from codikg.web.http.negotiation import NotAcceptable, choose
from codikg.web.http.paths import local_path

_log = logging.getLogger("codikg.search")

router = APIRouter()

MAX_QUERY_CHARS = 200
MAX_LIMIT = 100
_FORMATS = (HTML, JSON)


def _bad(status: int, message: str, fmt: Format | None = None) -> Response:
    if fmt is JSON:
        return JSONResponse({"error": {"status": status, "message": message}}, status_code=status,
                            headers={"Vary": "Accept"})
    return PlainTextResponse(message + "\n", status_code=status, headers={"Vary": "Accept"})


def groups(hits) -> list[dict]:
    """Hit counts per kind of element, in Thai dictionary order of the kind's Thai label.

    Args:
        hits: all the hits of a query (not only the page shown).
    """
    counts = Counter(hit.element.kind for hit in hits)
    labels = {hit.element.kind: hit.element.kind_label for hit in hits}
    rows = [{"kind": kind, "label": labels[kind], "count": n} for kind, n in counts.items()]
    return thai_sorted(rows, key=lambda row: row["label"].get("th") or row["label"].get("en") or row["kind"])


@router.get("/search")
def search(request: Request, q: str = "", limit: str = "20", format: str | None = None) -> Response:
    """Answer a search (see the module docstring); 400 names a bad parameter, 406 an
    unknown ``format`` or an unmet ``Accept``."""
    try:
        fmt = choose(request, _FORMATS)
    except NotAcceptable as exc:
        return _bad(406, str(exc))
    try:
        n = int(limit)
        if not 1 <= n <= MAX_LIMIT:
            raise ValueError
    except ValueError:
        return _bad(400, f"parameter limit must be a whole number from 1 to {MAX_LIMIT}, not {limit!r}", fmt)
    if len(q) > MAX_QUERY_CHARS:
        return _bad(400, f"parameter q is {len(q)} characters long; at most {MAX_QUERY_CHARS} are accepted",
                    fmt)
    if fmt is JSON and not q.strip():
        return _bad(400, "parameter q (the text to search for) is required", fmt)
    try:
        index = request.app.state.search_index.get()
    except SearchIndexError:
        _log.exception("the search index could not be loaded")
        return _bad(500, "the search index of this release could not be read (rebuild it with "
                         "'codikg build'; the server log names the file)", fmt)
    every = index.search(q, None) if q.strip() else []
    hits = every[:n]
    base = request.app.state.base_iri
    if fmt is JSON:
        results = [{**hit.as_json(), "href": local_path(hit.element.iri, base),
                    "occurrences": [{"iri": iri, "href": local_path(iri, base)} for iri in hit.element.occurrences]}
                   for hit in hits]
        return JSONResponse({"query": q, "limit": n, "count": len(hits), "total": len(every),
                             "results": results, "groups": groups(every)},
                            headers={"Vary": "Accept"})
    rows = [{"hit": hit, "href": local_path(hit.element.iri, base), "tier": TIER_NAMES[hit.match.tier],
             "how": EXACTNESS_NAMES[hit.match.exactness],
             "occurrences": [(local_path(iri, base), hit.element.short(iri))
                             for iri in hit.element.occurrences],
             "pieces": highlight(hit.field.text.text, hit.match.spans)} for hit in hits]
    return request.app.state.templates.TemplateResponse(
        request, "search.html", {"q": q, "rows": rows, "groups": groups(every), "limit": n,
                                 "total": len(every)},
        headers={"Vary": "Accept"})
