"""The parser on a made-up agency's plan in the same template (SYNTHETIC test data,
tests/fixtures/synthetic-made-up-agency-plan.txt): a title naming the agency and
the period, a byte-order mark, CRLF line ends, U+00A0, a final line break."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from codikg.ingest import PlanParseError, parse_plan, parse_plan_file

SYNTHETIC = Path(__file__).parent / "fixtures" / "synthetic-made-up-agency-plan.txt"
LF = SYNTHETIC.read_text(encoding="utf-8")
AGENCY = "สำนักงานส่งเสริมชุมชนตัวอย่าง (หน่วยงานสมมุติ)"


def _texts(plan):
    texts = [plan.title, plan.vision, plan.credit, plan.subject, plan.period.text]
    for item in plan.missions + plan.objectives:
        texts += [t.text for t in item.walk()]
    for issue in plan.issues:
        texts += [issue.heading, issue.title, issue.objective_text, issue.table_header,
                  issue.overview.text]
        for column in issue.columns:
            texts += [t.text for top in issue.column_items(column) for t in top.walk()]
    return texts


def _shape(plan):
    return ([m.text.normalized for m in plan.missions], [o.text.normalized for o in plan.objectives],
            [(i.title.normalized, i.objective, i.columns,
              [[(t.notation, t.text.normalized) for top in i.column_items(c) for t in top.walk()]
               for c in i.columns]) for i in plan.issues])


@pytest.fixture(scope="module")
def plan():
    return parse_plan_file(SYNTHETIC)


def test_counts_of_the_made_up_plan(plan):
    assert (len(plan.missions), len(plan.objectives), len(plan.issues)) == (3, 2, 2)
    assert [(len(i.indicators), len(i.strategies), len(i.projects)) for i in plan.issues] == [
        (2, 2, 2), (3, 2, 0)]
    assert [c.notation for c in plan.issues[0].indicators[0].children] == ["1.1", "1.2"]
    assert [c.notation for c in plan.issues[1].strategies[0].children] == ["1.1", "1.2"]
    assert len(_texts(plan)) == 35  # 5 + 5 list items + 2 issues x 5 + 15 table items


def test_title_names_the_agency_and_the_period(plan):
    assert plan.title.verbatim == f"แผนยุทธศาสตร์ {AGENCY} พ.ศ. ๒๕๖๖ – ๒๕๖๘"
    assert plan.subject.verbatim == AGENCY
    assert (plan.period.first_year_be, plan.period.last_year_be) == (2566, 2568)
    assert plan.period.text.verbatim == "พ.ศ. ๒๕๖๖ – ๒๕๖๘"
    assert (plan.subject.start, plan.period.text.start) == (14, 61)


def test_line_count_ignores_the_empty_line_after_a_final_newline(plan):
    assert LF.endswith("\n") and LF.count("\n") == 57
    assert plan.source.lines == 57
    assert parse_plan(LF.rstrip("\n"), "x.txt").source.lines == 57
    assert parse_plan(LF + "\n", "x.txt").source.lines == 58  # an empty 58th line, then the break


def test_nbsp_kept_verbatim_and_a_space_when_normalised(plan):
    assert plan.vision.verbatim == "เป็นหน่วยงานตัวอย่างที่ชุมชนเชื่อถือ\u00a0ในการทดสอบโปรแกรม"
    assert plan.vision.normalized == "เป็นหน่วยงานตัวอย่างที่ชุมชนเชื่อถือ ในการทดสอบโปรแกรม"


@pytest.mark.parametrize("variant", ["lf", "crlf", "bom", "bom+crlf"])
def test_variants_parse_alike_and_spans_round_trip(tmp_path, plan, variant):
    text = LF.replace("\n", "\r\n") if "crlf" in variant else LF
    data = (b"\xef\xbb\xbf" if "bom" in variant else b"") + text.encode("utf-8")
    path = tmp_path / "plan.txt"
    path.write_bytes(data)
    parsed = parse_plan_file(path)
    assert _shape(parsed) == _shape(plan)
    assert parsed.period == plan.period if variant in ("lf", "bom") else parsed.period.first_year_be == 2566
    # Offsets count code points after the byte-order mark (docs/SOURCE.md).
    after_bom = data.decode("utf-8-sig")
    assert parsed.source.text == after_bom
    assert parsed.source.characters == len(after_bom) == len(text)
    assert parsed.source.lines == 57
    assert parsed.source.sha256 == hashlib.sha256(data).hexdigest()
    lines = after_bom.split("\n")
    for t in _texts(parsed):
        assert after_bom[t.start:t.end] == t.verbatim
        assert t.verbatim in lines[t.line - 1]
        assert "\r" not in t.verbatim and "\ufeff" not in t.verbatim


def test_parse_plan_drops_a_leading_bom_from_a_string():
    with_bom = parse_plan("\ufeff" + LF, "x.txt")
    assert with_bom.title.start == 0 and with_bom.source.text == LF
    assert with_bom.source.sha256 == hashlib.sha256(("\ufeff" + LF).encode()).hexdigest()


@pytest.mark.parametrize("title, subject, years", [
    ("แผนยุทธศาสตร์", None, None),
    ("แผนยุทธศาสตร์ กรมตัวอย่าง", "กรมตัวอย่าง", None),
    ("แผนยุทธศาสตร์ พ.ศ. ๒๕๖๖", None, (2566, 2566)),
    ("แผนยุทธศาสตร์กรมตัวอย่าง (พ.ศ.๒๕๖๖-๖๘)", "กรมตัวอย่าง", (2566, 2568)),
    ("แผนยุทธศาสตร์ กรมตัวอย่าง ปีงบประมาณ พ.ศ. 2566 ถึง พ.ศ. 2570", "กรมตัวอย่าง", (2566, 2570)),
    ("แผนยุทธศาสตร์\u00a0กรมตัวอย่าง\u00a0ปี พ.ศ. ๒๕๖๖ — ๒๕๖๘", "กรมตัวอย่าง", (2566, 2568)),
    ("แผนยุทธศาสตร์กรมตัวอย่าง ปีงบประมาณ ๒๕๖๖-๒๕๗๐", "กรมตัวอย่าง", (2566, 2570)),
    ("แผนยุทธศาสตร์ กรมตัวอย่าง ๒๕๖๖", "กรมตัวอย่าง ๒๕๖๖", None),  # a bare year is no period
])
def test_title_variants(title, subject, years):
    plan = parse_plan(LF.replace(LF.split("\n")[0], title, 1), "x.txt")
    assert plan.title.verbatim == title
    assert (plan.subject.verbatim if plan.subject else None) == subject
    assert ((plan.period.first_year_be, plan.period.last_year_be) if plan.period else None) == years


def test_period_on_the_line_after_the_title():
    text = LF.replace(LF.split("\n")[0], "แผนยุทธศาสตร์ กรมตัวอย่าง\n\nพ.ศ. ๒๕๖๖ – ๒๕๖๘", 1)
    plan = parse_plan(text, "x.txt")
    assert plan.subject.verbatim == "กรมตัวอย่าง"
    assert (plan.period.first_year_be, plan.period.last_year_be, plan.period.text.line) == (2566, 2568, 3)
    assert plan.vision.line == 7


@pytest.mark.parametrize("title, reason", [
    ("แผนยุทธศาสตร์ พ.ศ. ๒๕๖๘ – ๒๕๖๖", r"the period ends \(2566\) before it begins \(2568\)"),
    ("แผนปฏิบัติการ พ.ศ. ๒๕๖๖", "expected the plan title 'แผนยุทธศาสตร์'"),
])
def test_bad_title_lines_are_named(title, reason):
    with pytest.raises(PlanParseError, match=reason) as info:
        parse_plan(LF.replace(LF.split("\n")[0], title, 1), "x.txt")
    assert (info.value.line, info.value.text) == (1, title)
