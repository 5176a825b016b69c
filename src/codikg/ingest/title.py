"""The plan's title line: ``แผนยุทธศาสตร์``, optionally followed by what the plan
is of (usually the agency) and its period, e.g.
``แผนยุทธศาสตร์ สำนักงานตัวอย่าง พ.ศ. ๒๕๕๒ – ๒๕๕๔``.

Variants read: the period in brackets, after ``ปี`` or ``ปีงบประมาณ`` (with or
without ``พ.ศ.``), with a
hyphen, en or em dash or ``ถึง``, ``พ.ศ.`` repeated before the last year, a
two-digit last year (``๒๕๕๒-๕๔``), one year only, Thai or ASCII digits,
U+00A0 as a space. The period may also stand alone on the line after the title.
The years are taken as Buddhist-Era fiscal years (the template's usage).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from codikg.ingest import template as tpl
from codikg.ingest.thai import DIGIT, parse_int

_WS = "[ \t\u00a0]"
_ERA = rf"พ\.{_WS}*ศ\."
_PERIOD = (rf"\(?{_WS}*(?:(?:ปีงบประมาณ|ปี){_WS}*(?:{_ERA})?|{_ERA}){_WS}*(?P<first>{DIGIT}{{4}})"
           rf"(?:{_WS}*(?:[-\u2013\u2014]|ถึง){_WS}*(?:{_ERA}{_WS}*)?(?P<last>{DIGIT}{{4}}|{DIGIT}{{2}}))?"
           rf"{_WS}*\)?")
_TITLE = re.compile(rf"^{tpl.PLAN_TITLE}(?:{_WS}*(?P<subject>.*?))??"
                    rf"(?:{_WS}*(?P<period>{_PERIOD}))?{_WS}*$")
_PERIOD_ONLY = re.compile(rf"^(?P<period>{_PERIOD}){_WS}*$")


@dataclass(frozen=True)
class TitleParts:
    """Where the parts of a title (or period) line stand in it.

    Attributes:
        subject: (start, end) column span of the words between
            ``แผนยุทธศาสตร์`` and the period (usually the agency), or None.
        period: (start, end) column span of the printed period, or None.
        first_year_be, last_year_be: the period's fiscal years (B.E.), or None.
    """

    subject: tuple[int, int] | None
    period: tuple[int, int] | None
    first_year_be: int | None
    last_year_be: int | None


def read_title(line: str) -> TitleParts | None:
    """Split a title line (already stripped of surrounding blanks) into its parts.

    Args:
        line: the line's text; columns in the result count code points of it.

    Returns:
        The parts, or None if the line is not a plan title.

    Raises:
        ValueError: if the period's last year comes before its first.
    """
    match = _TITLE.match(line)
    return _parts(match, with_subject=True) if match else None


def read_period_line(line: str) -> TitleParts | None:
    """The period printed alone on a line (``พ.ศ. ๒๕๕๒ – ๒๕๕๔``), or None.

    Raises:
        ValueError: if the period's last year comes before its first.
    """
    match = _PERIOD_ONLY.match(line)
    return _parts(match, with_subject=False) if match else None


def _parts(match: re.Match, with_subject: bool) -> TitleParts:
    subject = None
    if with_subject and match.group("subject"):
        subject = match.span("subject")
    if match.group("period") is None:
        return TitleParts(subject, None, None, None)
    first = parse_int(match.group("first"))
    last = first
    if (printed := match.group("last")) is not None:
        last = parse_int(printed)
        if len(printed) == 2:  # ๒๕๕๒-๕๔: the century of the first year
            last += first // 100 * 100
    if last < first:
        raise ValueError(f"the period ends ({last}) before it begins ({first})")
    return TitleParts(subject, match.span("period"), first, last)
