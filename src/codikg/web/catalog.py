"""``/catalog`` (DCAT-AP 3) and ``/.well-known/void`` (VoID), from the
release's ``catalog.trig``.

Both negotiate RDF on ``Accept`` (Turtle by default, N-Triples, JSON-LD with an
inline context, RDF/XML, and TriG/N-Quads with the triples in the default graph
and again in the named graph ``{base}graph/catalog``) or ``?format=``, and have an HTML view for browsers.
One rule for both ways of asking: a type or ``format=`` name that is not
offered gets 406 listing what is. ``/catalog?page=N`` pages the datasets with
the Hydra ``PagedCollection`` terms ckanext-dcat's RDF harvester follows; a
catalog that fits one page (``PAGE_SIZE`` datasets) carries no paging
triples; a ``page`` that is not a positive integer is 400, a page past the
last 404.

Links in the HTML views are the server's own paths (``/dumps/...``,
``/sparql``), not the catalog's public URLs, so they work on any deployment.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from rdflib import Dataset, Graph, URIRef

from codikg.namespaces import PREFIXES
from codikg.services.catalog import (PAGE_SIZE, catalog_page, catalog_summary, void_of_catalog,
                                     void_summary)
from codikg.sparql.formats import DATASET_FORMATS, GRAPH_FORMATS, HTML
from codikg.web import i18n
from codikg.web.http.conditional import not_modified, release_validators
from codikg.web.http.errors import plain_error
from codikg.web.http.negotiation import NotAcceptable, choose
from codikg.services.served import ServedRelease
from codikg.web.deps import release_of, served_release

router = APIRouter()
__all__ = ["router"]

#: What /catalog and /.well-known/void offer; HTML last so "*/*" and no Accept get Turtle.
#: The catalog is a named graph, so the quad formats keep its name (beside the default graph).
FORMATS = (*GRAPH_FORMATS, *DATASET_FORMATS, HTML)
_OFFERED = [f for f in FORMATS if f is not HTML]


def _rdf_response(request: Request, graph: Graph, template: str, context):
    """``graph`` in the negotiated format; ``context()`` gives the HTML template's values."""
    headers = {"Vary": "Accept"}
    try:
        chosen = choose(request, FORMATS)
    except NotAcceptable as exc:
        return plain_error(406, str(exc), headers)
    variant = chosen.names[0]
    if chosen is HTML:  # the page's language is the request's, as on every page
        variant += "-" + i18n.choose_language(request)[0]
        headers["Vary"] = "Accept, Accept-Language, Cookie"
    headers.update(release_validators(request, variant))
    if (current := not_modified(request, headers)) is not None:
        return current
    if chosen is HTML:
        return request.app.state.templates.TemplateResponse(request, template, context(),
                                                            headers=headers)
    fmt = chosen.rdflib
    if chosen in DATASET_FORMATS:
        data = Dataset()
        for prefix, namespace in graph.namespaces():
            data.bind(prefix, namespace)
        # the document's triples in its default graph, and again in the catalog's named
        # graph (provenance), as every Linked Data document (services/describe.py)
        named = data.graph(URIRef(release_of(request).manifest["catalog"]["graph"]))
        for triple in graph:
            named.add(triple)
            data.default_graph.add(triple)
        graph = data
    kwargs = {"context": {p: str(ns) for p, ns in PREFIXES.items()}, "auto_compact": True} \
        if fmt == "json-ld" else {}
    body = graph.serialize(format=fmt, encoding="utf-8", **kwargs)
    return Response(body, media_type=chosen.content_type, headers=headers)


def _page_number(value: str | None) -> int:
    """``?page=`` as a positive integer (default 1).

    Raises:
        ValueError: naming the parameter and the bad value.
    """
    if value is None:
        return 1
    if not value.strip().isdigit() or int(value) < 1:
        raise ValueError(f"parameter 'page' must be a positive integer (1, 2, ...), not {value!r}")
    return int(value)


def _no_catalog() -> Response:
    return Response("404 Not Found: this release was built without a catalog\n", status_code=404,
                    media_type="text/plain")


@router.api_route("/catalog", methods=["GET", "HEAD"])
def catalog(request: Request, page: str | None = None, served: ServedRelease = Depends(served_release)):
    """The DCAT-AP catalog (RDF by ``Accept``/``?format=``, HTML for browsers)."""
    graph = served.catalog.get()
    if graph is None:
        return _no_catalog()
    try:
        number = _page_number(page)
    except ValueError as exc:
        return Response(f"400 Bad Request: {exc}\n", status_code=400, media_type="text/plain")
    page_url = str(request.url.remove_query_params(["page", "format"]))
    try:
        graph = catalog_page(graph, number, PAGE_SIZE, page_url)
    except ValueError as exc:
        return Response(f"404 Not Found: {exc}\n", status_code=404, media_type="text/plain")
    return _rdf_response(request, graph, "catalog.html",
                         lambda: {**catalog_summary(graph, served.manifest), "formats": _OFFERED})


@router.api_route("/.well-known/void", methods=["GET", "HEAD"])
def well_known_void(request: Request, served: ServedRelease = Depends(served_release)):
    """The VoID description of the dataset (RFC 8615 well-known URI, VoID §7.2)."""
    graph = served.catalog.get()
    if graph is None:
        return _no_catalog()
    void = void_of_catalog(graph)
    return _rdf_response(request, void, "void.html",
                         lambda: {**void_summary(void, graph, served.manifest), "formats": _OFFERED})


