"""Thai word segmentation shared by search and RTGS romanisation.

PyThaiNLP's ``newmm`` engine runs with its default dictionary plus the
compound terms of ``terms-th.txt`` (the glossary's planning and
community-development terms). The compounds only fix where words start and
end: newmm alone reads โครงการบ้านมั่นคง as โครง|การบ้าน|มั่นคง, with the
compound บ้านมั่นคง it reads โครงการ|บ้านมั่นคง. Each compound is then cut
into its own words, as the list marks them (บ้าน|มั่นคง), because RTGS writes
them apart and a search for one of them must find it as a whole word.
Abbreviations in the list (``ก.พ.ร.``; ``พ.ศ.`` is in the default dictionary)
stay one token.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_tokenize
from pythainlp.util import dict_trie

#: A Thai abbreviation: groups of Thai consonants each closed by a dot (พ.ศ., ก.พ.ร.).
ABBREVIATION = re.compile("^(?:[\u0e01-\u0e2e]+\\.)+$")


def compound_terms() -> dict[str, list[str]]:
    """The terms of ``terms-th.txt``: each term mapped to its own words
    (one word for a term without ``|``)."""
    text = files("codikg.search").joinpath("terms-th.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {line.replace("|", ""): line.split("|") for line in lines}


@lru_cache(maxsize=1)
def _dictionaries():
    terms = compound_terms()
    return dict_trie(set(thai_words()) | set(terms)), {t: p for t, p in terms.items() if len(p) > 1}


def tokenize(text: str) -> list[str]:
    """Cut ``text`` into tokens (words, spaces, punctuation) whose concatenation is ``text``.

    Args:
        text: any string (normalised Thai, Latin, digits, punctuation).
    """
    trie, parts = _dictionaries()
    tokens = word_tokenize(text, custom_dict=trie, engine="newmm", keep_whitespace=True)
    return [piece for token in tokens for piece in parts.get(token, (token,))]


def default_tokenize(text: str) -> list[str]:
    """Tokens of ``text`` by newmm with PyThaiNLP's default dictionary only
    (a second reading: search accepts a word boundary either reading has)."""
    return word_tokenize(text, engine="newmm", keep_whitespace=True)
