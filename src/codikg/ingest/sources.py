"""One ingester per source format, chosen by the document's file extension.

``.txt`` is the Thai plan template (:mod:`codikg.ingest.parser`). ``.xml`` is
StratML (ISO 17469), read by ``codikg.ingest.stratml.read_stratml(path) -> Plan``
once that module exists; until then an ``.xml`` source is refused with a clear
error. A new format is one more entry in :data:`MEDIA_TYPES` and :func:`read_plan`.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from codikg.model import Plan

#: File extension → the media type recorded for the source document.
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


def read_plan(path: Path, media_type: str | None = None) -> Plan:
    """Read a plan document with the ingester of its format.

    Args:
        path: the source document.
        media_type: recorded as the source's media type (default: plain text); any
            extension but ``.xml`` is read as the plain-text template.

    Raises:
        UnsupportedSource: a format with no ingester (yet: StratML ``.xml``).
        codikg.ingest.PlanParseError: a line of a ``.txt`` plan that fits nowhere.
        UnicodeDecodeError: a ``.txt`` plan that is not UTF-8.
    """
    path = Path(path)
    if path.suffix.lower() == ".xml":
        try:
            stratml = importlib.import_module("codikg.ingest.stratml")
        except ModuleNotFoundError:
            raise UnsupportedSource(f"{path}: StratML (.xml) plan documents cannot be read yet "
                                    "(codikg.ingest.stratml is not installed); use the plain-text "
                                    "template (.txt)") from None
        return stratml.read_stratml(path)
    from codikg.ingest.parser import parse_plan_file

    return parse_plan_file(path, media_type or MEDIA_TYPES[".txt"])
