"""The language of a page (Thai by default, English on request) and its UI strings.

The language comes, in order, from a ``?lang=`` parameter (which every HTML
answer then stores in the ``codikg_lang`` cookie, with one ``Set-Cookie``, so the
choice persists: :class:`RememberLanguage`), the cookie, and
the ``Accept-Language`` header (RFC 9110 §12.5.4, parsed by Werkzeug's
``LanguageAccept``, which applies RFC 4647 lookup so ``en-GB`` picks ``en``).
Labels of the data are picked per language with a fallback to Thai, the
document's language (English labels are curated and may be missing).
"""

from __future__ import annotations

from http.cookies import SimpleCookie

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

LANGUAGES = ("th", "en")
DEFAULT = "th"
COOKIE = "codikg_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600  # seconds


def choose_language(request: Request) -> tuple[str, bool]:
    """The page language for ``request``.

    Returns:
        ``(lang, from_parameter)``: ``lang`` is one of :data:`LANGUAGES`;
        ``from_parameter`` is True when ``?lang=`` chose it (the answer then
        sets the cookie: :class:`RememberLanguage`). An unknown ``?lang=``
        value is ignored.
    """
    asked = request.query_params.get("lang", "").strip().lower()
    if asked in LANGUAGES:
        return asked, True
    cookie = request.cookies.get(COOKIE, "")
    if cookie in LANGUAGES:
        return cookie, False
    header = request.headers.get("accept-language")
    if header:
        best = parse_accept_header(header, LanguageAccept).best_match(LANGUAGES)
        if best:
            return best, False
    return DEFAULT, False


def language_cookie(lang: str) -> str:
    """The ``Set-Cookie`` value that stores ``lang`` for a year, site-wide (``SameSite=lax``)."""
    cookie = SimpleCookie()
    cookie[COOKIE] = lang
    cookie[COOKIE].update({"max-age": COOKIE_MAX_AGE, "path": "/", "samesite": "lax"})
    return cookie.output(header="").strip()


class RememberLanguage:
    """ASGI middleware: an HTML answer to a request whose ``?lang=`` chose the
    language carries exactly one ``Set-Cookie`` storing it (:func:`language_cookie`),
    whichever route rendered it."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        lang, from_parameter = (choose_language(Request(scope)) if scope["type"] == "http"
                                and b"lang=" in scope["query_string"] else (DEFAULT, False))
        if not from_parameter:
            await self.app(scope, receive, send)
            return
        value = language_cookie(lang)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("text/html") and not any(
                        c.startswith(f"{COOKIE}=") for c in headers.getlist("set-cookie")):
                    headers.append("set-cookie", value)
            await send(message)

        await self.app(scope, receive, send_with_cookie)


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
    "site": {"th": "แผนยุทธศาสตร์ พอช. แบบข้อมูลเชื่อมโยง", "en": "CODI strategic plan, linked"},
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
}


def strings(lang: str) -> dict[str, str]:
    """The UI strings in ``lang`` (missing ones in Thai)."""
    return {key: texts.get(lang, texts[DEFAULT]) for key, texts in STRINGS.items()}
