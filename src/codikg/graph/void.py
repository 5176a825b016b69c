"""The VoID description of a release (W3C Interest Group Note "Describing
Linked Datasets with the VoID Vocabulary", 2011).

The ``void:Dataset`` is the catalog's ``dcat:Dataset`` (same IRI); its
statistics count the dumped dataset, i.e. every named graph except the catalog
graph itself. Each named graph is a ``void:subset`` (the graph IRI is the
subset IRI). Class and property partitions get hash IRIs under the dataset IRI
so the description has no blank nodes.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from codikg.graph.catalog import CatalogIRIs
from codikg.graph.dumps import DUMP_FORMATS, PLAN_DUMP_FORMATS, plan_dump_filename
from codikg.namespaces import PREFIXES, VOID

#: RDF serialisations every dump format is offered in (W3C format IRIs).
_FEATURES = {"trig": "TriG", "nq": "N-Quads", "jsonld": "JSON-LD", "ttl": "Turtle",
             "nt": "N-Triples"}

_PREFIX_OF = sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()),
                    key=lambda pair: -len(pair[0]))


def _count(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def _vocabulary(iri: str) -> str:
    """The namespace of a term: up to the last ``#``, else the last ``/``."""
    cut = iri.rfind("#") if "#" in iri else iri.rfind("/")
    return iri[:cut + 1]


def _slug(iri: str) -> str:
    for ns, prefix in _PREFIX_OF:
        if iri.startswith(ns) and iri[len(ns):].replace("_", "").replace("-", "").isalnum():
            return f"{prefix}-{iri[len(ns):]}"
    return hashlib.sha1(iri.encode()).hexdigest()[:12]


def void_graph(dataset: Dataset, iris: CatalogIRIs, release: str,
               graphs: set[URIRef] | None = None) -> Graph:
    """VoID statistics and access points of ``dataset``.

    Args:
        dataset: the dumped named graphs (the catalog graph excluded).
        iris: the catalog's IRIs (the VoID dataset is ``iris.dataset``).
        release: the release id, for the per-release ``void:dataDump`` URLs.
        graphs: the names of the graphs this VoID dataset holds (one plan's
            graphs); every graph of ``dataset`` when None.

    Returns:
        A new graph to be merged into ``{base}graph/catalog``.
    """
    g, d = Graph(), iris.dataset
    uri_space = f"{iris.base}id/"
    named = sorted((graph for graph in dataset.graphs()
                    if graphs is None or graph.identifier in graphs), key=lambda x: str(x.identifier))
    triples = {triple for graph in named for triple in graph}
    subjects = {s for s, _, _ in triples}
    objects = {o for _, _, o in triples}
    by_property = Counter(p for _, p, _ in triples)
    class_members: dict[URIRef, set] = {}
    for s, p, o in triples:
        if p == RDF.type:
            class_members.setdefault(o, set()).add(s)
    entities = {s for s in subjects if isinstance(s, URIRef) and str(s).startswith(uri_space)}

    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, VOID.triples, _count(len(triples))))
    g.add((d, VOID.entities, _count(len(entities))))
    g.add((d, VOID.classes, _count(len(class_members))))
    g.add((d, VOID.properties, _count(len(by_property))))
    g.add((d, VOID.distinctSubjects, _count(len(subjects))))
    g.add((d, VOID.distinctObjects, _count(len(objects))))
    g.add((d, VOID.uriSpace, Literal(uri_space)))
    g.add((d, VOID.sparqlEndpoint, iris.endpoint))
    g.add((d, VOID.rootResource, iris.plan.plan))
    g.add((d, VOID.exampleResource, iris.plan.issue(1)))
    for fmt in DUMP_FORMATS:
        g.add((d, VOID.dataDump, iris.download(release, fmt.filename)))
    if graphs is not None:  # the plan's own dumps (its graphs only)
        plan = f"{iris.plan.agency}/{iris.plan.fiscal_year_be}"
        for fmt in PLAN_DUMP_FORMATS:
            g.add((d, VOID.dataDump, iris.download(release, plan_dump_filename(plan, fmt))))
    for fmt in DUMP_FORMATS:
        g.add((d, VOID.feature, URIRef(f"http://www.w3.org/ns/formats/{_FEATURES[fmt.key]}")))
    vocabularies = {_vocabulary(str(p)) for p in by_property}
    vocabularies |= {_vocabulary(str(c)) for c in class_members if isinstance(c, URIRef)}
    for ns in sorted(vocabularies):
        g.add((d, VOID.vocabulary, URIRef(ns)))
    for cls, members in sorted(class_members.items()):
        part = URIRef(f"{d}#class-{_slug(str(cls))}")
        g.add((d, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, _count(len(members))))
    for prop, n in sorted(by_property.items()):
        part = URIRef(f"{d}#property-{_slug(str(prop))}")
        g.add((d, VOID.propertyPartition, part))
        g.add((part, VOID.property, prop))
        g.add((part, VOID.triples, _count(n)))
    for graph in named:
        if len(graph) and isinstance(graph.identifier, URIRef):
            g.add((d, VOID.subset, graph.identifier))
            g.add((graph.identifier, RDF.type, VOID.Dataset))
            g.add((graph.identifier, VOID.triples, _count(len(graph))))
            g.add((graph.identifier, DCTERMS.isPartOf, d))
    return g


def void_description(catalog: Graph, dataset_iri: URIRef) -> Graph:
    """The VoID part of a catalog graph, for ``/.well-known/void``.

    Returns the triples about ``dataset_iri`` whose predicate or type is VoID,
    plus the descriptions of its partitions and subsets.
    """
    out = Graph()
    for prefix, ns in PREFIXES.items():
        out.bind(prefix, ns)
    linked = (VOID.classPartition, VOID.propertyPartition, VOID.subset)
    for p, o in catalog.predicate_objects(dataset_iri):
        if str(p).startswith(str(VOID)) or (p == RDF.type and o == VOID.Dataset):
            out.add((dataset_iri, p, o))
        if p in linked:
            for p2, o2 in catalog.predicate_objects(o):
                out.add((o, p2, o2))
    return out
