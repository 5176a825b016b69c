"""What every ``codikg`` command shares: consoles, failing cleanly, opening a release."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from codikg.release.pipeline import BuildError, input_fingerprint
from codikg.release.reader import read_manifest
from codikg.release.layout import store_files
from codikg.ingest import PlanParseError
from codikg.config.settings import Settings, load_settings

#: ``--plan AGENCY/FISCAL_YEAR`` of the commands that read one plan of a release.
PlanOption = Annotated[Optional[str], typer.Option(
    "--plan", "-p", help="The plan, AGENCY/FISCAL_YEAR (as 'codikg plan list' shows); "
                         "needed when the release holds several.")]

out = Console()
err = Console(stderr=True, soft_wrap=True)


def fail(message: str) -> typer.Exit:
    """Print ``error: message`` on stderr; return the exit to raise (status 1)."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    return typer.Exit(1)


def warn(message: str) -> None:
    """Print ``warning: message`` on stderr."""
    err.print(f"[yellow]warning:[/] {message}", highlight=False)


def settings() -> Settings:
    """The settings, or a clean exit naming the bad environment variable."""
    try:
        return load_settings()
    except ValueError as exc:
        raise fail(str(exc)) from None


def existing_release(release: Path | None, config: Settings) -> tuple[Path, dict]:
    """``(folder, manifest)`` of an existing release; never builds or writes.

    Warns when the release was not built from the current inputs.

    Raises:
        typer.Exit: no release in the folder (status 1, message on stderr).
    """
    folder = release or config.release_dir
    manifest = read_manifest(folder)
    if manifest is None:
        raise fail(f"{folder}: no release here; run 'codikg build' first")
    try:
        if manifest.get("fingerprint") != input_fingerprint(config):
            warn(f"release {manifest['release']} in {folder} was not built from the current "
                 "inputs; run 'codikg build' to refresh it")
    except (BuildError, PlanParseError, OSError) as exc:
        warn(f"cannot compare release {manifest['release']} with the inputs ({exc}); using it as it is")
    return folder, manifest


def open_release(release: Path | None, config: Settings):
    """Open an existing release read-only: ``(folder, manifest, EmbeddedStore)``.

    Raises:
        typer.Exit: no release in the folder, or it does not load.
    """
    from codikg.store import EmbeddedStore

    folder, manifest = existing_release(release, config)
    try:
        return folder, manifest, EmbeddedStore(store_files(folder, manifest))
    except (OSError, SyntaxError) as exc:
        raise fail(f"{folder}: the release cannot be loaded: {exc}") from None


def print_manifest(manifest: dict, folder: Path, seconds: float | None) -> None:
    table = Table(title=f"release {manifest['release']} in {folder}")
    table.add_column("written")
    table.add_column("bytes", justify="right")
    for name, size in manifest["files"].items():
        table.add_row(name, f"{size:,}")
    out.print(table)
    graphs = Table()
    graphs.add_column("named graph")
    graphs.add_column("triples", justify="right")
    for name, n in manifest["graphs"].items():
        graphs.add_row(name, f"{n:,}")
    graphs.add_row("[bold]union (default graph)[/]", f"{manifest['union_triples']:,}")
    out.print(graphs)
    if "validation" in manifest:
        v = manifest["validation"]
        timing = f" in {manifest['validation_seconds']:.2f} s" if "validation_seconds" in manifest else ""
        out.print(f"SHACL validation{timing}: {v['violations']} violations, {v['warnings']} warnings "
                  f"(details: codikg validate)")
    if seconds is not None:
        out.print(f"built in {seconds:.2f} s")




def chosen_plan(config: Settings, key: str | None):
    """The plan ``--plan AGENCY/FY`` names, or the only plan when none is named.

    Raises:
        typer.Exit: no such plan, or several and none named (the message lists them).
    """
    from codikg.config.plan import find_plan, load_plans

    try:
        plans = load_plans(config.data_dir)
        if key:
            return find_plan(plans, key)
    except BuildError as exc:
        raise fail(str(exc)) from None
    except KeyError as exc:
        raise fail(exc.args[0]) from None
    if len(plans) != 1:
        raise fail(f"{len(plans)} plans; name one with --plan: {', '.join(p.key for p in plans)}")
    return plans[0]
