"""schema.org ``Dataset`` JSON-LD for the landing page, read from the catalog graph.

Follows https://schema.org/Dataset and the properties dataset search engines
read (name, description, url, identifier, license, creator, publisher,
temporalCoverage as an ISO 8601 interval, spatialCoverage, inLanguage,
keywords, distribution as ``DataDownload``). The ``@context`` is the string
``https://schema.org/`` that consumers recognise; nothing is fetched.
"""

from __future__ import annotations

from typing import Callable

from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS

from codikg.namespaces import SPDX

_LANG = {"THA": "th", "ENG": "en"}


def _text(graph: Graph, node, prop, lang: str) -> str | None:
    return next((str(v) for v in graph.objects(node, prop) if getattr(v, "language", None) == lang),
                None)


def schema_dataset(catalog: Graph, dataset: URIRef,
                   url: Callable[[str], str] = lambda iri: iri) -> dict:
    """The schema.org description of ``dataset`` as a JSON-LD dict.

    Args:
        catalog: the catalog graph (``{base}graph/catalog``).
        dataset: the ``dcat:Dataset`` IRI.
        url: maps an IRI under the base to the URL a reader should follow
            (identity by default; a server passes its base mapping).

    Raises:
        LookupError: if ``dataset`` is not a ``dcat:Dataset`` of ``catalog``.
    """
    g = catalog
    if (dataset, RDF.type, DCAT.Dataset) not in g:
        raise LookupError(f"{dataset} is not a dcat:Dataset in the catalog graph")
    publisher = g.value(dataset, DCTERMS.publisher)
    organisation = {"@type": "Organization", "@id": str(publisher),
                    "name": _text(g, publisher, FOAF.name, "th"),
                    "alternateName": _text(g, publisher, FOAF.name, "en"),
                    "url": str(g.value(publisher, FOAF.homepage))}
    period = g.value(dataset, DCTERMS.temporal)
    places = []
    for place in g.objects(dataset, DCTERMS.spatial):
        same = g.value(place, SKOS.exactMatch)
        places.append({"@type": "Place", "name": _text(g, place, SKOS.prefLabel, "en"),
                       "sameAs": [str(place)] + ([str(same)] if same else [])})
    distributions = []
    for dist in sorted(g.objects(dataset, DCAT.distribution), key=str):
        download = g.value(dist, DCAT.downloadURL)
        if download is None:
            continue
        media = str(g.value(dist, DCAT.mediaType)).split("/media-types/", 1)[-1]
        packed = g.value(dist, DCAT.compressFormat)
        item = {"@type": "DataDownload", "name": _text(g, dist, DCTERMS.title, "en"),
                "contentUrl": url(str(download)),
                "encodingFormat": "application/gzip" if packed else media,
                "contentSize": f"{int(g.value(dist, DCAT.byteSize))} B"}
        checksum = g.value(g.value(dist, SPDX.checksum), SPDX.checksumValue)
        if checksum:
            item["sha256"] = str(checksum)
        distributions.append(item)
    languages = [_LANG.get(str(lang).rsplit("/", 1)[-1], str(lang))
                 for lang in g.objects(dataset, DCTERMS.language)]
    catalog_node = next(iter(g.subjects(DCAT.dataset, dataset)), None)
    doc = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": str(dataset),
        "name": _text(g, dataset, DCTERMS.title, "th"),
        "alternateName": _text(g, dataset, DCTERMS.title, "en"),
        "description": "\n\n".join(filter(None, (_text(g, dataset, DCTERMS.description, "th"),
                                                   _text(g, dataset, DCTERMS.description, "en")))),
        "url": url(str(g.value(dataset, DCAT.landingPage) or dataset)),
        "identifier": str(dataset),
        "version": str(g.value(dataset, URIRef(str(DCAT) + "version")) or ""),
        "license": str(next((g.value(d, DCTERMS.license) for d in g.objects(dataset, DCAT.distribution)
                             if g.value(d, DCTERMS.license)), "")),
        "isAccessibleForFree": True,
        "creator": organisation,
        "publisher": organisation,
        "inLanguage": sorted(languages),
        "keywords": sorted(str(k) for k in g.objects(dataset, DCAT.keyword)),
        "spatialCoverage": places,
        "distribution": distributions,
    }
    if period is not None:
        doc["temporalCoverage"] = f"{g.value(period, DCAT.startDate)}/{g.value(period, DCAT.endDate)}"
    if catalog_node is not None:
        doc["includedInDataCatalog"] = {"@type": "DataCatalog", "@id": str(catalog_node),
                                        "name": _text(g, catalog_node, DCTERMS.title, "en"),
                                        "url": url(str(catalog_node))}
    return doc
