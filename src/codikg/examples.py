"""The documented example queries in ``queries/*.rq``.

Each file opens with ``#`` comment lines: the first is the title, the rest
describe the query. The remaining text is the SPARQL query itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ExampleQuery:
    """One example: ``name`` is the file stem, ``sparql`` the full file text."""

    name: str
    title: str
    description: str
    sparql: str


def load_examples(folder: Path) -> list[ExampleQuery]:
    """Read every ``*.rq`` in ``folder``, sorted by file name.

    Raises:
        ValueError: a file does not start with a ``#`` title line (names the file).
    """
    examples = []
    for path in sorted(Path(folder).glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        comments = []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            comments.append(line.lstrip("#").strip())
        if not comments or not comments[0]:
            raise ValueError(f"{path}:1: an example query must start with a '# title' line")
        examples.append(ExampleQuery(path.stem, comments[0], " ".join(c for c in comments[1:] if c), text))
    return examples
