"""The auditor's commands: ``codikg trace`` and ``codikg report``."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from codikg.cli.common import PlanOption, err, out, print_table, write_file
from codikg.cli.common import fail as _fail

_TRACE_FORMATS = ("text", "csv", "xlsx")
_REPORT_FORMATS = ("text", "json")



def _store(release: Path | None):
    """The existing release's store (never builds or writes)."""
    from codikg.cli.common import open_release, settings

    return open_release(release, settings())[2]


def trace(indicator: Annotated[Optional[str], typer.Argument(
              help="Indicator IRI, or ISSUE/INDICATOR notation such as 2/1.3.")] = None,
          all_: Annotated[bool, typer.Option("--all", help="Every indicator: the traceability matrix.")] = False,
          fmt: Annotated[str, typer.Option("--format", "-f", help="text, csv or xlsx.")] = "text",
          out_file: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file "
                                                            "(required for xlsx; csv/text default to stdout).")] = None,
          release: Annotated[Optional[Path], typer.Option("--release", "-r", help="Release folder.")] = None,
          plan: PlanOption = None) -> None:
    """Trace indicators to objective, issue, mission(s) and vision, with each hop's kind and evidence.

    A notation such as 2/1.3 is read in --plan, or in the only plan that has it."""
    from codikg.audit.trace import TraceError, csv_text, trace_all, trace_indicator, write_xlsx

    if fmt not in _TRACE_FORMATS:
        raise _fail(f"--format {fmt!r}: use one of {', '.join(_TRACE_FORMATS)}")
    if all_ == (indicator is not None):
        raise _fail("give one INDICATOR (e.g. 2/1.3) or --all, not both and not neither")
    if fmt == "xlsx" and out_file is None:
        raise _fail("--format xlsx writes a binary workbook: give --out FILE.xlsx")
    store = _store(release)
    try:
        paths = trace_all(store, plan) if all_ else trace_indicator(store, indicator, plan)
    except TraceError as exc:
        raise _fail(str(exc)) from None
    if plan and not paths:
        raise _fail(f"--plan {plan}: the release has no indicator of that plan")
    gaps = [path for path in paths if path.gaps]
    if fmt == "xlsx":
        write_file(out_file, lambda path: write_xlsx(paths, path))
        out.print(f"wrote {len(paths)} paths to {out_file}")
    elif fmt == "csv":
        text = csv_text(paths)
        if out_file:
            write_file(out_file, lambda path: path.write_text(text, encoding="utf-8", newline=""))
            out.print(f"wrote {len(paths)} paths to {out_file}")
        else:
            sys.stdout.write(text)
    else:
        console = Console(file=io.StringIO(), markup=False, highlight=False) if out_file else out
        if console.is_terminal:
            for path in paths:
                print_table(_HOP_COLUMNS, _hop_rows(path), title=_label(path.indicator), lines=True)
        else:  # one table of fields for a pipe or a file
            print_table(("indicator", *_HOP_COLUMNS),
                        [(path.indicator.iri, *row) for path in paths for row in _hop_rows(path)],
                        console=console)
        if out_file:
            write_file(out_file, lambda path: path.write_text(console.file.getvalue(), encoding="utf-8"))
        err.print(f"{len(paths)} path{'s' if len(paths) != 1 else ''}")
    if gaps:
        # the rows are written all the same; the exit status tells scripts the chain is broken
        broken = sorted({path.indicator.ref or path.indicator.iri for path in gaps})
        hops = sorted({hop.name for path in gaps for hop in path.gaps})
        typer.echo(f"warning: the trace of {len(broken)} indicator{'s' if len(broken) != 1 else ''} "
                   f"is broken ({', '.join(broken)}): missing {', '.join(hops)}", err=True)
        raise typer.Exit(1)


def _label(node) -> str:
    if node is None:
        return "(none)"
    en = f" — {node.label['en']}" if node.label.get("en") else ""
    parent = f" (sub-indicator of {node.parent})" if node.parent else ""
    return f"{node.kind} {node.ref or node.notation}{parent} {node.label.get('th', '')}{en}".strip()


_HOP_COLUMNS = ("hop", "kind", "to", "evidence")


def _hop_rows(path) -> list[tuple[str, str, str, str]]:
    """The hops of one indicator's path, in chain order: indicator → objective → mission
    → vision, then the issue the objective belongs to, then any curated hop up to a
    higher plan's element and the plan that continues this one."""
    order = (0, 2, 3, 1)
    targets = (path.objective, path.issue, path.mission, path.vision)
    names = ("measures →", "is the objective of issue ←", "supports mission →", "makes operative →")
    rows = []
    for index in order:
        hop, name, target = path.hops[index], names[index], targets[index]
        rows.append((name, hop.kind, _label(target), _evidence(hop)))
    for hop, higher in zip(path.upward, path.higher):  # up to a higher plan: curated, optional
        rows.append(("contributes to →", hop.kind, f"{higher.plan} {_label(higher)}", _evidence(hop)))
    if path.continued_by:
        rows.append(("plan continued by →", "curated", path.continued_by, ""))
    return rows


def _evidence(hop) -> str:
    if hop.kind == "curated":
        who = ", ".join(x for x in (hop.attributed_name or hop.attributed_to, hop.created, hop.record) if x)
        return f"{hop.rationale.get('en', '')}\n{hop.rationale.get('th', '')}" + (f"\n({who})" if who else "")
    return f"line {hop.line}: {hop.quote}" if hop.line else ""


def report(fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
           release: Annotated[Optional[Path], typer.Option("--release", "-r", help="Release folder.")] = None,
           plan: PlanOption = None) -> None:
    """The data-quality report: typos, items printed twice, headings that differ, inconsistencies
    (of --plan, or of each plan in turn)."""
    from codikg.audit.quality import quality_report

    if fmt not in _REPORT_FORMATS:
        raise _fail(f"--format {fmt!r}: use one of {', '.join(_REPORT_FORMATS)}")
    result = quality_report(_store(release), plan)
    if fmt == "json":
        sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    out.rule("Typos (corrected in the curation layer; the source is never edited)")
    for t in result.typos:  # the position tells apart two identical typos on one line
        out.print(f"line {t['line']}, code points {t['start']}–{t['end']}: '{t['verbatim']}' → '{t['corrected']}' "
                  f"({t['element']})\n  {t['rationale'].get('en', '')}")
    out.rule("Items printed more than once")
    for r in result.repeats:
        places = ", ".join(f"line {o['line']} {o['iri']}" for o in r["occurrences"])
        out.print(f"{r['kind']} '{r['text']}': {places}\n  merged as: {r['consolidated_as'] or 'NOT CURATED YET'}")
    for n in result.near_repeats:
        out.print(f"similar, not merged ({n['ratio']}): line {n['first']['line']} '{n['first']['text']}' / "
                  f"line {n['second']['line']} '{n['second']['text']}'")
    out.rule("Issue titles that differ from the overview list")
    for h in result.headings:
        diffs = "; ".join(f"{d['change']} overview '{d['overview']}' title '{d['title']}'" for d in h["differences"])
        out.print(f"issue {h['notation']} (line {h['title_line']}): '{h['title']}' vs overview '{h['overview']}' [{diffs}]")
    out.rule("Internal inconsistencies")
    for i in result.inconsistencies:
        out.print(f"line {i['line']}, code points {i['start']}–{i['end']}: '{i['text']}': {i['finding']['en']} "
                  f"({i['element']})")
    out.rule("Spaces that split a word (line wrapping)")
    for s in result.split_words:
        out.print(f"line {s['line']}, code points {s['start']}–{s['end']}: '{s['text']}': {s['finding']['en']} "
                  f"({s['element']})")
    out.rule("Editors' notes on wording")
    for n in result.notes:
        out.print(f"line {n['line']}, code points {n['start']}–{n['end']}: '{n['text']}'\n  {n['rationale'].get('en', '')}")


def register(app: typer.Typer) -> None:
    """Add ``trace`` and ``report`` to the ``codikg`` command."""
    app.command(name="trace")(trace)
    app.command(name="report")(report)
