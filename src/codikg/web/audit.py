"""Auditor pages: ``/trace`` (HTML, ``/trace.csv``, ``/trace.xlsx``) and ``/report``
(HTML, ``/report.json``).

:func:`install` also registers the Jinja global ``trace_paths_for(iri)`` so that
any page can include the ``_trace.html`` partial for one indicator::

    {% set trace_paths = trace_paths_for(indicator_iri) %}
    {% include "_trace.html" %}
"""

from __future__ import annotations

import io
import re

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from codikg.audit.trace import (COLUMNS, MalformedReference, NoSuchIndicator, TraceError, csv_text, trace_all,
                                trace_indicator, write_xlsx)
from codikg.services.i18n import pick
from codikg.services.trace_view import group_paths
from codikg.web.http.conditional import not_modified, release_validators
from codikg.web.http.paths import local_path
from codikg.web.pages import query_variant, render
from codikg.services.served import ServedRelease
from codikg.web.deps import served_release

router = APIRouter()
_AFTER_PLAN = re.compile(r"^.*?/id/[^/]+/plan/[0-9]+/")
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _status(exc: TraceError) -> int:
    return 400 if isinstance(exc, MalformedReference) else 404


def _trace(served: ServedRelease, indicator: str | None, plan: str | None):
    """The paths asked for; ``?plan=agency/fiscal-year`` keeps one plan's.

    Raises:
        TraceError: the indicator names nothing, or nothing of the plan.
    """
    paths = trace_indicator(served.store, indicator, plan) if indicator else trace_all(served.store, plan)
    if plan and not paths:
        raise NoSuchIndicator(f"plan {plan!r}: the release has no indicator of that plan")
    return paths


def _paths(served: ServedRelease, indicator: str | None, plan: str | None):
    try:
        return _trace(served, indicator, plan)
    except TraceError as exc:
        raise HTTPException(_status(exc), str(exc)) from None


def _download_name(served: ServedRelease, paths, indicator: str | None, suffix: str) -> str:
    """``codikg-trace-{release}[-{issue}-{indicator}].{suffix}``: ASCII, safe in a header."""
    release = served.manifest.get("release", "")
    parts = ["codikg-trace", release]
    if indicator and paths:
        parts.append(paths[0].indicator.ref.replace("/", "-"))
    name = "-".join(p for p in parts if p)
    return "".join(c if c.isascii() and (c.isalnum() or c in ".-") else "-" for c in name) + f".{suffix}"


def _gap_header(paths) -> dict:
    broken = sorted({p.indicator.ref for p in paths if p.gaps})
    return {"X-Trace-Gaps": str(len(broken))}  # "0" too: a client tells "none" from "not said"


@router.get("/trace", response_class=HTMLResponse)
def trace_page(request: Request, indicator: str | None = None, plan: str | None = None,
               served: ServedRelease = Depends(served_release)):
    """The traceability matrix as an HTML table; ``indicator`` (IRI, ``2/1.3`` or ``๒/๑.๓``) narrows it.

    An unknown indicator gets this page with the reason and status 404; a
    malformed reference gets 400. ``plan`` (``agency/fiscal-year``) keeps one plan's paths
    and reads a notation in that plan (a notation several plans have needs it: 404 lists them).
    """
    try:
        paths = _trace(served, indicator, plan)
    except TraceError as exc:
        return render(request, "trace.html", {
            "trace_paths": [], "indicator": indicator or "", "indicators": 0, "error": str(exc),
            "broken": []}, query_variant("trace", request), status_code=_status(exc))
    broken = sorted({p.indicator.ref for p in paths if p.gaps})
    return render(request, "trace.html", {
        "trace_paths": paths, "indicator": indicator or "", "indicators": len({p.indicator.iri for p in paths}),
        "error": "", "broken": broken}, query_variant("trace", request), headers=_gap_header(paths))


@router.get("/trace.csv")
def trace_csv(request: Request, indicator: str | None = None, plan: str | None = None,
              served: ServedRelease = Depends(served_release)):
    """The traceability matrix as CSV (UTF-8, header row; one row per indicator–mission path)."""
    paths = _paths(served, indicator, plan)
    return Response(csv_text(paths).encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{_download_name(served, paths, indicator, "csv")}"',
                             **_gap_header(paths)})


@router.get("/trace.xlsx")
def trace_xlsx(request: Request, indicator: str | None = None, plan: str | None = None,
              served: ServedRelease = Depends(served_release)):
    """The traceability matrix as an XLSX workbook (openpyxl)."""
    paths = _paths(served, indicator, plan)
    buffer = io.BytesIO()
    write_xlsx(paths, buffer)
    return Response(buffer.getvalue(), media_type=_XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{_download_name(served, paths, indicator, "xlsx")}"',
                             **_gap_header(paths)})


@router.get("/report", response_class=HTMLResponse)
def report_page(request: Request, served: ServedRelease = Depends(served_release)):
    """The data-quality report about the source document (computed once per release;
    ``ETag``/``Last-Modified`` and 304 as every page)."""
    return render(request, "report.html", {"report": served.quality_report.get()}, "report")


@router.get("/report.json")
def report_json(request: Request, served: ServedRelease = Depends(served_release)):
    """The data-quality report as JSON (the sections of :class:`codikg.audit.quality.QualityReport`)."""
    headers = release_validators(request, "report-json")
    if (current := not_modified(request, headers)) is not None:
        return current
    return JSONResponse(served.quality_report.get().as_dict(), headers=headers)


def install(app: FastAPI) -> None:
    """Add the auditor routes to ``app`` and the Jinja globals of the trace partial
    (``trace_paths_for``, ``trace_groups``, ``pick``)."""
    app.include_router(router)
    store = app.state.served.store
    app.state.templates.env.globals["trace_paths_for"] = lambda iri: trace_indicator(store, iri)
    app.state.templates.env.globals["trace_columns"] = COLUMNS
    # an element's IRI after its plan's (``issue/3/project/4``): short, and the same for every plan
    app.state.templates.env.filters["in_plan"] = (
        lambda iri: _AFTER_PLAN.sub("", iri) if isinstance(iri, str) else iri)
    app.state.templates.env.globals["trace_groups"] = group_paths
    app.state.templates.env.globals["pick"] = pick
    base = app.state.served.base_iri
    # links stay on this server, which maps its URL space onto the base IRI
    app.state.templates.env.filters["local_href"] = (
        lambda iri: local_path(iri, base) if isinstance(iri, str) else iri)
