"""The query page at ``/sparql`` for browsers, its assets, and ``/prefixes``.

The page is an offline SPARQL editor: a textarea under a Prism-highlighted
copy of its text (Prism 1.30.0 vendored from npm in ``static/prism.js``;
nothing is loaded from elsewhere), the example queries runnable in one
click, result tables whose IRIs under the base link to this server's pages
(the base-IRI mapping of docs/DESIGN.md), and downloads in every result format.
``/prefixes`` lists the prefixes the project and its examples use, as JSON
(``{"prefix": "namespace IRI"}``), Turtle or HTML (``Accept`` or ``format=``).
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from codikg.namespaces import PREFIXES
from codikg.sparql.formats import HTML, JSON, TURTLE
from codikg.web.http.negotiation import NotAcceptable, choose
from codikg.web.pages import render
from codikg.services.served import ServedRelease
from codikg.web.deps import release_of, served_release

router = APIRouter()

_STATIC = Path(__file__).parent / "static"
_ASSETS = {"prism.js": "text/javascript", "prism-LICENSE.txt": "text/plain",
           "sparql-ui.js": "text/javascript", "sparql-ui.css": "text/css"}
_PREFIX_DECL = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)


def declared_prefixes(sparql: str) -> dict[str, str]:
    """``PREFIX p: <iri>`` declarations of a query, in order (``""`` for the empty prefix)."""
    return {name or "": iri for name, iri in _PREFIX_DECL.findall(sparql)}


def project_prefixes(examples) -> dict[str, str]:
    """The project's prefixes (namespaces.PREFIXES) and every prefix an example declares.

    Raises:
        ValueError: an example binds a project prefix to another namespace
            (names the example).
    """
    prefixes = {name: str(ns) for name, ns in PREFIXES.items()}
    for example in examples:
        for name, iri in declared_prefixes(example.sparql).items():
            if prefixes.setdefault(name, iri) != iri:
                raise ValueError(f"queries/{example.name}.rq binds {name}: to <{iri}>, "
                                 f"but the project uses <{prefixes[name]}>")
    return dict(sorted(prefixes.items()))


def query_page(request: Request, query: str | None = None) -> Response:
    """The HTML query page (the browser view of ``GET /sparql``).

    Args:
        query: a query to put in the editor and run at once (a shared
            ``/sparql?query=…`` link opened in a browser); ``None``: the first example.
    """
    served = release_of(request)
    examples = served.examples
    return request.app.state.templates.TemplateResponse(request, "sparql.html", {
        "examples": examples, "prefixes": project_prefixes(examples),
        "used": {ex.name: sorted(declared_prefixes(ex.sparql)) for ex in examples},
        "base_iri": served.base_iri, "limits": served.limits, "query": query},
        headers={"Vary": "Accept, Accept-Language, Cookie"})


@router.get("/sparql-ui/{name}")
def asset(name: str):
    """A static asset of the query page (a fixed list, never a path from the request)."""
    if name not in _ASSETS:
        raise HTTPException(404, f"no asset named {name!r}")
    return FileResponse(_STATIC / name, media_type=f"{_ASSETS[name]}; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=3600"})


@router.get("/prefixes")
def prefixes(request: Request, served: ServedRelease = Depends(served_release)):
    """The project's and the examples' prefixes: JSON (default), Turtle or HTML."""
    table = project_prefixes(served.examples)
    headers = {"Vary": "Accept"}
    try:
        fmt = choose(request, (JSON, TURTLE, HTML))
    except NotAcceptable as exc:
        raise HTTPException(406, str(exc), headers=headers) from None
    if fmt is TURTLE:
        body = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in table.items())
        return Response(body, media_type=TURTLE.content_type, headers=headers)
    if fmt is HTML:
        examples = release_of(request).examples
        used = {name: [ex for ex in examples if name in declared_prefixes(ex.sparql)]
                for name in table}
        return render(request, "prefixes.html", {"prefixes": table, "used": used}, "prefixes",
                      headers={"Vary": "Accept, Accept-Language, Cookie"})
    return JSONResponse(table, headers=headers)
