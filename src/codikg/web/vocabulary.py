"""``/ontology`` and ``/shapes``: the vocabulary and the SHACL shapes of the
served release, at their IRIs (``https://w3id.org/codikg/ontology`` and
``.../shapes``, plus their version IRIs ``.../ontology/{version}``).

Cool URIs content negotiation: browsers get HTML (pyLODE's documentation of the
ontology; a page listing the shapes), RDF clients get Turtle, N-Triples,
JSON-LD or RDF/XML by ``Accept`` (or ``?format=``); every answer says
``Vary: Accept``; a type none of these fits gets 406. Answers carry the
release's validators and a current copy gets 304
(:mod:`codikg.web.http.conditional`).
"""

from __future__ import annotations


from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from codikg.services.vocabulary import Document, Vocabulary, shape_rows
from codikg.sparql.formats import GRAPH_FORMATS, HTML
from codikg.web.http.conditional import not_modified, release_validators
from codikg.web.http.negotiation import NotAcceptable, choose
from codikg.web.pages import render
from codikg.services.served import ServedRelease
from codikg.web.deps import served_release

router = APIRouter()

_FORMATS = (*GRAPH_FORMATS, HTML)  # RDF first: a client without preferences gets Turtle
_HEADERS = {"Vary": "Accept"}




_PAGE_HEADERS = {"Vary": "Accept, Accept-Language, Cookie"}  # a page also depends on its language


def _answer(request: Request, document: Document, version: str | None, page: str, context: dict):
    """``document`` in the negotiated RDF format, or the HTML ``page`` rendered in the site's layout
    and the request's language (:func:`codikg.web.pages.render`: validators per language, 304)."""
    if version is not None and version != document.version:
        raise HTTPException(404, f"no version {version!r} here; the served version is {document.version}",
                            headers=_HEADERS)
    try:
        fmt = choose(request, _FORMATS)
    except NotAcceptable as exc:
        raise HTTPException(406, str(exc), headers=_HEADERS) from None
    if fmt is HTML:
        return render(request, page, context, f"{document.name}-html", headers=_PAGE_HEADERS)
    headers = {**_HEADERS, **release_validators(request, f"{document.name}-{fmt.names[0]}")}
    if (current := not_modified(request, headers)) is not None:
        return current
    return Response(document.serialize(fmt), media_type=fmt.content_type, headers=headers)


def _vocabulary(served: ServedRelease) -> Vocabulary:
    vocabulary = served.vocabulary.get()
    if vocabulary is None:
        raise HTTPException(404, "this release publishes no ontology files (rebuild it with 'codikg build')")
    return vocabulary


@router.api_route("/ontology", methods=["GET", "HEAD"])
@router.api_route("/ontology/{version}", methods=["GET", "HEAD"])
def ontology(request: Request, version: str | None = None, served: ServedRelease = Depends(served_release)):
    """The ontology: pyLODE's documentation in the site's layout for browsers, RDF by content negotiation."""
    vocabulary = _vocabulary(served)
    return _answer(request, vocabulary.ontology, version, "ontology.html", {
        "documentation": vocabulary.ontology.html.decode("utf-8"), "title": vocabulary.ontology_title,
        "version": vocabulary.ontology.version})


@router.api_route("/shapes", methods=["GET", "HEAD"])
@router.api_route("/shapes/{version}", methods=["GET", "HEAD"])
def shapes(request: Request, version: str | None = None, served: ServedRelease = Depends(served_release)):
    """The SHACL shapes: an HTML list for browsers, RDF by content negotiation."""
    vocabulary = _vocabulary(served)
    return _answer(request, vocabulary.shapes, version, "shapes.html", {
        "shapes": shape_rows(vocabulary.shapes_graph), "version": vocabulary.shapes.version,
        "turtle": vocabulary.shapes.turtle.decode("utf-8")})
