"""Auditor pages: ``/trace`` (HTML, ``/trace.csv``, ``/trace.xlsx``) and ``/report``
(HTML, ``/report.json``).

:func:`install` also registers the Jinja global ``trace_paths_for(iri)`` so that
any page can include the ``_trace.html`` partial for one indicator::

    {% set trace_paths = trace_paths_for(indicator_iri) %}
    {% include "_trace.html" %}
"""

from __future__ import annotations

import io

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from codikg.quality import quality_report
from codikg.settings import load_settings
from codikg.trace import COLUMNS, TraceError, csv_text, trace_all, trace_indicator, write_xlsx

router = APIRouter()
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _paths(request: Request, indicator: str | None):
    store = request.app.state.store
    if not indicator:
        return trace_all(store)
    try:
        return trace_indicator(store, indicator)
    except TraceError as exc:
        raise HTTPException(404, str(exc)) from None


def _download_name(indicator: str | None, suffix: str) -> str:
    name = "codikg-trace" if not indicator else "codikg-trace-" + "".join(
        c if c.isascii() and (c.isalnum() or c in ".-") else "-" for c in indicator.rsplit("/indicator/", 1)[-1])
    return f"{name}.{suffix}"


@router.get("/trace", response_class=HTMLResponse)
def trace_page(request: Request, indicator: str | None = None):
    """The traceability matrix as an HTML table; ``indicator`` (IRI or ``3/1.2``) narrows it."""
    paths = _paths(request, indicator)
    return request.app.state.templates.TemplateResponse(request, "trace.html", {
        "trace_paths": paths, "indicator": indicator or "", "indicators": len({p.indicator.iri for p in paths})})


@router.get("/trace.csv")
def trace_csv(request: Request, indicator: str | None = None):
    """The traceability matrix as CSV (UTF-8, header row; one row per indicator–mission path)."""
    return Response(csv_text(_paths(request, indicator)), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{_download_name(indicator, "csv")}"'})


@router.get("/trace.xlsx")
def trace_xlsx(request: Request, indicator: str | None = None):
    """The traceability matrix as an XLSX workbook (openpyxl)."""
    buffer = io.BytesIO()
    write_xlsx(_paths(request, indicator), buffer)
    return Response(buffer.getvalue(), media_type=_XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{_download_name(indicator, "xlsx")}"'})


@router.get("/report", response_class=HTMLResponse)
def report_page(request: Request):
    """The data-quality report about the source document."""
    return request.app.state.templates.TemplateResponse(
        request, "report.html", {"report": quality_report(request.app.state.store)})


@router.get("/report.json")
def report_json(request: Request):
    """The data-quality report as JSON (the sections of :class:`codikg.quality.QualityReport`)."""
    return JSONResponse(quality_report(request.app.state.store).as_dict())


def install(app: FastAPI) -> None:
    """Add the auditor routes to ``app`` and the ``trace_paths_for`` Jinja global."""
    app.include_router(router)
    store = app.state.store
    app.state.templates.env.globals["trace_paths_for"] = lambda iri: trace_indicator(store, iri)
    app.state.templates.env.globals["trace_columns"] = COLUMNS
    base = load_settings().base_iri
    # links stay on this server, which maps its URL space onto the base IRI
    app.state.templates.env.filters["local_href"] = (
        lambda iri: iri[len(base) - 1:] if isinstance(iri, str) and iri.startswith(base) else iri)
