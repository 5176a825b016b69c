"""``codikg stratml``: a plan of the release as a StratML Part 2 document."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from codikg.cli.common import fail, out


def stratml(plan: Annotated[Optional[str], typer.Argument(
                metavar="[AGENCY/FY]",
                help="The plan, AGENCY/FISCAL_YEAR (as 'codikg plan list' shows); may be omitted while the release holds one plan.")] = None,
            out_file: Annotated[Optional[Path], typer.Option(
                "--out", "-o", help="Write to this file instead of standard output.")] = None,
            release: Annotated[Optional[Path], typer.Option(
                "--release", "-r", help="Release folder.")] = None) -> None:
    """Print a plan as StratML (ISO 17469-2 PerformancePlanOrReport XML; mapping in docs/stratml.md)."""
    from codikg.cli.common import existing_release, settings
    from codikg.services.stratml import PlanNotFound, stratml_of

    folder, manifest = existing_release(release, settings())
    try:
        name, data = stratml_of(folder, manifest, plan)
    except (ValueError, PlanNotFound, OSError) as exc:
        raise fail(str(exc)) from None
    if out_file is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        out_file.write_bytes(data)
    except OSError as exc:
        raise fail(f"{out_file}: {exc.strerror or exc}") from None
    out.print(f"wrote {name} ({len(data)} bytes) to {out_file}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``stratml`` to the ``codikg`` command."""
    app.command(name="stratml")(stratml)
