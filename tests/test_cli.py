"""The command line: build output and the example queries through `codikg query`."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from codikg.cli.main import app
from codikg.sparql.examples import load_examples, parse_example

from conftest import ROOT

runner = CliRunner()


@pytest.mark.slow
def test_build_prints_files_and_counts(rebuilt):
    folder, _, done = rebuilt  # `codikg build --out folder`, exit status 0 (conftest)
    manifest = json.loads((folder / "manifest.json").read_text())
    # stdout is a pipe: the tables are TSV with whole values, and only they
    assert f"codikg.trig\t{manifest['files']['codikg.trig']}\n" in done.stdout
    assert f"union (default graph)\t{manifest['union_triples']}\n" in done.stdout
    assert all(line == "" or "\t" in line for line in done.stdout.splitlines())
    # the status and the logged warning (data/catalog.toml has no contact e-mail) are on stderr
    status = done.stderr.splitlines()
    assert status[0] == (f"warning: {ROOT / 'data' / 'plans' / 'codi' / '2552'}: catalog.toml: [contact] "
                         "email is empty, so the catalog's contact point has no vcard:hasEmail; CKAN shows "
                         "no contact e-mail and data.go.th requires one")
    assert status[1].startswith("SHACL validation in ")
    assert status[1].endswith(" s: 0 violations, 0 warnings (details: codikg validate)")
    assert status[2].startswith("built in ") and len(status) == 3


def test_every_example_query_is_documented_and_runs(release):
    folder, _ = release
    examples = load_examples(ROOT / "queries")
    assert [e.name for e in examples] == ["counts-per-issue", "curated-links", "indicators-without-mission",
                                         "items-of-issue", "mission-labels", "statements-by-graph",
                                         "trace-indicator"]
    for example in examples:
        assert set(example.title) == set(example.description) == {"en", "th"}
        assert all(example.title.values()) and all(example.description.values())
        result = runner.invoke(app, ["query", str(ROOT / "queries" / f"{example.name}.rq"),
                                     "--release", str(folder), "--format", "csv"])
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(result.output)))
        # an empty answer is the expected one for the gap finder (tests/test_trace.py checks both cases)
        assert (len(rows) == 0) == (example.name == "indicators-without-mission"), example.name


def test_example_without_thai_title_is_rejected(tmp_path):
    (tmp_path / "bad.rq").write_text("# title@en: Only English\n# description@en: x\n"
                                     "# description@th: y\nASK {}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.rq:1: example query lacks '# title@th: \.\.\.'"):
        load_examples(tmp_path)
    assert parse_example(ROOT / "queries" / "counts-per-issue.rq").description["en"] == (
        "Number of top-level indicators, strategies and projects printed in each "
        "strategic issue's table, in plan order.")


def test_counts_query_csv(release):
    folder, _ = release
    result = runner.invoke(app, ["query", str(ROOT / "queries" / "counts-per-issue.rq"),
                                 "--release", str(folder), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["notation"], r["indicators"], r["strategies"], r["projects"]) for r in rows] == [
        ("1", "2", "4", "3"), ("2", "4", "4", "5"), ("3", "5", "4", "4"),
        ("4", "3", "3", "4"), ("5", "3", "4", "4"), ("6", "6", "3", "0")]


def _csv_rows(folder, query_file):
    result = runner.invoke(app, ["query", str(query_file), "--release", str(folder), "--format", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_items_of_issue_in_print_order(release, tmp_path):
    folder, _ = release
    rows = _csv_rows(folder, ROOT / "queries" / "items-of-issue.rq")
    # issue 1 (tests/test_parser.py): 2 indicators, 4 strategies, 3 projects, in print order
    assert [(r["kind"], r["notation"]) for r in rows] == [
        ("indicator", "1"), ("indicator", "2"), ("strategy", "1"), ("strategy", "2"), ("strategy", "3"),
        ("strategy", "4"), ("project", "1"), ("project", "2"), ("project", "3")]
    assert {r["plan"] for r in rows} == {"https://w3id.org/codikg/id/codi/plan/2552"}
    assert rows[-1]["label"] == ("โครงการแก้ไขปัญหาความเดือดร้อนที่อยู่ อาศัยและที่ดินทำกิน "
                                 "โดยชุมชนท้องถิ่นเป็นหลัก (๕ จังหวัด ชายแดนภาคใต้)")
    # issue 3 has sub-indicators: 7 indicators, 4 strategies, 4 projects
    query = (ROOT / "queries" / "items-of-issue.rq").read_text(encoding="utf-8")
    (tmp_path / "issue3.rq").write_text(query.replace('{ "1" }', '{ "3" }'), encoding="utf-8")
    rows = _csv_rows(folder, tmp_path / "issue3.rq")
    assert [(r["kind"], r["notation"]) for r in rows[:4]] == [
        ("indicator", "1"), ("indicator", "1.1"), ("indicator", "1.2"), ("indicator", "2")]
    assert len(rows) == 7 + 4 + 4
    assert rows[-1]["label"] == "การสนับสนุนขบวนองค์กรชุมชนเพื่อเป็นองค์กรที่กำกับดูแลติดตามและตรวจสอบตนเอง"


def test_items_of_issue_6_sub_strategies_have_full_numbers(release, tmp_path):
    query = (ROOT / "queries" / "items-of-issue.rq").read_text(encoding="utf-8")
    assert 'VALUES ?issueNumber { "1" }' in query
    (tmp_path / "issue6.rq").write_text(query.replace('{ "1" }', '{ "6" }'), encoding="utf-8")
    folder, _ = release
    result = runner.invoke(app, ["query", str(tmp_path / "issue6.rq"), "--release", str(folder), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["notation"] for r in rows if r["kind"] == "strategy"] == [
        "1", "1.1", "1.2", "1.3", "1.4", "1.5", "2", "2.1", "2.2", "2.3", "3", "3.1", "3.2", "3.3", "3.4"]
    assert [r["item"] for r in rows if r["notation"] == "1.5"] == [
        "https://w3id.org/codikg/id/codi/plan/2552/issue/6/strategy/1.5"]


def test_query_table_and_syntax_error(release):
    folder, _ = release
    result = runner.invoke(app, ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/codikg/ontology#Mission> }",
                                 "--release", str(folder)])
    assert result.exit_code == 0 and "4" in result.output and "1 row" in result.output
    result = runner.invoke(app, ["query", "SELECT WHERE {", "--release", str(folder)])
    assert result.exit_code == 1
    assert "SPARQL syntax error" in result.output
