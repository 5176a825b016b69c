"""The derived graph ``{base}graph/derived``: statements the build computes.

Today it holds one romanised label per Thai label: every ``skos:prefLabel``
and ``skos:altLabel`` in ``@th`` (document and curation graphs) gets a
``skos:altLabel`` in ``@th-Latn`` (BCP 47: Thai in Latin script), following
the Royal Thai General System of Transcription (RTGS).

Romanisation uses PyThaiNLP's ``thai2rom_onnx`` engine (its seq2seq model,
shipped inside the pythainlp wheel, run by onnxruntime). PyThaiNLP's
rule-based ``royin`` engine was tried first and rejected: it drops the
implicit vowels RTGS writes (ชุมชน → "chumtn", มั่นคง → "mankng",
โครงการ → "khonngkan") where the model gives "chumchon", "mankhong" and
"khrongkan". Each word is romanised on its own (the model truncates long
inputs) and the words are joined by spaces, as RTGS writes words apart. The
words come from :func:`codikg.search.segmentation.tokenize` (newmm with the
glossary's compound terms, each cut into its own words), so โครงการบ้านมั่นคง
reads "khrongkan ban mankhong", not "khrong kanban mankhong". The model's
hyphens (``pi-ngoppraman``) become spaces and anything but ASCII letters is
dropped. An abbreviation (พ.ศ., ก.พ.ร.) is spelt letter by letter with the RTGS
letter names, each consonant's initial sound plus "o" (PyThaiNLP's
rule-based ``royin`` engine gives the initial): "pho so", "pho o cho".
"""

from __future__ import annotations

import re
from functools import lru_cache

from pythainlp.transliterate import romanize
from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from codikg.ingest.thai import normalize_text, to_ascii_digits
from codikg.search.segmentation import ABBREVIATION, tokenize

ROMANIZATION_ENGINE = "thai2rom_onnx"
_THAI_LETTER = re.compile("[\u0e01-\u0e2e]")
_SPACE_BEFORE = re.compile(r" ([)\]},.:;/])")
_SPACE_AFTER = re.compile(r"([(\[{/]) ")
_NOT_LETTERS = re.compile("[^a-z]+")


@lru_cache(maxsize=None)
def _romanize_word(word: str) -> str:
    if ABBREVIATION.match(word):
        return " ".join(romanize(c, engine="royin") + "o" for c in word if c != ".")
    return _NOT_LETTERS.sub(" ", romanize(word, engine=ROMANIZATION_ENGINE).lower()).strip()


def romanize_rtgs(text: str) -> str:
    """RTGS romanisation of Thai ``text`` (normalised first), words apart.

    Non-Thai tokens are kept; Thai digits become ASCII. Punctuation keeps its
    usual spacing, e.g. ``(5 changwat chaidaen phak tai)``.
    """
    words = []
    for token in tokenize(normalize_text(text)):
        token = token.strip()
        if token:
            words.append(_romanize_word(token) if _THAI_LETTER.search(token) else to_ascii_digits(token))
    joined = " ".join(w for w in words if w)
    return _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", joined))


def derived_graph(*sources: Graph) -> Graph:
    """Romanised ``@th-Latn`` alternative labels for every Thai label in ``sources``.

    Args:
        sources: graphs whose ``skos:prefLabel``/``skos:altLabel`` ``@th``
            literals are romanised (the document and curation graphs).

    Returns:
        A new graph of ``(subject, skos:altLabel, "…"@th-Latn)`` triples.
    """
    graph = Graph()
    for source in sources:
        for predicate in (SKOS.prefLabel, SKOS.altLabel):
            for subject, label in source.subject_objects(predicate):
                if isinstance(label, Literal) and label.language == "th":
                    roman = romanize_rtgs(str(label))
                    if roman:
                        graph.add((subject, SKOS.altLabel, Literal(roman, lang="th-Latn")))
    return graph
