"""The readable form of a SHACL validation report (``codikg validate``)."""

from __future__ import annotations

from rdflib import URIRef
from rich.console import Console
from rich.markup import escape

from codikg.build.namespaces import PREFIXES
from codikg.validate import ValidationReport, ValidationResult, shape_counts

_SHACL = "http://www.w3.org/ns/shacl#"
_PREFIXES = {**{str(ns): prefix for prefix, ns in PREFIXES.items()}, _SHACL: "sh"}


def curie(term) -> str:
    """``term`` as prefix:local when a known prefix covers it, else ``<iri>``."""
    if term is None:
        return ""
    text = str(term)
    for namespace, prefix in sorted(_PREFIXES.items(), key=lambda kv: -len(kv[0])):
        if text.startswith(namespace) and "/" not in text[len(namespace):]:
            return f"{prefix}:{text[len(namespace):]}"
    return f"<{text}>" if text.startswith(("http://", "https://")) else text


def _result_lines(result: ValidationResult) -> list[str]:
    labels = " / ".join(result.labels[lang] for lang in ("th", "en") if lang in result.labels)
    lines = [f"[bold]{escape(str(result.focus))}[/]" + (f"  {escape(labels)}" if labels else ""),
             f"    {escape(result.message)}"]
    detail = [f"shape {curie(result.node_shape or result.shape)}", f"component {curie(result.component)}"]
    if isinstance(result.path, URIRef):
        detail.append(f"path {curie(result.path)}")
    if result.value is not None:
        detail.append(f"value {curie(result.value)}")
    lines.append("    " + escape("; ".join(detail)))
    return lines


def print_report(report: ValidationReport, console: Console, all_results: bool = False) -> None:
    """Print violations in full and warnings as a count per shape (all of them with ``all_results``)."""
    for result in report.violations:
        console.print("[red]violation[/] " + "\n".join(_result_lines(result)), highlight=False)
    warnings = report.warnings
    if all_results:
        for result in warnings:
            console.print("[yellow]warning[/] " + "\n".join(_result_lines(result)), highlight=False)
    else:
        for shape, n in sorted(shape_counts(warnings).items()):
            example = next(r for r in warnings if str(r.node_shape or r.shape) == shape)
            console.print(f"[yellow]warning[/] {n} × {escape(curie(shape))}: {escape(example.message)} "
                          f"(e.g. {escape(str(example.focus))}; --all lists them)", highlight=False)
    style = "green" if report.conforms else "red"
    console.print(f"[{style}]{escape(report.summary())}[/]", highlight=False)
