"""Thai dictionary order for human-facing lists (docs/DESIGN.md: never code-point order)."""

from __future__ import annotations

from typing import Callable, Iterable, TypeVar

from pythainlp.util import collate

T = TypeVar("T")


def thai_sorted(items: Iterable[T], key: Callable[[T], str] = str) -> list[T]:
    """Sort ``items`` by ``key(item)`` in Thai dictionary order (PyThaiNLP ``collate``).

    Equal keys keep their input order (the sort is stable). Latin text sorts
    before Thai, as in ``collate``.
    """
    items = list(items)
    rank = {text: i for i, text in enumerate(collate({key(item) for item in items}))}
    return sorted(items, key=lambda item: rank[key(item)])
