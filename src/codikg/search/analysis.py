"""Text analysis for search: one function turns any text into what matching needs.

Thai is segmented into words with PyThaiNLP's default dictionary engine
(``newmm``); text is first normalised as DESIGN.md says
(:func:`codikg.ingest.thai.normalize_text`: NFC, repaired SARA AM and
zero-width characters), Thai digits become ASCII and letters lower-case, so
every character of the *key* text stands at the same offset as in the
displayed text (highlights need that). English words are stemmed with the
Snowball English stemmer.

Because Thai has no spaces, the matcher also looks at the *compact* text
(whitespace removed) and at its *folded* form, which forgives the usual
typing slips: Thai tone marks (U+0E48..U+0E4B) are dropped, and in Latin
script aspiration ``h`` after k/p/t is dropped and doubled letters collapse,
so "baan mankong" meets the RTGS "ban mankhong".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from pythainlp.tokenize import word_tokenize

from codikg.ingest.thai import normalize_text, to_ascii_digits

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


def segment(key: str) -> list[tuple[int, int]]:
    """Word spans (start, end) of ``key`` text: newmm words with a letter or digit."""
    spans, pos = [], 0
    for token in word_tokenize(key, engine="newmm", keep_whitespace=True):
        end = pos + len(token)
        if _WORDLIKE.search(token):
            spans.append((pos, end))
        pos = end
    if pos != len(key):
        raise ValueError(f"segmenter lost characters of {key!r}")
    return spans


@dataclass(frozen=True)
class AnalyzedText:
    """A text ready for matching.

    Attributes:
        text: the displayed text (normalised).
        key: :func:`key_text` of it (same length, offsets shared).
        spans: word spans (code-point offsets, end exclusive) in ``key``.
    """

    text: str
    key: str
    spans: tuple[tuple[int, int], ...]
    words: tuple[str, ...] = field(init=False)
    word_keys: tuple[str, ...] = field(init=False)
    folded_keys: tuple[str, ...] = field(init=False)
    folded_words: tuple[str, ...] = field(init=False)
    key_blob: str = field(init=False)
    folded_blob: str = field(init=False)
    compact: str = field(init=False)
    compact_map: tuple[int, ...] = field(init=False)
    folded: str = field(init=False)
    folded_map: tuple[int, ...] = field(init=False)

    def __post_init__(self):
        words = tuple(self.key[s:e] for s, e in self.spans)
        keys = tuple(word_key(w) for w in words)
        compact_idx = [i for i, c in enumerate(self.key) if not c.isspace()]
        compact = "".join(self.key[i] for i in compact_idx)
        folded, fmap = fold_with_map(compact)
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

    def is_thai(self, i: int) -> bool:
        """Whether word ``i`` contains Thai characters."""
        return bool(_THAI.search(self.words[i]))


def analyze(text: str, spans: list[tuple[int, int]] | None = None) -> AnalyzedText:
    """Normalise and segment ``text`` (any Unicode string, e.g. a label or a query).

    Args:
        text: the text; it is normalised with :func:`normalize_text` first.
        spans: word spans already computed for the normalised text (from an
            index file); segmenting is skipped when given.

    Raises:
        ValueError: if given ``spans`` do not fit the text.
    """
    display = normalize_text(text)
    key = key_text(display)
    if spans is None:
        spans = segment(key)
    elif any(not (0 <= s < e <= len(key)) for s, e in spans):
        raise ValueError(f"word spans do not fit {display!r}")
    return AnalyzedText(display, key, tuple(tuple(s) for s in spans))


@lru_cache(maxsize=8192)
def analyze_cached(text: str) -> AnalyzedText:
    """:func:`analyze` with a cache, for texts met again and again (SPARQL rows)."""
    return analyze(text)
