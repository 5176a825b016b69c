"""RDF namespaces used by the build (the vocabulary contract of docs/DESIGN.md).

:data:`NAMESPACE_IRIS` holds each prefix's namespace IRI as a plain string.
It is the one place in the package where codikg's own namespaces are written,
and importing it loads nothing else, so the query workers
(:mod:`codikg.search.sparql_functions`) and the SPARQL texts
(:mod:`codikg.sparql.texts`) can use it without loading rdflib. The rdflib
``Namespace`` objects (``CDK``, ``PREFIXES`` and rdflib's own ``SKOS``,
``DCTERMS``, … re-exported here) are made the first time one of them is used
(a PEP 562 module ``__getattr__``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

#: Prefix → namespace IRI of the prefixes bound in every serialisation and
#: offered to SPARQL queries (:data:`PREFIXES` holds the same as rdflib namespaces).
NAMESPACE_IRIS: dict[str, str] = {
    "cdk": "https://w3id.org/codikg/ontology#",
    "cdksh": "https://w3id.org/codikg/shapes#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "oa": "http://www.w3.org/ns/oa#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "spdx": "http://spdx.org/rdf/terms#",
}
#: The SPARQL 1.1 Service Description vocabulary (not a bound prefix).
SD_IRI = "http://www.w3.org/ns/sparql-service-description#"

__all__ = ["NAMESPACE_IRIS", "SD_IRI", "curie", "CDK", "CDKSH", "OA", "SPDX", "SD", "PREFIXES", "DCAT",
           "DCTERMS", "ORG", "OWL", "PROV", "RDF", "RDFS", "SKOS", "VOID", "XSD"]



def curie(iri: str, extra: Mapping[str, str] | None = None) -> str | None:
    """``iri`` as a compact IRI (``cdk:measures``) if one of the project's
    namespaces covers it, else ``None``.

    Args:
        iri: an absolute IRI.
        extra: more prefixes, name → namespace IRI (``{"sh": "http://www.w3.org/ns/shacl#"}``).

    The local part must be non-empty and hold no ``/``; the longest matching
    namespace wins.
    """
    namespaces = {**NAMESPACE_IRIS, **(extra or {})}
    for prefix, namespace in sorted(namespaces.items(), key=lambda item: -len(item[1])):
        local = iri[len(namespace):]
        if iri.startswith(namespace) and local and "/" not in local:
            return f"{prefix}:{local}"
    return None


if TYPE_CHECKING:
    from rdflib import Namespace
    from rdflib.namespace import DCAT, DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD  # noqa: F401

    CDK: Namespace
    CDKSH: Namespace
    OA: Namespace
    SPDX: Namespace
    SD: Namespace
    PREFIXES: dict[str, Namespace]


def __getattr__(name: str):
    """The rdflib namespaces of :data:`__all__`, made (and kept) at the first use of any.

    Raises:
        AttributeError: ``name`` is not one of them.
    """
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from rdflib import Namespace
    from rdflib.namespace import DCAT, DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

    own = {key: Namespace(NAMESPACE_IRIS[key]) for key in ("cdk", "cdksh", "oa", "spdx")}
    standard = {"skos": SKOS, "dct": DCTERMS, "prov": PROV, "org": ORG, "dcat": DCAT, "void": VOID,
                "owl": OWL, "rdf": RDF, "rdfs": RDFS, "xsd": XSD}
    values = {"CDK": own["cdk"], "CDKSH": own["cdksh"], "OA": own["oa"], "SPDX": own["spdx"],
              "SD": Namespace(SD_IRI), "DCAT": DCAT, "DCTERMS": DCTERMS, "ORG": ORG, "OWL": OWL,
              "PROV": PROV, "RDF": RDF, "RDFS": RDFS, "SKOS": SKOS, "VOID": VOID, "XSD": XSD,
              "PREFIXES": {key: own.get(key) or standard[key] for key in NAMESPACE_IRIS}}
    globals().update(values)
    return values[name]
