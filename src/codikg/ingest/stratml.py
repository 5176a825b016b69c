"""A StratML document (ISO 17469) → the plan model: :func:`read_stratml`.

Reads Part 1 (``StrategicPlan``, namespace ``…:stratml_core``) and Part 2
(``PerformancePlanOrReport``) documents. The mapping is docs/stratml.md and
the inverse of :mod:`codikg.graph.stratml`: ``Goal`` → strategic issue, its
``Objective`` → the issue's strategic objective, ``PerformanceIndicator`` →
indicator; strategies and projects are the ``Objective`` elements whose
``Identifier`` says so (``issue-1-strategy-2``), as codikg writes them.

Every text keeps where it stands in the XML file, like the Thai template's
(docs/SOURCE.md): ``verbatim`` is the element's content exactly as in the file
(character references and CDATA markers included), ``start``/``end`` count
code points after any byte-order mark. The document is parsed by lxml with no
DTD, no entity expansion and no network.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import html
import re
from pathlib import Path

from lxml import etree

from codikg.ingest.parser import PlanParseError
from codikg.ingest.thai import DIGIT, fiscal_year_of, normalize_text, parse_int
from codikg.ingest.title import read_title
from codikg.model import (Column, ListItem, MarkerStyle, Plan, PrintedPeriod, SourceDocument,
                          SourceText, StrategicIssue)

PART1_NAMESPACE = "urn:ISO:std:iso:17469:tech:xsd:stratml_core"
PART2_NAMESPACE = "urn:ISO:std:iso:17469:tech:xsd:PerformancePlanOrReport"
_ROOTS = {(PART1_NAMESPACE, "StrategicPlan"), (PART2_NAMESPACE, "PerformancePlanOrReport")}

#: Identifiers codikg gives the elements it exports (``xsd:ID``: they start with a letter).
VISION_ID, MISSION_ID, OBJECTIVES_GOAL_ID = "vision", "mission", "objectives"
#: The goal that holds the objectives no strategic issue names.
OBJECTIVES_GOAL_NAME = "วัตถุประสงค์เชิงกลยุทธ์"
OBJECTIVES_GOAL_DESCRIPTION = "Strategic objectives that no strategic issue of the plan names."
EXPORT_NOTE = "Exported by codikg from the plan document"
_SEGMENT = {Column.INDICATORS: "indicator", Column.STRATEGIES: "strategy", Column.PROJECTS: "project"}
#: ``OtherInformation`` of the ``Objective`` elements that stand for strategies and projects.
KIND_NOTES = {Column.STRATEGIES: "กลยุทธ์ (strategy)", Column.PROJECTS: "โครงการ (project)"}
_ITEM_ID = re.compile(r"^issue-(?P<issue>\d+)-(?P<kind>indicator|strategy|project|objective)-"
                      r"(?P<notation>\d+(?:\.\d+)*)$")
_MARKER = re.compile(rf"^(?:(?P<decimal>{DIGIT}+\.{DIGIT}+)|(?P<paren>{DIGIT}+)\)|(?P<dot>{DIGIT}+)\.)$")
_LINE_MARKER = re.compile(rf"^(?P<marker>{DIGIT}+(?:\.{DIGIT}+|\)|\.))[ \t\u00a0]+")
_BLANKS = " \t\r\n\u00a0"


def agency_id(slug: str) -> str:
    """The ``Identifier`` of the organisation whose IRI slug is ``slug``."""
    return f"agency-{slug}"


def goal_id(issue: int) -> str:
    """The ``Identifier`` of strategic issue ``issue``'s ``Goal``."""
    return f"issue-{issue}"


def objective_id(issue: int | None, notation: str) -> str:
    """The ``Identifier`` of objective ``notation`` as printed in ``issue`` (None: in no issue)."""
    return f"objective-{notation}" if issue is None else f"issue-{issue}-objective-{notation}"


def item_id(issue: int, column: Column, notation: str) -> str:
    """The ``Identifier`` of an indicator, strategy or project (``issue-3-indicator-1.2``)."""
    return f"issue-{issue}-{_SEGMENT[column]}-{notation}"


class StratMLError(PlanParseError):
    """A StratML document that cannot become a plan; names the file, line and what is wrong."""


def read_stratml(path: str | Path, media_type: str = "application/xml") -> Plan:
    """Read a StratML Part 1 or Part 2 document into the plan model.

    Args:
        path: a UTF-8 XML file (a byte-order mark is allowed and not counted).
        media_type: recorded as the source's media type.

    Returns:
        A :class:`~codikg.model.Plan` like :func:`codikg.ingest.parse_plan_file`'s;
        ``heading`` and ``table_header`` of its issues are None (StratML has none).

    Raises:
        StratMLError: the file is not UTF-8 or not well-formed XML, has a DTD,
            is not a StratML plan, lacks a required element (``Name``,
            ``StrategicPlanCore``, ``Vision``), or has a ``Goal`` without
            exactly one strategic objective (the plan model's strategic issue has one).
    """
    path = Path(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise StratMLError(f"not UTF-8 at byte {exc.start}", 0, "", path.name) from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_blank_text=False)
    try:
        tree = etree.fromstring(data, parser).getroottree()
    except etree.XMLSyntaxError as exc:
        raise StratMLError(f"not well-formed XML: {exc.msg}", exc.lineno or 0, "", path.name) from None
    if tree.docinfo.doctype:
        raise StratMLError("a DTD is not accepted", 1, tree.docinfo.doctype, path.name)
    lines = len(text.split("\n")) - (1 if text.endswith("\n") or not text else 0)
    source = SourceDocument(path.name, hashlib.sha256(data).hexdigest(), media_type, len(text),
                            lines, text)
    return _Reader(tree.getroot(), text, path.name).plan(source)


class _Reader:
    def __init__(self, root, text: str, filename: str):
        self.root, self.text, self.filename = root, text, filename
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.ns = etree.QName(root).namespace
        if (self.ns, etree.QName(root).localname) not in _ROOTS:
            raise self.error(f"the root element {root.tag} is neither a StratML Part 1 "
                             "StrategicPlan nor a Part 2 PerformancePlanOrReport", root)
        self.content = _content_spans(root, text)

    def error(self, reason: str, element) -> StratMLError:
        line = element.sourceline or 0
        raw = self.text.split("\n")[line - 1].rstrip("\r") if line else ""
        return StratMLError(reason, line, raw, self.filename)

    def child(self, parent, name: str, required: bool = True):
        found = parent.find(f"{{{self.ns}}}{name}")
        if found is None and required:
            raise self.error(f"{etree.QName(parent).localname} has no {name}", parent)
        return found

    def children(self, parent, name: str) -> list:
        return parent.findall(f"{{{self.ns}}}{name}")

    def value(self, parent, name: str) -> str | None:
        found = self.child(parent, name, required=False)
        return found.text.strip() if found is not None and found.text and found.text.strip() else None

    def source_text(self, element, start: int | None = None, end: int | None = None,
                    value: str | None = None) -> SourceText:
        """The element's content (or ``start:end`` of the file) without surrounding blanks."""
        if start is None:
            start, end = self.content[element]
        raw = self.text[start:end]
        lead = len(raw) - len(raw.lstrip(_BLANKS))
        verbatim = raw.strip(_BLANKS)
        if not verbatim:
            raise self.error(f"{etree.QName(element).localname} is empty", element)
        value = element.text if value is None else value
        normalized = normalize_text(re.sub(r"[ \t\u00a0]*\r?\n[ \t\u00a0]*", " ", value))
        begin = start + lead
        line = bisect.bisect_right(self.line_starts, begin)
        return SourceText(verbatim, normalized, line, begin, begin + len(verbatim))

    def plan(self, source: SourceDocument) -> Plan:
        title = self.source_text(self.child(self.root, "Name"))
        core = self.child(self.root, "StrategicPlanCore")
        organization = self.child(core, "Organization", required=False)
        credit = None
        if organization is not None and self.value(organization, "Name"):
            credit = self.source_text(self.child(organization, "Name"))
        vision = self.child(core, "Vision")
        vision_text = self.source_text(self.child(vision, "Description"))
        mission = self.child(core, "Mission", required=False)
        missions = self.missions(mission) if mission is not None else []
        objectives: list[tuple[str | None, SourceText]] = []
        issues = []
        for goal in self.children(core, "Goal"):
            if self.value(goal, "Identifier") == OBJECTIVES_GOAL_ID:
                for objective in self.children(goal, "Objective"):
                    objectives.append(self.objective_entry(objective))
                continue
            issues.append(self.issue(goal, len(issues) + 1, objectives))
        plan_objectives, ordinal_of = self.plan_objectives(objectives)
        for issue in issues:
            issue.objective = ordinal_of[issue.objective_text.normalized]
        subject, period = self.title_parts(title)
        return Plan(source, title, vision_text, missions, plan_objectives, issues, credit,
                    subject, period or self.period())

    def title_parts(self, title: SourceText) -> tuple[SourceText | None, PrintedPeriod | None]:
        """What a Thai title names and its period (:mod:`codikg.ingest.title`), if it has them."""
        try:
            parts = read_title(title.verbatim)
        except ValueError as exc:
            raise self.error(str(exc), self.child(self.root, "Name")) from None
        if parts is None:
            return None, None
        subject = period = None
        if parts.subject is not None:
            subject = _slice(title, *parts.subject)
        if parts.period is not None:
            period = PrintedPeriod(parts.first_year_be, parts.last_year_be, _slice(title, *parts.period))
        return subject, period

    def period(self) -> PrintedPeriod | None:
        """The fiscal years (B.E.) of ``AdministrativeInformation``'s start and end dates."""
        info = self.child(self.root, "AdministrativeInformation", required=False)
        if info is None or not self.value(info, "StartDate") or not self.value(info, "EndDate"):
            return None
        start, end = self.child(info, "StartDate"), self.child(info, "EndDate")
        try:
            first, last = (fiscal_year_of(dt.date.fromisoformat(e.text.strip())) for e in (start, end))
        except ValueError as exc:
            raise self.error(f"not a date: {exc}", start) from None
        if last < first:
            raise self.error("EndDate is before StartDate", end)
        return PrintedPeriod(first, last, self.source_text(start))

    def missions(self, mission) -> list[ListItem]:
        """One mission per marked line of the description (codikg's export), else one."""
        description = self.child(mission, "Description")
        start, end = self.content[description]
        entries, offset = [], start
        for raw in self.text[start:end].split("\n"):
            stripped = raw.strip(_BLANKS)
            if stripped:
                lead = raw.index(stripped)
                match = _LINE_MARKER.match(stripped)
                cut = match.end() if match else 0
                text = self.source_text(description, offset + lead + cut, offset + len(raw),
                                        html.unescape(stripped[cut:]))
                entries.append((match.group("marker") if match else None, text))
            offset += len(raw) + 1
        if len(entries) > 1 and any(marker is None for marker, _ in entries):
            entries = [(None, self.source_text(description))]
        return _tree([(f"m{i}", None, marker, text) for i, (marker, text) in enumerate(entries)])

    def objective_entry(self, objective) -> tuple[str | None, SourceText]:
        name = self.child(objective, "Name", required=False)
        if name is None or not self.value(objective, "Name"):
            name = self.child(objective, "Description")
        return self.value(objective, "SequenceIndicator"), self.source_text(name)

    def issue(self, goal, number: int, objectives: list) -> StrategicIssue:
        name = self.source_text(self.child(goal, "Name"))
        overview = _item(self.value(goal, "SequenceIndicator"), (number,), name)
        description = self.child(goal, "Description", required=False)
        title = (self.source_text(description) if description is not None
                 and self.value(goal, "Description") else name)
        own, items = [], {Column.STRATEGIES: [], Column.PROJECTS: []}
        for objective in self.children(goal, "Objective"):
            match = _ITEM_ID.match(self.value(objective, "Identifier") or "")
            kind = match.group("kind") if match else "objective"
            if kind == "objective":
                own.append(objective)
                continue
            column = Column.STRATEGIES if kind == "strategy" else Column.PROJECTS
            items[column].append((match.group(0), _parent_id(match.group(0)),
                                  self.value(objective, "SequenceIndicator"),
                                  self.source_text(self.child(objective, "Name"))))
        if len(own) != 1:
            raise self.error(f"Goal {number} has {len(own)} strategic objectives; a strategic "
                             "issue of the plan model has exactly one", goal)
        entry = self.objective_entry(own[0])
        objectives.append(entry)
        indicators = []
        for i, indicator in enumerate(self.children(own[0], "PerformanceIndicator")):
            identifier = self.value(indicator, "Identifier") or f"pi{i}"
            parent = None
            for relationship in self.children(indicator, "Relationship"):
                if relationship.get("RelationshipType") == "Narrower_Than":
                    parent = self.value(relationship, "ReferentIdentifier")
            indicators.append((identifier, parent, self.value(indicator, "SequenceIndicator"),
                               self.source_text(self.child(indicator, "MeasurementDimension"))))
        issue = StrategicIssue(number, overview, None, False, title, entry[1], 0, None, ())
        issue.indicators = _tree(indicators)
        issue.strategies, issue.projects = _tree(items[Column.STRATEGIES]), _tree(items[Column.PROJECTS])
        issue.columns = tuple(c for c in Column if issue.column_items(c))
        return issue

    def plan_objectives(self, entries) -> tuple[list[ListItem], dict[str, int]]:
        """The distinct objectives, ordered by their printed numbers when those are 1..n."""
        unique: dict[str, tuple[str | None, SourceText]] = {}
        for marker, text in entries:
            unique.setdefault(text.normalized, (marker, text))
        numbers = [_number(marker) for marker, _ in unique.values()]
        ordered = list(unique.values())
        if sorted(n or 0 for n in numbers) == list(range(1, len(numbers) + 1)):
            ordered = [entry for _, entry in sorted(zip(numbers, ordered), key=lambda p: p[0])]
        items = [_item(marker, (i,), text) for i, (marker, text) in enumerate(ordered, start=1)]
        return items, {item.text.normalized: item.ordinal for item in items}


def _content_spans(root, text: str) -> dict:
    """Element → (start, end) of its content in ``text``, found tag by tag in document order."""
    spans, cursor = {}, 0
    if text.startswith("<?xml"):
        cursor = text.index("?>") + 2  # the XML declaration is no processing instruction
    prolog = reversed(list(root.itersiblings(preceding=True)))
    for element in (*prolog, *root.iter()):
        if not isinstance(element.tag, str):  # comment or processing instruction
            opener, closer = ("<!--", "-->") if element.tag is etree.Comment else ("<?", "?>")
            cursor = text.index(closer, text.index(opener, cursor)) + len(closer)
            continue
        qname = etree.QName(element).localname if not element.prefix else \
            f"{element.prefix}:{etree.QName(element).localname}"
        start_tag = re.compile(rf"<{re.escape(qname)}(?=[\s/>])(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
        match = start_tag.search(text, cursor)
        cursor = match.end()
        end = cursor
        if not match.group(0).endswith("/>") and len(element) == 0:
            end = text.index(f"</{qname}", cursor)
        spans[element] = (cursor, end)
    return spans


def _slice(text: SourceText, start: int, end: int) -> SourceText:
    """Columns ``start:end`` of a one-line ``text`` (its verbatim form)."""
    part = text.verbatim[start:end]
    return SourceText(part, normalize_text(html.unescape(part)), text.line,
                      text.start + start, text.start + end)


def _number(marker: str | None) -> int | None:
    digits = re.sub(r"[.)]$", "", marker or "")
    try:
        return parse_int(digits)
    except ValueError:
        return None


def _parent_id(identifier: str) -> str | None:
    head, dot, _ = identifier.rpartition(".")
    return head if dot and _ITEM_ID.match(head) else None


def _item(marker: str | None, path: tuple[int, ...], text: SourceText) -> ListItem:
    match = _MARKER.match(marker or "")
    style = MarkerStyle(match.lastgroup) if match else MarkerStyle.DOT
    if not match:
        marker = marker or f"{path[-1]}."
    return ListItem(marker, ".".join(map(str, path)), path[-1], path, style, text)


def _tree(entries: list[tuple[str, str | None, str | None, SourceText]]) -> list[ListItem]:
    """(identifier, parent identifier, marker, text) in document order → nested list items."""
    by_id: dict[str, ListItem] = {}
    tops: list[ListItem] = []
    for identifier, parent_id, marker, text in entries:
        parent = by_id.get(parent_id) if parent_id else None
        siblings = parent.children if parent else tops
        path = (parent.path if parent else ()) + (len(siblings) + 1,)
        item = _item(marker, path, text)
        siblings.append(item)
        by_id[identifier] = item
    return tops
