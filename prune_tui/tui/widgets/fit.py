"""A table cell that fits its column: cut with an ellipsis, never wrapped."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from textual.content import Content


class Fit:
    """A cell that fits its column: the first of its versions (longest first) that fits, or
    else the last one cut with an ellipsis; never wrapped. (A DataTable's own cells are cut
    without an ellipsis, so a cut word reads as a whole one.)"""

    __slots__ = ("full_from", "versions")

    def __init__(self, content: Content, *shorter: Content, full_from: int = 0) -> None:
        self.versions = (content, *shorter)
        # Below this width the shorter versions only: every row of a column alike.
        self.full_from = full_from

    @property
    def content(self) -> Content:
        return self.versions[0]

    def fitted(self, width: int) -> Content:
        versions = self.versions if width >= self.full_from else self.versions[1:]
        for version in versions or self.versions:
            if version.cell_length <= width:
                return version
        return self.versions[-1].truncate(width, ellipsis=True)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.fitted(options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = self.content.cell_length
        return Measurement(width, width)

    def __str__(self) -> str:
        return self.content.plain
