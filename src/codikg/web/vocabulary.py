"""``/ontology`` and ``/shapes``: the vocabulary and the SHACL shapes of the
served release, at their IRIs (``https://w3id.org/codikg/ontology`` and
``.../shapes``, plus their version IRIs ``.../ontology/{version}``).

Cool URIs content negotiation: browsers get HTML (pyLODE's documentation of the
ontology; a page listing the shapes), RDF clients get Turtle, N-Triples,
JSON-LD or RDF/XML by ``Accept`` (or ``?format=``); every answer says
``Vary: Accept``; a type none of these fits gets 406.
"""

from __future__ import annotations


from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from codikg.services.vocabulary import Document, Vocabulary, shape_rows
from codikg.web.negotiation import (GRAPH_FORMATS, HTML, FormatNotAvailable, negotiate, not_available,
                                    requested_format)

router = APIRouter()

_FORMATS = (*GRAPH_FORMATS, HTML)  # RDF first: a client without preferences gets Turtle
_HEADERS = {"Vary": "Accept", "Access-Control-Allow-Origin": "*"}


def _choose(request: Request):
    try:  # a named format we do not have is an error, not a fallback
        fmt = requested_format(_FORMATS, request.query_params.getlist("format"))
    except FormatNotAvailable as exc:
        raise HTTPException(406, str(exc), headers=_HEADERS) from None
    fmt = fmt or negotiate(_FORMATS, request.headers.get("accept"))
    if fmt is None:
        raise HTTPException(406, not_available(
            f"Accept: {request.headers.get('accept')}", _FORMATS), headers=_HEADERS)
    return fmt


def _answer(request: Request, document: Document, version: str | None, html):
    if version is not None and version != document.version:
        raise HTTPException(404, f"no version {version!r} here; the served version is {document.version}",
                            headers=_HEADERS)
    fmt = _choose(request)
    if fmt is HTML:
        body = document.html if document.html is not None else html(request)
        return HTMLResponse(body, headers=_HEADERS)
    return Response(document.serialize(fmt), media_type=fmt.content_type, headers=_HEADERS)


def _vocabulary(request: Request) -> Vocabulary:
    vocabulary = request.app.state.vocabulary.get()
    if vocabulary is None:
        raise HTTPException(404, "this release publishes no ontology files (rebuild it with 'codikg build')")
    return vocabulary


@router.api_route("/ontology", methods=["GET", "HEAD"])
@router.api_route("/ontology/{version}", methods=["GET", "HEAD"])
def ontology(request: Request, version: str | None = None):
    """The ontology: pyLODE HTML for browsers, RDF by content negotiation."""
    return _answer(request, _vocabulary(request).ontology, version, None)


@router.api_route("/shapes", methods=["GET", "HEAD"])
@router.api_route("/shapes/{version}", methods=["GET", "HEAD"])
def shapes(request: Request, version: str | None = None):
    """The SHACL shapes: an HTML list for browsers, RDF by content negotiation."""
    vocabulary = _vocabulary(request)

    def page(req: Request) -> bytes:
        return req.app.state.templates.get_template("shapes.html").render(
            shapes=shape_rows(vocabulary.shapes_graph), version=vocabulary.shapes.version,
            turtle=vocabulary.shapes.turtle.decode("utf-8")).encode("utf-8")

    return _answer(request, vocabulary.shapes, version, page)
