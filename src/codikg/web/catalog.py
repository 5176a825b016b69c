"""``/catalog`` (DCAT-AP 3) and ``/.well-known/void`` (VoID), from the
release's ``catalog.trig``.

Both negotiate RDF on ``Accept`` (Turtle by default, N-Triples, JSON-LD with an
inline context, RDF/XML, and TriG/N-Quads with the triples in the named graph
``{base}graph/catalog``) or ``?format=``, and have an HTML view for browsers.
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

from fastapi import APIRouter, Request
from fastapi.responses import Response
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from codikg.namespaces import PREFIXES, SPDX, VOID
from codikg.release.reader import load_catalog
from codikg.graph.void import void_description
from codikg.sparql.formats import DATASET_FORMATS, GRAPH_FORMATS, HTML
from codikg.web import i18n
from codikg.web.http.conditional import not_modified, release_validators
from codikg.web.http.errors import plain_error
from codikg.web.http.negotiation import NotAcceptable, choose
from codikg.web.http.paths import local_path

router = APIRouter()
__all__ = ["router", "catalog_page", "load_catalog", "PAGE_SIZE"]

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
#: Datasets per catalog page (ckanext-dcat's documented example uses 100).
PAGE_SIZE = 100
#: What /catalog and /.well-known/void offer; HTML last so "*/*" and no Accept get Turtle.
#: The catalog is a named graph, so the quad formats keep its name.
FORMATS = (*GRAPH_FORMATS, *DATASET_FORMATS, HTML)


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
        named = data.graph(URIRef(request.app.state.manifest["catalog"]["graph"]))
        for triple in graph:
            named.add(triple)
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
def catalog(request: Request, page: str | None = None):
    """The DCAT-AP catalog (RDF by ``Accept``/``?format=``, HTML for browsers)."""
    graph = request.app.state.catalog.get()
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
                         lambda: _summary(graph, request.app.state.manifest))


@router.api_route("/.well-known/void", methods=["GET", "HEAD"])
def well_known_void(request: Request):
    """The VoID description of the dataset (RFC 8615 well-known URI, VoID §7.2)."""
    graph = request.app.state.catalog.get()
    if graph is None:
        return _no_catalog()
    datasets = sorted(graph.subjects(DCAT.distribution, None), key=str)
    void = Graph()
    for prefix, namespace in PREFIXES.items():
        void.bind(prefix, namespace)
    for node in dict.fromkeys(datasets):
        void += void_description(graph, node)
    return _rdf_response(request, void, "void.html",
                         lambda: _void_summary(void, graph, request.app.state.manifest))


def _text(graph: Graph, node, prop, lang: str) -> str:
    for value in graph.objects(node, prop):
        if getattr(value, "language", None) == lang:
            return str(value)
    return ""


def _served_at(graph: Graph, dataset, url) -> str:
    """``url`` (under the deployment's public URL, the dataset's
    ``dcat:landingPage``) as a path on this server: ``/dumps/…``, ``/sparql``.
    Other URLs are returned unchanged."""
    return local_path(str(url), str(graph.value(dataset, DCAT.landingPage) or ""))


def _summary(graph: Graph, manifest: dict) -> dict:
    """What catalog.html shows: catalog, datasets and their distributions."""
    rows = []
    for dataset in sorted(set(graph.subjects(RDF.type, DCAT.Dataset)), key=str):
        dists = []
        for dist in sorted(graph.objects(dataset, DCAT.distribution), key=str):
            checksum = graph.value(graph.value(dist, SPDX.checksum), SPDX.checksumValue)
            url = graph.value(dist, DCAT.downloadURL) or graph.value(dist, DCAT.accessURL)
            dists.append({"iri": str(dist), "title_th": _text(graph, dist, DCTERMS.title, "th"),
                          "title_en": _text(graph, dist, DCTERMS.title, "en"),
                          "url": _served_at(graph, dataset, url),
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
            "title_en": _text(graph, cat, DCTERMS.title, "en"),
            "formats": [f for f in FORMATS if f is not HTML]}


def _void_summary(void: Graph, catalog: Graph, manifest: dict) -> dict:
    """What void.html shows: per dataset its statistics, subsets and partitions."""
    rows = []
    for d in sorted(set(void.subjects(RDF.type, VOID.Dataset)) - set(void.objects(None, VOID.subset)),
                    key=str):
        def count(node, prop=VOID.triples):
            value = void.value(node, prop)
            return int(value) if value is not None else None

        rows.append({
            "iri": str(d), "title_th": _text(catalog, d, DCTERMS.title, "th"),
            "title_en": _text(catalog, d, DCTERMS.title, "en"),
            "stats": [(str(p).rsplit("#", 1)[1], count(d, p)) for p in
                      (VOID.triples, VOID.entities, VOID.classes, VOID.properties,
                       VOID.distinctSubjects, VOID.distinctObjects) if count(d, p) is not None],
            "endpoint": _served_at(catalog, d, void.value(d, VOID.sparqlEndpoint) or ""),
            "dumps": sorted(_served_at(catalog, d, u) for u in void.objects(d, VOID.dataDump)),
            "subsets": sorted((str(s), count(s)) for s in void.objects(d, VOID.subset)),
            "classes": sorted((str(void.value(p, VOID["class"])), count(p, VOID.entities))
                              for p in void.objects(d, VOID.classPartition)),
            "properties": sorted((str(void.value(p, VOID.property)), count(p))
                                 for p in void.objects(d, VOID.propertyPartition)),
        })
    return {"manifest": manifest, "datasets": rows,
            "formats": [f for f in FORMATS if f is not HTML]}
