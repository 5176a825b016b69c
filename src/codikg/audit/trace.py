"""The auditor's trace: indicator → objective → issue → mission(s) → vision.

Each path is four hops, each with its kind, computed from where the triple
sits (docs/DESIGN.md "three kinds of statement"; ontology section "provenance and
curation"):

- a triple in the curation graph is **curated**; its evidence is the
  rationale of the ``cdk:CuratedLink`` that reifies it;
- a triple in the document graph is **structural** when the ontology declares
  its predicate ``cdk:statementKind cdk:structural``, else **stated**; its
  evidence is a source span: the line and verbatim quote that print it.

The hops, and which printed span is their evidence:

1. ``indicator cdk:measures objective`` — the indicator's own line (it is
   printed in the table of the issue whose objective it measures);
2. ``issue cdk:hasObjective objective`` — the objective as reprinted in the
   issue's section (the first printing of the objective after the issue's title);
3. ``objective cdk:supportsMission mission`` — curated: the rationale;
4. ``mission cdk:makesOperative vision`` — the mission's line.

Beyond the vision the chain may go up to a higher plan (ministry, national
strategy): ``objective cdk:contributesTo element`` and ``issue cdk:contributesTo
element`` are curated hops (:attr:`TracePath.upward`, with the elements in
:attr:`TracePath.higher`). Most plans have none, so a missing upward link is
never a gap. The plan that continues the path's plan in the next period
(``cdk:continuedBy``, or ``cdk:continues`` stated from the other side) is
:attr:`TracePath.continued_by`.

The functions take any :class:`codikg.store.Store` (``query(sparql,
substitutions=...)`` returning pyoxigraph solutions) and read only; one SPARQL
query per aspect over the whole plan (``trace-*.rq`` of :mod:`codikg.sparql.texts`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox

from codikg.graph.iris import plan_of
from codikg.namespaces import NAMESPACE_IRIS
from codikg.sparql.texts import query_text

CDK = NAMESPACE_IRIS["cdk"]
STATED, STRUCTURAL, CURATED = "stated", "structural", "curated"

_NOTATION = re.compile(r"^(?P<issue>[0-9]+)/(?P<indicator>[0-9]+(?:\.[0-9]+)*)$")
def plan_key(plan_iri: str) -> str:
    """``{base}id/{agency}/plan/{fy}`` → ``{agency}/{fy}`` (how commands name a plan); other IRIs unchanged."""
    return plan_of(plan_iri) or plan_iri


class TraceError(LookupError):
    """An indicator reference names no indicator (the message names it).

    Subclasses say why: :class:`MalformedReference` (HTTP 400) or
    :class:`NoSuchIndicator` (HTTP 404).
    """


class MalformedReference(TraceError, ValueError):
    """The reference is neither an IRI nor an ``ISSUE/INDICATOR`` notation."""


class NoSuchIndicator(TraceError):
    """The reference is well formed but names no indicator of the release."""


@dataclass(frozen=True)
class Node:
    """A plan element on a path.

    ``notation`` is as printed (``"1.2"``); for indicators ``ref`` is the
    issue-qualified notation (``"2/1.3"``). ``label`` maps ``th``/``en`` to text.
    ``line``/``quote``: the element's first printed span. ``parent``: for a
    sub-indicator, its parent's issue-qualified notation (``"3/1"``). ``plan``:
    for an element of a higher plan, that plan (``agency/fiscal-year``).
    """

    iri: str
    kind: str
    notation: str = ""
    ref: str = ""
    label: dict = field(default_factory=dict, compare=False, hash=False)
    line: int | None = None
    quote: str = ""
    parent: str = ""
    plan: str = ""


@dataclass(frozen=True)
class Hop:
    """One link of a path.

    Attributes:
        name: the hop's column name (``measures``, ``issue_objective``,
            ``supports_mission``, ``makes_operative``; ``contributes_to`` for
            an upward hop to a higher plan).
        subject, predicate, object: the triple's IRIs.
        kind: ``stated``, ``structural`` or ``curated``; ``missing`` when the
            link does not exist (an objective with no curated mission).
        line, quote: evidence of a document hop (1-based line, verbatim text).
        rationale: evidence of a curated hop, ``{"th": ..., "en": ...}``.
        attributed_to, created: who curated it (agent IRI) and when (ISO date).
        attributed_name: the agent's English name.
        record: IRI of the ``cdk:CuratedLink`` that explains a curated hop.
    """

    name: str
    subject: str
    predicate: str
    object: str
    kind: str
    line: int | None = None
    quote: str = ""
    rationale: dict = field(default_factory=dict, compare=False, hash=False)
    attributed_to: str = ""
    created: str = ""
    attributed_name: str = ""
    record: str = ""


@dataclass(frozen=True)
class TracePath:
    """indicator → objective → issue → mission → vision; a node is None where
    the chain breaks before it (the hop to it is then ``missing``).

    ``upward``: the curated ``contributes_to`` hops from the objective, then
    from the issue, to elements of higher plans, and ``higher`` those elements
    (same order; both empty when the plan has no such link). ``continued_by``:
    the plan (``agency/fiscal-year``) that continues ``plan`` in the next
    period, or ``""``.
    """

    indicator: Node
    objective: Node | None
    issue: Node | None
    mission: Node | None
    vision: Node | None
    hops: tuple[Hop, ...]
    plan: str = ""
    upward: tuple[Hop, ...] = ()
    higher: tuple[Node, ...] = ()
    continued_by: str = ""

    def as_row(self) -> dict[str, str]:
        """The path as one flat row of the traceability matrix (see :data:`COLUMNS`)."""
        row: dict[str, str] = {"plan": self.plan}
        for prefix, node in (("indicator", self.indicator), ("objective", self.objective),
                             ("issue", self.issue), ("mission", self.mission),
                             ("vision", self.vision)):
            row[prefix] = (node.ref or node.notation) if node else ""
            row[f"{prefix}_iri"] = node.iri if node else ""
            row[f"{prefix}_th"] = node.label.get("th", "") if node else ""
            row[f"{prefix}_en"] = node.label.get("en", "") if node else ""
        row["indicator_parent"] = self.indicator.parent
        row["indicator_line"] = str(self.indicator.line or "")
        row["indicator_quote"] = self.indicator.quote
        for hop in self.hops:
            row[f"{hop.name}_kind"] = hop.kind
            row[f"{hop.name}_line"] = str(hop.line or "")
            row[f"{hop.name}_quote"] = hop.quote
            row[f"{hop.name}_rationale_th"] = hop.rationale.get("th", "")
            row[f"{hop.name}_rationale_en"] = hop.rationale.get("en", "")
            row[f"{hop.name}_attributed_to"] = hop.attributed_to
            row[f"{hop.name}_attributed_name"] = hop.attributed_name
            row[f"{hop.name}_created"] = hop.created
            row[f"{hop.name}_record"] = hop.record
        row.update(self._upward_row())
        return {column: row.get(column, "") for column in COLUMNS}

    def _upward_row(self) -> dict[str, str]:
        # several upward links of one path share a cell, " | " between them
        def join(values) -> str:
            return " | ".join(values)

        row = {"plan_continued_by": self.continued_by,
               "contributes_to_from": join(f"{'objective' if self.objective and hop.subject == self.objective.iri else 'issue'}"
                                           for hop in self.upward),
               "higher": join(n.notation for n in self.higher), "higher_iri": join(n.iri for n in self.higher),
               "higher_kind": join(n.kind for n in self.higher), "higher_plan": join(n.plan for n in self.higher),
               "higher_th": join(n.label.get("th", "") for n in self.higher),
               "higher_en": join(n.label.get("en", "") for n in self.higher)}
        for key, get in (("kind", lambda h: h.kind), ("rationale_th", lambda h: h.rationale.get("th", "")),
                         ("rationale_en", lambda h: h.rationale.get("en", "")),
                         ("attributed_to", lambda h: h.attributed_to), ("attributed_name", lambda h: h.attributed_name),
                         ("created", lambda h: h.created), ("record", lambda h: h.record)):
            row[f"contributes_to_{key}"] = join(get(hop) for hop in self.upward)
        return row

    @property
    def gaps(self) -> list[Hop]:
        """The hops of this path that are missing (an empty list for a whole chain)."""
        return [hop for hop in self.hops if hop.kind == MISSING]


HOP_NAMES = ("measures", "issue_objective", "supports_mission", "makes_operative")
MISSING = "missing"
_HOP = ("kind", "line", "quote", "rationale_th", "rationale_en", "attributed_to", "attributed_name",
        "created", "record")
#: Columns of the traceability matrix, in order.
COLUMNS = tuple(
    ["plan"] + [f"indicator{s}" for s in ("", "_iri", "_th", "_en", "_parent", "_line", "_quote")]
    + [f"{h}_{s}" for h in HOP_NAMES[:1] for s in _HOP]
    + [f"objective{s}" for s in ("", "_iri", "_th", "_en")]
    + [f"{h}_{s}" for h in HOP_NAMES[1:2] for s in _HOP]
    + [f"issue{s}" for s in ("", "_iri", "_th", "_en")]
    + [f"{h}_{s}" for h in HOP_NAMES[2:3] for s in _HOP]
    + [f"mission{s}" for s in ("", "_iri", "_th", "_en")]
    + [f"{h}_{s}" for h in HOP_NAMES[3:] for s in _HOP]
    + [f"vision{s}" for s in ("", "_iri", "_th", "_en")]
    # added with plans linked to plans: after every older column, so that readers by position still work
    + ["plan_continued_by", "contributes_to_from"]
    + [f"higher{s}" for s in ("", "_iri", "_kind", "_plan", "_th", "_en")]
    + [f"contributes_to_{s}" for s in ("kind", "rationale_th", "rationale_en", "attributed_to", "attributed_name",
                                       "created", "record")])


def _value(term) -> str:
    return "" if term is None else term.value


def _graph_kind(graph_iri: str, declared: str) -> str | None:
    if graph_iri.endswith("/curation"):
        return CURATED
    if graph_iri.endswith("/document"):
        return STRUCTURAL if declared == CDK + "structural" else STATED
    return None


class _Plan:
    """What the trace needs from the store, read once."""

    def __init__(self, store):
        self.nodes: dict[str, dict] = {}
        for row in store.query(query_text("trace-nodes")):
            node = self.nodes.setdefault(_value(row["node"]), {
                "kind": _value(row["class"]).rsplit("#", 1)[-1], "label": {}, "spans": []})
            node["notation"] = _value(row["notation"])
            node["ordinal"] = int(_value(row["ordinal"]) or 0)
            label = row["label"]
            if label is not None and label.language in ("th", "en"):
                node["label"][label.language] = label.value
        for row in store.query(query_text("trace-parents")):
            self.nodes.get(_value(row["node"]), {})["parent"] = _value(row["parent"])
        for row in store.query(query_text("trace-spans")):
            self.nodes[_value(row["node"])]["spans"].append(
                (int(_value(row["start"])), int(_value(row["line"])), _value(row["exact"])))
        for node in self.nodes.values():
            node["spans"].sort()
        self.kinds: dict[tuple, list[str]] = {}
        for row in store.query(query_text("trace-hop-graphs")):
            kind = _graph_kind(_value(row["g"]), _value(row["declared"]))
            if kind:
                key = (_value(row["s"]), _value(row["p"]), _value(row["o"]))
                self.kinds.setdefault(key, []).append(kind)
        self.rationales: dict[tuple, dict] = {}
        for row in store.query(query_text("trace-rationales")):
            key = (_value(row["s"]), _value(row["p"]), _value(row["o"]))
            entry = self.rationales.setdefault(key, {"rationale": {}, "agent": "", "created": "",
                                                     "name": "", "record": ""})
            if row["rationale"] is not None:
                entry["rationale"][row["rationale"].language] = row["rationale"].value
            entry["agent"] = _value(row["agent"]) or entry["agent"]
            entry["name"] = _value(row["agentName"]) or entry["name"]
            entry["created"] = _value(row["created"]) or entry["created"]
            entry["record"] = _value(row["link"]) or entry["record"]
        self.upward: dict[str, list[tuple[str, str]]] = {}
        for row in store.query(query_text("trace-upward")):
            self.upward.setdefault(_value(row["s"]), []).append((_value(row["o"]), plan_key(_value(row["higherPlan"]))))
        self.continued_by = {plan_key(_value(row["plan"])): plan_key(_value(row["next"]))
                             for row in store.query(query_text("trace-continued"))}
        self.paths = [{k: _value(row[k]) for k in ("plan", "indicator", "indicatorNotation", "objective",
                                                     "issue", "issueNotation", "mission", "vision")}
                      for row in store.query(query_text("trace-paths"))]

    def node(self, iri: str, ref: str = "") -> Node | None:
        if not iri:
            return None
        data = self.nodes.get(iri, {"kind": "", "label": {}, "spans": [], "notation": ""})
        first = data["spans"][0] if data["spans"] else (None, None, "")
        parent = data.get("parent", "")
        parent_ref = ""
        if parent and ref and "/" in ref:
            parent_ref = f"{ref.split('/', 1)[0]}/{self.nodes.get(parent, {}).get('notation', '')}"
        return Node(iri, data["kind"], data.get("notation", ""), ref, dict(data["label"]),
                    first[1], first[2], parent_ref)

    def hop(self, name: str, s: str, p: str, o: str, evidence: tuple | None) -> Hop:
        if not (s and o):
            return Hop(name, s, p, o, MISSING)
        kinds = self.kinds.get((s, p, o), [])
        # a triple in both graphs is reported by its document kind: the document states it
        kind = next((k for k in (STATED, STRUCTURAL, CURATED) if k in kinds), MISSING)
        if kind == CURATED:
            info = self.rationales.get((s, p, o), {"rationale": {}, "agent": "", "created": "",
                                                   "name": "", "record": ""})
            return Hop(name, s, p, o, kind, rationale=dict(info["rationale"]),
                       attributed_to=info["agent"], created=info["created"],
                       attributed_name=info["name"], record=info["record"])
        line, quote = (evidence[1], evidence[2]) if evidence else (None, "")
        return Hop(name, s, p, o, kind, line, quote)

    def section_span(self, objective: str, issue: str):
        """The objective's printing inside the issue's section (after the issue's title)."""
        after = max((span[0] for span in self.nodes.get(issue, {}).get("spans", [])), default=-1)
        spans = [span for span in self.nodes.get(objective, {}).get("spans", []) if span[0] > after]
        return spans[0] if spans else None

    def first_span(self, iri: str):
        spans = self.nodes.get(iri, {}).get("spans", [])
        return spans[0] if spans else None

    def build(self, row: dict) -> TracePath:
        ind, obj, issue = row["indicator"], row["objective"], row["issue"]
        mission, vision = row["mission"], row["vision"]
        hops = (
            self.hop("measures", ind, CDK + "measures", obj, self.first_span(ind)),
            self.hop("issue_objective", issue, CDK + "hasObjective", obj, self.section_span(obj, issue)),
            self.hop("supports_mission", obj, CDK + "supportsMission", mission, None),
            self.hop("makes_operative", mission, CDK + "makesOperative", vision, self.first_span(mission)),
        )
        ref = f"{row['issueNotation']}/{row['indicatorNotation']}" if row["issueNotation"] else row["indicatorNotation"]
        links = [(s, o, plan) for s in (obj, issue) if s for o, plan in sorted(self.upward.get(s, []))]
        upward = tuple(self.hop("contributes_to", s, CDK + "contributesTo", o, None) for s, o, _ in links)
        higher = tuple(replace(self.node(o), plan=plan) for _, o, plan in links)
        plan = plan_key(row["plan"])
        return TracePath(self.node(ind, ref), self.node(obj), self.node(issue), self.node(mission),
                         self.node(vision), hops, plan, upward, higher, self.continued_by.get(plan, ""))

    def sort_key(self, path: TracePath):
        return (self.nodes.get(path.issue.iri, {}).get("ordinal", 0) if path.issue else 0, path.indicator.line or 0,
                self.nodes.get(path.mission.iri, {}).get("ordinal", 0) if path.mission else 0)


def resolve_indicator(store, ref: str, plan: str | None = None) -> str:
    """The IRI of the indicator ``ref`` names.

    Args:
        ref: an indicator IRI (optionally in ``<>``), or a notation
            ``ISSUE/INDICATOR`` such as ``2/1.3`` or ``๒/๑.๓`` (issue 2,
            indicator 1.3; Thai or ASCII digits).
        plan: the plan (``agency/fiscal-year``) a notation is read in; None
            when only one plan of the release has that notation.

    Raises:
        MalformedReference: ``ref`` is neither an IRI nor a notation.
        NoSuchIndicator: no indicator matches, or several plans have the
            notation and no plan is named (the message lists them).
    """
    from codikg.ingest.thai import to_ascii_digits

    ref = ref.strip()
    match = _NOTATION.match(to_ascii_digits(ref))
    if match:
        every = list(store.query(query_text("trace-issues")))
        rows = [row for row in every if plan is None or plan_key(_value(row["plan"])) == plan]
        issues = sorted({_value(row["notation"]) for row in rows}, key=_notation_key)
        where = f" of plan {plan}" if plan else ""
        if not issues:
            known = sorted({plan_key(_value(row["plan"])) for row in every})
            raise NoSuchIndicator(f"indicator {ref!r}: the release has no plan {plan}; plans: {', '.join(known)}")
        if match["issue"] not in issues:
            raise NoSuchIndicator(f"indicator {ref!r}: there is no strategic issue {match['issue']}{where} "
                                  f"(the plan has issues {', '.join(issues)})")
        notations = {ox.Variable("indicatorNotation"): ox.Literal(match["indicator"]),
                     ox.Variable("issueNotation"): ox.Literal(match["issue"])}
        by_plan: dict[str, set] = {}
        for row in store.query(query_text("trace-indicator"), substitutions=notations):
            if plan is None or plan_key(_value(row["plan"])) == plan:
                by_plan.setdefault(plan_key(_value(row["plan"])), set()).add(_value(row["i"]))
        if len(by_plan) > 1:
            raise NoSuchIndicator(f"indicator {ref!r}: plans {', '.join(sorted(by_plan))} each have it; "
                                  "name one (--plan AGENCY/FISCAL_YEAR, ?plan=)")
        found = sorted(next(iter(by_plan.values()), set()))
        if len(found) != 1:
            many = "no indicator" if not found else f"{len(found)} indicators"
            raise NoSuchIndicator(f"indicator {ref!r}: {many} with notation {match['indicator']} "
                                  f"in strategic issue {match['issue']}{where}")
        return found[0]
    iri = ref[1:-1] if ref.startswith("<") and ref.endswith(">") else ref
    try:
        if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", iri):
            raise ValueError(iri)
        resource = {ox.Variable("resource"): ox.NamedNode(iri)}
    except ValueError:
        raise MalformedReference(f"indicator {ref!r}: not an IRI nor a notation like '2/1.3'") from None
    classes = {_value(row["class"])
               for row in store.query(query_text("trace-types"), substitutions=resource)}
    if CDK + "Indicator" in classes:
        return iri
    known = sorted(c.rsplit("#", 1)[-1] for c in classes if c.startswith(CDK))
    if known:
        raise NoSuchIndicator(f"indicator {ref!r}: this IRI names a {' and '.join(known)}, not an indicator")
    raise NoSuchIndicator(f"indicator {ref!r}: no indicator with this IRI in the release")


def _notation_key(notation: str):
    return tuple(int(part) if part.isdigit() else 0 for part in notation.split("."))


def trace_all(store, plan: str | None = None) -> list[TracePath]:
    """Every indicator–mission path, in plan order (plan, issue, print order, mission).

    Args:
        plan: only this plan's paths (``agency/fiscal-year``); every plan's when None.
    """
    data = _Plan(store)
    paths = [data.build(row) for row in data.paths if plan is None or plan_key(row["plan"]) == plan]
    return sorted(paths, key=lambda path: (path.plan, data.sort_key(path)))


def trace_indicator(store, ref: str, plan: str | None = None) -> list[TracePath]:
    """The paths of one indicator (one per mission it reaches).

    Args:
        store: see the module docstring.
        ref: an IRI or a notation (see :func:`resolve_indicator`).
        plan: the plan a notation is read in (see :func:`resolve_indicator`).

    Raises:
        TraceError: ``ref`` names no indicator, or names one in several plans.
    """
    iri = resolve_indicator(store, ref, plan)
    return [path for path in trace_all(store) if path.indicator.iri == iri]


def write_csv(paths: list[TracePath], out) -> None:
    """Write the matrix as CSV (RFC 4180, header row of :data:`COLUMNS`) to a text stream.

    The text starts with a byte-order mark (U+FEFF) so that Excel reads it as
    UTF-8 and shows the Thai text; notations such as ``1/1`` are text (Excel may
    still read them as dates on import; the XLSX keeps them as text).
    """
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for path in paths:
        writer.writerow(path.as_row())


def csv_text(paths: list[TracePath]) -> str:
    """The matrix as a CSV string, byte-order mark first (see :func:`write_csv`)."""
    buffer = io.StringIO()
    write_csv(paths, buffer)
    return buffer.getvalue()


_NOTATION_COLUMNS = ("indicator", "indicator_parent", "objective", "issue", "mission", "vision", "higher")


def write_xlsx(paths: list[TracePath], target: Path | io.BytesIO) -> None:
    """Write the matrix as an Office Open XML workbook (openpyxl), sheet ``trace``.

    Args:
        paths: the rows.
        target: a file path or a binary stream.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "trace"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for path in paths:
        row = path.as_row()
        sheet.append([int(row[c]) if c.endswith("_line") and row[c] else row[c] for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        if column in _NOTATION_COLUMNS:  # "1/1", "1.2": text, never a date or a number
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "@"
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column[:50])
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, width + 2))
    workbook.save(target)
