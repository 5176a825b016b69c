"""Text analysis for search: one function turns any text into what matching needs.

Thai is segmented into words by :mod:`codikg.search.segmentation` (newmm
with PyThaiNLP's dictionary plus the glossary's compound terms); the word
boundaries of newmm with the default dictionary alone are kept too, so a
match may start or end where either reading puts a boundary. Text is first
normalised as docs/DESIGN.md says
(:func:`codikg.ingest.thai.normalize_text`: NFC, repaired SARA AM and
zero-width characters), Thai digits become ASCII and letters lower-case, so
every character of the *key* text stands at the same offset as in the
displayed text (highlights need that). English words are stemmed with the
Snowball English stemmer.

Because Thai has no spaces (and the plan spaces its Thai freely), the
matcher also looks at the *compact* text: whitespace is removed except one
space between two Latin letters or digits, so a match never runs across a
space in Latin text ("financial and" does not contain "land"); and at its
*folded* form, which forgives the usual typing slips: Thai tone marks (U+0E48..U+0E4B) are dropped, and in Latin
script aspiration ``h`` after k/p/t is dropped and doubled letters collapse,
so "baan mankong" meets the RTGS "ban mankhong".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from codikg.ingest.thai import normalize_text, to_ascii_digits
from codikg.search.segmentation import default_tokenize, tokenize

#: Thai tone marks: mai ek, mai tho, mai tri, mai chattawa.
TONE_MARKS = "\u0e48\u0e49\u0e4a\u0e4b"
_WORDLIKE = re.compile("[0-9a-z\u0e01-\u0e2e]")
_LATIN_WORD = re.compile("^[a-z]+$")
_THAI = re.compile("[\u0e01-\u0e4f]")
_STEMMER = snowballstemmer.stemmer("english")


def key_text(display: str) -> str:
    """The matching form of already-normalised text, same length as ``display``.

    Thai digits become ASCII, letters lower-case (a character whose lower
    case is longer than one character is kept as it is, to keep offsets).
    """
    text = to_ascii_digits(display)
    return "".join(c if len(lc := c.lower()) != 1 else lc for c in text)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` (see module docstring) and map each folded position back.

    Returns:
        (folded text, list giving for each folded character its index in ``text``).
    """
    out, where = [], []
    for i, c in enumerate(text):
        if c in TONE_MARKS:
            continue
        if c == "h" and out and out[-1] in "kpt":
            continue
        if out and c == out[-1] and c.isascii() and c.isalpha():
            continue
        out.append(c)
        where.append(i)
    return "".join(out), where


def fold(text: str) -> str:
    """:func:`fold_with_map` without the map."""
    return fold_with_map(text)[0]


def word_key(token: str) -> str:
    """The comparison key of one token: an English stem, or the token itself."""
    return _STEMMER.stemWord(token) if _LATIN_WORD.match(token) else token


def _edges(tokens: list[str]) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for token in tokens:
        out.append((pos, pos + len(token), token))
        pos += len(token)
    return out


def segment(key: str, second_reading: bool = True) -> tuple[list[tuple[int, int]], list[int]]:
    """Word spans of ``key`` text, and the extra word boundaries of a second reading.

    Returns:
        (spans, bounds): spans (start, end) of the words (tokens with a letter
        or digit) of :func:`codikg.search.segmentation.tokenize`; bounds, the
        positions where newmm with the default dictionary alone ends a token
        and the first reading does not (empty unless ``second_reading``: a
        query needs only its words; the boundaries that matter are the text's).

    Raises:
        ValueError: if a segmenter loses characters (a PyThaiNLP defect).
    """
    edges = _edges(tokenize(key))
    second = _edges(default_tokenize(key)) if second_reading else []
    if edges[-1:] and edges[-1][1] != len(key) or second[-1:] and second[-1][1] != len(key):
        raise ValueError(f"segmenter lost characters of {key!r}")
    spans = [(s, e) for s, e, token in edges if _WORDLIKE.search(token)]
    first = {s for s, _, _ in edges} | {e for _, e, _ in edges}
    return spans, sorted({e for _, e, _ in second} - first)


def _is_latin_alnum(c: str) -> bool:
    return c.isalnum() and not _THAI.match(c)


def _is_separator(c: str) -> bool:
    return c.isspace() or (unicodedata.category(c)[0] in "PSZ" and c != ".")


def compact_with_map(key: str) -> tuple[str, list[int]]:
    """``key`` without whitespace, except one space kept between two Latin
    letters or digits; with each kept character's index in ``key``."""
    out, where = [], []
    for i, c in enumerate(key):
        if c.isspace():
            if not (out and out[-1] != " " and _is_latin_alnum(out[-1]) and i + 1 < len(key)
                    and _is_latin_alnum(key[i + 1])):
                continue
            c = " "
        out.append(c)
        where.append(i)
    return "".join(out), where


@dataclass(frozen=True)
class AnalyzedText:
    """A text ready for matching.

    Attributes:
        text: the displayed text (normalised).
        key: :func:`key_text` of it (same length, offsets shared).
        spans: word spans (code-point offsets, end exclusive) in ``key``.
        bounds: further word-boundary offsets in ``key`` (a second segmentation).
        compact_bounds / folded_bounds: offsets in ``compact`` / ``folded``
            where a match may start or end: word edges and separators.
    """

    text: str
    key: str
    spans: tuple[tuple[int, int], ...]
    bounds: tuple[int, ...] = ()
    words: tuple[str, ...] = field(init=False)
    word_keys: tuple[str, ...] = field(init=False)
    folded_keys: tuple[str, ...] = field(init=False)
    folded_words: tuple[str, ...] = field(init=False)
    key_blob: str = field(init=False)
    folded_blob: str = field(init=False)
    compact: str = field(init=False)
    compact_map: tuple[int, ...] = field(init=False)
    compact_bounds: frozenset = field(init=False)
    folded: str = field(init=False)
    folded_map: tuple[int, ...] = field(init=False)
    folded_bounds: frozenset = field(init=False)

    def __post_init__(self):
        words = tuple(self.key[s:e] for s, e in self.spans)
        keys = tuple(word_key(w) for w in words)
        compact, compact_idx = compact_with_map(self.key)
        folded, fmap = fold_with_map(compact)
        edges = {s for s, _ in self.spans} | {e for _, e in self.spans} | set(self.bounds)
        cb = {0, len(compact)}
        for c, i in enumerate(compact_idx):
            if i in edges or _is_separator(self.key[i]):
                cb.add(c)
            if i + 1 in edges or _is_separator(self.key[i]):
                cb.add(c + 1)
        fpos = list(fmap) + [len(compact)]
        set_ = object.__setattr__
        set_(self, "words", words)
        set_(self, "word_keys", keys)
        folded_keys = tuple(fold(k) for k in keys)
        set_(self, "folded_keys", folded_keys)
        set_(self, "folded_words", tuple(fold(w) for w in words))
        # NUL-joined keys: whole-word, prefix and word-sequence tests become substring tests
        set_(self, "key_blob", "\0" + "\0".join(keys) + "\0")
        set_(self, "folded_blob", "\0" + "\0".join(folded_keys) + "\0")
        set_(self, "compact", compact)
        set_(self, "compact_map", tuple(compact_idx))
        set_(self, "folded", folded)
        set_(self, "folded_map", tuple(compact_idx[i] for i in fmap))
        set_(self, "compact_bounds", frozenset(cb))
        set_(self, "folded_bounds", frozenset(f for f, c in enumerate(fpos) if c in cb))


def analyze(text: str, spans: list[tuple[int, int]] | None = None,
            bounds: list[int] = (), second_reading: bool = True) -> AnalyzedText:
    """Normalise and segment ``text`` (any Unicode string, e.g. a label or a query).

    Args:
        text: the text; it is normalised with :func:`normalize_text` first.
        spans, bounds: word spans and extra boundaries already computed for
            the normalised text (from an index file, see :func:`segment`);
            segmenting is skipped when ``spans`` is given.
        second_reading: whether to add the default dictionary's boundaries
            (see :func:`segment`); queries do without.

    Raises:
        ValueError: if given ``spans`` do not fit the text.
    """
    display = normalize_text(text)
    key = key_text(display)
    if spans is None:
        spans, bounds = segment(key, second_reading)
    elif any(not (0 <= s < e <= len(key)) for s, e in spans) or any(not 0 <= b <= len(key) for b in bounds):
        raise ValueError(f"word spans do not fit {display!r}")
    return AnalyzedText(display, key, tuple(tuple(s) for s in spans), tuple(bounds))


@lru_cache(maxsize=8192)
def analyze_cached(text: str) -> AnalyzedText:
    """:func:`analyze` with a cache, for texts met again and again (SPARQL rows)."""
    return analyze(text)
