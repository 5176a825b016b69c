"""The fixed words of the Thai government strategic-plan template.

These are the headings every plan in this template prints; nothing here is
specific to one agency.
"""

from __future__ import annotations

from codikg.model import Column

PLAN_TITLE = "แผนยุทธศาสตร์"
VISION = "วิสัยทัศน์"
MISSIONS = "พันธกิจ"
OBJECTIVES = "วัตถุประสงค์เชิงกลยุทธ์"
ISSUES = "ประเด็นยุทธศาสตร์"
#: Headings of the plan-level sections, in the order the template prints them.
SECTION_HEADINGS = (VISION, MISSIONS, OBJECTIVES, ISSUES)
#: Section heading of one issue: ``ประเด็นยุทธศาสตร์ที่ ๑``.
ISSUE_HEADING_WORDS = "ประเด็นยุทธศาสตร์ที่"
#: Minimum difflib similarity for a misspelt issue heading to be accepted.
HEADING_SIMILARITY = 0.85
#: Label before the objective inside an issue's section.
ISSUE_OBJECTIVE_LABEL = OBJECTIVES
#: The footer that carries the attribution; what follows it is web-page chrome.
CREDIT_PREFIX = "Credit by"

#: Column titles of an issue's table. A flattened web table prints them in
#: any order and may split a title across several words, so the header is
#: matched word by word, never as one string.
COLUMN_TITLES: dict[Column, str] = {
    Column.INDICATORS: "ตัวชี้วัดตามคำรับรองการปฏิบัติงาน",
    Column.STRATEGIES: "กลยุทธ์",
    Column.PROJECTS: "โครงการ",
}
