"""Free-text search as ``/search`` and ``codikg search`` answer it: validated parameters, hits, groups.

The ranking is :meth:`codikg.search.index.SearchIndex.search`; this module
bounds the input, cuts the answer to ``limit`` and shapes it for JSON and for
the HTML table.
"""

from __future__ import annotations


from collections import Counter
from dataclasses import dataclass

from codikg.ingest.collation import thai_sorted
from codikg.search.index import SearchIndex
from codikg.search.matching import EXACTNESS_NAMES, TIER_NAMES, highlight
from codikg.graph.iris import plan_of
from codikg.services.paths import local_path

MAX_QUERY_CHARS = 200
MAX_LIMIT = 100


class SearchRequestError(ValueError):
    """A search parameter is out of bounds; the message names the parameter."""


def check_request(q: str, limit: str | int, required: bool = False) -> int:
    """Validate the parameters of one search and return ``limit`` as an int.

    Args:
        q: the query text (at most :data:`MAX_QUERY_CHARS` code points).
        limit: hits to return, 1..:data:`MAX_LIMIT` (text as it came in a URL, or an int).
        required: True when an empty ``q`` is an error (JSON clients).

    Raises:
        SearchRequestError: naming ``limit`` or ``q`` and the bound it breaks.
    """
    try:
        n = int(limit)
        if not 1 <= n <= MAX_LIMIT:
            raise ValueError
    except ValueError:
        raise SearchRequestError(f"parameter limit must be a whole number from 1 to {MAX_LIMIT}, "
                                 f"not {limit!r}") from None
    if len(q) > MAX_QUERY_CHARS:
        raise SearchRequestError(f"parameter q is {len(q)} characters long; at most "
                                 f"{MAX_QUERY_CHARS} are accepted")
    if required and not q.strip():
        raise SearchRequestError("parameter q (the text to search for) is required")
    return n


def groups(hits) -> list[dict]:
    """Hit counts per kind of element, in Thai dictionary order of the kind's Thai label.

    Args:
        hits: all the hits of a query (not only the page shown).
    """
    counts = Counter(hit.element.kind for hit in hits)
    labels = {hit.element.kind: hit.element.kind_label for hit in hits}
    rows = [{"kind": kind, "label": labels[kind], "count": n} for kind, n in counts.items()]
    return thai_sorted(rows, key=lambda row: row["label"].get("th") or row["label"].get("en") or row["kind"])


@dataclass
class SearchAnswer:
    """The hits of one query.

    Attributes:
        query: the query text.
        limit: most hits returned.
        every: all hits, best first (``total`` is their number).
        base: the base IRI, to turn element IRIs into server paths.
    """

    query: str
    limit: int
    every: list
    base: str

    @property
    def hits(self) -> list:
        """The hits returned: the first ``limit``."""
        return self.every[:self.limit]

    def as_json(self) -> dict:
        """``query``, ``limit``, ``count``, ``total``, ``results`` (with server ``href`` s), ``groups``."""
        results = [{**hit.as_json(), "plan": plan_of(hit.element.iri), "href": local_path(hit.element.iri, self.base),
                    "occurrences": [{"iri": iri, "href": local_path(iri, self.base)}
                                    for iri in hit.element.occurrences]}
                   for hit in self.hits]
        return {"query": self.query, "limit": self.limit, "count": len(self.hits),
                "total": len(self.every), "results": results, "groups": groups(self.every)}

    def rows(self) -> list[dict]:
        """One row per hit for the HTML table: link, match tier and exactness, highlighted text."""
        return [{"hit": hit, "href": local_path(hit.element.iri, self.base),
                 "tier": TIER_NAMES[hit.match.tier], "how": EXACTNESS_NAMES[hit.match.exactness],
                 "occurrences": [(local_path(iri, self.base), hit.element.short(iri))
                                 for iri in hit.element.occurrences],
                 "pieces": highlight(hit.field.text.text, hit.match.spans)} for hit in self.hits]


class UnknownPlan(ValueError):
    """``plan`` names no plan of the indexed release (the message lists the plans there are)."""


def search(index: SearchIndex, q: str, limit: int, base: str, plan: str | None = None) -> SearchAnswer:
    """Run ``q`` on ``index`` (an empty query finds nothing).

    Args:
        plan: keep only the elements of this plan (``agency/fiscal-year``); every plan's when None.

    Raises:
        UnknownPlan: ``plan`` is not one of the release's plans.
    """
    if plan:
        known = sorted({plan_of(e.iri) for e in index.elements} - {""})
        if plan.strip("/") not in known:
            raise UnknownPlan(f"plan {plan!r}: the release has no such plan (AGENCY/FISCAL_YEAR); "
                              f"plans: {', '.join(known)}")
    hits = index.search(q, None) if q.strip() else []
    if plan:
        hits = [hit for hit in hits if in_plan(hit.element.iri, plan)]
    return SearchAnswer(q, limit, hits, base)


def in_plan(iri: str, plan: str) -> bool:
    """True when ``iri`` is the plan ``agency/fiscal-year`` or lies under it (``…/id/{agency}/plan/{fy}/…``)."""
    return plan_of(iri) == plan.strip("/")
