"""The language of a page (Thai by default, English on request) and its UI strings.

The language comes, in order, from a ``?lang=`` parameter (which every HTML
answer then stores in the ``codikg_lang`` cookie, with one ``Set-Cookie``, so the
choice persists: :class:`RememberLanguage`), the cookie, and
the ``Accept-Language`` header (RFC 9110 §12.5.4, parsed by Werkzeug's
``LanguageAccept``, which applies RFC 4647 lookup so ``en-GB`` picks ``en``).
The strings and the per-language choice of labels live in
:mod:`codikg.services.i18n`.
"""

from __future__ import annotations

import re
from http.cookies import SimpleCookie

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from codikg.services.i18n import DEFAULT, LANGUAGES, STRINGS, pick, strings

__all__ = ["COOKIE", "DEFAULT", "LANGUAGES", "STRINGS", "RememberLanguage", "bad_language_parameter",
           "choose_language",
           "language_cookie", "pick", "strings"]

COOKIE = "codikg_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600  # seconds
#: A ``?lang=`` value: a language tag's letters, digits and hyphens (RFC 5646 §2.1), at most 35.
_LANGUAGE_TAG = re.compile(r"[A-Za-z0-9-]{0,35}")


def bad_language_parameter(request: Request) -> str | None:
    """Why ``request``'s ``?lang=`` values cannot be a language tag (RFC 5646 §2.1:
    letters, digits and ``-``; a CR/LF or any other character could end up in a
    header), or ``None`` when they can (an unknown tag is still ignored)."""
    for value in request.query_params.getlist("lang"):
        if not _LANGUAGE_TAG.fullmatch(value.strip(" ")):
            return (f"400 Bad Request: ?lang= takes a language tag such as {' or '.join(LANGUAGES)} "
                    f"(letters, digits and '-', at most 35), not {value[:40]!r}")
    return None


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
    whichever route rendered it; a ``?lang=`` that cannot be a language tag gets
    400 (:func:`bad_language_parameter`) on every route."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and b"lang=" in scope["query_string"]:
            problem = bad_language_parameter(Request(scope))
            if problem is not None:
                await PlainTextResponse(problem + "\n", status_code=400)(scope, receive, send)
                return
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
