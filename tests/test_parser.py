"""The parser on the real plan document, and its errors on broken copies."""

from __future__ import annotations

import pytest

from codikg.ingest import PlanParseError, parse_plan
from codikg.model import Column, MarkerStyle

from conftest import SOURCE

TEXT = SOURCE.read_text(encoding="utf-8")


def _all_items(plan):
    for item in plan.missions + plan.objectives:
        yield from item.walk()
    for issue in plan.issues:
        yield issue.overview
        for column in issue.columns:
            for top in issue.column_items(column):
                yield from top.walk()


def test_source_properties(plan):
    assert plan.source.characters == 8683
    assert plan.source.lines == 192
    assert plan.source.sha256 == "%064x" % int.from_bytes(
        __import__("hashlib").sha256(SOURCE.read_bytes()).digest(), "big")


def test_top_level_counts(plan):
    assert len(plan.missions) == 4
    assert len(plan.objectives) == 6
    assert len(plan.issues) == 6
    assert [len(i.indicators) for i in plan.issues] == [2, 4, 5, 3, 3, 6]
    assert [len(i.strategies) for i in plan.issues] == [4, 4, 4, 3, 4, 3]
    assert [len(i.projects) for i in plan.issues] == [3, 5, 4, 4, 4, 0]


def test_vision_and_texts(plan):
    assert plan.vision.normalized == (
        "เป็นองค์กรที่มุ่งสร้างความเข้มแข็งของสังคมจากฐานราก ด้วยพลังองค์กรชุมชนและประชาสังคม")
    assert plan.vision.line == 7
    assert plan.missions[1].text.normalized == (
        "สนับสนุนและให้การช่วยเหลือทางการเงินแก่องค์กรชุมชนและเครือข่ายองค์กรชุมชน")
    assert plan.issues[0].projects[0].text.normalized == "โครงการบ้านมั่นคง"
    assert plan.issues[0].projects[0].text.line == 47
    assert plan.issues[5].title.verbatim == "การพัฒนาความเข้มแข็งขององค์กร พอช."
    assert plan.credit.normalized == "สถาบันพัฒนาองค์กรชุมชน"
    assert plan.credit.line == 164


def test_sub_indicators_and_sub_strategies(plan):
    issue3, issue6 = plan.issues[2], plan.issues[5]
    first = issue3.indicators[0]
    assert [c.notation for c in first.children] == ["1.1", "1.2"]
    assert first.children[1].text.normalized == "ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน"
    assert first.children[1].style is MarkerStyle.DECIMAL
    assert [c.notation for c in issue6.indicators[4].children] == ["5.1", "5.2", "5.3"]
    assert [len(s.children) for s in issue6.strategies] == [5, 3, 4]
    assert issue6.strategies[0].text.normalized == "พัฒนาเพิ่มขีดความสมรรถนะขององค์กร"
    assert issue6.strategies[0].children[4].text.normalized == "การกำกับดูแลองค์กร"
    assert issue6.strategies[0].children[4].path == (1, 5)
    assert issue6.strategies[2].children[3].text.line == 162


def test_columns_from_scrambled_headers(plan):
    assert plan.issues[0].table_header.verbatim == "ตัวชี้วัดตามคำรับรอง กลยุทธ์ โครงการ การปฏิบัติงาน"
    assert plan.issues[0].columns == (Column.INDICATORS, Column.STRATEGIES, Column.PROJECTS)
    assert plan.issues[1].columns == (Column.INDICATORS, Column.STRATEGIES, Column.PROJECTS)
    assert plan.issues[5].columns == (Column.INDICATORS, Column.STRATEGIES)


def test_misspelt_headings_are_recognised_and_kept(plan):
    assert [i.heading_misspelt for i in plan.issues] == [False, False, True, False, True, False]
    assert plan.issues[2].heading.verbatim == "ประด็นยุทธศาสตร์ที่ ๓"
    assert plan.issues[4].heading.verbatim == "ประ้เด็นยุทธศาสตร์ที่ ๕"
    assert plan.issues[3].title.verbatim.endswith("สู้นโยบาย")
    assert plan.issues[3].overview.text.verbatim.endswith("สู่นโยบาย")


def test_issue_objectives_match_plan_objectives(plan):
    assert [i.objective for i in plan.issues] == [1, 2, 3, 4, 5, 6]


def test_every_span_points_at_its_verbatim_text(plan):
    texts = [plan.title, plan.vision, plan.credit]
    for issue in plan.issues:
        texts += [issue.heading, issue.title, issue.objective_text, issue.table_header]
    texts += [item.text for item in _all_items(plan)]
    assert len(texts) == 125  # 3 + 6 issues x 4 + 98 list items
    lines = TEXT.split("\n")
    for text in texts:
        assert TEXT[text.start:text.end] == text.verbatim
        assert text.verbatim in lines[text.line - 1]
        assert text.verbatim == text.verbatim.strip(" \u00a0")


def test_nbsp_is_a_space_in_normalised_text(plan):
    issue6 = plan.issues[5]
    assert issue6.title.normalized == "การพัฒนาความเข้มแข็งขององค์กร พอช."
    assert all("\u00a0" not in item.text.normalized for item in _all_items(plan))


def test_item_markers_and_ordinals(plan):
    item = plan.issues[1].projects[4]
    assert (item.marker, item.notation, item.ordinal) == ("๕)", "5", 5)
    assert item.text.normalized == "สวัสดิการชุมชน"


def test_sub_item_notation_is_the_full_number(plan):
    strategies = plan.issues[5].strategies
    assert [(c.marker, c.notation, c.ordinal, c.path) for c in strategies[0].children] == [
        ("๑)", "1.1", 1, (1, 1)), ("๒)", "1.2", 2, (1, 2)), ("๓)", "1.3", 3, (1, 3)),
        ("๔)", "1.4", 4, (1, 4)), ("๕)", "1.5", 5, (1, 5))]
    assert [c.notation for c in strategies[2].children] == ["3.1", "3.2", "3.3", "3.4"]
    assert strategies[0].children[4].text.line == 153


def _replace_line(number: int, new: str) -> str:
    lines = TEXT.split("\n")
    lines[number - 1] = new
    return "\n".join(lines)


@pytest.mark.parametrize("line, new, reason, error_line", [
    (7, "", "expected the vision statement", 9),
    (20, "สามารถเชื่อมโยงโดยไม่มีเลข", "fits no section", 20),
    (44, "๓) สนับสนุนให้เกิดการแก้ไข", r"numbering breaks in the table of lines 41-49 .*: ๓\) follows item 1", 44),
    (150, "๓) การบริหารโครงการ", r"sub-item ๓\) is out of sequence under item 1", 150),
    (81, "๑.๓ ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน", r"sub-item ๑\.๓ is out of sequence", 81),
    (12, "๓. สนับสนุนและให้การช่วยเหลือทางการเงิน", r"'พันธกิจ' breaks its numbering: ๓\. follows item 1", 12),
    (40, "ตัวชี้วัด กลยุทธ์ งบประมาณ", "expected a table header", 40),
    (76, "วัตถุประสงค์เชิงกลยุทธ์ : ข้อความที่ไม่มีในแผน", "repeats none of the plan's objectives", 76),
    (95, "ประเด็นยุทธศาสตร์ที่ ๙", "expected strategic issue 4", 95),
])
def test_unplaceable_lines_name_line_and_text(line, new, reason, error_line):
    broken = _replace_line(line, new)
    with pytest.raises(PlanParseError, match=reason) as info:
        parse_plan(broken, "broken.txt")
    assert info.value.filename == "broken.txt"
    assert info.value.line == error_line
    assert info.value.text == broken.split("\n")[error_line - 1]
    assert str(info.value).startswith(f"broken.txt:{error_line}: ")


def test_boilerplate_after_credit_is_ignored():
    plan = parse_plan(TEXT + "\nmore comment-form text\n", "x.txt")
    assert plan.credit.line == 164


def test_missing_section_is_an_error():
    text = TEXT.replace("วิสัยทัศน์\n\nเป็นองค์กรที่มุ่งสร้างความเข้มแข็งของสังคมจากฐานราก ด้วยพลังองค์กรชุมชนและประชาสังคม\n", "")
    with pytest.raises(PlanParseError, match="'วิสัยทัศน์' section is missing"):
        parse_plan(text, "x.txt")
