"""Thai text rules of docs/DESIGN.md: normalisation, Thai digits and Buddhist-Era years.

Normalisation stores NFC (never NFKC, which splits SARA AM U+0E33), repairs
mistyped sequences and zero-width characters with PyThaiNLP's ``normalize``,
and treats U+00A0 (no-break space) as a space.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from pythainlp.util import normalize as _pythainlp_normalize
from pythainlp.util import thai_digit_to_arabic_digit

_SPACES = re.compile(r"[ \t\u00a0]+")

#: Character class of Thai and ASCII decimal digits, for use inside regexes.
DIGIT = "[0-9\u0e50-\u0e59]"


def normalize_text(text: str) -> str:
    """Return ``text`` in the project's canonical form.

    Args:
        text: any Unicode string (verbatim document text).

    Returns:
        NFC text with PyThaiNLP's repairs applied, U+00A0 and runs of
        spaces/tabs collapsed to one ASCII space, and no leading or trailing
        space. Thai digits are kept: they are part of the wording.
    """
    text = unicodedata.normalize("NFC", text)
    text = _pythainlp_normalize(text)
    return _SPACES.sub(" ", text).strip()


def to_ascii_digits(text: str) -> str:
    """Replace Thai digits (U+0E50..U+0E59) by ASCII digits; other text is kept."""
    return thai_digit_to_arabic_digit(text)


def parse_int(text: str) -> int:
    """Parse a number written in Thai or ASCII digits.

    Raises:
        ValueError: if ``text`` is not only digits.
    """
    ascii_text = to_ascii_digits(text.strip())
    if not ascii_text.isascii() or not ascii_text.isdigit():
        raise ValueError(f"not a number: {text!r}")
    return int(ascii_text)


def be_to_ce(year_be: int) -> int:
    """Buddhist-Era year to Common-Era year (CE = BE - 543)."""
    return year_be - 543


def fiscal_year_interval(year_be: int) -> tuple[dt.date, dt.date]:
    """First and last day of Thai fiscal year ``year_be`` (B.E.).

    Fiscal year N runs from 1 October of CE year N-544 to 30 September of CE
    year N-543 (e.g. 2567 → 2023-10-01 .. 2024-09-30).
    """
    end_ce = be_to_ce(year_be)
    return dt.date(end_ce - 1, 10, 1), dt.date(end_ce, 9, 30)


def fiscal_year_of(day: dt.date) -> int:
    """The Thai fiscal year (B.E.) that ``day`` falls in: it begins on 1 October."""
    return day.year + 543 + (1 if day.month >= 10 else 0)
