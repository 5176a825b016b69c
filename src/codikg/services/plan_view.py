"""The plan overview diagram: the whole plan as one server-rendered SVG.

Rows from top to bottom: the vision, the missions, the strategic objectives,
the strategic issues, and under each issue its indicators, strategies and
projects. Links are drawn between the rows and styled by the named graph
that holds them: solid for links the document states (``graph/document``),
dashed and coloured for links editors added (``graph/curation``), so an
auditor sees at a glance which is which. Every box links to its page.

Thai has no spaces between words, so text is wrapped at the word boundaries
PyThaiNLP's tokenizer finds; widths are estimated from the number of
spacing characters (combining marks take no width).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
from pythainlp.tokenize import word_tokenize

from codikg.namespaces import NAMESPACE_IRIS
from codikg.services import i18n
from codikg.sparql.texts import query_text

_CDK = NAMESPACE_IRIS["cdk"]
_KIND = {f"{_CDK}{k}": v for k, v in (
    ("Vision", "vision"), ("Mission", "mission"), ("StrategicObjective", "objective"),
    ("StrategicIssue", "issue"), ("Indicator", "indicator"), ("Strategy", "strategy"),
    ("Project", "project"))}
_COLUMNS = (("indicator", "indicators"), ("strategy", "strategies"), ("project", "projects"))

WIDTH = 1240
MARGIN = 20
GAP = 12
FONT = 13       # px, box text
SMALL = 11.5    # px, item text
EM = 0.62       # average advance of a spacing character, in em (Noto Sans Thai)


@dataclass
class Element:
    """One plan element of the overview: IRI, kind (``issue``, ``indicator``…), printed
    notation, labels by language, position, and the issue it sits in (if any)."""

    iri: str
    kind: str
    notation: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    ordinal: int = 0
    issue: str | None = None
    parent: str | None = None
    path: tuple[int, ...] = ()  # ordinals from the top-level item down (set by PlanOverview)

    @property
    def number(self) -> str:
        """``1.2`` for the second sub-item of item 1, whatever its printed notation."""
        return ".".join(str(n) for n in self.path) or self.notation


@dataclass
class Box:
    """A positioned, linked, wrapped box (px)."""
    element: Element
    x: float
    y: float
    w: float
    h: float
    lines: list[str]
    lang: str
    title: str
    heading: str = ""
    css: str = ""
    href: str = ""


@dataclass
class Edge:
    """One link of the diagram: its SVG path ``d``, whether editors added it (drawn
    dashed), and its tooltip."""

    d: str
    curated: bool
    title: str
    source: str
    target: str


def text_width(text: str, size: float) -> float:
    """Estimated width of ``text`` at ``size`` px (combining marks take none)."""
    spacing = sum(1 for c in text if unicodedata.category(c) not in ("Mn", "Me", "Cf"))
    return spacing * size * EM


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(word_tokenize(text, engine="newmm", keep_whitespace=True))


def wrap(text: str, width: float, size: float, max_lines: int) -> list[str]:
    """Break ``text`` into at most ``max_lines`` lines no wider than ``width`` px.

    Breaks fall between the words PyThaiNLP finds (spaces for Latin text); a
    word longer than a line is cut; text that does not fit ends in ``…``.
    """
    lines, current = [], ""
    for token in _tokens(" ".join(text.split())):
        if text_width(current + token, size) <= width or not current.strip():
            current += token
            while text_width(current, size) > width and len(current) > 1:
                cut = max(1, int(width / (size * EM)))
                lines.append(current[:cut])
                current = current[cut:]
        else:
            lines.append(current.rstrip())
            current = token.lstrip()
    if current.strip():
        lines.append(current.rstrip())
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


class PlanOverview:
    """The overview of the release's plan, laid out once per language.

    Args:
        store: the app's store (a :class:`codikg.store.Store`).
        plan_iri: the plan to lay out; the first plan (IRI order) when None.

    Raises:
        LookupError: if the release holds no ``cdk:StrategicPlan`` (of that IRI).
    """

    def __init__(self, store, plan_iri: str | None = None):
        plans = [row["plan"] for row in store.query(query_text("plan"))]
        if plan_iri is not None:
            plans = [p for p in plans if p.value == plan_iri]
        if not plans:
            raise LookupError(f"the release holds no cdk:StrategicPlan {plan_iri or ''}".strip())
        self.plan = plans[0].value
        plan = {ox.Variable("plan"): plans[0]}
        self.plan_labels = {r["label"].language or "": r["label"].value
                            for r in store.query(query_text("plan-labels"), substitutions=plan)}
        self.elements: dict[str, Element] = {}
        for row in store.query(query_text("plan-elements"), substitutions=plan):
            iri = row["s"].value
            el = self.elements.setdefault(iri, Element(iri, _KIND[row["kind"].value]))
            el.notation = row["notation"].value if row["notation"] else el.notation
            el.ordinal = int(row["ordinal"].value) if row["ordinal"] else el.ordinal
            el.labels[row["label"].language or ""] = row["label"].value
            el.issue = row["issue"].value if row["issue"] else el.issue
            el.parent = row["parent"].value if row["parent"] else el.parent
        for el in self.elements.values():
            el.path = self._path(el)
        rationales: dict[tuple[str, str, str], list] = {}
        for row in store.query(query_text("plan-rationales"), substitutions=plan):
            rationale = row["rationale"]
            rationales.setdefault((row["a"].value, row["p"].value, row["b"].value), []).append(
                (rationale.language or "", rationale.value))
        self.links = []
        for row in store.query(query_text("plan-links"), substitutions=plan):
            triple = (row["a"].value, row["p"].value, row["b"].value)
            # one entry per rationale (Thai, English), as the OPTIONAL join gave them
            for rationale in rationales.get(triple) or [None]:
                self.links.append((*triple, row["g"].value, rationale))
        self.links.sort(key=lambda link: (*link[:4], link[4] or ("", "")))  # the same page from any store
        self._layouts: dict[str, dict] = {}

    def _path(self, el: Element) -> tuple[int, ...]:
        chain, seen = [], set()
        while el is not None and el.iri not in seen:
            seen.add(el.iri)
            chain.append(el.ordinal)
            el = self.elements.get(el.parent) if el.parent else None
        return tuple(reversed(chain))

    def of_kind(self, kind: str) -> list[Element]:
        """The elements of ``kind`` (``"issue"``, ``"indicator"``…) in plan order."""
        return sorted((e for e in self.elements.values() if e.kind == kind), key=lambda e: e.path)

    def layout(self, lang: str, href) -> dict:
        """Boxes, edges and size of the diagram in ``lang``.

        Args:
            lang: ``th`` or ``en``; missing English labels fall back to Thai.
            href: maps an IRI to the URL of its page.

        Returns:
            ``{"width", "height", "boxes", "edges", "columns"}``, positions in px.
        """
        if lang not in self._layouts:
            self._layouts[lang] = self._layout(lang, href)
        return self._layouts[lang]

    def _box(self, el, x, y, w, size, max_lines, lang, heading="", css=""):
        text, tag = i18n.pick(el.labels, lang)
        shown = text if heading or not el.path else f"{el.number} {text}"
        lines = wrap(shown, w - 16, size, max_lines)
        head = 1 if heading else 0
        h = (len(lines) + head) * size * 1.45 + 14
        return Box(el, x, y, w, h, lines, tag, text, heading, css or el.kind)

    def _row(self, elements, y, lang, t, heading_key, max_lines):
        n = max(1, len(elements))
        w = (WIDTH - 2 * MARGIN - GAP * (n - 1)) / n
        boxes = [self._box(el, MARGIN + i * (w + GAP), y, w, FONT, max_lines, lang,
                           f"{t[heading_key]} {el.number}") for i, el in enumerate(elements)]
        height = max((b.h for b in boxes), default=0)
        for b in boxes:
            b.h = height
        return boxes, y + height

    def _layout(self, lang: str, href) -> dict:
        t = i18n.strings(lang)
        boxes: list[Box] = []
        y = MARGIN
        for vision in self.of_kind("vision"):
            w = WIDTH * 0.6
            box = self._box(vision, (WIDTH - w) / 2, y, w, FONT, 3, lang, t["vision"])
            boxes.append(box)
            y += box.h
        y += 60
        missions, y = self._row(self.of_kind("mission"), y, lang, t, "mission_n", 5)
        y += 90
        objectives, y = self._row(self.of_kind("objective"), y, lang, t, "objective_n", 5)
        y += 60
        issues, y = self._row(self.of_kind("issue"), y, lang, t, "issue_n", 5)
        boxes += missions + objectives + issues
        columns = []
        bottom = y
        for issue_box in issues:
            cy = y + 14
            items = [e for e in self.elements.values() if e.issue == issue_box.element.iri]
            column = []
            for kind, key in _COLUMNS:
                of_kind = sorted((e for e in items if e.kind == kind), key=lambda e: e.path)
                if not of_kind:
                    continue
                column.append({"heading": f"{t[key]} ({len(of_kind)})", "x": issue_box.x,
                               "y": cy + SMALL, "kind": kind})
                cy += SMALL * 1.6
                for el in of_kind:
                    indent = 10 * (len(el.path) - 1)
                    box = self._box(el, issue_box.x + indent, cy, issue_box.w - indent, SMALL, 2,
                                    lang)
                    box.heading = ""
                    box.h = len(box.lines) * SMALL * 1.35 + 8
                    boxes.append(box)
                    cy += box.h + 3
                cy += 8
            columns.append(column)
            bottom = max(bottom, cy)
        by_iri = {b.element.iri: b for b in boxes}
        edges: dict[tuple, Edge] = {}
        for a, p, b, g, rationale in self.links:
            if a not in by_iri or b not in by_iri:
                continue
            curated = g.endswith("/curation")
            key = (a, b, curated)
            # a link has one rationale per language: keep the one in the page's language
            if key in edges and not (rationale and rationale[0] == lang):
                continue
            src, dst = by_iri[a], by_iri[b]
            x1, y1 = src.x + src.w / 2, src.y
            x2, y2 = dst.x + dst.w / 2, dst.y + dst.h
            mid = (y1 + y2) / 2
            title = f"{src.heading} → {dst.heading}: {t['curated'] if curated else t['stated']}"
            if rationale:
                title += f" — {rationale[1]}"
            edges[key] = Edge(f"M{x1:.1f},{y1:.1f} C{x1:.1f},{mid:.1f} {x2:.1f},{mid:.1f} "
                              f"{x2:.1f},{y2:.1f}", curated, title, a, b)
        for box in boxes:
            box.href = href(box.element.iri)
        return {"width": WIDTH, "height": bottom + MARGIN, "boxes": boxes,
                "edges": list(edges.values()), "columns": columns,
                "plan_label": i18n.pick(self.plan_labels, lang),
                "counts": {k: len(self.of_kind(k)) for k in
                           ("mission", "objective", "issue", "indicator", "strategy", "project")}}
