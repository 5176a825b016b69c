"""Spaces that split a word: artefacts of line wrapping in the source document.

Thai separates phrases, not words, with spaces; a space inside a word is
usually where a line of the original was wrapped (``ที่อยู่ อาศัย``, line 49).
A space between Thai letters is reported when, segmenting the text with
PyThaiNLP's dictionary segmenter (``newmm``) and taking the word on each side:

- ``dictionary``: the two words joined are one word of PyThaiNLP's Thai word
  list (``ที่อยู่`` + ``อาศัย`` → ``ที่อยู่อาศัย``); or
- ``elsewhere``: the document prints the two words joined, without the space,
  somewhere else (``ขบวน`` + ``องค์กร``: line 87 prints ``ขบวนองค์กร``).

Conservative by design: repetition marks (``ต่าง ๆ``, a space by convention)
and non-Thai neighbours are never reported; nothing is corrected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_SPACE = re.compile(r"(?<=[\u0E01-\u0E4E]) (?=[\u0E01-\u0E4E])")
_MAI_YAMOK = "\u0E46"


@dataclass(frozen=True)
class SplitWord:
    """One suspicious space.

    Attributes:
        offset: code-point offset of the space in the text given (0-based).
        before, after: the words on each side (verbatim).
        reason: ``dictionary`` or ``elsewhere`` (see the module docstring).
    """

    offset: int
    before: str
    after: str
    reason: str

    @property
    def quote(self) -> str:
        """The words as printed, space included."""
        return f"{self.before} {self.after}"


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


def _segment(text: str) -> list[str]:
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(text, engine="newmm", keep_whitespace=False)


def find_split_words(text: str, document: str) -> list[SplitWord]:
    """The spaces of ``text`` that split a word.

    Args:
        text: one printed item, verbatim (e.g. an element's ``oa:exact``).
        document: the whole source text, to look for the joined form elsewhere.

    Returns:
        the findings, in text order.
    """
    found = []
    for match in _SPACE.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        before = _segment(text[line_start:match.start()])
        after = _segment(text[match.end():line_end if line_end >= 0 else len(text)])
        if not before or not after or after[0].startswith(_MAI_YAMOK):
            continue
        left, right = before[-1], after[0]
        joined = left + right
        if joined in _words():
            reason = "dictionary"
        elif joined in document.replace(f"{left} {right}", ""):
            reason = "elsewhere"
        else:
            continue
        found.append(SplitWord(match.start(), left, right, reason))
    return found
