"""The search index: every labelled element of a release, analysed once at build time.

An *element* is any IRI with a ``skos:prefLabel``, ``skos:altLabel`` or
``rdfs:label`` in the dataset: the plan's items and the ontology's terms. Each
has three fields, weighed in this order: ``label`` (those labels in every
language, romanised ones included), ``definition`` (``skos:definition``,
``rdfs:comment``) and ``source`` (the ``oa:exact`` quote of each
``cdk:sourceSpan``). An element is ranked by its best field, comparing in
turn: the tier of :mod:`codikg.search.matching` (whole text, phrase, all
words, some words), the number of query words found, the field's weight,
exactness (no tone-mark or romanisation folding needed), word quality
(whole word > word start > inside a word) and how much of the field the
match covers (in quarters). Remaining ties go by plan order (the element's
first character in the source document); elements the document does not
print follow, in Thai dictionary order of their label.

The index is a JSON file in the release folder (``search-index.json``): the
normalised texts and their newmm word spans, so loading it needs no
segmentation (about a hundred milliseconds saved per hundred labels) and no
search library. A plan has hundreds to a few thousand elements; scanning
them all per query takes well under the time of one HTTP round trip, so an
inverted index (SQLite FTS5, Tantivy, Whoosh) would add a dependency and a
second tokenisation path without a gain (see benchmarks/search.py).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from codikg.build.namespaces import CDK, OA
from codikg.collation import thai_sorted
from codikg.search.analysis import AnalyzedText, analyze, key_text
from codikg.search.matching import NO_MATCH, TextMatch, match

INDEX_FILE = "search-index.json"
FORMAT = "codikg-search-index/1"
FIELD_WEIGHTS = {"label": 3, "definition": 2, "source": 1}
_FIELD_PREDICATES = {
    "label": (SKOS.prefLabel, SKOS.altLabel, RDFS.label),
    "definition": (SKOS.definition, RDFS.comment),
}
_KIND_PREFERENCE = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


class SearchIndexError(Exception):
    """The index file is missing, of another format, or does not fit its texts."""


@dataclass(frozen=True)
class Field:
    """One searchable text of an element: ``name`` (label/definition/source), ``lang``."""

    name: str
    lang: str
    text: AnalyzedText


@dataclass(frozen=True)
class Element:
    """An indexed element.

    Attributes:
        iri: its IRI.
        kind: IRI of its class (``cdk:Indicator``, ``owl:Class`` …).
        kind_label: the class's labels by language (``{"th": …, "en": …}``).
        label: its preferred labels by language.
        order: its place in plan order (0-based rank over all elements).
        fields: its searchable texts.
    """

    iri: str
    kind: str
    kind_label: dict
    label: dict
    order: int
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Hit:
    """A search result: the element, how it matched and in which field."""

    element: Element
    match: TextMatch
    field: Field

    def as_json(self) -> dict:
        """Plain-JSON form (used by ``/search`` and ``codikg search --format json``)."""
        return {"iri": self.element.iri, "kind": self.element.kind,
                "kindLabel": self.element.kind_label, "label": self.element.label,
                "score": round(self.match.score, 4), "tier": self.match.tier,
                "exact": self.match.exact, "matchedWords": self.match.matched,
                "field": self.field.name, "fieldLang": self.field.lang,
                "text": self.field.text.text, "highlights": [list(s) for s in self.match.spans]}


def _lang_map(literals) -> dict:
    out = {}
    for lit in literals:
        if isinstance(lit, Literal):
            out.setdefault(lit.language or "", str(lit))
    return out


def _elements_from_dataset(dataset: Dataset) -> list[dict]:
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    # SHACL shapes (in the ontology graph beside the vocabulary) are rules, not things to find
    shapes = set(union.subjects(RDF.type, SH.NodeShape))
    subjects = {s for p in _FIELD_PREDICATES["label"] for s in union.subjects(p, None)
                if isinstance(s, URIRef) and s not in shapes}
    records = []
    for subject in subjects:
        fields = []
        for name, predicates in _FIELD_PREDICATES.items():
            for predicate in predicates:
                for lit in sorted(union.objects(subject, predicate)):
                    if isinstance(lit, Literal) and str(lit).strip():
                        fields.append((name, lit.language or "", str(lit)))
        starts = []
        for span in union.objects(subject, CDK.sourceSpan):
            for selector in union.objects(span, OA.hasSelector):
                exact = union.value(selector, OA.exact)
                if exact is not None and str(exact).strip():
                    fields.append(("source", "th", str(exact)))
                start = union.value(selector, OA.start)
                if start is not None:
                    starts.append(int(start))
        types = set(union.objects(subject, RDF.type))
        kind = next((t for t in sorted(types) if str(t).startswith(str(CDK))), None) or next(
            (t for t in _KIND_PREFERENCE if t in types), None) or (min(types) if types else RDFS.Resource)
        records.append({
            "iri": str(subject), "kind": str(kind),
            "kind_label": _lang_map(union.objects(kind, RDFS.label)),
            "label": _lang_map(union.objects(subject, SKOS.prefLabel)) or _lang_map(
                union.objects(subject, RDFS.label)),
            "start": min(starts) if starts else None, "fields": fields})
    printed = sorted((r for r in records if r["start"] is not None), key=lambda r: (r["start"], r["iri"]))
    unprinted = thai_sorted(sorted((r for r in records if r["start"] is None), key=lambda r: r["iri"]),
                            key=lambda r: r["label"].get("th") or r["label"].get("en") or r["iri"])
    return printed + unprinted


def build_index(dataset: Dataset) -> dict:
    """Analyse every element of ``dataset``; return the index as plain JSON data.

    Args:
        dataset: the release dataset (all named graphs, derived labels included).
    """
    elements = []
    for order, record in enumerate(_elements_from_dataset(dataset)):
        fields, seen = [], set()
        for name, lang, raw in record["fields"]:
            text = analyze(raw)
            if (name, text.text) in seen:
                continue
            seen.add((name, text.text))
            fields.append({"field": name, "lang": lang, "text": text.text,
                           "words": [list(s) for s in text.spans]})
        elements.append({"iri": record["iri"], "kind": record["kind"],
                         "kindLabel": record["kind_label"], "label": record["label"],
                         "order": order, "fields": fields})
    return {"format": FORMAT, "elements": elements}


def write_index(data: dict, path: Path) -> None:
    """Write index data (from :func:`build_index`) as compact UTF-8 JSON."""
    Path(path).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _coverage(q: AnalyzedText, f: Field) -> int:
    """How much of the field the query's length covers, in quarters (0..4):
    "สวัสดิการชุมชน" answers สวัสดิการ better than a long sentence mentioning it."""
    return min(4, 4 * len(q.compact) // max(1, len(f.text.compact)))


class SearchIndex:
    """A loaded index; :meth:`search` answers queries.

    Args:
        data: index data as from :func:`build_index`.

    Raises:
        SearchIndexError: if ``data`` is not of format ``codikg-search-index/1``.
    """

    def __init__(self, data: dict):
        if data.get("format") != FORMAT:
            raise SearchIndexError(f"search index format {data.get('format')!r}, expected {FORMAT!r} "
                              "(rebuild with 'codikg build')")
        self.elements = [
            Element(e["iri"], e["kind"], e["kindLabel"], e["label"], e["order"],
                    tuple(Field(f["field"], f["lang"], AnalyzedText(f["text"], key_text(f["text"]),
                                                                     tuple(map(tuple, f["words"]))))
                          for f in e["fields"]))
            for e in data["elements"]]
        # Load the segmenter's dictionary now rather than at the first query, but
        # in the background: it takes seconds, and start-up must not wait for it.
        threading.Thread(target=analyze, args=("ก",), name="thai-dictionary", daemon=True).start()

    @classmethod
    def load(cls, path: Path) -> "SearchIndex":
        """Read an index file written by :func:`write_index`.

        Raises:
            SearchIndexError: the file is missing or unreadable (message names it).
        """
        try:
            return cls(json.loads(Path(path).read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise SearchIndexError(f"{path}: no search index (rebuild with 'codikg build')") from None
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise SearchIndexError(f"{path}: unreadable search index: {exc}") from None

    def search(self, query: str, limit: int | None = 20) -> list[Hit]:
        """Elements matching ``query``, best first (module docstring and
        :mod:`codikg.search.matching` give the order).

        Args:
            query: free text in Thai, English or RTGS romanisation.
            limit: maximum number of hits, ``None`` for all.
        """
        q = analyze(query)
        if not q.words:
            return []
        ranked = []
        for element in self.elements:
            best, best_key = None, None
            for f in element.fields:
                m = match(q, f.text)
                if m is NO_MATCH or not m.tier:
                    continue
                key = (m.tier, m.matched, FIELD_WEIGHTS[f.name], m.exact, m.quality, _coverage(q, f))
                if best_key is None or key > best_key:
                    best, best_key = Hit(element, m, f), key
            if best is not None:
                ranked.append((tuple(-k for k in best_key) + (element.order,), best))
        ranked.sort(key=lambda pair: pair[0])
        hits = [hit for _, hit in ranked]
        return hits if limit is None else hits[:limit]
