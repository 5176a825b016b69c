"""``codikg plan new | list | status``: thin commands over :mod:`codikg.services.plan_setup`
and :mod:`codikg.services.plan_status`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from codikg.cli.app import new_app
from codikg.cli.common import fail, out, print_table, settings as load_settings

plan_app = new_app("The plans of the project: add one, list them, what each lacks.")


@plan_app.command("new")
def new(agency: Annotated[str, typer.Argument(help="The agency's IRI slug: lower-case ASCII, digits, '-'.")],
        fiscal_year: Annotated[int, typer.Argument(help="The plan's first fiscal year, Buddhist Era (e.g. 2567).")],
        source: Annotated[Path, typer.Option("--source", "-s", help="The plan document (.txt template; "
                                                                    ".xml StratML once supported).")],
        name_th: Annotated[Optional[str], typer.Option(help="The agency's Thai name (default: the "
                                                            "document's credit line).")] = None,
        name_en: Annotated[Optional[str], typer.Option(help="The agency's English name.")] = None) -> None:
    """Add data/plans/AGENCY/FISCAL_YEAR/ from the document: a byte-for-byte copy, settings,
    catalog metadata and curation templates. 'codikg build' then publishes it."""
    from codikg.ingest import PlanParseError
    from codikg.services.plan_setup import new_plan

    settings = load_settings()
    try:
        made = new_plan(settings.data_dir, agency, fiscal_year, source, name_th, name_en)
    except (ValueError, PlanParseError, OSError) as exc:  # PlanSetupError, UnsupportedSource are ValueErrors
        raise fail(str(exc)) from None
    period = f"{made.period[0]}–{made.period[1]}" if made.period else "not printed (curate it)"
    out.print(f"plan {made.config.key}: {made.title} — {made.agency_th}; period {period}", highlight=False)
    for path in made.files:
        out.print(f"  wrote {path}", highlight=False)
    out.print("next: 'codikg build', then 'codikg plan status " + made.config.key + "' for what to curate",
              highlight=False)


@plan_app.command("list")
def list_(fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table") -> None:
    """List the plans: agency/fiscal year, the agency's name, the source document."""
    from codikg.config.errors import BuildError
    from codikg.services.plan_status import list_plans

    try:
        plans = list_plans(load_settings())
    except BuildError as exc:
        raise fail(str(exc)) from None
    rows = [{"plan": p.key, "agency_th": p.agency_names.get("name_th", ""),
             "agency_en": p.agency_names.get("name_en", ""), "source": p.source.name} for p in plans]
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    print_table(("plan", "agency_th", "agency_en", "source"),
                [(row["plan"], row["agency_th"], row["agency_en"], row["source"]) for row in rows])


@plan_app.command("status")
def status(plan: Annotated[str, typer.Argument(help="The plan, AGENCY/FISCAL_YEAR.")],
           fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text") -> None:
    """What the plan has and what it lacks (the curation checklist); exit 0 either way."""
    from codikg.config.errors import BuildError
    from codikg.ingest import PlanParseError
    from codikg.services.plan_status import plan_status

    try:
        found = plan_status(load_settings(), plan)
    except KeyError as exc:
        raise fail(exc.args[0]) from None
    except (BuildError, PlanParseError) as exc:
        raise fail(str(exc)) from None
    if fmt == "json":
        sys.stdout.write(json.dumps(found.as_json(), ensure_ascii=False, indent=2) + "\n")
        return
    out.print(f"plan {found.key} ({found.folder})", highlight=False)
    out.print("has: " + ", ".join(found.has), highlight=False)
    out.print("elements: " + ", ".join(f"{n} {name}" for name, n in found.elements.items()), highlight=False)
    if not found.lacks:
        out.print("lacks nothing the checklist knows", highlight=False)
    for item in found.lacks:
        out.print(f"[ ] {item}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``plan`` command group to ``app``."""
    app.add_typer(plan_app, name="plan")
