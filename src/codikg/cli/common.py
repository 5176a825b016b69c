"""What every ``codikg`` command shares: consoles, failing cleanly, opening a release, tables.

Both consoles print text literally: Rich markup is off (a ``[note]`` in a source
line or a ``[/x]`` in a path is text), styles are given as :class:`rich.text.Text`
spans, and nothing is wrapped or cut (``soft_wrap``): the terminal wraps, a pipe
gets whole lines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from codikg.cli.wrap import WordWrapped, has_thai
from codikg.release.pipeline import BuildError, input_fingerprint
from codikg.release.reader import DamagedRelease, read_manifest
from codikg.release.layout import store_files
from codikg.ingest import PlanParseError
from codikg.config.settings import Settings, load_settings

#: ``--plan AGENCY/FISCAL_YEAR`` of the commands that read one plan of a release.
PlanOption = Annotated[Optional[str], typer.Option(
    "--plan", "-p", help="The plan, AGENCY/FISCAL_YEAR (as 'codikg plan list' shows); "
                         "needed when the release holds several.")]

out = Console(markup=False, highlight=False, soft_wrap=True)
err = Console(stderr=True, markup=False, highlight=False, soft_wrap=True)


def error(message: str) -> None:
    """Print ``error: message`` (literally) on stderr."""
    err.print(Text.assemble(("error:", "bold red"), " ", str(message)))


def fail(message: str) -> typer.Exit:
    """Print ``error: message`` (literally) on stderr; return the exit to raise (status 1)."""
    error(message)
    return typer.Exit(1)


def warn(message: str) -> None:
    """Print ``warning: message`` (literally) on stderr."""
    err.print(Text.assemble(("warning:", "yellow"), " ", str(message)))


def tsv_field(value) -> str:
    """``value`` as one TSV field: backslash, tab, LF and CR escaped as ``\\``, ``\t``,
    ``\n`` and ``\r`` (the "linear TSV" convention), so a row stays one line."""
    return (str(value).replace("\\", "\\\\").replace("\t", "\\t")
            .replace("\n", "\\n").replace("\r", "\\r"))


def print_table(columns: Sequence[str], rows: Iterable[Sequence], title: str | None = None,
                right: Sequence[str] = (), lines: bool = False, console: Console | None = None) -> None:
    """Print a table on ``console`` (stdout): drawn for a terminal, TSV with full values
    for a pipe or a file. Drawn Thai wraps between words only (:class:`codikg.cli.wrap.WordWrapped`).

    Args:
        columns: the column names (the TSV header line).
        rows: one sequence of cells per row; an ``int`` cell is shown with
            thousands separators in a terminal, as plain digits in TSV.
        title: the drawn table's caption (not written to TSV, which is one table of fields).
        right: the columns aligned right when drawn.
        lines: rules between drawn rows.
        console: where to print (default: :data:`out`).
    """
    console = console or out
    if not console.is_terminal:
        console.file.write("\t".join(map(tsv_field, columns)) + "\n")
        for row in rows:
            console.file.write("\t".join(tsv_field(cell) for cell in row) + "\n")
        return
    if title and has_thai(title):  # Rich wraps a table's title anywhere: print it as a cell would be
        console.print(WordWrapped(title))
        title = None
    table = Table(title=title, title_justify="left", show_lines=lines)
    for column in columns:
        table.add_column(column, justify="right" if column in right else "left", overflow="fold")
    for row in rows:
        table.add_row(*(f"{cell:,}" if isinstance(cell, int) else
                         WordWrapped(str(cell)) if has_thai(str(cell)) else str(cell) for cell in row))
    console.print(table)


def write_file(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(path)``; a file that cannot be written is a clean exit naming it.

    Raises:
        typer.Exit: ``write`` raised an :class:`OSError` (status 1, message on stderr).
    """
    try:
        write(path)
    except OSError as exc:
        raise fail(f"{path}: cannot write: {exc.strerror or exc}") from None


def settings() -> Settings:
    """The settings, or a clean exit naming the bad environment variable."""
    try:
        return load_settings()
    except ValueError as exc:
        raise fail(str(exc)) from None


def check_release(folder: Path) -> None:
    """Check every file of the release in ``folder`` against its manifest's SHA-256.

    Raises:
        typer.Exit: the release is damaged: one line per damaged file on stderr
            (the file, the expected and the actual SHA-256), status 1.
    """
    from codikg.release.verify import check_files

    try:
        problems = check_files(folder)
    except (FileNotFoundError, DamagedRelease) as exc:
        raise fail(str(exc)) from None
    for problem in problems[:-1]:
        error(problem)
    if problems:
        raise fail(problems[-1])


def existing_release(release: Path | None, config: Settings) -> tuple[Path, dict]:
    """``(folder, manifest)`` of an existing release; never builds or writes.

    Warns when the release was not built from the current inputs.

    Raises:
        typer.Exit: no release in the folder (status 1, message on stderr).
    """
    folder = release or config.release_dir
    try:
        manifest = read_manifest(folder)
    except DamagedRelease as exc:
        raise fail(str(exc)) from None
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
    """Print what a build wrote: the files with their sizes, the named graphs with their
    triples (stdout, TSV for a pipe); the validation counts and ``seconds`` on stderr."""
    print_table(("written", "bytes"), manifest["files"].items(),
                title=f"release {manifest['release']} in {folder}", right=("bytes",))
    out.print()
    print_table(("named graph", "triples"),
                [*manifest["graphs"].items(), ("union (default graph)", manifest["union_triples"])],
                right=("triples",))
    if "validation" in manifest:
        v = manifest["validation"]
        timing = f" in {manifest['validation_seconds']:.2f} s" if "validation_seconds" in manifest else ""
        err.print(f"SHACL validation{timing}: {v['violations']} violations, {v['warnings']} warnings "
                  f"(details: codikg validate)")
    if seconds is not None:
        err.print(f"built in {seconds:.2f} s")




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
