"""How well a text answers a query, and where to highlight it.

Tiers, best first (the ranking rule of issue 8):

4. the whole text is the query (compact forms or word keys equal);
3. the query occurs as a phrase: its compact form (see
   :mod:`codikg.search.analysis`; Thai words may be spaced or not) starts and
   ends on word boundaries of the text, or its word keys (English stems)
   follow each other in the text;
2. every query word occurs as a whole word;
1. some query words occur, or occur only as part of a longer word.

A query word occurs as a whole word (level 3: it starts and ends on word
boundaries), as the start of a word (2) or inside a word (1). A part of a
word counts only for query words of 3 or more characters: นา (rice field)
does not find พัฒนา, ตา (eye) does not find ตาม. English words are also
compared by their stems. Each test is tried on the exact key text first,
then on the folded form (:func:`codikg.search.analysis.fold`): a match is
``exact`` (2), ``folded`` (1) or, when the search index rewrote a misspelt
query word into a word of the index, ``fuzzy`` (0).

:meth:`TextMatch.score` packs the whole ranking key into one number, so
sorting by it gives the ranking (see :func:`pack_score`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from codikg.search.analysis import AnalyzedText

WHOLE, PREFIX, INSIDE = 3, 2, 1
#: Shortest query word (code points) that may match part of a longer word.
MIN_PART = 3
TIER_NAMES = {4: "whole text", 3: "phrase", 2: "all words", 1: "some words or parts"}
EXACTNESS_NAMES = {2: "exact", 1: "folded", 0: "fuzzy"}
#: Field ranks (higher is better) as used by the search index; cdk:textMatch scores as a label.
TOP_FIELD_RANK = 2
_RADIX = (5, 3, 3, 11, 5)  # matched quarters, field rank, exactness, quality tenths, coverage quarters
_STEPS = 5 * 3 * 3 * 11 * 5


def pack_score(tier: int, parts: tuple[int, ...]) -> float:
    """``tier`` plus the ranking parts read as digits of a mixed-radix fraction.

    ``parts`` are (matched words in quarters of the query 0..4, field rank
    0..2, exactness 0..2, word quality in tenths 0..10, coverage in quarters
    0..4); they compare lexicographically, and so does the result, which
    lies in [tier, tier + 1). The fraction has 2475 steps, so rounding to 4
    decimals keeps the order.
    """
    index = 0
    for value, radix in zip(parts, _RADIX):
        index = index * radix + max(0, min(radix - 1, value))
    return tier + index / _STEPS


@dataclass(frozen=True)
class TextMatch:
    """The result of :func:`match`.

    Attributes:
        tier: 4..1 as in the module docstring; 0 for no match.
        matched: how many query words occur (wholly or in part).
        words: how many words the query has.
        exactness: 2 exact, 1 folded (tone marks, romanisation), 0 fuzzy.
        quality: sum over query words of their level (3 whole, 2 prefix, 1 inside).
        coverage: how much of the text the query covers, in quarters (0..4):
            "สวัสดิการชุมชน" answers สวัสดิการ better than a sentence mentioning it.
        spans: (start, end) character ranges to highlight in the displayed text.
    """

    tier: int
    matched: int
    words: int
    exactness: int
    quality: int
    coverage: int = 0
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def exact(self) -> bool:
        """True when neither folding nor a spelling correction was needed."""
        return self.exactness == 2

    def parts(self, field_rank: int = TOP_FIELD_RANK) -> tuple[int, ...]:
        """The ranking parts after the tier (see :func:`pack_score`)."""
        n = max(1, self.words)
        return (4 * self.matched // n, field_rank, self.exactness, 10 * self.quality // (3 * n), self.coverage)

    def score(self, field_rank: int = TOP_FIELD_RANK) -> float:
        """One number that orders matches like the ranking does: in [tier, tier + 1); 0 for no match."""
        return pack_score(self.tier, self.parts(field_rank)) if self.tier else 0.0

    def fuzzy(self) -> "TextMatch":
        """This match, marked as found through a spelling correction."""
        return replace(self, exactness=0)


NO_MATCH = TextMatch(0, 0, 0, 2, 0)


def _aligned(haystack: str, needle: str, where: tuple[int, ...], bounds: frozenset):
    """Occurrences of ``needle`` as (level, display span): level 3 both ends on
    boundaries, 2 only the start, 1 neither; parts only for needles of MIN_PART+."""
    found, start = [], haystack.find(needle)
    while needle and start >= 0:
        end = start + len(needle)
        level = (WHOLE if end in bounds else PREFIX) if start in bounds else INSIDE
        if level == WHOLE or len(needle) >= MIN_PART:
            found.append((level, (where[start], where[end - 1] + 1)))
        start = haystack.find(needle, start + 1)
    return found


def _word_level(query: AnalyzedText, i: int, text: AnalyzedText, folded: bool):
    """Level (0..3) and spans of query word ``i`` in ``text``."""
    keys, blob = (text.folded_keys, text.folded_blob) if folded else (text.word_keys, text.key_blob)
    key = query.folded_keys[i] if folded else query.word_keys[i]
    if f"\0{key}\0" in blob:
        return WHOLE, [text.spans[j] for j, k in enumerate(keys) if k == key]
    hay, where, bounds = ((text.folded, text.folded_map, text.folded_bounds) if folded
                          else (text.compact, text.compact_map, text.compact_bounds))
    word = query.folded_words[i] if folded else query.words[i]
    found = _aligned(hay, word, where, bounds) + (_aligned(hay, key, where, bounds) if key != word else [])
    if not found:
        return 0, []
    best = max(level for level, _ in found)
    return best, [span for level, span in found if level == best]


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
    coverage = min(4, 4 * len(query.compact) // max(1, len(text.compact)))
    for folded in (False, True):
        hay, where, bounds = ((text.folded, text.folded_map, text.folded_bounds) if folded
                              else (text.compact, text.compact_map, text.compact_bounds))
        needle = query.folded if folded else query.compact
        keys = text.folded_keys if folded else text.word_keys
        qkeys = query.folded_keys if folded else query.word_keys
        exactness = 1 if folded else 2
        if hay == needle or keys == qkeys:
            return TextMatch(4, n, n, exactness, 3 * n, 4, ((0, len(text.text)),))
        phrase = [span for level, span in _aligned(hay, needle, where, bounds) if level == WHOLE]
        if ("\0" + "\0".join(qkeys) + "\0") in (text.folded_blob if folded else text.key_blob):
            phrase += [(text.spans[j][0], text.spans[j + n - 1][1]) for j in range(len(keys) - n + 1)
                       if keys[j:j + n] == qkeys]
        if phrase:
            return TextMatch(3, n, n, exactness, 3 * n, coverage,
                             _merge(phrase))
    tier = 2 if all(v == WHOLE for v in levels_any) else 1
    exact = all(levels_exact) if matched == n else sum(1 for v in levels_exact if v) == matched
    return TextMatch(tier, matched, n, 2 if exact else 1, quality, coverage, _merge(spans))


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
