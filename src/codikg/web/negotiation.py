"""Media types of SPARQL results and RDF, and content negotiation on ``Accept``.

Negotiation is delegated to python-mimeparse (RFC 9110 q-values and
specificity); this module only knows which types each answer can take.
"""

from __future__ import annotations

from dataclasses import dataclass

import mimeparse
import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    """One serialisation: its canonical media type, aliases and pyoxigraph format."""

    media_type: str
    aliases: tuple[str, ...]
    oxigraph: object
    names: tuple[str, ...]  # short names accepted in ?format= / ?output=
    extension: str = ""  # file extension of explicit-format URLs (Linked Data documents)

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


#: SELECT/ASK results, in order of preference (the first is the default).
RESULTS_FORMATS = (
    Format("application/sparql-results+json", ("application/json",), ox.QueryResultsFormat.JSON,
           ("json", "srj")),
    Format("application/sparql-results+xml", ("application/xml", "text/xml"),
           ox.QueryResultsFormat.XML, ("xml", "srx")),
    Format("text/csv", (), ox.QueryResultsFormat.CSV, ("csv",)),
    Format("text/tab-separated-values", (), ox.QueryResultsFormat.TSV, ("tsv",)),
)

#: CONSTRUCT/DESCRIBE results and RDF documents, in order of preference.
GRAPH_FORMATS = (
    Format("text/turtle", ("application/x-turtle",), ox.RdfFormat.TURTLE, ("turtle", "ttl"),
           "ttl"),
    Format("application/n-triples", ("text/plain",), ox.RdfFormat.N_TRIPLES,
           ("ntriples", "nt", "n-triples"), "nt"),
    Format("application/ld+json", (), ox.RdfFormat.JSON_LD, ("jsonld", "json-ld", "json"),
           "jsonld"),
    Format("application/rdf+xml", ("application/xml", "text/xml"), ox.RdfFormat.RDF_XML,
           ("rdfxml", "rdf", "xml"), "rdf"),
)

#: RDF datasets (quads: each statement with its named graph).
DATASET_FORMATS = (
    Format("application/trig", ("application/x-trig",), ox.RdfFormat.TRIG, ("trig",), "trig"),
    Format("application/n-quads", ("text/x-nquads",), ox.RdfFormat.N_QUADS,
           ("nquads", "nq", "n-quads"), "nq"),
)

#: Every RDF serialisation of a Linked Data document, most preferred first.
RDF_FORMATS = GRAPH_FORMATS + DATASET_FORMATS

#: HTML pages for people (never the default for machines).
HTML = Format("text/html", ("application/xhtml+xml",), None, ("html",), "html")


def format_by_extension(formats: tuple[Format, ...], extension: str) -> Format | None:
    """The format whose explicit-format URL ends in ``.extension`` (``ttl``, ``nq``...)."""
    return next((fmt for fmt in formats if fmt.extension and fmt.extension == extension), None)


def negotiate(formats: tuple[Format, ...], accept: str | None) -> Format | None:
    """Pick the format that best fits an ``Accept`` header.

    Args:
        formats: candidates, most preferred first (used on ties and for ``*/*``).
        accept: the header value; ``None`` or empty means "anything".

    Returns:
        The chosen :class:`Format`, or ``None`` if nothing is acceptable (→ 406).
    """
    if not accept or not accept.strip():
        return formats[0]
    by_type: dict[str, Format] = {}
    for fmt in formats:
        for media_type in (fmt.media_type, *fmt.aliases):
            by_type.setdefault(media_type, fmt)
    # mimeparse resolves ties in favour of the last candidate.
    try:
        best = mimeparse.best_match(list(reversed(by_type)), accept)
    except (ValueError, IndexError):
        return None
    return by_type.get(best)


def format_by_name(formats: tuple[Format, ...], name: str | None) -> Format | None:
    """The format named by a ``format``/``output``/``results`` parameter, if any.

    Accepts short names (``json``, ``csv``, ``turtle``...) and media types;
    an unknown name gives ``None`` so that the caller falls back to ``Accept``.
    """
    if not name:
        return None
    name = name.strip().lower()
    for fmt in formats:
        if name in fmt.names or name == fmt.media_type or name in fmt.aliases:
            return fmt
    return None


def available(formats: tuple[Format, ...]) -> str:
    """Comma-separated media types, for 406 messages."""
    return ", ".join(fmt.media_type for fmt in formats)
