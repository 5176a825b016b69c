"""The command line's bad input: one ``error:`` line naming what is wrong, never a box or a traceback."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from codikg.cli.main import app

from conftest import ROOT

runner = CliRunner()
COMMANDS = "build, validate, query, catalog, search, trace, report, serve, load, publish, stratml, plan"


def test_a_query_argument_that_is_not_utf8_is_one_error_line(tmp_path):
    # `codikg query "$(printf 'SELECT * { ?s ?p "\xff" }')"`: Python gives byte 0xFF as U+DCFF
    result = runner.invoke(app, ["query", 'SELECT * { ?s ?p "\udcff" }', "--release", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == ("error: the query is not UTF-8 text (byte 18): give it in UTF-8 "
                             "(or as a UTF-8 .rq file)\n")


@pytest.mark.parametrize("value", ["-1", "abc", "0", "nan", "inf", "-inf", "1e400"])
def test_time_limit_must_be_a_finite_number_of_seconds(value, tmp_path):
    result = runner.invoke(app, ["query", "ASK {}", "--time-limit", value, "--release", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == (f"error: Invalid value for '--time-limit': {value!r} is not a number of "
                             "seconds: give a finite number from 0.001 up\n")


@pytest.mark.parametrize(("args", "message"), [
    (["search", "x", "--limit", "-5"], "Invalid value for '--limit' / '-n': Input should be greater "
                                       "than or equal to 1"),
    (["search", ""], "Invalid value for 'TEXT': is empty: give a word or phrase to search for"),
    (["nosuchcmd"], f"no such command 'nosuchcmd'; the commands are {COMMANDS}"),
    (["plan", "nosuch"], "no such command 'nosuch'; the commands are new, list, status"),
    (["query"], "Missing argument 'sparql'."),
    (["query", "ASK {}", "--bogus"], "No such option: --bogus"),
])
def test_a_usage_error_is_one_line(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr == f"error: {message}\n"
    assert result.stdout == ""


def test_shapes_that_are_not_turtle_are_one_line_naming_the_file(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle {\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(tmp_path), "--shapes", str(bad)])
    assert result.exit_code == 1
    assert result.stderr == (f"error: {bad}: not valid Turtle: Parser error at line 1 between columns 1 "
                             "and 5: this is not a valid subject or graph name (bad.ttl, line 1)\n")


def test_build_refuses_a_foreign_folder_before_building(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["build", "--out", str(tmp_path)])
    assert result.exit_code == 1
    # no warning of the build's catalog step: nothing was built
    assert result.stderr == (f"error: {tmp_path}: not empty and not a codikg release (no manifest.json); "
                             "refusing to replace it: choose a new or empty folder\n")
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("columns", [None, "80"])
def test_serve_help_shows_whole_option_and_variable_names(columns):
    env = {"COLUMNS": columns} if columns else {}
    result = runner.invoke(app, ["serve", "--help"], env=env)
    assert result.exit_code == 0
    command = typer.main.get_command(app).commands["serve"]
    words = set(result.stdout.replace("(", " ").replace(";", " ").replace(",", " ").split())
    for param in command.params:
        for name in param.opts:
            assert name in words, name
        for variable in re.findall(r"CODIKG_[A-Z_]+\*?", param.help or ""):
            assert re.search(rf"(^|\W){re.escape(variable)}(\W|$)", result.stdout, re.M), variable
    assert "…" not in result.stdout and "╭" not in result.stdout
