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
    # Turtle is a subset of Notation3, so it answers format=n3 (SPARQLWrapper's N3 sends it).
    Format("text/turtle", ("application/x-turtle",), ox.RdfFormat.TURTLE, ("turtle", "ttl", "n3"),
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
    accept = accept.lower()  # media types are case-insensitive (RFC 9110 §8.3.1)
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


class FormatNotAvailable(ValueError):
    """A ``format=`` value names none of the formats the answer can take (→ 406).

    Its message names the value and lists every available format (:func:`not_available`).
    """


def format_by_name(formats: tuple[Format, ...], name: str | None) -> Format | None:
    """The format named by a ``format``/``output``/``results`` parameter, if any.

    Accepts short names (``json``, ``csv``, ``turtle``...) and media types;
    an unknown name gives ``None`` (see :func:`requested_format` for the
    parameter as a whole).
    """
    if not name:
        return None
    name = name.strip().lower()
    for fmt in formats:
        if name in fmt.names or name == fmt.media_type or name in fmt.aliases:
            return fmt
    return None


def requested_format(formats: tuple[Format, ...], names: list[str] | str | None) -> Format | None:
    """The format that ``format=`` (or ``output=``/``results=``) values choose.

    Args:
        formats: the formats this answer can take.
        names: the parameter's values in request order (a string for one value);
            empty values are ignored.

    Returns:
        The format of the first value that names one of ``formats`` (clients
        such as SPARQLWrapper send several, e.g. ``rdf+xml`` then
        ``application/rdf+xml``), or ``None`` when no value was given: the
        caller then negotiates on ``Accept``.

    Raises:
        FormatNotAvailable: values were given and none names one of ``formats``.
    """
    values = [names] if isinstance(names, str) else list(names or ())
    values = [value for value in values if value.strip()]
    if not values:
        return None
    for value in values:
        fmt = format_by_name(formats, value)
        if fmt is not None:
            return fmt
    raise FormatNotAvailable(not_available(f"format={values[0]!r}", formats))


def not_available(asked: str, formats: tuple[Format, ...]) -> str:
    """The body of a 406 answer (one line, no newline): what was asked
    (``format='x'``, ``Accept: …``) and every available format by its
    ``format=`` name and media type; the same on every route."""
    listed = ", ".join(f"{fmt.names[0]} ({fmt.media_type})" for fmt in formats)
    return f"406 Not Acceptable: {asked} is not available; available: {listed}"


def prefers_html(accept: str | None, formats: tuple[Format, ...]) -> bool:
    """Whether ``accept`` (a browser's) ranks ``text/html`` strictly above every one
    of ``formats``; ``*/*`` alone, or no header, never prefers HTML (RFC 9110 §12.5.1)."""
    if not accept or "html" not in accept.lower():
        return False
    accept = accept.lower()
    try:
        html = max(mimeparse.quality(t, accept) for t in (HTML.media_type, *HTML.aliases))
        others = max(mimeparse.quality(t, accept)
                     for fmt in formats for t in (fmt.media_type, *fmt.aliases))
    except (ValueError, IndexError):
        return False
    return html > others


def available(formats: tuple[Format, ...]) -> str:
    """Comma-separated media types, for 406 messages."""
    return ", ".join(fmt.media_type for fmt in formats)
