"""Plans linked to plans: curated links from an agency plan's objective or issue to an
element of a higher plan (``cdk:contributesTo``) and from a plan to its next-period plan
(``cdk:continuedBy``). Every plan here except CODI's is SYNTHETIC
(tests/fixtures/plans-linked/README.md)."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from typer.testing import CliRunner

from codikg.audit.trace import COLUMNS, csv_text, trace_all
from codikg.cli.main import app as cli_app
from codikg.release.pipeline import build_release
from codikg.store import EmbeddedStore
from conftest import BASE, ROOT
from test_plans import two_plan_home

LINKED = ROOT / "tests" / "fixtures" / "plans-linked"
AGENCY = BASE + "id/synthetic-agency/plan/2567/"
MINISTRY = BASE + "id/synthetic-ministry/plan/2567/"


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    settings = two_plan_home(tmp_path_factory.mktemp("linked"))
    shutil.copytree(LINKED, settings.data_dir / "plans", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("README.md"))
    folder = settings.home / "release"
    manifest = build_release(settings, folder)
    return folder, manifest, EmbeddedStore(folder / "codikg.trig")


@pytest.mark.slow
def test_the_linked_release_conforms(linked):
    _, manifest, _ = linked
    assert manifest["validation"]["conforms"] is True and manifest["validation"]["violations"] == 0


@pytest.mark.slow
def test_the_trace_goes_up_to_the_higher_plan_with_curated_hops(linked):
    _, _, store = linked
    paths = trace_all(store, "synthetic-agency/2567")
    assert len(paths) == 3
    by_ref = {p.indicator.ref: p for p in paths}
    # issue 1's objective 1 → the ministry's objective 1
    up = by_ref["1/1"].upward
    assert [(h.name, h.subject, h.object, h.kind) for h in up] == [
        ("contributes_to", AGENCY + "objective/1", MINISTRY + "objective/1", "curated")]
    assert up[0].rationale["en"] == "SYNTHETIC: the test agency's objective 1 serves the test ministry's objective 1."
    assert up[0].record == AGENCY + "curation/objective-1-contributes-to-ministry-objective-1"
    assert [(n.kind, n.notation, n.plan) for n in by_ref["1/1"].higher] == [
        ("StrategicObjective", "1", "synthetic-ministry/2567")]
    assert by_ref["1/1"].higher[0].label["th"] == "ข้อมูลทดสอบถูกเผยแพร่อย่างถูกต้อง"
    # issue 2 → the ministry's mission 2; the issue's objective 2 has no link of its own
    issue_paths = [p for p in paths if p.issue.notation == "2"]
    assert issue_paths and all([(h.subject, h.object) for h in p.upward] == [(AGENCY + "issue/2", MINISTRY + "mission/2")]
                               for p in issue_paths)
    assert all(p.continued_by == "synthetic-agency/2571" for p in paths)
    # an upward link is optional: the next-period plan and the ministry have none, and that is no gap
    others = trace_all(store, "synthetic-agency/2571")
    assert others and all(p.upward == () and p.continued_by == "" for p in others)
    assert not any(h.name == "contributes_to" for p in paths for h in p.gaps)


@pytest.mark.slow
def test_the_matrix_has_the_upward_columns_at_the_end(linked):
    folder, _, store = linked
    rows = list(csv.DictReader(io.StringIO(csv_text(trace_all(store, "synthetic-agency/2567"))[1:])))
    assert tuple(rows[0]) == COLUMNS
    assert COLUMNS[:2] == ("plan", "indicator") and COLUMNS[-15:] == (
        "plan_continued_by", "contributes_to_from", "higher", "higher_iri", "higher_kind", "higher_plan",
        "higher_th", "higher_en", "contributes_to_kind", "contributes_to_rationale_th",
        "contributes_to_rationale_en", "contributes_to_attributed_to", "contributes_to_attributed_name",
        "contributes_to_created", "contributes_to_record")
    row = next(r for r in rows if r["indicator"] == "1/1")
    assert (row["contributes_to_from"], row["higher"], row["higher_plan"], row["contributes_to_kind"]) == (
        "objective", "1", "synthetic-ministry/2567", "curated")
    assert row["contributes_to_created"] == "2026-12-07" and row["plan_continued_by"] == "synthetic-agency/2571"
    result = CliRunner().invoke(cli_app, ["trace", "1/1", "--plan", "synthetic-agency/2567",
                                          "--release", str(folder)],
                                  env={"CODIKG_HOME": str(folder.parent), "NO_COLOR": "1", "COLUMNS": "200"})
    # the synthetic plan has no curated missions: exit 1 for those gaps, the upward hop is none of them
    assert result.exit_code == 1 and "missing makes_operative, supports_mission\n" in result.output
    assert "contributes to →" in result.stdout and "synthetic-ministry/2567" in result.stdout
    assert "SYNTHETIC: the test agency's objective 1 serves" in result.stdout


@pytest.mark.slow
def test_the_trace_page_shows_the_upward_hop(linked):
    from codikg.services.trace_view import group_paths

    _, _, store = linked
    (plan,) = group_paths(trace_all(store, "synthetic-agency/2567"))
    assert plan.continued_by == "synthetic-agency/2571"
    ups = [(h.kind, n.iri) for m in plan.missions for o in m.objectives for h, n in o.upward]
    assert ups == [("curated", MINISTRY + "objective/1"), ("curated", MINISTRY + "mission/2")]
