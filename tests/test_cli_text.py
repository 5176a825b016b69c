"""The command line prints texts literally, writes tables for pipes as TSV, and stops queries."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from codikg.cli.main import app
from codikg.config.settings import Settings
from codikg.release.pipeline import build_release

from conftest import BASE, PLAN, ROOT, SOURCE

runner = CliRunner()
TERMINAL = {"TTY_COMPATIBLE": "1", "NO_COLOR": "1", "COLUMNS": "400"}  # rich draws as for a terminal
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MISSION_2 = "สนับสนุนและให้การช่วยเหลือทางการเงินแก่องค์กรชุมชนและเครือข่ายองค์กรชุมชน"  # source line 12
INDICATOR_2_3 = "จำนวนกองทุนชุมชนระดับตำบลที่มีการจัดตั้งและ ดำเนินการอย่างเป็นรูปธรรม"  # source line 60
STRATEGY_1_3 = "สร้างความร่วมมือกับองค์กรปกครองท้องถิ่น ภาคประชาสังคมในการสนับสนุนการทำงานในพื้นที่"  # line 45


def test_an_error_keeps_its_square_brackets(release):
    folder, _ = release
    result = runner.invoke(app, ["catalog", "--ckan", "--release", str(folder)])
    assert result.exit_code == 1
    assert result.stderr == ("error: data.go.th requires maintainer_email, which is not set: fill in [contact] "
                             f"email of {ROOT / 'data' / 'plans' / 'codi' / '2552' / 'catalog.toml'} (or pass --allow-incomplete to write "
                             "the payload anyway)\n")


def test_a_path_that_looks_like_markup_is_printed_as_it_is(tmp_path):
    odd = tmp_path / "[bold]" / "[/x]"
    for env in ({}, TERMINAL):
        result = runner.invoke(app, ["query", "ASK {}", "--release", str(odd)], env=env)
        assert result.exit_code == 1
        assert result.stderr == f"error: {odd}: no release here; run 'codikg build' first\n"


def test_query_table_in_a_pipe_is_tsv_with_whole_values(release):
    folder, _ = release
    result = runner.invoke(app, ["query", "SELECT ?mission ?label WHERE { ?mission a "
                                 "<https://w3id.org/codikg/ontology#Mission> ; "
                                 "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label } ORDER BY ?mission ?label",
                                 "--release", str(folder)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "mission\tlabel" and len(lines) == 1 + 8
    assert f"{PLAN}/mission/2\t{MISSION_2}@th" in lines
    assert result.stderr == "8 rows\n"


def test_trace_in_a_pipe_is_one_tsv_table_and_drawn_in_a_terminal(release):
    folder, _ = release
    result = runner.invoke(app, ["trace", "2/3", "--release", str(folder)])
    assert result.exit_code == 0
    header, *rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert header == ["indicator", "hop", "kind", "to", "evidence"]
    hops = [("measures →", "structural"), ("supports mission →", "curated"), ("makes operative →", "structural"),
            ("is the objective of issue ←", "stated")]
    assert [row[:3] for row in rows] == [[f"{PLAN}/issue/2/indicator/3", *hop] for hop in hops * 2]  # missions 2, 3
    assert rows[0][4] == rows[4][4] == f"line 60: {INDICATOR_2_3}"
    assert rows[2][4] == f"line 12: {MISSION_2}"
    assert rows[1][4].endswith("\\n(codikg editors, 2026-11-30, " + PLAN + "/curation/objective-2-mission-2)")
    drawn = runner.invoke(app, ["trace", "2/3", "--release", str(folder)], env=TERMINAL)
    assert drawn.exit_code == 0 and "┃ hop" in drawn.stdout and f"line 60: {INDICATOR_2_3}" in drawn.stdout


@pytest.mark.slow
def test_a_source_line_with_square_brackets_is_quoted_verbatim(tmp_path):
    home = tmp_path / "home"
    for part in ("data", "ontology", "queries"):
        shutil.copytree(ROOT / part, home / part)
    plan = home / "data" / "plans" / "codi" / "2552"
    source = plan / "source" / SOURCE.name
    labels = plan / "curation" / "labels-en.ttl"  # its translations name the Thai they translate
    text, curated = source.read_text(encoding="utf-8"), labels.read_text(encoding="utf-8")
    for item in (INDICATOR_2_3, STRATEGY_1_3):
        assert f"๓) {item}\n" in text
        text = text.replace(f"๓) {item}\n", f"๓) [note] {item}\n")
        curated = curated.replace(f'"{item}"', f'"[note] {item}"')
    source.write_text(text, encoding="utf-8")
    labels.write_text(curated, encoding="utf-8")
    folder = tmp_path / "release"
    build_release(Settings(BASE, home), folder)
    for env in ({}, TERMINAL):
        result = runner.invoke(app, ["trace", "2/3", "--release", str(folder)], env=env)
        assert result.exit_code == 0
        assert f"line 60: [note] {INDICATOR_2_3}" in result.stdout, env
        report = runner.invoke(app, ["report", "--release", str(folder)], env=env)
        assert report.exit_code == 0
        assert f"similar, not merged (0.901): line 45 '[note] {STRATEGY_1_3}'" in report.stdout, env


@pytest.mark.slow
def test_query_time_limit_stops_a_runaway_query(release):
    folder, _ = release
    result = runner.invoke(app, ["query", RUNAWAY, "--release", str(folder), "--time-limit", "0.5"])
    assert result.exit_code == 1
    assert result.stderr == "error: the query ran longer than the time limit of 0.5 s and was stopped\n"
    result = runner.invoke(app, ["query", RUNAWAY, "--release", str(folder)], env={"CODIKG_QUERY_TIME_LIMIT": "0.25"})
    assert result.stderr == "error: the query ran longer than the time limit of 0.25 s and was stopped\n"


def _children(pid: int) -> set[int]:
    found = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as listing:
            found.update(int(child) for child in listing.read().split())
    return found


@pytest.mark.slow
def test_ctrl_c_stops_a_query_and_its_worker(release):
    folder, _ = release
    proc = subprocess.Popen([sys.executable, "-m", "codikg.cli", "query", RUNAWAY, "--release", str(folder),
                             "--time-limit", "600"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    while not (workers := _children(proc.pid)) and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(1)  # the worker has loaded the release and runs the query
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends: the whole foreground group
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert (out, err) == ("", "interrupted: the query was stopped\n")
    for worker in workers:
        assert not os.path.exists(f"/proc/{worker}") or open(f"/proc/{worker}/stat").read().split()[2] == "Z"


@pytest.mark.parametrize("command", [["trace", "--all", "--format", "xlsx"], ["trace", "--all", "--format", "csv"],
                                     ["trace", "2/3"], ["catalog"]])
def test_an_output_file_that_cannot_be_written_is_one_error_line(release, tmp_path, command):
    folder, _ = release
    target = tmp_path / "no such folder" / "out"
    result = runner.invoke(app, [*command, "--out", str(target), "--release", str(folder)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"error: {target}: cannot write: No such file or directory"
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_drawn_thai_wraps_between_words_only(release):
    folder, _ = release
    drawn = runner.invoke(app, ["trace", "3/1.2", "--release", str(folder)], env={**TERMINAL, "COLUMNS": "100"})
    assert drawn.exit_code == 0
    lines = drawn.stdout.splitlines()
    first_row = lines[lines.index(next(line for line in lines if line.startswith("┡"))) + 1:]
    first_row = first_row[:first_row.index(next(line for line in first_row if line.startswith("├")))]
    evidence = [cells.split("│")[4].strip() for cells in first_row]
    # the quote of source line 81 is "ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน": cut before อย่าง, never inside น้อย
    assert [part for part in evidence if part] == ["line 81: ตำบลเป้าหมายใหม่", "อย่างน้อย ๒ ด้าน"]
    narrow = runner.invoke(app, ["trace", "3/1.2", "--release", str(folder)], env={**TERMINAL, "COLUMNS": "60"})
    title = narrow.stdout.split("┏")[0].splitlines()  # the first path's title, wrapped between words
    assert title == ["Indicator 3/1.2 (sub-indicator of 3/1) ตำบลเป้าหมายใหม่อย่างน้อย",
                     "๒ ด้าน — New target tambons, in at least 2 aspects"]
