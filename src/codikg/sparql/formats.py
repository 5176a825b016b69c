"""The one registry of formats codikg writes: SPARQL results, RDF graphs and
datasets, and the two answers that are not RDF (HTML pages, plain JSON).

Media types, file extensions, labels and W3C format IRIs come from
pyoxigraph's :class:`pyoxigraph.RdfFormat` and
:class:`pyoxigraph.QueryResultsFormat`; this module adds what pyoxigraph does
not know: the aliases a client may send in ``Accept``, the short names of
``format=``, and rdflib's plugin name for the same format. HTTP negotiation on
top of it is :mod:`codikg.web.http.negotiation`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    """One serialisation.

    Attributes:
        media_type: canonical media type, without parameters.
        aliases: other media types that mean the same in ``Accept``.
        oxigraph: pyoxigraph's format, or ``None`` (HTML, plain JSON).
        names: short names accepted in ``format=``/``output=`` (the first is
            the one listed in 406 answers).
        extension: file extension (``ttl``), also of the explicit-format URLs
            of Linked Data documents (``/id/….ttl``).
        label: the format's name for people (``Turtle``).
        rdflib: rdflib's serializer/parser plugin name ("" if rdflib has none).
        iri: the format's IRI in https://www.w3.org/ns/formats/ ("" if none).
    """

    media_type: str
    aliases: tuple[str, ...] = ()
    oxigraph: ox.RdfFormat | ox.QueryResultsFormat | None = None
    names: tuple[str, ...] = ()
    extension: str = ""
    label: str = ""
    rdflib: str = ""
    iri: str = ""

    @property
    def content_type(self) -> str:
        """``Content-Type`` of an answer in this format: ``{media_type}; charset=utf-8``."""
        return f"{self.media_type}; charset=utf-8"

    @property
    def media_types(self) -> tuple[str, ...]:
        """The canonical media type, then the aliases."""
        return (self.media_type, *self.aliases)


def _oxigraph(fmt: ox.RdfFormat | ox.QueryResultsFormat, names: tuple[str, ...],
              aliases: tuple[str, ...] = (), rdflib: str = "", iri: str = "") -> Format:
    # pyoxigraph gives CSV/TSV as "text/csv; charset=utf-8": the charset goes in content_type.
    return Format(fmt.media_type.partition(";")[0].strip(), aliases, fmt, names, fmt.file_extension,
                  fmt.name, rdflib, iri or fmt.iri)


RESULTS_JSON = _oxigraph(ox.QueryResultsFormat.JSON, ("json", "srj"), ("application/json",))
RESULTS_XML = _oxigraph(ox.QueryResultsFormat.XML, ("xml", "srx"), ("application/xml", "text/xml"))
RESULTS_CSV = _oxigraph(ox.QueryResultsFormat.CSV, ("csv",))
RESULTS_TSV = _oxigraph(ox.QueryResultsFormat.TSV, ("tsv",))

# Turtle is a subset of Notation3, so it answers format=n3 (SPARQLWrapper's N3 sends it).
TURTLE = _oxigraph(ox.RdfFormat.TURTLE, ("turtle", "ttl", "n3"), ("application/x-turtle",), "turtle")
N_TRIPLES = _oxigraph(ox.RdfFormat.N_TRIPLES, ("ntriples", "nt", "n-triples"), ("text/plain",), "nt")
# pyoxigraph names JSON-LD https://www.w3.org/ns/formats/data/JSON-LD; the W3C list has this one.
# A client asking an RDF resource for plain JSON gets JSON-LD, which is JSON (JSON-LD 1.1 §1).
JSON_LD = _oxigraph(ox.RdfFormat.JSON_LD, ("jsonld", "json-ld", "json"), ("application/json",), "json-ld",
                    "http://www.w3.org/ns/formats/JSON-LD")
RDF_XML = _oxigraph(ox.RdfFormat.RDF_XML, ("rdfxml", "rdf", "xml"), ("application/xml", "text/xml"), "xml")
TRIG = _oxigraph(ox.RdfFormat.TRIG, ("trig",), ("application/x-trig",), "trig")
N_QUADS = _oxigraph(ox.RdfFormat.N_QUADS, ("nquads", "nq", "n-quads"), ("text/x-nquads",), "nquads")

#: HTML pages for people (never the default for machines).
HTML = Format("text/html", ("application/xhtml+xml",), None, ("html",), "html", "HTML")
#: Plain JSON (search results, the dump list, the prefix table).
JSON = Format("application/json", (), None, ("json",), "json", "JSON")

#: SELECT/ASK results, in order of preference (the first is the default).
RESULTS_FORMATS = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)
#: CONSTRUCT/DESCRIBE results and RDF documents, in order of preference.
GRAPH_FORMATS = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)
#: RDF datasets (quads: each statement with its named graph).
DATASET_FORMATS = (TRIG, N_QUADS)
#: Every RDF serialisation of a Linked Data document, most preferred first.
RDF_FORMATS = GRAPH_FORMATS + DATASET_FORMATS


def format_by_extension(formats: tuple[Format, ...], extension: str) -> Format | None:
    """The format of ``formats`` whose file extension is ``extension`` (``ttl``, ``nq``…), or ``None``."""
    return next((fmt for fmt in formats if fmt.extension and fmt.extension == extension), None)


def format_by_name(formats: tuple[Format, ...], name: str | None) -> Format | None:
    """The format of ``formats`` that ``name`` names, or ``None``.

    Args:
        name: a short name (``json``, ``csv``, ``turtle``…) or a media type
            (canonical or alias), in any case, with surrounding spaces ignored;
            ``None`` or empty names nothing.
    """
    if not name:
        return None
    name = name.strip().lower()
    return next((fmt for fmt in formats if name in fmt.names or name in fmt.media_types), None)
