"""Minting of the project's IRIs (docs/DESIGN.md "Identifiers").

IRIs are ASCII, position-based and deterministic: the same document always
yields the same IRIs, so harvesters never see a dataset vanish and reappear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import URIRef

from codikg.model import Column

#: The named graphs each plan has its own of; the others (ontology, catalog) are the release's.
PLAN_GRAPHS = ("document", "curation", "derived")

_PLAN_IRI = re.compile(r"/id/([^/#]+)/plan/([0-9]+)(?:[/#]|$)")


def plan_of(iri: str) -> str:
    """The plan an IRI minted by :class:`PlanIRIs` lies in (the plan itself, its elements and
    their hash IRIs), as commands name it: ``agency/fiscal-year``; ``""`` for any other IRI."""
    match = _PLAN_IRI.search(iri)
    return f"{match[1]}/{match[2]}" if match else ""

_ITEM_SEGMENT = {Column.INDICATORS: "indicator", Column.STRATEGIES: "strategy",
                 Column.PROJECTS: "project"}


@dataclass(frozen=True)
class PlanIRIs:
    """IRIs of one plan.

    Args:
        base: the base IRI, ending in ``/`` (``https://w3id.org/codikg/``).
        agency: ASCII slug of the agency (its plan folder's ``<agency>``).
        fiscal_year_be: the plan's first fiscal year, Buddhist Era (e.g. ``2567``).
    """

    base: str
    agency: str
    fiscal_year_be: int

    def __post_init__(self):
        if not self.agency.isascii() or not self.agency.replace("-", "").isalnum():
            raise ValueError(f"agency slug must be ASCII letters, digits or '-': {self.agency!r}")

    def _iri(self, path: str) -> URIRef:
        return URIRef(f"{self.base}{path}")

    def graph(self, name: str) -> URIRef:
        """A named graph: ``{base}graph/{agency}/{fy}/{name}`` for a graph of
        :data:`PLAN_GRAPHS` (so two plans never share one), else the release's
        ``{base}graph/{name}`` (ontology, catalog)."""
        if name in PLAN_GRAPHS:
            return self._iri(f"graph/{self.agency}/{self.fiscal_year_be}/{name}")
        return release_graph(self.base, name)

    @property
    def agent(self) -> URIRef:
        return self._iri(f"id/{self.agency}")

    @property
    def plan(self) -> URIRef:
        return self._iri(f"id/{self.agency}/plan/{self.fiscal_year_be}")

    def _in_plan(self, path: str) -> URIRef:
        return URIRef(f"{self.plan}/{path}")

    @property
    def source(self) -> URIRef:
        return self._in_plan("source")

    @property
    def vision(self) -> URIRef:
        return self._in_plan("vision")

    def mission(self, ordinal: int) -> URIRef:
        return self._in_plan(f"mission/{ordinal}")

    def objective(self, ordinal: int) -> URIRef:
        return self._in_plan(f"objective/{ordinal}")

    def issue(self, number: int) -> URIRef:
        return self._in_plan(f"issue/{number}")

    def item(self, issue: int, column: Column, path: tuple[int, ...]) -> URIRef:
        """An indicator, strategy or project; ``path`` (5, 2) becomes ``5.2``."""
        key = ".".join(str(n) for n in path)
        return self._in_plan(f"issue/{issue}/{_ITEM_SEGMENT[column]}/{key}")


def release_graph(base: str, name: str) -> URIRef:
    """A graph of the whole release, ``{base}graph/{name}`` (``ontology``, ``catalog``)."""
    return URIRef(f"{base}graph/{name}")
