"""The plan model: what ingest produces and build consumes, nothing else.

Every printed piece of text is a :class:`SourceText`, which keeps the verbatim
characters, their normalised form (docs/DESIGN.md "Thai text rules") and where they
stand in the source file, so that every RDF statement can point back at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


@dataclass(frozen=True)
class SourceText:
    """A run of characters printed in the source document.

    Attributes:
        verbatim: the characters exactly as in the file.
        normalized: NFC, PyThaiNLP-repaired, single-spaced form.
        line: 1-based line number in the file.
        start: code-point offset of the first character in the whole file.
        end: code-point offset one past the last character (end exclusive),
            as in the Web Annotation ``TextPositionSelector``.
    """

    verbatim: str
    normalized: str
    line: int
    start: int
    end: int


class MarkerStyle(str, Enum):
    """The three list-numbering styles of the plan template."""

    DOT = "dot"  # ๑.
    PAREN = "paren"  # ๑)
    DECIMAL = "decimal"  # ๑.๑


@dataclass
class ListItem:
    """A numbered item of a list (mission, objective, indicator, strategy, ...).

    Attributes:
        marker: the number as printed, e.g. ``"๑.๑"`` or ``"๒)"``.
        notation: the full number in ASCII digits, without the closing
            ``.``/``)``: ``"2"`` for a top-level item; for a sub-item the
            parent's number, a dot and its own (``"1.1"`` for ``๑.๑``,
            ``"1.5"`` for ``๕)`` under ``๑.``), as in its IRI path.
        ordinal: 1-based position among its siblings.
        path: ordinals from the top-level item down, e.g. ``(5, 2)``.
        style: the numbering style it was printed with.
        text: the item's text after its marker.
        children: sub-items (``๑.๑`` under ``๑.``, ``๑)`` under ``๑.``).
    """

    marker: str
    notation: str
    ordinal: int
    path: tuple[int, ...]
    style: MarkerStyle
    text: SourceText
    children: list["ListItem"] = field(default_factory=list)

    def walk(self):
        """Yield this item and then all its descendants, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


class Column(str, Enum):
    """The columns of a strategic issue's table, in template order."""

    INDICATORS = "indicators"  # ตัวชี้วัดตามคำรับรองการปฏิบัติงาน
    STRATEGIES = "strategies"  # กลยุทธ์
    PROJECTS = "projects"  # โครงการ


@dataclass
class StrategicIssue:
    """A ประเด็นยุทธศาสตร์ and its section of the plan.

    Attributes:
        number: the issue number (1-based), from its section heading.
        overview: its entry in the plan's list of strategic issues.
        heading: the section heading as printed (may be misspelt); None when
            the source prints none (a StratML document).
        heading_misspelt: True when the heading's fixed words differ from the
            template's ``ประเด็นยุทธศาสตร์ที่``.
        title: the section title line.
        objective_text: the objective printed in the section.
        objective: ordinal of the plan-level objective whose text it repeats.
        table_header: the table's column-header line; None when the source
            prints none (a StratML document).
        columns: the columns the header announces, in template order.
        indicators, strategies, projects: the top-level items of each column.
    """

    number: int
    overview: ListItem
    heading: SourceText | None
    heading_misspelt: bool
    title: SourceText
    objective_text: SourceText
    objective: int
    table_header: SourceText | None
    columns: tuple[Column, ...]
    indicators: list[ListItem] = field(default_factory=list)
    strategies: list[ListItem] = field(default_factory=list)
    projects: list[ListItem] = field(default_factory=list)

    def column_items(self, column: Column) -> list[ListItem]:
        """The top-level items of ``column``."""
        return getattr(self, column.value)


@dataclass(frozen=True)
class PrintedPeriod:
    """The plan period as the document prints it (``พ.ศ. ๒๕๕๒ – ๒๕๕๔``).

    Attributes:
        first_year_be, last_year_be: first and last fiscal year, Buddhist Era
            (equal when one year is printed).
        text: where it is printed.
    """

    first_year_be: int
    last_year_be: int
    text: SourceText


@dataclass(frozen=True)
class SourceDocument:
    """The input file: its name, checksum and size.

    Attributes:
        filename: the file's name.
        sha256: hex SHA-256 of the file's bytes (a byte-order mark included).
        media_type: e.g. ``text/plain; charset=utf-8``.
        characters: code points of ``text``.
        lines: lines of ``text``; a final line break ends the last line, it
            does not start another (POSIX), so ``"a\\nb\\n"`` has 2.
        text: the decoded file without a leading UTF-8 byte-order mark: every
            offset into the file counts code points of this text.
    """

    filename: str
    sha256: str
    media_type: str
    characters: int
    lines: int
    text: str = field(repr=False, compare=False)


@dataclass
class Plan:
    """A strategic plan as printed: the whole parse result.

    Attributes:
        title: the whole title line (``แผนยุทธศาสตร์ …``).
        subject: the title's words between ``แผนยุทธศาสตร์`` and the period
            (usually the agency's name), if printed.
        period: the plan period, if printed (in or just after the title).
        credit: the attribution (the agency), if printed.
    """

    source: SourceDocument
    title: SourceText
    vision: SourceText
    missions: list[ListItem]
    objectives: list[ListItem]
    issues: list[StrategicIssue]
    credit: SourceText | None = None
    subject: SourceText | None = None
    period: PrintedPeriod | None = None
