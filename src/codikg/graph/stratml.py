"""The plan model → a StratML Part 2 document (ISO 17469-2, ``PerformancePlanOrReport``,
schema version 2.2.6 of 2016-02-16; the mapping is docs/stratml.md).

StratML has one ``Mission``, ``Goal`` and ``Objective`` but no strategy or
project, so the document's structure is carried by identifiers: every element
gets an ``Identifier`` (``xsd:ID``) shaped like its IRI path (``issue-3``,
``issue-3-indicator-1.2``, ``issue-3-strategy-1``), which
:func:`codikg.ingest.stratml.read_stratml` reads back. Texts are the
normalised Thai of the document graph's ``skos:prefLabel``; list markers keep
their Thai digits in ``SequenceIndicator``.
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from codikg.graph.iris import PlanIRIs
from codikg.ingest import stratml as terms
from codikg.ingest.thai import fiscal_year_interval
from codikg.model import Column, ListItem, Plan, StrategicIssue

_NS = terms.PART2_NAMESPACE
#: Media type of the exported document (RFC 7303).
MEDIA_TYPE = "application/xml"
#: What the document conforms to (``dct:conformsTo``): the StratML Part 2 schema's namespace.
STANDARD = _NS
STANDARD_LABEL = "StratML Part 2 (ISO 17469-2), PerformancePlanOrReport schema 2.2.6"


def stratml_document(plan: Plan, iris: PlanIRIs, agency: dict | None = None,
                     period: tuple[dt.date, dt.date] | None = None) -> bytes:
    """Serialise ``plan`` as a StratML Part 2 ``PerformancePlanOrReport`` (``Type="Strategic_Plan"``).

    Args:
        plan: the plan model (:func:`codikg.ingest.parse_plan_file` or
            :func:`codikg.ingest.stratml.read_stratml`).
        iris: the plan's IRIs (the ``Source`` is the plan's IRI).
        agency: the ``[agency]`` table of the plan's settings (``name_th``,
            ``acronym_th``); without it the document's credit line names the
            organisation.
        period: first and last day (CE) of the plan period; default: the
            fiscal years the document prints, else none.

    Returns:
        UTF-8 XML with a declaration, valid against
        ``PerformancePlanOrReport20160216.xsd``.
    """
    root = etree.Element(_tag("PerformancePlanOrReport"), nsmap={None: _NS}, Type="Strategic_Plan")
    _text(root, "Name", plan.title.normalized)
    _text(root, "OtherInformation",
          f"{terms.EXPORT_NOTE} {plan.source.filename} (SHA-256 {plan.source.sha256}).")
    core = etree.SubElement(root, _tag("StrategicPlanCore"))
    _organization(core, plan, iris, agency or {})
    vision = etree.SubElement(core, _tag("Vision"))
    _text(vision, "Description", plan.vision.normalized)
    _text(vision, "Identifier", terms.VISION_ID)
    if plan.missions:
        mission = etree.SubElement(core, _tag("Mission"))
        _text(mission, "Description", "\n".join(
            f"{m.marker} {m.text.normalized}" for top in plan.missions for m in top.walk()))
        _text(mission, "Identifier", terms.MISSION_ID)
    for issue in plan.issues:
        _goal(core, plan, issue)
    named = {issue.objective for issue in plan.issues}
    if unnamed := [o for o in plan.objectives if o.ordinal not in named]:
        goal = etree.SubElement(core, _tag("Goal"))
        _text(goal, "Name", terms.OBJECTIVES_GOAL_NAME)
        _text(goal, "Description", terms.OBJECTIVES_GOAL_DESCRIPTION)
        _text(goal, "Identifier", terms.OBJECTIVES_GOAL_ID)
        for objective in unnamed:
            _objective(goal, objective.text.normalized, terms.objective_id(None, objective.notation),
                       objective.marker)
    _administrative(root, plan, iris, period)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _tag(name: str) -> str:
    return f"{{{_NS}}}{name}"


def _text(parent, name: str, value: str):
    element = etree.SubElement(parent, _tag(name))
    element.text = value
    return element


def _organization(core, plan: Plan, iris: PlanIRIs, agency: dict):
    # The credit line as printed first: importing the document back keeps the plan's text.
    name = plan.credit.normalized if plan.credit else agency.get("name_th")
    if name is None:
        return
    org = etree.SubElement(core, _tag("Organization"))
    _text(org, "Name", name)
    if agency.get("acronym_th"):
        _text(org, "Acronym", agency["acronym_th"])
    _text(org, "Identifier", terms.agency_id(iris.agency))


def _goal(core, plan: Plan, issue: StrategicIssue):
    goal = etree.SubElement(core, _tag("Goal"))
    _text(goal, "Name", issue.overview.text.normalized)
    _text(goal, "Description", issue.title.normalized)
    _text(goal, "Identifier", terms.goal_id(issue.number))
    _text(goal, "SequenceIndicator", issue.overview.marker)
    plan_objective = plan.objectives[issue.objective - 1]
    objective = _objective(goal, issue.objective_text.normalized,
                           terms.objective_id(issue.number, plan_objective.notation),
                           plan_objective.marker)
    for top in issue.indicators:
        for item in top.walk():
            _indicator(objective, issue.number, item, top)
    for column in (Column.STRATEGIES, Column.PROJECTS):
        for top in issue.column_items(column):
            for item in top.walk():
                _objective(goal, item.text.normalized,
                           terms.item_id(issue.number, column, item.notation), item.marker,
                           terms.KIND_NOTES[column])


def _objective(goal, name: str, identifier: str, marker: str, note: str | None = None):
    objective = etree.SubElement(goal, _tag("Objective"))
    _text(objective, "Name", name)
    _text(objective, "Identifier", identifier)
    _text(objective, "SequenceIndicator", marker)
    if note:
        _text(objective, "OtherInformation", note)
    return objective


def _indicator(objective, issue: int, item: ListItem, top: ListItem):
    indicator = etree.SubElement(objective, _tag("PerformanceIndicator"))
    _text(indicator, "SequenceIndicator", item.marker)
    _text(indicator, "MeasurementDimension", item.text.normalized)
    _text(indicator, "UnitOfMeasurement", "")  # the template prints no unit
    _text(indicator, "Identifier", terms.item_id(issue, Column.INDICATORS, item.notation))
    if item is not top:
        parent = item.notation.rsplit(".", 1)[0]
        relationship = etree.SubElement(indicator, _tag("Relationship"),
                                        RelationshipType="Narrower_Than")
        _text(relationship, "ReferentIdentifier", terms.item_id(issue, Column.INDICATORS, parent))


def _administrative(root, plan: Plan, iris: PlanIRIs, period: tuple[dt.date, dt.date] | None):
    if period is None and plan.period is not None:
        period = (fiscal_year_interval(plan.period.first_year_be)[0],
                  fiscal_year_interval(plan.period.last_year_be)[1])
    info = etree.SubElement(root, _tag("AdministrativeInformation"))
    if period is not None:
        _text(info, "StartDate", period[0].isoformat())
        _text(info, "EndDate", period[1].isoformat())
    _text(info, "Source", str(iris.plan))
