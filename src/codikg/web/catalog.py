"""``/catalog`` (DCAT-AP 3) and ``/.well-known/void`` (VoID), from the
release's ``catalog.trig``.

Both negotiate RDF on ``Accept`` (Turtle by default, N-Triples, JSON-LD with an
inline context, RDF/XML) or ``?format=``; ``/catalog`` also has an HTML
summary for browsers. ``/catalog?page=N`` pages the datasets with the Hydra
``PagedCollection`` terms ckanext-dcat's RDF harvester follows; a catalog that
fits one page (``PAGE_SIZE`` datasets) carries no paging triples.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from codikg.build.namespaces import PREFIXES, SPDX
from codikg.build.publish import load_catalog
from codikg.build.void import void_description
from codikg.web.negotiation import GRAPH_FORMATS, HTML, available, format_by_name, negotiate

router = APIRouter()
__all__ = ["router", "catalog_page", "load_catalog", "PAGE_SIZE"]

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
#: Datasets per catalog page (ckanext-dcat's documented example uses 100).
PAGE_SIZE = 100
_RDFLIB_FORMAT = {"text/turtle": "turtle", "application/n-triples": "nt",
                  "application/ld+json": "json-ld", "application/rdf+xml": "xml"}


def _describes(graph: Graph, node) -> set:
    """``node``'s triples plus those of its distributions and their checksums."""
    out = set(graph.triples((node, None, None)))
    for dist in graph.objects(node, DCAT.distribution):
        out |= set(graph.triples((dist, None, None)))
        for checksum in graph.objects(dist, SPDX.checksum):
            out |= set(graph.triples((checksum, None, None)))
    return out


def catalog_page(graph: Graph, page: int, per_page: int, page_url: str) -> Graph:
    """One page of the catalog (datasets in IRI order), with Hydra paging triples.

    Args:
        graph: the whole catalog graph.
        page: 1-based page number.
        per_page: datasets per page.
        page_url: the page URL without the query (``https://host/catalog``).

    Returns:
        ``graph`` itself when every dataset fits on page 1; otherwise a new graph
        without the other pages' datasets, plus ``hydra:PagedCollection`` terms.

    Raises:
        ValueError: if ``page`` is below 1 or past the last page.
    """
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    datasets = sorted({d for c in catalogs for d in graph.objects(c, DCAT.dataset)}, key=str)
    last = max(1, -(-len(datasets) // per_page))
    if not 1 <= page <= last:
        raise ValueError(f"page must be between 1 and {last}, not {page}")
    if last == 1:
        return graph
    keep = set(datasets[(page - 1) * per_page:page * per_page])
    out = Graph()
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace)
    out.bind("hydra", HYDRA)
    drop = set()
    for d in datasets:
        if d not in keep:
            drop |= _describes(graph, d)
            drop |= {(c, DCAT.dataset, d) for c in catalogs}
    for triple in graph:
        if triple not in drop:
            out.add(triple)
    this = URIRef(f"{page_url}?page={page}")
    out.add((this, RDF.type, HYDRA.PagedCollection))
    out.add((this, HYDRA.totalItems, Literal(len(datasets), datatype=XSD.integer)))
    out.add((this, HYDRA.itemsPerPage, Literal(per_page, datatype=XSD.integer)))
    out.add((this, HYDRA.firstPage, Literal(f"{page_url}?page=1")))
    out.add((this, HYDRA.lastPage, Literal(f"{page_url}?page={last}")))
    if page < last:
        out.add((this, HYDRA.nextPage, Literal(f"{page_url}?page={page + 1}")))
    if page > 1:
        out.add((this, HYDRA.previousPage, Literal(f"{page_url}?page={page - 1}")))
    return out


def _rdf_response(request: Request, graph: Graph, html: bool):
    headers = {"Vary": "Accept", "Access-Control-Allow-Origin": "*"}
    formats = (*GRAPH_FORMATS, HTML) if html else GRAPH_FORMATS
    chosen = format_by_name(formats, request.query_params.get("format"))
    if chosen is None:
        # HTML is last, so "*/*" and a missing Accept get Turtle; browsers ask for text/html.
        chosen = negotiate(formats, request.headers.get("accept"))
    if chosen is None:
        return Response(f"406 Not Acceptable: available types are {available(formats)}\n",
                        status_code=406, media_type="text/plain", headers=headers)
    release = request.app.state.manifest["release"]
    headers["ETag"] = f'"{release}-{chosen.names[0]}"'
    if request.headers.get("if-none-match") in (headers["ETag"], "*"):
        return Response(status_code=304, headers=headers)
    if chosen is HTML:
        return request.app.state.templates.TemplateResponse(
            request, "catalog.html", _summary(graph, request.app.state.manifest), headers=headers)
    fmt = _RDFLIB_FORMAT[chosen.media_type]
    kwargs = {"context": {p: str(ns) for p, ns in PREFIXES.items()}, "auto_compact": True} \
        if fmt == "json-ld" else {}
    body = graph.serialize(format=fmt, encoding="utf-8", **kwargs)
    return Response(body, media_type=chosen.content_type, headers=headers)


def _no_catalog() -> Response:
    return Response("404 Not Found: this release was built without a catalog\n", status_code=404,
                    media_type="text/plain")


@router.api_route("/catalog", methods=["GET", "HEAD"])
def catalog(request: Request, page: int = 1):
    """The DCAT-AP catalog (RDF by ``Accept``/``?format=``, HTML for browsers)."""
    graph = request.app.state.catalog
    if graph is None:
        return _no_catalog()
    page_url = str(request.url.remove_query_params(["page", "format"]))
    try:
        graph = catalog_page(graph, page, PAGE_SIZE, page_url)
    except ValueError as exc:
        return Response(f"404 Not Found: {exc}\n", status_code=404, media_type="text/plain")
    return _rdf_response(request, graph, html=True)


@router.api_route("/.well-known/void", methods=["GET", "HEAD"])
def well_known_void(request: Request):
    """The VoID description of the dataset (RFC 8615 well-known URI, VoID §7.2)."""
    graph = request.app.state.catalog
    if graph is None:
        return _no_catalog()
    datasets = sorted(graph.subjects(DCAT.distribution, None), key=str)
    void = Graph()
    for prefix, namespace in PREFIXES.items():
        void.bind(prefix, namespace)
    for node in dict.fromkeys(datasets):
        void += void_description(graph, node)
    return _rdf_response(request, void, html=False)


def _text(graph: Graph, node, prop, lang: str) -> str:
    for value in graph.objects(node, prop):
        if getattr(value, "language", None) == lang:
            return str(value)
    return ""


def _summary(graph: Graph, manifest: dict) -> dict:
    """What catalog.html shows: catalog, datasets and their distributions."""
    rows = []
    for dataset in sorted(set(graph.subjects(RDF.type, DCAT.Dataset)), key=str):
        dists = []
        for dist in sorted(graph.objects(dataset, DCAT.distribution), key=str):
            checksum = graph.value(graph.value(dist, SPDX.checksum), SPDX.checksumValue)
            dists.append({"iri": str(dist), "title_th": _text(graph, dist, DCTERMS.title, "th"),
                          "title_en": _text(graph, dist, DCTERMS.title, "en"),
                          "url": str(graph.value(dist, DCAT.downloadURL) or graph.value(dist, DCAT.accessURL)),
                          "bytes": graph.value(dist, DCAT.byteSize),
                          "sha256": str(checksum) if checksum else ""})
        period = graph.value(dataset, DCTERMS.temporal)
        rows.append({"iri": str(dataset), "title_th": _text(graph, dataset, DCTERMS.title, "th"),
                     "title_en": _text(graph, dataset, DCTERMS.title, "en"),
                     "description_th": _text(graph, dataset, DCTERMS.description, "th"),
                     "description_en": _text(graph, dataset, DCTERMS.description, "en"),
                     "start": graph.value(period, DCAT.startDate), "end": graph.value(period, DCAT.endDate),
                     "distributions": dists})
    cat = next(iter(graph.subjects(RDF.type, DCAT.Catalog)), None)
    return {"manifest": manifest, "datasets": rows, "catalog_iri": str(cat),
            "title_th": _text(graph, cat, DCTERMS.title, "th"),
            "title_en": _text(graph, cat, DCTERMS.title, "en"), "formats": GRAPH_FORMATS}
