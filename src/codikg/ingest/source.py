"""Pick the ingester for a plan's source document: by its media type (the build),
or by its file extension (``codikg plan new``).

The Thai template in plain text (:mod:`codikg.ingest.parser`) and StratML,
ISO 17469 (:mod:`codikg.ingest.stratml`). A new format is one more entry in
:data:`MEDIA_TYPES` and a branch of :func:`read_plan_file`.
"""

from __future__ import annotations

from pathlib import Path

from codikg.model import Plan

#: Media types (without parameters) read as StratML; any ``+xml`` type too.
XML_MEDIA_TYPES = ("application/xml", "text/xml")
#: File extension → the media type recorded for a new plan's source document.
MEDIA_TYPES = {".txt": "text/plain; charset=utf-8", ".xml": "application/xml"}


class UnsupportedSource(ValueError):
    """The document's format has no ingester (the message names the file and the formats there are)."""


def media_type_of(path: Path) -> str:
    """The media type of a source document, from its extension.

    Raises:
        UnsupportedSource: for an extension no ingester reads.
    """
    try:
        return MEDIA_TYPES[Path(path).suffix.lower()]
    except KeyError:
        raise UnsupportedSource(f"{path}: no ingester reads '{Path(path).suffix}' documents "
                                f"(known: {', '.join(MEDIA_TYPES)})") from None


def is_xml(media_type: str) -> bool:
    """True for ``application/xml``, ``text/xml`` and ``*/*+xml`` (parameters ignored)."""
    essence = media_type.split(";", 1)[0].strip().lower()
    return essence in XML_MEDIA_TYPES or essence.endswith("+xml")


def read_plan_file(path: str | Path, media_type: str = "text/plain; charset=utf-8") -> Plan:
    """Read a plan's source document into the plan model.

    Args:
        path: the document.
        media_type: its media type (``source_media_type`` of the plan
            settings): an XML type is read as StratML
            (:func:`codikg.ingest.stratml.read_stratml`), anything else as the
            Thai template in plain text (:func:`codikg.ingest.parse_plan_file`).

    Raises:
        codikg.ingest.PlanParseError: naming the file and line that does not
            fit (a ``StratMLError`` for StratML).
        UnicodeDecodeError: a plain-text document that is not UTF-8.
    """
    if is_xml(media_type):
        from codikg.ingest.stratml import read_stratml

        return read_stratml(path, media_type)
    from codikg.ingest.parser import parse_plan_file

    return parse_plan_file(path, media_type)
