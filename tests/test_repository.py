"""The repository's own instructions: the README's test commands are the ones CI runs."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT


def _commands(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", text, re.S)]


def test_ci_runs_the_readme_test_command():
    readme = _commands((ROOT / "README.md").read_text(encoding="utf-8"))
    ci = [line for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
          if line and not line.startswith(("#", " ", "}", "if ", "fi", "set ", "cd "))]
    test_command = ("python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && "
                    ".venv/bin/lint-imports && .venv/bin/python -m pytest -q")
    assert test_command in readme and ci[-1] == test_command
    assert '.venv/bin/python -m pytest -q -m "not slow"' in readme  # the fast tier


def test_slow_marker_is_registered_and_the_test_extra_has_the_linter():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pytest_options = project["tool"]["pytest"]["ini_options"]
    assert "--strict-markers" in pytest_options["addopts"]
    assert [m.split(":")[0] for m in pytest_options["markers"]] == ["slow"]
    extra = {re.split(r"[<>=\[ ]", r)[0] for r in project["project"]["optional-dependencies"]["test"]}
    assert {"pytest", "import-linter", "xmlschema", "playwright", "oxigraph"} <= extra
