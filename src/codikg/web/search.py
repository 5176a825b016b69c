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

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from codikg.search.index import SearchIndexError
from codikg.services.search import SearchRequestError, UnknownPlan, check_request, groups
from codikg.services.search import search as run_search
from codikg.sparql.formats import HTML, JSON, Format
from codikg.web.http.negotiation import NotAcceptable, choose
from codikg.web.pages import query_variant, render
from codikg.services.served import ServedRelease
from codikg.web.deps import served_release

_log = logging.getLogger("codikg.search")

router = APIRouter()

_FORMATS = (HTML, JSON)


def _bad(status: int, message: str, fmt: Format | None = None) -> Response:
    if fmt is JSON:
        return JSONResponse({"error": {"status": status, "message": message}}, status_code=status,
                            headers={"Vary": "Accept"})
    return PlainTextResponse(message + "\n", status_code=status, headers={"Vary": "Accept"})



@router.get("/search")
def search(request: Request, q: str = "", limit: str = "20", format: str | None = None,
           plan: str | None = None, served: ServedRelease = Depends(served_release)) -> Response:
    """Answer a search (see the module docstring); 400 names a bad parameter, 406 an
    unknown ``format`` or an unmet ``Accept``; ``plan`` (``agency/fiscal-year``) keeps one plan's hits."""
    try:
        fmt = choose(request, _FORMATS)
    except NotAcceptable as exc:
        return _bad(406, str(exc))
    try:
        n = check_request(q, limit, required=fmt is JSON)
    except SearchRequestError as exc:
        return _bad(400, str(exc), fmt)
    try:
        index = served.search_index.get()
    except SearchIndexError:
        _log.exception("the search index could not be loaded")
        return _bad(500, "the search index of this release could not be read (rebuild it with "
                         "'codikg build'; the server log names the file)", fmt)
    try:
        answer = run_search(index, q, n, served.base_iri, plan or None)
    except UnknownPlan as exc:
        return _bad(404, str(exc), fmt)
    if fmt is JSON:
        return JSONResponse(answer.as_json(), headers={"Vary": "Accept"})
    return render(request, "search.html", {"q": q, "rows": answer.rows(), "groups": groups(answer.every),
                                           "limit": n, "total": len(answer.every)},
                  query_variant("search", request), headers={"Vary": "Accept, Accept-Language, Cookie"})
