"""Find items the plan prints more than once.

Two printed items are the same item when they are of the same kind (indicator,
strategy, project) and their normalised texts are equal once every space is
removed: the source breaks lines and inserts spaces inside phrases
(``กำกับดูแล ติดตาม`` vs ``กำกับดูแลติดตาม``), and Thai writes no spaces
between words, so spaces carry no meaning for this comparison. Items that are
merely similar (one text extends the other) are reported, never merged.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

#: Similarity ratio (difflib) from which two different texts are reported as near-repeats.
NEAR_REPEAT_RATIO = 0.9


@dataclass(frozen=True)
class PrintedItem:
    """One printing of an item.

    Attributes:
        iri: the position-based IRI of the printed element.
        kind: the element's class IRI (or any key: items of different kinds never match).
        text: its normalised Thai text.
        line: the 1-based line it is printed on.
    """

    iri: str
    kind: str
    text: str
    line: int


def match_key(text: str) -> str:
    """The text compared for repeats: the normalised text without any space."""
    return "".join(text.split())


@dataclass(frozen=True)
class Repeat:
    """Items printed more than once with the same text (ignoring spaces).

    ``occurrences`` are in print order; ``key`` is the compared text.
    """

    kind: str
    key: str
    occurrences: tuple[PrintedItem, ...]


@dataclass(frozen=True)
class NearRepeat:
    """Two items of one kind whose texts are similar but not the same."""

    first: PrintedItem
    second: PrintedItem
    ratio: float


def find_repeats(items: Iterable[PrintedItem]) -> list[Repeat]:
    """Group the printed items whose texts match ignoring spaces.

    Args:
        items: every printed item to compare (any order).

    Returns:
        One :class:`Repeat` per group of two or more, ordered by the line of
        the group's first printing.
    """
    groups: dict[tuple[str, str], list[PrintedItem]] = defaultdict(list)
    for item in items:
        groups[(item.kind, match_key(item.text))].append(item)
    repeats = [Repeat(kind, key, tuple(sorted(group, key=lambda i: (i.line, i.iri))))
               for (kind, key), group in groups.items() if len(group) > 1]
    return sorted(repeats, key=lambda r: (r.occurrences[0].line, r.occurrences[0].iri))


def find_near_repeats(items: Iterable[PrintedItem],
                      ratio: float = NEAR_REPEAT_RATIO) -> list[NearRepeat]:
    """Pairs of items of one kind, different ignoring spaces, with similarity ≥ ``ratio``.

    Similarity is :class:`difflib.SequenceMatcher`'s ratio over the space-free
    texts (0..1). Returned in print order of the first item.
    """
    by_kind: dict[str, list[PrintedItem]] = defaultdict(list)
    for item in items:
        by_kind[item.kind].append(item)
    found = []
    for group in by_kind.values():
        group.sort(key=lambda i: (i.line, i.iri))
        for n, first in enumerate(group):
            for second in group[n + 1:]:
                a, b = match_key(first.text), match_key(second.text)
                if a == b:
                    continue
                score = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
                if score >= ratio:
                    found.append(NearRepeat(first, second, round(score, 3)))
    return sorted(found, key=lambda r: (r.first.line, r.second.line))
