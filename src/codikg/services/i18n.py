"""Page languages and UI strings, and how a label is chosen per language.

Labels of the data are picked per language with a fallback to Thai, the
document's language (English labels are curated and may be missing). How a
request chooses its language is HTTP's business (:mod:`codikg.web.i18n`).
"""

from __future__ import annotations

LANGUAGES = ("th", "en")
DEFAULT = "th"


def pick(texts: dict[str, str], lang: str) -> tuple[str, str]:
    """Choose a text for ``lang`` from ``{language tag: text}``.

    Falls back to Thai, then to an untagged text, then to any text.

    Returns:
        ``(text, tag)`` where ``tag`` is the language of the text returned (for
        the HTML ``lang`` attribute); ``("", "")`` if ``texts`` is empty.
    """
    for tag in (lang, DEFAULT, ""):
        if tag in texts:
            return texts[tag], tag
    for tag, text in sorted(texts.items()):
        return text, tag
    return "", ""


#: UI strings: key → {language: text}.
STRINGS: dict[str, dict[str, str]] = {
    "home": {"th": "หน้าแรก", "en": "Home"},
    "plan": {"th": "ภาพรวมแผน", "en": "Plan overview"},
    "search": {"th": "ค้นหา", "en": "Search"},
    "trace": {"th": "การสืบย้อน", "en": "Trace"},
    "report": {"th": "รายงานคุณภาพข้อมูล", "en": "Data quality"},
    "ontology": {"th": "คำศัพท์", "en": "Ontology"},
    "shapes": {"th": "รูปแบบข้อมูล (SHACL)", "en": "Shapes"},
    "search_placeholder": {"th": "ค้นหาในแผน…", "en": "Search the plan…"},
    "language": {"th": "ภาษา", "en": "Language"},
    "type": {"th": "ประเภท", "en": "Type"},
    "identifier": {"th": "ตัวระบุ (IRI)", "en": "Identifier (IRI)"},
    "notation": {"th": "ลำดับ", "en": "Number"},
    "labels": {"th": "ชื่อ", "en": "Labels"},
    "links_out": {"th": "เชื่อมโยงไปยัง", "en": "Links out"},
    "links_in": {"th": "ถูกอ้างถึงโดย", "en": "Links in"},
    "source": {"th": "ข้อความต้นฉบับ", "en": "Source text"},
    "line": {"th": "บรรทัด", "en": "line"},
    "in_file": {"th": "ในแฟ้ม", "en": "in"},
    "formats": {"th": "ดาวน์โหลดในรูปแบบ RDF", "en": "This description as RDF"},
    "graph": {"th": "กราฟ", "en": "graph"},
    "stated": {"th": "ระบุในเอกสาร", "en": "stated in the document"},
    "curated": {"th": "บรรณาธิการเพิ่ม", "en": "added by editors"},
    "rationale": {"th": "เหตุผล", "en": "Rationale"},
    "not_found": {"th": "ไม่พบทรัพยากรนี้", "en": "No such resource"},
    "not_found_text": {"th": "ไม่มีข้อมูลเกี่ยวกับ IRI นี้ในชุดข้อมูลรุ่นนี้",
                       "en": "This release holds no statement about this IRI"},
    "try": {"th": "ลองดู", "en": "Try"},
    "vision": {"th": "วิสัยทัศน์", "en": "Vision"},
    "missions": {"th": "พันธกิจ", "en": "Missions"},
    "objectives": {"th": "วัตถุประสงค์เชิงกลยุทธ์", "en": "Strategic objectives"},
    "issues": {"th": "ประเด็นยุทธศาสตร์", "en": "Strategic issues"},
    "indicators": {"th": "ตัวชี้วัด", "en": "Indicators"},
    "strategies": {"th": "กลยุทธ์", "en": "Strategies"},
    "projects": {"th": "โครงการ", "en": "Projects"},
    "legend": {"th": "คำอธิบายสัญลักษณ์", "en": "Legend"},
    "legend_stated": {"th": "ความเชื่อมโยงที่เอกสารระบุ (กราฟ document)",
                      "en": "link stated by the document (document graph)"},
    "legend_curated": {"th": "ความเชื่อมโยงที่บรรณาธิการเพิ่ม พร้อมเหตุผล (กราฟ curation)",
                       "en": "link added by editors, with a rationale (curation graph)"},
    "issue_n": {"th": "ประเด็นยุทธศาสตร์ที่", "en": "Strategic issue"},
    "objective_n": {"th": "วัตถุประสงค์ที่", "en": "Objective"},
    "mission_n": {"th": "พันธกิจที่", "en": "Mission"},
    "plan_intro": {"th": "แผนทั้งฉบับในภาพเดียว: วิสัยทัศน์ พันธกิจ วัตถุประสงค์เชิงกลยุทธ์ "
                         "ประเด็นยุทธศาสตร์ และตัวชี้วัด กลยุทธ์ โครงการของแต่ละประเด็น "
                         "คลิกที่กล่องใดก็ได้เพื่อดูรายละเอียดและข้อความต้นฉบับ",
                   "en": "The whole plan at a glance: vision, missions, strategic objectives, "
                         "strategic issues and each issue's indicators, strategies and projects. "
                         "Click any box for its page and source text."},
    "graph_page": {"th": "กราฟที่มีชื่อ", "en": "Named graph"},
    "triples": {"th": "จำนวนทริเปิล", "en": "triples"},
    "resources": {"th": "ทรัพยากรในกราฟ", "en": "Resources in this graph"},
    "sparql": {"th": "SPARQL", "en": "SPARQL"},
    "downloads": {"th": "ดาวน์โหลด", "en": "Downloads"},
    "holds": {"th": "ข้อมูลที่มี", "en": "What it holds"},
    "release": {"th": "รุ่นข้อมูล", "en": "Release"},
    "examples": {"th": "ตัวอย่างคำค้น", "en": "Example queries"},
    "open_plan": {"th": "ดูภาพรวมแผน", "en": "See the plan overview"},
    "bytes": {"th": "ไบต์", "en": "bytes"},
    "plans": {"th": "แผนยุทธศาสตร์ที่เผยแพร่", "en": "Published strategic plans"},
    "agency": {"th": "หน่วยงาน", "en": "Agency"},
    "period": {"th": "ช่วงเวลา", "en": "Period"},
    "fiscal_years": {"th": "ปีงบประมาณ พ.ศ.", "en": "fiscal years B.E."},
}


def strings(lang: str) -> dict[str, str]:
    """The UI strings in ``lang`` (missing ones in Thai)."""
    return {key: texts.get(lang, texts[DEFAULT]) for key, texts in STRINGS.items()}
