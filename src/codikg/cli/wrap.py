"""Table cells that wrap between words only: Thai at PyThaiNLP's word boundaries, other text at spaces.

Rich wraps at white space and folds a longer run anywhere, so Thai (written
without spaces between words) would be cut mid-word (``น้ | อย``). A
:class:`WordWrapped` cell gives Rich its narrowest width (its longest word)
and breaks its lines itself.
"""

from __future__ import annotations

import re
from functools import cached_property

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

_THAI = re.compile(r"[\u0E00-\u0E7F]")


def has_thai(text: str) -> bool:
    """Whether ``text`` holds a character of the Thai block (U+0E00–U+0E7F)."""
    return _THAI.search(text) is not None


class WordWrapped:
    """A Rich renderable: ``text`` (lines split at ``\\n``) wrapped between words."""

    def __init__(self, text: str):
        self.text = text

    @cached_property
    def lines(self) -> list[list[str]]:
        """Each line's tokens (words, spaces, punctuation; they concatenate to the line)."""
        from codikg.search.segmentation import tokenize  # PyThaiNLP: loaded for drawn Thai only

        return [tokenize(line) if has_thai(line) else re.split(r"(\s+)", line) for line in self.text.split("\n")]

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        narrowest = max((cell_len(token) for line in self.lines for token in line), default=0)
        widest = max((cell_len("".join(line)) for line in self.lines), default=0)
        return Measurement(narrowest, widest).clamp(max_width=options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        for tokens in self.lines:
            line = ""
            for token in tokens:
                if line.strip() and cell_len((line + token).rstrip()) > width:
                    yield Text(line.rstrip())
                    line = token.lstrip()
                else:
                    line += token
            yield Text(line.rstrip())  # a word wider than the column is folded by Rich
