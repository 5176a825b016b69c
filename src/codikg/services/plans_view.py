"""The plans a release holds, as the landing page and ``/plan`` list them.

One :class:`PlanSummary` per ``cdk:StrategicPlan``: its key ``agency/fiscal-year``,
labels, the publishing agency's labels, the curated fiscal years (or the first
one only when the period is not curated yet) and element counts, sorted in Thai
dictionary order of the agency's Thai name (:mod:`codikg.ingest.collation`),
then by fiscal year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codikg.audit.trace import plan_key
from codikg.ingest.collation import thai_sorted
from codikg.sparql.texts import query_text

_KINDS = ("Mission", "StrategicObjective", "StrategicIssue", "Indicator", "Strategy", "Project")


@dataclass
class PlanSummary:
    """One plan of the release.

    Attributes:
        iri: the plan IRI; key: ``agency/fiscal-year`` (its ``/plan/{key}`` page).
        label, agency: ``{lang: text}`` of the plan and of its publisher.
        first_year, last_year: fiscal years (B.E.); ``last_year`` is None when not curated.
        counts: elements per class name (``"Indicator"``: 28).
    """

    iri: str
    key: str
    label: dict = field(default_factory=dict)
    agency: dict = field(default_factory=dict)
    first_year: int | None = None
    last_year: int | None = None
    counts: dict = field(default_factory=dict)

    @property
    def years(self) -> str:
        """``2567–2570``, or ``2567–`` while the last fiscal year is not curated."""
        if self.first_year is None:
            return self.key.rsplit("/", 1)[-1] + "–"
        return f"{self.first_year}–{self.last_year}" if self.last_year else f"{self.first_year}–"


def plan_summaries(store) -> list[PlanSummary]:
    """The release's plans (see the module docstring); empty when it holds none."""
    plans: dict[str, PlanSummary] = {}
    for row in store.query(query_text("plans")):
        iri = row["plan"].value
        plan = plans.setdefault(iri, PlanSummary(iri, plan_key(iri)))
        if row["label"] is not None:
            plan.label[row["label"].language or ""] = row["label"].value
        if row["publisherLabel"] is not None:
            plan.agency[row["publisherLabel"].language or ""] = row["publisherLabel"].value
        if row["first"] is not None:
            plan.first_year = int(row["first"].value)
        if row["last"] is not None:
            plan.last_year = int(row["last"].value)
    for row in store.query(query_text("plan-counts")):
        if row["plan"].value in plans:
            plans[row["plan"].value].counts[row["class"].value.rsplit("#", 1)[-1]] = int(row["n"].value)
    for plan in plans.values():
        plan.counts = {kind: plan.counts.get(kind, 0) for kind in _KINDS}
    by_year = sorted(plans.values(), key=lambda p: p.key.rsplit("/", 1)[-1])
    return thai_sorted(by_year, key=lambda p: p.agency.get("th") or p.agency.get("en") or p.key)
