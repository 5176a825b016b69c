"""schema.org ``Dataset`` JSON-LD, read from the catalog graph: the one builder
(the landing page embeds it, :func:`codikg.web.pages.dataset_jsonld`).

Follows https://schema.org/Dataset and the properties dataset search engines
read (name, description, url, identifier, license, creator, publisher,
temporalCoverage as an ISO 8601 interval, spatialCoverage, inLanguage,
keywords, dateModified, distribution as ``DataDownload``, and a
``SearchAction`` on the SPARQL endpoint). Every fact is the catalog's, as the
catalog states it (``@id`` and ``identifier`` the dataset IRI, the curated plan
period, the licence IRI, the editors' ``dct:modified``): pages embed this
object unchanged, so the two cannot disagree. The
``@context`` is the string ``https://schema.org/`` that consumers recognise;
nothing is fetched.
"""

from __future__ import annotations

from typing import Callable

from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS

from codikg.namespaces import SPDX

_LANG = {"THA": "th", "ENG": "en"}
#: Thai (the document's language) first, then English, then the rest.
_ORDER = {"th": 0, "en": 1}
#: ADMS publisher types that make the publisher a schema.org ``GovernmentOrganization``.
_GOVERNMENT = {URIRef(f"http://purl.org/adms/publishertype/{kind}") for kind in
               ("SupraNationalAuthority", "NationalAuthority", "RegionalAuthority", "LocalAuthority")}


def _text(graph: Graph, node, prop, lang: str) -> str | None:
    return next((str(v) for v in graph.objects(node, prop) if getattr(v, "language", None) == lang),
                None)


def _texts(graph: Graph, node, prop) -> list[dict]:
    """Every language's text of ``prop``, as JSON-LD value objects, Thai then English then the rest."""
    values = [v for v in graph.objects(node, prop) if getattr(v, "language", None)]
    return [{"@language": v.language, "@value": str(v)}
            for v in sorted(values, key=lambda v: (_ORDER.get(v.language, 2), v.language, str(v)))]


def catalog_dataset(catalog: Graph) -> URIRef | None:
    """The first dataset (in IRI order) the catalog lists, ``None`` if it lists none
    (a release's catalog lists one: the plan's)."""
    return min((d for d in catalog.objects(None, DCAT.dataset)
                if (d, RDF.type, DCAT.Dataset) in catalog), key=str, default=None)


def schema_dataset(catalog: Graph, dataset: URIRef,
                   url: Callable[[str], str] = lambda iri: iri, compressed: bool = True) -> dict:
    """The schema.org description of ``dataset`` as a JSON-LD dict.

    Args:
        catalog: the catalog graph (``{base}graph/catalog``).
        dataset: the ``dcat:Dataset`` IRI.
        url: maps an IRI under the base to the URL a reader should follow
            (identity by default; a server passes its base mapping).
        compressed: also list the gzip twins of the dump files as downloads.

    Returns:
        The JSON-LD object; ``name`` and ``description`` hold every language's
        text as ``{"@language", "@value"}`` objects (Thai first).

    Raises:
        LookupError: if ``dataset`` is not a ``dcat:Dataset`` of ``catalog``.
    """
    g = catalog
    if (dataset, RDF.type, DCAT.Dataset) not in g:
        raise LookupError(f"{dataset} is not a dcat:Dataset in the catalog graph")
    publisher = g.value(dataset, DCTERMS.publisher)
    government = any(kind in _GOVERNMENT for kind in g.objects(publisher, DCTERMS.type))
    organisation = {"@type": "GovernmentOrganization" if government else "Organization",
                    "@id": str(publisher),
                    "name": _text(g, publisher, FOAF.name, "th"),
                    "alternateName": _text(g, publisher, FOAF.name, "en"),
                    "url": str(g.value(publisher, FOAF.homepage))}
    period = g.value(dataset, DCTERMS.temporal)
    places = []
    for place in g.objects(dataset, DCTERMS.spatial):
        same = g.value(place, SKOS.exactMatch)
        places.append({"@type": "Place", "name": _text(g, place, SKOS.prefLabel, "en"),
                       "sameAs": [str(place)] + ([str(same)] if same else [])})
    distributions, endpoints = [], []
    for dist in sorted(g.objects(dataset, DCAT.distribution), key=str):
        download = g.value(dist, DCAT.downloadURL)
        if download is None:
            endpoints += [g.value(service, DCAT.endpointURL)
                          for service in g.objects(dist, DCAT.accessService)]
            continue
        media = str(g.value(dist, DCAT.mediaType)).split("/media-types/", 1)[-1]
        packed = g.value(dist, DCAT.compressFormat)
        if packed and not compressed:
            continue
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
    licence = g.value(dataset, DCTERMS.license) or next(
        (g.value(d, DCTERMS.license) for d in g.objects(dataset, DCAT.distribution)
         if g.value(d, DCTERMS.license)), "")
    catalog_node = next(iter(g.subjects(DCAT.dataset, dataset)), None)
    doc = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": str(dataset),
        "name": _texts(g, dataset, DCTERMS.title),
        "description": _texts(g, dataset, DCTERMS.description),
        "url": url(str(g.value(dataset, DCAT.landingPage) or dataset)),
        "identifier": str(dataset),
        "version": str(g.value(dataset, URIRef(str(DCAT) + "version")) or ""),
        "license": str(licence),
        "isAccessibleForFree": True,
        "creator": organisation,
        "publisher": organisation,
        "inLanguage": sorted(languages, key=lambda lang: (_ORDER.get(lang, 2), lang)),
        "keywords": sorted(str(k) for k in g.objects(dataset, DCAT.keyword)),
        "spatialCoverage": places,
        "distribution": distributions,
    }
    modified = g.value(dataset, DCTERMS.modified)
    if modified is not None:
        doc["dateModified"] = str(modified)
    if period is not None:
        doc["temporalCoverage"] = f"{g.value(period, DCAT.startDate)}/{g.value(period, DCAT.endDate)}"
    if catalog_node is not None:
        doc["includedInDataCatalog"] = {"@type": "DataCatalog", "@id": str(catalog_node),
                                        "name": _text(g, catalog_node, DCTERMS.title, "en"),
                                        "url": url(str(catalog_node))}
    endpoint = min((e for e in endpoints if e is not None), key=str, default=None)
    if endpoint is not None:
        doc["potentialAction"] = {"@type": "SearchAction", "target": url(str(endpoint)) + "?query={query}",
                                  "query-input": "required name=query"}
    return doc
