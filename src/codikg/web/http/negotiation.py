"""Which format an answer takes: ``format=`` first, then ``Accept``; the one 406 rule.

The formats are those of :mod:`codikg.sparql.formats`. Negotiation on
``Accept`` is delegated to python-mimeparse (RFC 9110 §12.5.1 q-values and
specificity). Every route follows one rule (:func:`choose`): a ``format=``
value that names a format of the answer decides; a value naming none of them
is 406, never a fallback; without a value ``Accept`` decides, and 406 when
nothing it lists is available. Every 406 body is :func:`not_available`.
"""

from __future__ import annotations

import mimeparse
from starlette.requests import Request

from codikg.sparql.formats import HTML, Format, format_by_name


class NotAcceptable(ValueError):
    """No format of the answer fits the request (→ 406); ``str()`` is the
    one-line 406 body of :func:`not_available`."""


class FormatNotAvailable(NotAcceptable):
    """A ``format=`` value names none of the formats the answer can take."""


def negotiate(formats: tuple[Format, ...], accept: str | None) -> Format | None:
    """Pick the format that best fits an ``Accept`` header (RFC 9110 §12.5.1).

    Args:
        formats: candidates, most preferred first (used on ties and for ``*/*``).
        accept: the header value; ``None`` or empty means "anything".

    A range with a wildcard (``text/*``) matches the formats' canonical media
    types only, so ``text/*`` on SELECT results is CSV (the first text format
    of :data:`codikg.sparql.formats.RESULTS_FORMATS`), not XML by its alias
    ``text/xml``; an alias named in full (``application/json``, ``text/xml``)
    still selects its format.

    Returns:
        The chosen :class:`Format`, or ``None`` if nothing is acceptable (→ 406).
    """
    if not accept or not accept.strip():
        return formats[0]
    accept = accept.lower()  # media types are case-insensitive (RFC 9110 §8.3.1)
    by_type: dict[str, Format] = {}
    # Canonical types before every alias: an alias (text/xml, text/plain, application/json)
    # answers when it is named, but a wildcard (text/*) picks a format by its own type.
    for media_type, fmt in [(f.media_type, f) for f in formats] + [
            (alias, f) for f in formats for alias in f.aliases]:
        by_type.setdefault(media_type, fmt)
    # mimeparse resolves ties in favour of the last candidate.
    try:
        best = mimeparse.best_match(list(reversed(by_type)), accept)
    except (ValueError, IndexError):
        return None
    return by_type.get(best)


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


def choose(request: Request, formats: tuple[Format, ...], params: tuple[str, ...] = ("format",)) -> Format:
    """The format of the answer to ``request``: its ``params`` query values
    (:func:`requested_format`), else its ``Accept`` (:func:`negotiate`).

    Raises:
        FormatNotAvailable: a ``format=`` value names none of ``formats``.
        NotAcceptable: no value was given and ``Accept`` admits none of ``formats``.
    """
    named = requested_format(formats, [v for p in params for v in request.query_params.getlist(p)])
    if named is not None:
        return named
    accept = request.headers.get("accept")
    fmt = negotiate(formats, accept)
    if fmt is None:
        raise NotAcceptable(not_available(f"Accept: {accept}", formats))
    return fmt


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
        html = max(mimeparse.quality(t, accept) for t in HTML.media_types)
        others = max(mimeparse.quality(t, accept) for fmt in formats for t in fmt.media_types)
    except (ValueError, IndexError):
        return False
    return html > others


def available(formats: tuple[Format, ...]) -> str:
    """Comma-separated media types, for 406 messages."""
    return ", ".join(fmt.media_type for fmt in formats)
