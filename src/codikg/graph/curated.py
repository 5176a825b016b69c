"""What the catalog takes from the curation graph: the plan period and the
editors' latest date.

The curated plan metadata (``data/plans/<agency>/<fy>/curation/plan-metadata.ttl``) is the single
source of the plan period: ``<plan> dct:temporal ?period`` with
``dcat:startDate``/``dcat:endDate``, and ``cdk:firstFiscalYear`` /
``cdk:lastFiscalYear`` (Buddhist Era). The catalog's ``dct:temporal``, its
titles and ``dct:modified`` are derived from it, so a rebuild of the same
inputs on another day gives the same catalog.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, XSD

from codikg.namespaces import CDK
from codikg.ingest.thai import fiscal_year_interval

_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


class CuratedMetadataError(ValueError):
    """The curation graph lacks the plan period or states a contradictory one."""


@dataclass(frozen=True)
class PlanPeriod:
    """The plan period as curated.

    Attributes:
        iri: the ``dct:PeriodOfTime`` node (``{plan}/period``).
        start, end: first and last day (CE) of the period.
        first_year_be, last_year_be: first and last fiscal year (Buddhist Era).
    """

    iri: URIRef
    start: dt.date
    end: dt.date
    first_year_be: int
    last_year_be: int

    def fiscal_years(self, lang: str) -> str:
        """``fiscal years B.E. 2567–2570`` (en) or ``ปีงบประมาณ พ.ศ. ๒๕๖๗–๒๕๗๐`` (th)."""
        years = (str(self.first_year_be) if self.first_year_be == self.last_year_be
                 else f"{self.first_year_be}–{self.last_year_be}")
        if lang == "th":
            return f"ปีงบประมาณ พ.ศ. {years.translate(_THAI_DIGITS)}"
        word = "fiscal year" if self.first_year_be == self.last_year_be else "fiscal years"
        return f"{word} B.E. {years}"


def from_fiscal_year(first_year_be: int, lang: str) -> str:
    """The period when only its first fiscal year is known (nothing curated yet):
    ``from fiscal year B.E. 2567`` (en) or ``ตั้งแต่ปีงบประมาณ พ.ศ. ๒๕๖๗`` (th)."""
    if lang == "th":
        return f"ตั้งแต่ปีงบประมาณ พ.ศ. {str(first_year_be).translate(_THAI_DIGITS)}"
    return f"from fiscal year B.E. {first_year_be}"


def is_curated(curation: Graph, plan: URIRef) -> bool:
    """True when the editors stated any of the plan's period (dct:temporal or fiscal years)."""
    return any(curation.value(plan, p) is not None
               for p in (DCTERMS.temporal, CDK.firstFiscalYear, CDK.lastFiscalYear))


def _date(value, what: str) -> dt.date:
    if not isinstance(value, Literal) or value.datatype != XSD.date:
        raise CuratedMetadataError(f"{what} must be an xsd:date, not {value!r}")
    return dt.date.fromisoformat(str(value))


def plan_period(curation: Graph, plan: URIRef) -> PlanPeriod:
    """The curated period of ``plan``.

    Args:
        curation: the graph ``{base}graph/curation`` of the built dataset.
        plan: the plan IRI.

    Raises:
        CuratedMetadataError: if the period, its dates or the fiscal years are
            missing, or the dates are not 1 October of the first fiscal year to
            30 September of the last (Thai government fiscal years).
    """
    where = f"curation graph (the plan folder's curation/*.ttl): <{plan}>"
    period = curation.value(plan, DCTERMS.temporal)
    if period is None:
        raise CuratedMetadataError(f"{where} has no dct:temporal (the plan period)")
    first, last = curation.value(plan, CDK.firstFiscalYear), curation.value(plan, CDK.lastFiscalYear)
    if first is None or last is None:
        raise CuratedMetadataError(f"{where} lacks cdk:firstFiscalYear or cdk:lastFiscalYear")
    start = _date(curation.value(period, DCAT.startDate), f"dcat:startDate of <{period}>")
    end = _date(curation.value(period, DCAT.endDate), f"dcat:endDate of <{period}>")
    first, last = int(first), int(last)
    expected = (fiscal_year_interval(first)[0], fiscal_year_interval(last)[1])
    if (start, end) != expected:
        raise CuratedMetadataError(
            f"{where}: period {start}–{end} does not match fiscal years {first}–{last} "
            f"({expected[0]}–{expected[1]})")
    return PlanPeriod(URIRef(period), start, end, first, last)


def latest_curation_date(curation: Graph) -> dt.date | None:
    """The latest ``dct:created``/``dct:modified`` xsd:date the editors stated, if any."""
    dates = [dt.date.fromisoformat(str(o)) for p in (DCTERMS.created, DCTERMS.modified)
             for o in curation.objects(None, p)
             if isinstance(o, Literal) and o.datatype == XSD.date]
    return max(dates, default=None)
