"""The documented example queries in ``queries/*.rq``.

Each file opens with ``#`` comment lines of the form ``# key@lang: text``:
``title@en``, ``title@th``, ``description@en`` and ``description@th`` are
required (a description may continue on following ``#`` lines without a
key). The rest of the file is the SPARQL query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_FIELD = re.compile(r"^#\s*(?P<key>title|description)@(?P<lang>en|th)\s*:\s*(?P<text>.*)$")
REQUIRED = ("title@en", "title@th", "description@en", "description@th")


@dataclass(frozen=True)
class ExampleQuery:
    """One example; ``name`` is the file stem, ``sparql`` the whole file text.

    ``title`` and ``description`` map a language tag (``en``, ``th``) to text.
    """

    name: str
    title: dict[str, str]
    description: dict[str, str]
    sparql: str


def parse_example(path: Path) -> ExampleQuery:
    """Read one example file.

    Raises:
        ValueError: a required ``# key@lang:`` line is missing (names the file
            and the key).
    """
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    current = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if match := _FIELD.match(line):
            current = f"{match['key']}@{match['lang']}"
            fields[current] = match["text"].strip()
        elif current and line.lstrip("#").strip():
            fields[current] += " " + line.lstrip("#").strip()
    missing = [key for key in REQUIRED if not fields.get(key)]
    if missing:
        raise ValueError(f"{path}:1: example query lacks '# {missing[0]}: ...' "
                         f"(required: {', '.join(REQUIRED)})")
    return ExampleQuery(path.stem,
                        {lang: fields[f"title@{lang}"] for lang in ("en", "th")},
                        {lang: fields[f"description@{lang}"] for lang in ("en", "th")},
                        text)


def load_examples(folder: Path) -> list[ExampleQuery]:
    """Read every ``*.rq`` in ``folder``, sorted by file name (see :func:`parse_example`)."""
    return [parse_example(path) for path in sorted(Path(folder).glob("*.rq"))]
