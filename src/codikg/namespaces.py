"""RDF namespaces used by the build (the vocabulary contract of docs/DESIGN.md)."""

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

CDK = Namespace("https://w3id.org/codikg/ontology#")
CDKSH = Namespace("https://w3id.org/codikg/shapes#")
OA = Namespace("http://www.w3.org/ns/oa#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

#: Prefixes bound in every serialisation and offered to SPARQL queries.
PREFIXES = {
    "cdk": CDK, "cdksh": CDKSH, "skos": SKOS, "dct": DCTERMS, "prov": PROV,
    "org": ORG, "dcat": DCAT, "void": VOID, "oa": OA, "owl": OWL, "rdf": RDF,
    "rdfs": RDFS, "xsd": XSD, "spdx": SPDX,
}

__all__ = ["CDK", "CDKSH", "OA", "SPDX", "SD", "PREFIXES", "DCAT", "DCTERMS", "ORG", "OWL",
           "PROV", "RDF", "RDFS", "SKOS", "VOID", "XSD"]
