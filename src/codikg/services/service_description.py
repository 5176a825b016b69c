"""The SPARQL 1.1 Service Description of the endpoint (W3C SPARQL 1.1 Service Description)."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from codikg.config.limits import Limits
from codikg.namespaces import CDK, SD


def service_description(endpoint: str, limits: Limits, named_graphs: Iterable[str],
                        result_formats: Iterable[str]) -> Graph:
    """The description of the endpoint at ``endpoint``.

    Args:
        endpoint: the endpoint's absolute URL (``sd:endpoint``).
        limits: its limits, stated as ``cdk:queryTimeLimit`` (seconds) and
            ``cdk:resultRowLimit`` (rows); ``allow_update`` adds SPARQL 1.1 Update.
        named_graphs: IRIs of the store's named graphs (``sd:namedGraph``).
        result_formats: IRIs of the result formats (``http://www.w3.org/ns/formats/…``).

    Returns:
        A graph whose blank nodes have fixed labels, so the same endpoint always
        serialises to the same bytes (and the same ETag).
    """
    g = Graph()
    g.bind("sd", SD)
    g.bind("cdk", CDK)
    service, dataset, graph_collection = BNode("service"), BNode("dataset"), BNode("default")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if limits.allow_update:
        g.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    g.add((service, CDK.queryTimeLimit, Literal(str(limits.time_limit), datatype=XSD.decimal)))
    g.add((service, CDK.resultRowLimit, Literal(limits.result_limit, datatype=XSD.positiveInteger)))
    for iri in result_formats:
        g.add((service, SD.resultFormat, URIRef(iri)))
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, graph_collection))
    g.add((graph_collection, RDF.type, SD.Graph))
    for index, name in enumerate(sorted(named_graphs)):
        named = BNode(f"graph{index}")
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
    return g
