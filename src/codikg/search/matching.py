"""How well a text answers a query, and where to highlight it.

Tiers, best first (the ranking rule of issue 8):

4. the whole text is the query (compact forms or word keys equal);
3. the query occurs as a phrase: its compact form (no spaces) is a substring
   (Thai word boundaries are not reliable enough to demand them), or its
   word keys (English stems) follow each other in the text;
2. every query word occurs;
1. some query words occur.

A query word occurs as a whole word (3), as the start of a word (2) or
inside the text (1, Thai words of 2+ characters and Latin ones of 3+). Each
test is tried on the exact key text first, then on the folded form
(:func:`codikg.search.analysis.fold`); a match that needed folding is not
``exact`` and ranks below an exact one of the same tier.
"""

from __future__ import annotations

from dataclasses import dataclass

from codikg.search.analysis import AnalyzedText

WHOLE, PREFIX, INSIDE = 3, 2, 1
TIER_NAMES = {4: "whole text", 3: "phrase", 2: "all words", 1: "some words"}


@dataclass(frozen=True)
class TextMatch:
    """The result of :func:`match`.

    Attributes:
        tier: 4..1 as in the module docstring; 0 for no match.
        matched: how many query words occur.
        exact: True when no folding (tone marks, romanisation) was needed.
        quality: sum over query words of their level (3 whole, 2 prefix, 1 inside).
        spans: (start, end) character ranges to highlight in the displayed text.
    """

    tier: int
    matched: int
    exact: bool
    quality: int
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def score(self) -> float:
        """One number that orders matches like the tiers do: in [tier, tier + 1)."""
        if not self.tier:
            return 0.0
        return self.tier + (0.5 if self.exact else 0.0) + 0.49 * min(self.quality / 9, 1.0)


NO_MATCH = TextMatch(0, 0, True, 0)


def _occurrences(haystack: str, needle: str, where: tuple[int, ...]) -> list[tuple[int, int]]:
    spans, start = [], haystack.find(needle)
    while needle and start >= 0:
        end = start + len(needle)
        spans.append((where[start], where[end - 1] + 1))
        start = haystack.find(needle, start + 1)
    return spans


def _word_level(query: AnalyzedText, i: int, text: AnalyzedText, folded: bool):
    """Level (0..3) and spans of query word ``i`` in ``text``."""
    keys, blob = (text.folded_keys, text.folded_blob) if folded else (text.word_keys, text.key_blob)
    key = query.folded_keys[i] if folded else query.word_keys[i]
    if f"\0{key}\0" in blob:
        return WHOLE, [text.spans[j] for j, k in enumerate(keys) if k == key]
    if len(key) >= 2 and f"\0{key}" in blob:
        return PREFIX, [text.spans[j] for j, k in enumerate(keys) if k.startswith(key)]
    word = query.folded_words[i] if folded else query.words[i]
    if len(word) >= (2 if query.is_thai(i) else 3):
        hay, where = (text.folded, text.folded_map) if folded else (text.compact, text.compact_map)
        if word in hay:
            return INSIDE, _occurrences(hay, word, where)
    return 0, []


def match(query: AnalyzedText, text: AnalyzedText) -> TextMatch:
    """Match an analysed query against an analysed text (see the module docstring)."""
    n = len(query.words)
    if n == 0 or not text.compact:
        return NO_MATCH
    # Every level below needs one of these substrings: skip most texts at C speed.
    if not any(k in text.key_blob or f in text.folded_blob or w in text.compact or fw in text.folded
               for k, f, w, fw in zip(query.word_keys, query.folded_keys, query.words, query.folded_words)):
        return NO_MATCH
    spans: list[tuple[int, int]] = []
    levels_exact, levels_any = [], []
    for i in range(n):
        level, found = _word_level(query, i, text, folded=False)
        levels_exact.append(level)
        if not level:
            level, found = _word_level(query, i, text, folded=True)
        levels_any.append(level)
        spans += found
    matched = sum(1 for v in levels_any if v)
    if not matched:
        return NO_MATCH
    quality = sum(levels_any)
    for folded in (False, True):
        hay, where = (text.folded, text.folded_map) if folded else (text.compact, text.compact_map)
        needle = query.folded if folded else query.compact
        keys = text.folded_keys if folded else text.word_keys
        qkeys = query.folded_keys if folded else query.word_keys
        if hay == needle or keys == qkeys:
            return TextMatch(4, n, not folded, 3 * n, ((0, len(text.text)),))
        phrase = _occurrences(hay, needle, where) if n > 1 or len(needle) >= 2 else []
        if ("\0" + "\0".join(qkeys) + "\0") in (text.folded_blob if folded else text.key_blob):
            phrase += [(text.spans[j][0], text.spans[j + n - 1][1]) for j in range(len(keys) - n + 1)
                       if keys[j:j + n] == qkeys]
        if phrase:
            return TextMatch(3, n, not folded, quality, _merge(phrase + spans))
    exact = all(levels_exact) if matched == n else sum(1 for v in levels_exact if v) == matched
    return TextMatch(2 if matched == n else 1, matched, exact, quality, _merge(spans))


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)


def highlight(text: str, spans: tuple[tuple[int, int], ...]) -> list[tuple[str, bool]]:
    """Cut ``text`` into (piece, is_match) runs for display; spans as in :class:`TextMatch`."""
    pieces, pos = [], 0
    for start, end in spans:
        if start > pos:
            pieces.append((text[pos:start], False))
        pieces.append((text[start:end], True))
        pos = end
    if pos < len(text):
        pieces.append((text[pos:], False))
    return pieces
