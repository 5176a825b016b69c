"""The search index: every labelled element of a release, analysed once at build time.

An *element* is any IRI with a ``skos:prefLabel``, ``skos:altLabel`` or
``rdfs:label`` in the dataset: the plan's items and the ontology's terms. Its
fields, weighed in this order: ``label`` (those labels in every language,
romanised ones included), ``kind`` and ``notation`` (plan elements only: the
Thai and English labels of their class, e.g. พันธกิจ / mission, and their
numbering as printed and as ``codikg trace`` writes it: ``2/1.3``,
``ประเด็นยุทธศาสตร์ที่ 2 ตัวชี้วัด…ที่ 1.3``, ``strategic issue 2 … 1.3``), all
three of equal weight. Kind and notation are names: they answer only a query
that is the whole name (tier 4), so พันธกิจ finds the four missions but
ยุทธศาสตร์ does not list every item of every issue; then ``definition`` (``skos:definition``,
``rdfs:comment``) and ``source`` (the ``oa:exact`` quote of each
``cdk:sourceSpan``). An element is ranked by its best field, comparing in
turn: the tier of :mod:`codikg.search.matching` (whole text, phrase, all
words, some words or parts), the share of query words found, the field's
weight, exactness (exact > folded > fuzzy), word quality (whole word > word
start > inside a word) and how much of the field the match covers. The
published ``score`` packs exactly this key (:func:`codikg.search.matching.pack_score`),
so clients may sort by it. Remaining ties go by plan order: the elements the
document prints, by their first character in the source; a curated
``cdk:ConsolidatedItem`` (an item printed more than once) takes the place of
its first printing; then the plan's other elements, then everything else
(ontology terms), each in Thai dictionary order of their label.

An item printed twice is shown once: when a consolidated item matches at
least as well as one of its printings (``cdk:hasOccurrence``), that printing
is left out of the results and listed under the consolidated item's
``occurrences`` instead. A printing that matches better (e.g. by its
notation ``5/1``) stays in the list on its own.

Misspelt query words (not a word of the index, 5+ characters) are also
tried as the index's words one edit away (Levenshtein distance 1, with
RapidFuzz): ``sawadikan`` → ``sawatdikan``, สวัสดีการ → สวัสดิการ. Such a match
is ``fuzzy`` and ranks below exact and folded ones of the same tier.

The index is a JSON file in the release folder (``search-index.json``): the
normalised texts and their newmm word spans, so loading it needs no
segmentation (about a hundred milliseconds saved per hundred labels) and no
search library. A plan has hundreds to a few thousand elements; scanning
them all per query takes well under the time of one HTTP round trip, so an
inverted index (SQLite FTS5, Tantivy, Whoosh) would add a dependency and a
second tokenisation path without a gain (see bench/search.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from codikg.namespaces import CDK, OA
from codikg.ingest.collation import thai_sorted
from codikg.search.analysis import AnalyzedText, analyze, fold, key_text
from codikg.search.matching import TextMatch, match

FORMAT = "codikg-search-index/2"
#: Field ranks for :func:`codikg.search.matching.pack_score` (higher is better).
FIELD_RANKS = {"label": 2, "kind": 2, "notation": 2, "definition": 1, "source": 0}
#: Fields that answer only whole-text matches (tier 4).
NAME_FIELDS = frozenset({"kind", "notation"})
#: Shortest unknown query word (code points) tried with one edit.
MIN_FUZZY = 5
MAX_VARIANTS = 4
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
        occurrences: for a consolidated item, the IRIs of its printings.
        scheme: IRI of the plan (``skos:inScheme``) of a plan element, else "".
    """

    iri: str
    kind: str
    kind_label: dict
    label: dict
    order: int
    fields: tuple[Field, ...]
    occurrences: tuple[str, ...] = ()
    scheme: str = ""

    @property
    def haystack(self) -> str:
        """All of the element's compact, folded and word-key texts in one string
        (a query none of whose pieces occur here cannot match any field)."""
        return "\x01".join(t for f in self.fields for t in (f.text.compact, f.text.folded, f.text.key_blob,
                                                              f.text.folded_blob))

    def short(self, iri: str | None = None) -> str:
        """A short local form of ``iri`` (default: this element's) for tables:
        the path under this element's plan (``issue/1/project/1``), ``cdk:Name``
        for the vocabulary, else the IRI itself."""
        iri = self.iri if iri is None else iri
        if self.scheme and iri.startswith(self.scheme + "/"):
            return iri[len(self.scheme) + 1:]
        return "cdk:" + iri[len(str(CDK)):] if iri.startswith(str(CDK)) else iri


@dataclass(frozen=True)
class Hit:
    """A search result: the element, how it matched and in which field."""

    element: Element
    match: TextMatch
    field: Field

    @property
    def score(self) -> float:
        """The ranking key as one number (module docstring)."""
        return self.match.score(FIELD_RANKS[self.field.name])

    def as_json(self) -> dict:
        """Plain-JSON form (used by ``/search`` and ``codikg search --format json``)."""
        return {"iri": self.element.iri, "kind": self.element.kind,
                "kindLabel": self.element.kind_label, "label": self.element.label,
                "score": round(self.score, 4), "tier": self.match.tier,
                "exact": self.match.exact, "matchedWords": self.match.matched,
                "field": self.field.name, "fieldLang": self.field.lang,
                "text": self.field.text.text, "highlights": [list(s) for s in self.match.spans],
                "occurrences": list(self.element.occurrences)}


def _lang_map(literals) -> dict:
    out = {}
    for lit in sorted(literals):  # graph order follows the hash seed
        if isinstance(lit, Literal):
            out.setdefault(lit.language or "", str(lit))
    return out


def _kind(union: Graph, subject) -> URIRef:
    types = set(union.objects(subject, RDF.type))
    return next((t for t in sorted(types) if str(t).startswith(str(CDK))), None) or next(
        (t for t in _KIND_PREFERENCE if t in types), None) or (min(types) if types else RDFS.Resource)


def _kind_and_notation_fields(union: Graph, subject, kind) -> list[tuple[str, str, str]]:
    """``kind`` fields (class labels) and ``notation`` fields of a plan element."""
    fields = [("kind", lang, text) for lang, text in sorted(_lang_map(union.objects(kind, RDFS.label)).items())]
    own = union.value(subject, SKOS.notation)
    if own is None:
        return fields
    issues = list(union.objects(subject, CDK.inStrategicIssue))
    chain = ([issues[0]] if len(issues) == 1 else []) + [subject]
    steps = [(union.value(node, SKOS.notation), _lang_map(union.objects(_kind(union, node), RDFS.label)))
             for node in chain]
    if any(notation is None for notation, _ in steps):
        return fields
    fields.append(("notation", "", "/".join(str(n) for n, _ in steps)))  # as `codikg trace` writes it
    if all("th" in labels for _, labels in steps):
        fields.append(("notation", "th", " ".join(f"{labels['th']}ที่ {n}" for n, labels in steps)))
    if all("en" in labels for _, labels in steps):
        fields.append(("notation", "en", " ".join(f"{labels['en']} {n}" for n, labels in steps)))
    return fields


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
        for span in sorted(union.objects(subject, CDK.sourceSpan)):  # stable file order
            for selector in sorted(union.objects(span, OA.hasSelector)):
                exact = union.value(selector, OA.exact)
                if exact is not None and str(exact).strip():
                    fields.append(("source", "th", str(exact)))
                start = union.value(selector, OA.start)
                if start is not None:
                    starts.append(int(start))
        kind = _kind(union, subject)
        scheme = union.value(subject, SKOS.inScheme)
        in_plan = scheme is not None
        if in_plan:
            fields += _kind_and_notation_fields(union, subject, kind)
        records.append({
            "iri": str(subject), "kind": str(kind), "in_plan": in_plan, "scheme": str(scheme or ""),
            "kind_label": _lang_map(union.objects(kind, RDFS.label)),
            "label": _lang_map(union.objects(subject, SKOS.prefLabel)) or _lang_map(
                union.objects(subject, RDFS.label)),
            "occurrences": sorted(str(o) for o in union.objects(subject, CDK.hasOccurrence)),
            "start": min(starts) if starts else None, "fields": fields})
    start_of = {r["iri"]: r["start"] for r in records}
    for record in records:  # a consolidated item stands where it is first printed
        printed = [start_of[o] for o in record["occurrences"] if start_of.get(o) is not None]
        if record["start"] is None and printed:
            record["start"] = min(printed)
    printed = sorted((r for r in records if r["start"] is not None), key=lambda r: (r["start"], r["iri"]))

    def by_label(rows):
        return thai_sorted(sorted(rows, key=lambda r: r["iri"]),
                           key=lambda r: r["label"].get("th") or r["label"].get("en") or r["iri"])

    rest = [r for r in records if r["start"] is None]
    return printed + by_label([r for r in rest if r["in_plan"]]) + by_label([r for r in rest if not r["in_plan"]])


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
                           "words": [list(s) for s in text.spans], "bounds": list(text.bounds)})
        elements.append({"iri": record["iri"], "kind": record["kind"],
                         "kindLabel": record["kind_label"], "label": record["label"],
                         "order": order, "fields": fields, "occurrences": record["occurrences"],
                         "scheme": record["scheme"]})
    return {"format": FORMAT, "elements": elements}


def write_index(data: dict, path: Path) -> None:
    """Write index data (from :func:`build_index`) as compact UTF-8 JSON, keys
    sorted so that the same inputs give the same bytes (label dicts are filled
    in graph order, which follows Python's hash seed)."""
    Path(path).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True),
                          encoding="utf-8")


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
                                                                     tuple(map(tuple, f["words"])),
                                                                     tuple(f["bounds"])))
                          for f in e["fields"]), tuple(e["occurrences"]), e["scheme"])
            for e in data["elements"]]
        words = {k for e in self.elements for f in e.fields for k in f.text.folded_keys}
        self._words = words
        self._haystacks = [e.haystack for e in self.elements]
        self._fuzzy_candidates = sorted(w for w in words if len(w) >= MIN_FUZZY - 1)

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

    def _variants(self, q: AnalyzedText) -> list[AnalyzedText]:
        """The query with one unknown word (or the whole unknown query) replaced
        by an index word one edit away (see the module docstring)."""
        wanted = [(s, e, k) for (s, e), k in zip(q.spans, q.folded_keys)]
        if len(q.words) > 1:
            wanted.append((0, len(q.key), fold(q.compact)))
        out = []
        for start, end, key in wanted:
            if len(key) < MIN_FUZZY or key in self._words:
                continue
            for word, _, _ in process.extract(key, self._fuzzy_candidates, scorer=Levenshtein.distance,
                                              score_cutoff=1, limit=2):
                out.append(analyze(q.key[:start] + word + q.key[end:], second_reading=False))
        return out[:MAX_VARIANTS]

    def search(self, query: str, limit: int | None = 20) -> list[Hit]:
        """Elements matching ``query``, best first (module docstring and
        :mod:`codikg.search.matching` give the order).

        Args:
            query: free text in Thai, English or RTGS romanisation.
            limit: maximum number of hits, ``None`` for all.
        """
        q = analyze(query, second_reading=False)
        if not q.words:
            return []
        variants = self._variants(q)
        pieces = {p for v in (q, *variants) for words in (v.words, v.word_keys, v.folded_words, v.folded_keys)
                  for p in words}
        ranked = []
        for element, haystack in zip(self.elements, self._haystacks):
            if not any(p in haystack for p in pieces):
                continue
            best, best_score = None, 0.0
            for f in element.fields:
                rank = FIELD_RANKS[f.name]
                m = match(q, f.text)
                score = m.score(rank)
                for variant in variants:
                    fm = match(variant, f.text)
                    if fm.tier and fm.fuzzy().score(rank) > score:
                        m = fm.fuzzy()
                        score = m.score(rank)
                if f.name in NAME_FIELDS and m.tier < 4:
                    continue
                if m.tier and score > best_score:
                    best, best_score = Hit(element, m, f), score
            if best is not None:
                ranked.append(best)
        ranked.sort(key=lambda hit: (-hit.score, hit.element.order))
        hits = _fold_occurrences(ranked)
        return hits if limit is None else hits[:limit]


def _fold_occurrences(hits: list[Hit]) -> list[Hit]:
    """Leave out printings whose consolidated item scores at least as well (module docstring)."""
    stands_for = {}
    for hit in hits:
        for iri in hit.element.occurrences:
            stands_for[iri] = max(stands_for.get(iri, 0.0), hit.score)
    return [hit for hit in hits if stands_for.get(hit.element.iri, -1.0) < hit.score]
