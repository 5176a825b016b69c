"""Parse a strategic plan printed in the Thai template into the plan model.

The document is plain text flattened from a web page: headings on their own
lines, numbered lists in three styles (``๑.``, ``๑)``, ``๑.๑``), and each
strategic issue's three-column table printed column after column, where the
only sign of a new column is a list that restarts at ๑. Which restarts are
column breaks and which are nested lists is decided by the number of columns
the table header announces: the parser takes the one reading under which every
column is a well-formed list (see :func:`_split_columns`).
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from codikg.ingest import template as tpl
from codikg.ingest.thai import DIGIT, normalize_text, parse_int, to_ascii_digits
from codikg.ingest.title import read_period_line, read_title
from codikg.model import (
    Column,
    ListItem,
    MarkerStyle,
    Plan,
    PrintedPeriod,
    SourceDocument,
    SourceText,
    StrategicIssue,
)

_WS = "[ \t\u00a0]"
_MARKER = re.compile(
    rf"^{_WS}*(?:(?P<decimal>{DIGIT}+\.{DIGIT}+)|(?P<paren>{DIGIT}+)\)|(?P<dot>{DIGIT}+)\.)"
    rf"(?={_WS})"
)
_ISSUE_HEADING = re.compile(rf"^(?P<words>.+?){_WS}*(?P<number>{DIGIT}+)$")
_LABELLED = re.compile(rf"^(?P<label>[^:]+?){_WS}*:{_WS}*(?P<value>.+)$")
_BOM = "\ufeff"


class PlanParseError(ValueError):
    """A line of the plan document that the parser cannot place.

    Attributes:
        filename: the document's file name.
        line: 1-based line number (0 when the problem is the whole file).
        text: the offending line's text.
        reason: what was expected there.
    """

    def __init__(self, reason: str, line: int, text: str, filename: str):
        self.reason, self.line, self.text, self.filename = reason, line, text, filename
        super().__init__(f"{filename}:{line}: {reason}: {text!r}")


@dataclass(frozen=True)
class _Line:
    number: int
    offset: int  # code-point offset of the line's first character in the file
    raw: str

    @property
    def stripped(self) -> str:
        return self.raw.strip(" \t\u00a0\r")

    def source_text(self, column: int = 0, end: int | None = None) -> SourceText:
        """The text from ``column`` to ``end`` (the line's end), without surrounding blanks."""
        part = self.raw[column:end]
        lead = len(part) - len(part.lstrip(" \t\u00a0"))
        verbatim = part.strip(" \t\u00a0\r")
        start = self.offset + column + lead
        return SourceText(verbatim, normalize_text(verbatim), self.number, start, start + len(verbatim))


@dataclass(frozen=True)
class _RawItem:
    line: _Line
    style: MarkerStyle
    marker: str
    numbers: tuple[int, ...]
    text: SourceText


class _InvalidList(Exception):
    """Numbering breaks at ``line``; ``reason`` says how."""

    def __init__(self, reason: str, line: "_Line"):
        super().__init__(reason)
        self.reason, self.line = reason, line


def parse_plan_file(path: str | Path, media_type: str = "text/plain; charset=utf-8") -> Plan:
    """Read and parse a plan document.

    Args:
        path: a UTF-8 plain-text file, with or without a byte-order mark.
        media_type: recorded as the source's media type.

    Raises:
        PlanParseError: on any line that cannot be placed (names the line).
        UnicodeDecodeError: if the file is not UTF-8.
    """
    path = Path(path)
    data = path.read_bytes()
    return parse_plan(data.decode("utf-8"), path.name, media_type, hashlib.sha256(data).hexdigest())


def parse_plan(text: str, filename: str, media_type: str = "text/plain; charset=utf-8",
               sha256: str | None = None) -> Plan:
    """Parse the text of a plan document into a :class:`~codikg.model.Plan`.

    Args:
        text: the whole document, as decoded from UTF-8. A leading byte-order
            mark (U+FEFF) is an encoding signature, not text: it is dropped and
            offsets count code points after it (docs/SOURCE.md).
        filename: used in the model and in error messages.
        media_type: recorded as the source's media type.
        sha256: hex digest of the file's bytes; computed from ``text`` (its
            byte-order mark included) if omitted.

    Raises:
        PlanParseError: naming the first line that does not fit the template.
    """
    digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    text = text.removeprefix(_BOM)
    lines, offset = [], 0
    for number, raw in enumerate(text.split("\n"), start=1):
        lines.append(_Line(number, offset, raw.rstrip("\r")))
        offset += len(raw) + 1
    # A final line break ends the last line; it does not begin an empty one.
    line_count = len(lines) - 1 if text.endswith("\n") or not text else len(lines)
    source = SourceDocument(filename, digest, media_type, len(text), line_count, text)
    return _Parser(lines, filename).parse(source)


class _Parser:
    def __init__(self, lines: list[_Line], filename: str):
        self.lines = [line for line in lines if line.stripped]
        self.pos = 0
        self.filename = filename

    def error(self, reason: str, line: _Line | None = None) -> PlanParseError:
        if line is None:
            return PlanParseError(reason, 0, "", self.filename)
        return PlanParseError(reason, line.number, line.raw, self.filename)

    def peek(self) -> _Line | None:
        return self.lines[self.pos] if self.pos < len(self.lines) else None

    def take(self, expected: str) -> _Line:
        line = self.peek()
        if line is None:
            last = self.lines[-1] if self.lines else None
            raise self.error(f"document ends where {expected} was expected", last)
        self.pos += 1
        return line

    def parse(self, source: SourceDocument) -> Plan:
        title, subject, period = self.title()
        sections: dict[str, object] = {}
        issues: list[StrategicIssue] = []
        credit = None
        while (line := self.peek()) is not None:
            heading = normalize_text(line.stripped)
            if heading in tpl.SECTION_HEADINGS:
                if heading in sections:
                    raise self.error(f"second {heading!r} section", line)
                self.pos += 1
                if heading == tpl.VISION:
                    sections[heading] = self.paragraph("the vision statement")
                else:
                    sections[heading] = self.single_list(heading)
            elif line.stripped.startswith(tpl.CREDIT_PREFIX):
                match = _LABELLED.match(line.stripped)
                if not match:
                    raise self.error("credit line without ':'", line)
                column = line.raw.index(match.group("value"))
                credit = line.source_text(column)
                break  # the rest is the blog's comment form
            elif (number := self.issue_heading_number(line)) is not None:
                issues.append(self.issue_section(number, sections, len(issues) + 1))
            else:
                raise self.error("line fits no section of the plan template", line)
        for needed in tpl.SECTION_HEADINGS:
            if needed not in sections:
                raise self.error(f"the {needed!r} section is missing")
        overview = sections[tpl.ISSUES]
        if len(issues) != len(overview):
            raise self.error(f"the overview lists {len(overview)} strategic issues "
                             f"but {len(issues)} issue sections follow")
        return Plan(source, title, sections[tpl.VISION], sections[tpl.MISSIONS],
                    sections[tpl.OBJECTIVES], issues, credit, subject, period)

    def title(self) -> tuple[SourceText, SourceText | None, PrintedPeriod | None]:
        """The title line, what it names and its period (or the period's own line)."""
        first = self.take("the plan title")
        parts = self.read(read_title, first)
        if parts is None:
            raise self.error(f"expected the plan title {tpl.PLAN_TITLE!r}, optionally followed by "
                             "the agency and the period (พ.ศ. ๒๕๕๒ – ๒๕๕๔)", first)
        repeats = {normalize_text(first.stripped), tpl.PLAN_TITLE}
        while (line := self.peek()) is not None and normalize_text(line.stripped) in repeats:
            self.pos += 1  # the web page repeats its title
        title_parts, period_line = parts, first
        if parts.period is None and (line := self.peek()) is not None:
            if (alone := self.read(read_period_line, line)) is not None:
                self.pos += 1
                parts, period_line = alone, line
        subject = period = None
        if title_parts.subject is not None:
            subject = first.source_text(*_columns(first, title_parts.subject))
        if parts.period is not None:
            period = PrintedPeriod(parts.first_year_be, parts.last_year_be,
                                   period_line.source_text(*_columns(period_line, parts.period)))
        return first.source_text(), subject, period

    def read(self, reader, line: _Line):
        """``reader(line.stripped)``, its ValueError as a parse error on ``line``."""
        try:
            return reader(line.stripped)
        except ValueError as exc:
            raise self.error(str(exc), line) from None

    def is_heading(self, line: _Line) -> bool:
        return (normalize_text(line.stripped) in tpl.SECTION_HEADINGS
                or self.issue_heading_number(line) is not None
                or line.stripped.startswith(tpl.CREDIT_PREFIX))

    def paragraph(self, expected: str) -> SourceText:
        """One unnumbered line of text that is not a heading."""
        line = self.take(expected)
        if self.is_heading(line) or _MARKER.match(line.raw):
            raise self.error(f"expected {expected}", line)
        return line.source_text()

    def issue_heading_number(self, line: _Line) -> int | None:
        match = _ISSUE_HEADING.match(line.stripped)
        if not match:
            return None
        words = match.group("words").replace(" ", "").replace("\u00a0", "")
        similarity = difflib.SequenceMatcher(None, words, tpl.ISSUE_HEADING_WORDS).ratio()
        return parse_int(match.group("number")) if similarity >= tpl.HEADING_SIMILARITY else None

    def item_lines(self) -> list[_RawItem]:
        items = []
        while (line := self.peek()) is not None and (match := _MARKER.match(line.raw)):
            self.pos += 1
            style = MarkerStyle(match.lastgroup)
            marker = match.group(match.lastgroup)
            numbers = tuple(int(n) for n in to_ascii_digits(marker).split("."))
            items.append(_RawItem(line, style, line.raw[match.start(style.value):match.end()].strip(),
                                  numbers, line.source_text(match.end())))
        return items

    def single_list(self, heading: str) -> list[ListItem]:
        items = self.item_lines()
        if not items:
            raise self.error(f"expected a numbered list under {heading!r}", self.peek())
        try:
            return _build_list(items)
        except _InvalidList as exc:
            raise self.error(f"list under {heading!r} breaks its numbering: {exc.reason}",
                             exc.line) from None

    def issue_section(self, number: int, sections: dict, expected: int) -> StrategicIssue:
        heading_line = self.take("a strategic issue heading")
        if tpl.ISSUES not in sections or tpl.OBJECTIVES not in sections:
            raise self.error("issue section before the objectives and issues overview", heading_line)
        if number != expected:
            raise self.error(f"expected strategic issue {expected}", heading_line)
        overview = sections[tpl.ISSUES]
        if number > len(overview):
            raise self.error(f"the overview lists only {len(overview)} strategic issues", heading_line)
        words = _ISSUE_HEADING.match(heading_line.stripped).group("words").replace(" ", "")
        title = self.paragraph(f"the title of strategic issue {number}")
        objective_line = self.take(f"the objective of strategic issue {number}")
        match = _LABELLED.match(objective_line.stripped)
        if not match or normalize_text(match.group("label")) != tpl.ISSUE_OBJECTIVE_LABEL:
            raise self.error(f"expected '{tpl.ISSUE_OBJECTIVE_LABEL} : ...'", objective_line)
        objective_text = objective_line.source_text(objective_line.raw.index(match.group("value")))
        objective = next((o.ordinal for o in sections[tpl.OBJECTIVES]
                          if o.text.normalized == objective_text.normalized), None)
        if objective is None:
            raise self.error("the issue's objective repeats none of the plan's objectives", objective_line)
        header_line = self.take(f"the table header of strategic issue {number}")
        columns = self.table_columns(header_line)
        items = self.item_lines()
        if (after := self.peek()) is not None and not self.is_heading(after):
            raise self.error(f"unnumbered line in the table of strategic issue {number}", after)
        issue = StrategicIssue(number, overview[number - 1], heading_line.source_text(),
                               words != tpl.ISSUE_HEADING_WORDS, title,
                               objective_text, objective, header_line.source_text(), columns)
        for column, column_items in zip(columns, self.split_columns(items, columns, header_line)):
            setattr(issue, column.value, column_items)
        return issue

    def table_columns(self, line: _Line) -> tuple[Column, ...]:
        by_title = {title: column for column, title in tpl.COLUMN_TITLES.items()}
        present, pending = set(), ""
        for word in normalize_text(line.stripped).split(" "):
            if word in by_title:
                present.add(by_title[word])
                continue
            pending += word
            if pending in by_title:
                present.add(by_title[pending])
                pending = ""
        if pending or not present:
            raise self.error("expected a table header naming the columns "
                             + ", ".join(tpl.COLUMN_TITLES.values()), line)
        return tuple(column for column in Column if column in present)

    def split_columns(self, items: list[_RawItem], columns: tuple[Column, ...],
                      header: _Line) -> list[list[ListItem]]:
        if not items:
            raise self.error("table without items", header)
        readings, failures = _split_columns(items, len(columns))
        span = f"lines {items[0].line.number}-{items[-1].line.number}"
        if not readings:
            # Name the line where the reading that got furthest broke down.
            worst = max(failures, key=lambda f: f.line.number)
            raise self.error(f"numbering breaks in the table of {span} (read as {len(columns)} "
                             f"columns: {', '.join(c.value for c in columns)}): {worst.reason}",
                             worst.line)
        if len(readings) > 1:
            raise self.error(f"{len(readings)} readings of {span} as {len(columns)} numbered "
                             "columns; the numbering is ambiguous", header)
        return readings[0]


def _columns(line: _Line, span: tuple[int, int]) -> tuple[int, int]:
    """``span``, counted in ``line.stripped``, as columns of ``line.raw``."""
    lead = len(line.raw) - len(line.raw.lstrip(" \t\u00a0\r"))
    return lead + span[0], lead + span[1]


def _split_columns(items: list[_RawItem], n_columns: int) -> tuple[list, list[_InvalidList]]:
    """Every reading of ``items`` as ``n_columns`` well-formed lists, and why the others fail.

    A column can only begin at an item numbered 1 in the dot or paren style;
    each choice of ``n_columns - 1`` such places is kept if every column
    builds (:func:`_build_list`).
    """
    restarts = [i for i, item in enumerate(items)
                if i > 0 and item.style != MarkerStyle.DECIMAL and item.numbers == (1,)]
    readings, failures = [], []
    for breaks in itertools.combinations(restarts, n_columns - 1):
        bounds = (0, *breaks, len(items))
        try:
            readings.append([_build_list(items[a:b]) for a, b in itertools.pairwise(bounds)])
        except _InvalidList as exc:
            failures.append(exc)
    if not readings and not failures:
        failures.append(_InvalidList(f"{n_columns} columns need {n_columns - 1} lists restarting "
                                     f"at ๑, found {len(restarts)}", items[-1].line))
    return readings, failures


def _build_list(items: list[_RawItem]) -> list[ListItem]:
    """Build a two-level list; raise :class:`_InvalidList` if numbering breaks.

    The first item sets the top-level style. A ``๑.๑`` item, or an item in
    another style, nests under the current top-level item and numbers from 1.
    """
    top_style = items[0].style
    if top_style == MarkerStyle.DECIMAL:
        raise _InvalidList(f"{items[0].marker} cannot start a list", items[0].line)
    tops: list[ListItem] = []
    for item in items:
        if item.style == top_style:
            if item.numbers != (len(tops) + 1,):
                raise _InvalidList(f"{item.marker} follows item {len(tops)}", item.line)
            n = len(tops) + 1
            tops.append(ListItem(item.marker, str(n), n, (n,), item.style, item.text))
            continue
        if not tops:
            raise _InvalidList(f"sub-item {item.marker} before any item", item.line)
        parent = tops[-1]
        n = len(parent.children) + 1
        if parent.children and parent.children[0].style != item.style:
            raise _InvalidList(f"sub-item {item.marker} mixes numbering styles", item.line)
        expected = (parent.ordinal, n) if item.style == MarkerStyle.DECIMAL else (n,)
        if item.numbers != expected:
            raise _InvalidList(f"sub-item {item.marker} is out of sequence under item "
                               f"{parent.ordinal}", item.line)
        # The full dotted number, as the IRI path: "๕)" under "๑." is 1.5, like "๑.๒" is 1.2.
        parent.children.append(ListItem(item.marker, f"{parent.ordinal}.{n}", n, (parent.ordinal, n),
                                        item.style, item.text))
    return tops
