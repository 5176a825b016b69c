"""The readable form of a SHACL validation report (``codikg validate``)."""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rich.console import Console
from rich.text import Text

from codikg.namespaces import curie
from codikg.validate.shacl import ValidationReport, ValidationResult, shape_counts

_SHACL = {"sh": "http://www.w3.org/ns/shacl#"}


def _term(term) -> str:
    """``term`` as prefix:local when a known prefix covers it (:func:`codikg.namespaces.curie`,
    plus ``sh:``), else ``<iri>``; ``""`` for ``None``."""
    if term is None:
        return ""
    text = str(term)
    return curie(text, _SHACL) or (f"<{text}>" if text.startswith(("http://", "https://")) else text)


# characters a terminal does not show: zero-width, bidi controls, other format characters (Cf)
_INVISIBLE = re.compile(r"[\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]")


def visible(text: str) -> tuple[str, list[str]]:
    """``text`` with invisible characters escaped as ``\\uXXXX``, and where each one is.

    Returns:
        the escaped text, and one ``"U+200B at character N"`` per invisible
        character (N counts code points from 1 in the unescaped text).
    """
    where = [f"U+{ord(m.group()):04X} at character {m.start() + 1}" for m in _INVISIBLE.finditer(text)]
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04X}", text), where


def _value(value) -> str:
    if isinstance(value, Literal):
        text, where = visible(str(value))
        tag = f"@{value.language}" if value.language else ""
        return f'"{text}"{tag}' + (f" ({', '.join(where)})" if where else "")
    return _term(value)


def _result_text(kind: str, style: str, result: ValidationResult) -> Text:
    labels = " / ".join(visible(result.labels[lang])[0] for lang in ("th", "en") if lang in result.labels)
    detail = [f"shape {_term(result.node_shape or result.shape)}", f"component {_term(result.component)}"]
    if result.element != result.focus:
        detail.append(f"checked on {_term(result.focus)}")
    if isinstance(result.path, URIRef):
        detail.append(f"path {_term(result.path)}")
    if result.value is not None and result.value != result.element:
        detail.append(f"value {_value(result.value)}")
    return Text.assemble((kind, style), " ", (str(result.element), "bold"), f"  {labels}" if labels else "",
                         f"\n    {result.message}\n    " + "; ".join(detail))


def print_report(report: ValidationReport, console: Console, all_results: bool = False) -> None:
    """Print violations in full and warnings as a count per shape (all of them with ``all_results``).

    Every text is printed literally (styles are :class:`rich.text.Text` spans,
    never markup), whatever ``console``'s markup setting.
    """
    for result in report.violations:
        console.print(_result_text("violation", "red", result), highlight=False)
    warnings = report.warnings
    if all_results:
        for result in warnings:
            console.print(_result_text("warning", "yellow", result), highlight=False)
    else:
        for shape, n in sorted(shape_counts(warnings).items()):
            example = next(r for r in warnings if str(r.node_shape or r.shape) == shape)
            console.print(Text.assemble(("warning", "yellow"), f" {n} × {_term(shape)}: {example.message} "
                                        f"(e.g. {example.element}; --all lists them)"), highlight=False)
    console.print(Text(report.summary(), style="green" if report.conforms else "red"), highlight=False)
