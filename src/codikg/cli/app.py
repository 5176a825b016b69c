"""The ``codikg`` Typer apps: usage errors as one ``error:`` line, help that never cuts a name.

Typer's Rich help draws options in a box that cuts long names at the terminal's
width; with ``rich_markup_mode=None`` Click's plain formatter writes them whole
(it wraps only the help texts). Typer shows a usage error as a box with the
usage above it; :class:`OneLineGroup` prints it the way every other failure of
the CLI is printed (:func:`codikg.cli.common.error`).
"""

from __future__ import annotations

import logging
import math
import sys
from typing import Any

import typer
from pydantic_core import PydanticCustomError
from typer._click.exceptions import NoArgsIsHelpError  # Typer's vendored Click; no public name
from typer.core import TyperGroup

from codikg.cli.common import error, warn


class OneLineGroup(TyperGroup):
    """A command group whose usage errors are one ``error: …`` line on stderr (status 2)."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Run the command line (Click's ``main``); in standalone mode, exit with its status."""
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        _log_warnings()
        try:
            status = super().main(*args, standalone_mode=False, **kwargs)
        except typer.TyperException as exc:
            if isinstance(exc, NoArgsIsHelpError):
                exc.show()  # no arguments: the help
            else:
                error(_one_line(exc))
            sys.exit(getattr(exc, "exit_code", 1))
        except typer.Abort:
            error("aborted")
            sys.exit(1)
        sys.exit(status if isinstance(status, int) else 0)

    def resolve_command(self, ctx, args):
        """The subcommand ``args[0]`` names; an unknown one is a usage error listing the commands."""
        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None:
            ctx.fail(f"no such command {args[0]!r}; the commands are {', '.join(self.list_commands(ctx))}")
        return super().resolve_command(ctx, args)


def _one_line(exc: Exception) -> str:
    return " ".join(exc.format_message().split())  # a wrapped message is still one line


def new_app(help: str) -> typer.Typer:
    """A Typer app (or sub-app) of ``codikg``: help ``help``, one-line usage errors, plain help."""
    return typer.Typer(cls=OneLineGroup, help=help, no_args_is_help=True, add_completion=False,
                       rich_markup_mode=None, pretty_exceptions_enable=False)


def seconds(text: str) -> float:
    """Parse an option's number of seconds: a finite number ≥ 0.001 (a limit always ends).

    Typer validates options with pydantic: its own error type keeps the message as it is
    (a ``ValueError`` would show as "Value error, ...").

    Raises:
        PydanticCustomError: ``text`` is not such a number (``nan``, ``inf``, ``0``, ``-1``, ``abc``).
    """
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0.001):
        raise PydanticCustomError("seconds", "{text} is not a number of seconds: give a finite number "
                                  "from 0.001 up", {"text": repr(text)})
    return value


class _WarningLine(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        (error if record.levelno >= logging.ERROR else warn)(record.getMessage())


def _log_warnings() -> None:
    """Show logged warnings as ``warning: message`` and errors as ``error: message`` on stderr."""
    root = logging.getLogger()
    if not any(isinstance(h, _WarningLine) for h in root.handlers):
        handler = _WarningLine(logging.WARNING)
        root.addHandler(handler)
