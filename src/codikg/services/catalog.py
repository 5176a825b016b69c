"""The catalog as pages and harvesters see it: Hydra paging, the HTML views' summaries."""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from codikg.graph.void import void_description
from codikg.namespaces import PREFIXES, SPDX, VOID
from codikg.services.paths import local_path

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
#: Datasets per catalog page (ckanext-dcat's documented example uses 100).
PAGE_SIZE = 100


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


def _text(graph: Graph, node, prop, lang: str) -> str:
    for value in graph.objects(node, prop):
        if getattr(value, "language", None) == lang:
            return str(value)
    return ""


def served_at(graph: Graph, dataset, url) -> str:
    """``url`` (under the deployment's public URL, the dataset's
    ``dcat:landingPage``) as a path on this server: ``/dumps/…``, ``/sparql``.
    Other URLs are returned unchanged."""
    return local_path(str(url), str(graph.value(dataset, DCAT.landingPage) or ""))


def catalog_summary(graph: Graph, manifest: dict) -> dict:
    """What catalog.html shows: catalog, datasets and their distributions."""
    rows = []
    for dataset in sorted(set(graph.subjects(RDF.type, DCAT.Dataset)), key=str):
        dists = []
        for dist in sorted(graph.objects(dataset, DCAT.distribution), key=str):
            checksum = graph.value(graph.value(dist, SPDX.checksum), SPDX.checksumValue)
            url = graph.value(dist, DCAT.downloadURL) or graph.value(dist, DCAT.accessURL)
            dists.append({"iri": str(dist), "title_th": _text(graph, dist, DCTERMS.title, "th"),
                          "title_en": _text(graph, dist, DCTERMS.title, "en"),
                          "url": served_at(graph, dataset, url),
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
            "title_en": _text(graph, cat, DCTERMS.title, "en")}


def void_summary(void: Graph, catalog: Graph, manifest: dict) -> dict:
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
            "endpoint": served_at(catalog, d, void.value(d, VOID.sparqlEndpoint) or ""),
            "dumps": sorted(served_at(catalog, d, u) for u in void.objects(d, VOID.dataDump)),
            "subsets": sorted((str(s), count(s)) for s in void.objects(d, VOID.subset)),
            "classes": sorted((str(void.value(p, VOID["class"])), count(p, VOID.entities))
                              for p in void.objects(d, VOID.classPartition)),
            "properties": sorted((str(void.value(p, VOID.property)), count(p))
                                 for p in void.objects(d, VOID.propertyPartition)),
        })
    return {"manifest": manifest, "datasets": rows}


def void_of_catalog(catalog: Graph) -> Graph:
    """The VoID descriptions of every dataset the catalog lists (what ``/.well-known/void`` serves)."""
    void = Graph()
    for prefix, namespace in PREFIXES.items():
        void.bind(prefix, namespace)
    for node in dict.fromkeys(sorted(catalog.subjects(DCAT.distribution, None), key=str)):
        void += void_description(catalog, node)
    return void
