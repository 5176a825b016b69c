"""The data-quality report: what an auditor should know about the source itself.

Sections (each a list of findings, computed from a release store):

- ``typos``: the curated text corrections (verbatim text, line, correction, reason);
- ``repeats``: items printed more than once, found by
  :func:`codikg.audit.repeats.find_repeats` over the document graph, with
  the consolidated resource that merges them (or none: "not curated yet");
- ``near_repeats``: items of one kind whose texts are similar, not the same
  (reported, never merged);
- ``headings``: issue titles that differ from the overview list (the document
  graph keeps the title as ``skos:altLabel``);
- ``inconsistencies``: the document's own figures and periods that disagree:
  an "N ปี (พ.ศ. A – B)" whose span is not N fiscal years, and B.E. years
  outside the plan's curated fiscal years;
- ``split_words``: spaces that split a word where a line was wrapped
  (:mod:`codikg.audit.split_words`, PyThaiNLP's word list);
- ``notes``: the editors' curated notes on wording (``oa:commenting``).

Every quote is verbatim from the source (Thai digits as printed) with its
code-point offsets ``start``/``end`` (end exclusive) in the source file.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass, field

from codikg.audit.repeats import PrintedItem, find_near_repeats, find_repeats
from codikg.ingest.thai import to_ascii_digits
from codikg.audit.split_words import find_split_words
from codikg.audit.trace import _value, plan_key
from codikg.sparql.texts import query_text

# "๔ ปี (พ.ศ.๒๕๕๒ – ๒๕๕๔)" after Thai digits become ASCII
_YEARS_SPAN = re.compile(r"(?P<n>[0-9]+) ปี \(พ\.ศ\. ?(?P<a>[0-9]{4}) ?[–-] ?(?P<b>[0-9]{4})\)")
_BE_YEAR = re.compile(r"พ\.ศ\. ?(?P<y>[0-9]{4})")


@dataclass
class QualityReport:
    """The report's sections; every finding is a dict of plain values (JSON-ready)."""

    typos: list[dict] = field(default_factory=list)
    repeats: list[dict] = field(default_factory=list)
    near_repeats: list[dict] = field(default_factory=list)
    headings: list[dict] = field(default_factory=list)
    inconsistencies: list[dict] = field(default_factory=list)
    split_words: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _differences(overview: str, title: str) -> list[dict]:
    """Where the title departs from the overview entry (spaces ignored), via difflib."""
    a, b = "".join(overview.split()), "".join(title.split())
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [{"change": tag, "overview": a[i1:i2], "title": b[j1:j2]}
            for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


#: The variable of each query whose IRI lies in the plan a row is about.
_PLAN_VARIABLE = {"quality-typos": "element", "quality-items": "item", "quality-headings": "issue",
                  "quality-period": "plan", "quality-spans": "element", "quality-notes": "note"}
_IN_PLAN = re.compile(r"/id/(?P<agency>[^/]+)/plan/(?P<fy>[0-9]+)(?:[/#]|$)")


def _plan_of(iri: str) -> str:
    match = _IN_PLAN.search(iri)
    return f"{match['agency']}/{match['fy']}" if match else ""


class _Rows:
    """The rows of the report's queries, each run once, kept apart per plan."""

    def __init__(self, store):
        self.store, self.rows = store, {}

    def plans(self) -> list[str]:
        return sorted({plan_key(_value(row["plan"])) for row in self.store.query(query_text("trace-issues"))})

    def of(self, name: str, plan: str) -> list:
        if name not in self.rows:
            self.rows[name] = [(_plan_of(_value(row[_PLAN_VARIABLE[name]])), row)
                               for row in self.store.query(query_text(name))]
        return [row for key, row in self.rows[name] if key == plan]


def quality_report(store, plan: str | None = None) -> QualityReport:
    """Compute the data-quality report of the release in ``store`` (see the module docstring).

    Args:
        plan: only this plan (``agency/fiscal-year``); else each plan's report in
            turn, so that items are compared and years checked within their own plan.
    """
    rows, report = _Rows(store), QualityReport()
    for key in ([plan] if plan else rows.plans()):
        one = _plan_report(rows, key)
        for name in report.__dataclass_fields__:
            getattr(report, name).extend(getattr(one, name))
    return report


def _plan_report(rows: _Rows, plan: str) -> QualityReport:
    report = QualityReport()
    by_correction: dict[str, dict] = {}
    for row in rows.of("quality-typos", plan):
        entry = by_correction.setdefault(_value(row["correction"]), {
            "element": _value(row["element"]), "line": int(_value(row["line"])),
            "start": int(_value(row["start"])), "end": int(_value(row["end"])), "verbatim": _value(row["exact"]),
            "corrected": _value(row["body"]), "rationale": {}})
        entry["rationale"][row["rationale"].language] = row["rationale"].value
    report.typos = sorted(by_correction.values(), key=lambda t: t["start"])

    items, curated = [], {}
    for row in rows.of("quality-items", plan):
        item = PrintedItem(_value(row["item"]), _value(row["class"]), _value(row["label"]),
                           int(_value(row["line"])))
        items.append(item)
        curated[item.iri] = _value(row["curated"])
    for repeat in find_repeats(items):
        merged = {curated[o.iri] for o in repeat.occurrences}
        report.repeats.append({
            "kind": repeat.kind.rsplit("#", 1)[-1], "text": repeat.key,
            "occurrences": [{"iri": o.iri, "line": o.line, "text": o.text} for o in repeat.occurrences],
            "consolidated_as": merged.pop() if len(merged) == 1 and "" not in merged else ""})
    for near in find_near_repeats(items):
        report.near_repeats.append({
            "kind": near.first.kind.rsplit("#", 1)[-1], "ratio": near.ratio,
            "first": {"iri": near.first.iri, "line": near.first.line, "text": near.first.text},
            "second": {"iri": near.second.iri, "line": near.second.line, "text": near.second.text}})

    headings = {}
    for row in rows.of("quality-headings", plan):
        title = _value(row["title"])
        if "".join(_value(row["exact"]).split()) == "".join(title.split()):  # the title's own span
            headings[_value(row["issue"])] = {
                "issue": _value(row["issue"]), "notation": _value(row["notation"]),
                "overview": _value(row["overview"]), "title": title,
                "title_line": int(_value(row["line"])),
                "differences": _differences(_value(row["overview"]), title)}
    report.headings = sorted(headings.values(), key=lambda h: int(h["notation"]))

    period = next(iter(rows.of("quality-period", plan)), None)
    first, last = (int(_value(period["first"])), int(_value(period["last"]))) if period else (None, None)
    spans = sorted({(int(_value(r["start"])), int(_value(r["line"])), _value(r["exact"]), _value(r["element"]))
                    for r in rows.of("quality-spans", plan)})
    for start, line, exact, element in spans:
        # Thai digits become ASCII one for one, so offsets in `text` are offsets in `exact`
        text = to_ascii_digits(exact)
        for m in _YEARS_SPAN.finditer(text):
            n, a, b = int(m["n"]), int(m["a"]), int(m["b"])
            if b - a + 1 != n:
                report.inconsistencies.append({
                    "element": element, "line": line, "text": exact[m.start():m.end()],
                    "start": start + m.start(), "end": start + m.end(),
                    "finding": {"en": f"'{n} years' but B.E. {a}–{b} is {b - a + 1} fiscal years "
                                      f"({n} years from {a} would end in {a + n - 1})",
                                "th": f"ระบุว่า {n} ปี แต่ พ.ศ. {a}–{b} มี {b - a + 1} ปีงบประมาณ "
                                      f"(ถ้า {n} ปีนับจาก {a} จะสิ้นสุดปี {a + n - 1})"}})
        for m in _BE_YEAR.finditer(text):
            year = int(m["y"])
            if first is not None and not first <= year <= last:
                report.inconsistencies.append({
                    "element": element, "line": line, "text": exact[m.start():m.end()],
                    "start": start + m.start(), "end": start + m.end(),
                    "finding": {"en": f"B.E. {year} lies outside the plan's fiscal years {first}–{last}",
                                "th": f"พ.ศ. {year} อยู่นอกปีงบประมาณของแผน {first}–{last}"}})
    document = "\n".join(exact for _, _, exact, _ in spans)
    for start, line, exact, element in spans:
        for split in find_split_words(exact, document):
            joined = split.before + split.after
            report.split_words.append({
                "element": element, "line": line + exact.count("\n", 0, split.offset), "text": split.quote,
                "start": start + split.offset - len(split.before), "end": start + split.offset + 1 + len(split.after),
                "joined": joined, "reason": split.reason,
                "finding": {"en": (f"'{joined}' is one word (PyThaiNLP's word list)" if split.reason == "dictionary"
                                   else f"the document prints '{joined}' elsewhere without the space")
                                  + "; the space is likely a line-wrapping artefact",
                            "th": (f"'{joined}' เป็นคำเดียว (คลังคำของ PyThaiNLP)" if split.reason == "dictionary"
                                   else f"ที่อื่นในเอกสารพิมพ์ '{joined}' โดยไม่มีช่องว่าง")
                                  + " ช่องว่างนี้น่าจะเกิดจากการตัดบรรทัด"}})
    notes: dict[str, dict] = {}
    for row in rows.of("quality-notes", plan):
        entry = notes.setdefault(_value(row["note"]), {
            "note": _value(row["note"]), "line": int(_value(row["line"])), "text": _value(row["exact"]),
            "start": int(_value(row["start"])), "end": int(_value(row["end"])), "rationale": {}})
        entry["rationale"][row["rationale"].language] = row["rationale"].value
    report.notes = sorted(notes.values(), key=lambda n: n["start"])
    return report
