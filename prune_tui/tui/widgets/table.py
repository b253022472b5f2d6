"""Tables whose columns share the terminal's width, and cells cut with an ellipsis."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.content import Content
from textual.coordinate import Coordinate
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.style import Style as ContentStyle
from textual.widgets import DataTable
from textual.widgets.data_table import DuplicateKey, Row, RowKey

_NO_STYLE = ContentStyle()


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


@dataclass(frozen=True)
class Share:
    """How one column takes its part of the width: at least `least` cells, then a part of
    what is left in proportion to `weight`, up to `most` (None: no limit)."""

    key: str
    least: int
    weight: int = 0
    most: int | None = None


def share_width(columns: Sequence[Share], width: int) -> dict[str, int]:
    """Each column's width when they share `width` cells (below the sum of the least
    widths, every column keeps its least)."""
    widths = {c.key: c.least for c in columns}
    spare = width - sum(widths.values())
    growing = [c for c in columns if c.weight and (c.most is None or c.most > c.least)]
    while spare > 0 and growing:
        total = sum(c.weight for c in growing)
        handed = 0
        for column in growing:
            part = max(1, spare * column.weight // total)
            if column.most is not None:
                part = min(part, column.most - widths[column.key])
            part = min(part, spare - handed)
            widths[column.key] += part
            handed += part
        spare -= handed
        growing = [c for c in growing if c.most is None or widths[c.key] < c.most]
        if not handed:
            break
    return widths


class FittedTable(DataTable[Any]):
    """A DataTable whose columns (added with `add_column(key=…)`) share its width by their
    `Share`, no column wider than its widest cell: again when its size or rows change."""

    def __init__(self, shares: Sequence[Share], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shares = list(shares)
        self._widest: dict[str, int] = {}  # the widest cell so far, by column
        self._fit_pending = False
        self._frame_style: Style | None = None

    def add_row(self, *cells: Any, **kwargs: Any) -> Any:
        widest = self._widest
        for column, cell in zip(self.ordered_columns, cells, strict=False):
            key = str(column.key.value)
            width = cell.content.cell_length if isinstance(cell, Fit) else len(str(cell))
            if width > widest.get(key, 0):
                widest[key] = width
                self._fit_soon()
        return super().add_row(*cells, **kwargs)

    def add_rows_at_once(self, rows: Iterable[tuple[str, Sequence[Any]]]) -> None:
        """Rows (key, cells) added at the bottom as `add_row` adds a one-line row without a
        label, with what DataTable does after every row (the cursor checked again, a repaint
        asked for) done once for them all: a page of rows is most of a new list's cost on the
        event loop."""
        columns = self.ordered_columns
        keys = [column.key for column in columns]
        names = [str(key.value) for key in keys]
        widest = self._widest
        locations, data, held = self._row_locations, self._data, self.rows
        was_empty = not held
        index = first = len(held)
        for key, cells in rows:
            row_key = RowKey(key)
            if row_key in locations:
                raise DuplicateKey(f"The row key {row_key!r} already exists.")
            if len(cells) > len(keys):
                raise ValueError("More values provided than there are columns.")
            for name, cell in zip(names, cells, strict=False):
                width = cell.content.cell_length if isinstance(cell, Fit) else len(str(cell))
                if width > widest.get(name, 0):
                    widest[name] = width
                    self._fit_soon()
            locations[row_key] = index
            data[row_key] = dict(zip_longest(keys, cells))
            held[row_key] = Row(row_key, 1, None, False)
            self._new_rows.add(row_key)
            index += 1
        if index == first:
            return
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate
        if was_empty and held and self.columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()
        self._update_count += 1
        self.check_idle()

    def clear(self, columns: bool = False) -> Any:
        self._widest.clear()
        self._fit_soon()
        return super().clear(columns)

    def on_resize(self, event: events.Resize) -> None:
        self.fit_columns()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """DataTable measures every cell of the rows added, for the width of a column sized
        to its cells (some 5–9 ms for a page of rows). Once `fit_columns` has given every
        column its width, nothing is measured: only the table's size is set again."""
        if any(column.auto_width for column in self.columns.values()):
            super()._update_dimensions(new_rows)
            return
        rows = self.rows
        for key in new_rows:
            row = rows.get(key)
            if row is not None and (row.label is not None or row.auto_height):
                super()._update_dimensions(new_rows)
                return
        # DataTable's own last step.
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(
            width + self._row_label_column_width, self._total_row_height + header
        )

    def render_lines(self, crop: Region) -> list[Strip]:
        # The table's own style, worked out once a repaint rather than once a line.
        self._frame_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._frame_style = None

    def render_line(self, y: int) -> Strip:
        """DataTable's render_line, with the style worked out once a repaint."""
        style = self._frame_style
        if style is None or self.fixed_rows:
            return super().render_line(y)
        scroll_x, scroll_y = self.scroll_offset
        if y >= (self.header_height if self.show_header else 0):
            y += scroll_y
        return self._render_line(y, scroll_x, scroll_x + self.size.width, style)

    def _render_line_in_row(
        self,
        row_key: RowKey,
        line_no: int,
        base_style: Style,
        cursor_location: Coordinate,
        hover_location: Coordinate,
    ) -> tuple[list[list[Segment]], list[list[Segment]]]:
        """A row of a table with a row cursor, no fixed columns and no row labels: DataTable's
        own steps, less the header's style it works out for every line (most of the rest of a
        repaint). Any other row takes DataTable's own path."""
        if (
            row_key is self._header_row_key
            or self.cursor_type != "row"
            or self.fixed_columns
            or (self._labelled_row_exists and self.show_row_labels)
        ):
            return super()._render_line_in_row(
                row_key, line_no, base_style, cursor_location, hover_location
            )
        cache_key = (
            row_key,
            line_no,
            base_style,
            cursor_location,
            hover_location,
            self.cursor_type,
            self.show_cursor,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cache = self._row_render_cache
        cached = cache.get(cache_key)
        if cached is not None:
            return cached
        row_index = self._row_locations.get(row_key)
        if row_index is None:
            row_index = -1
        row_style = self._get_row_style(row_index, base_style)
        cursor = cursor_location.row == row_index
        hover = hover_location.row == row_index
        render_cell = self._render_cell
        columns = self.ordered_columns
        widths = [column.get_render_width(self) for column in columns]
        scrollable = [
            render_cell(row_index, index, row_style, width, cursor=cursor, hover=hover)[line_no]
            for index, width in enumerate(widths)
        ]
        scrollable.append(self._line_end(row_index, row_style, sum(widths), cursor, hover))
        pair: tuple[list[list[Segment]], list[list[Segment]]] = ([], scrollable)
        cache[cache_key] = pair
        return pair

    def _line_end(
        self, row_index: int, row_style: Style, width: int, cursor: bool, hover: bool
    ) -> list[Segment]:
        """The rest of a row's line, to the table's right edge, in the row's style."""
        room = max(0, self.size.width - width - self._row_label_column_width)
        extend, _ = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            False,
            False,
        )
        extend = row_style + extend
        extend += Style.from_meta({"row": row_index, "column": 0, "out_of_bounds": True})
        return [Segment(" " * room, extend)]

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        """A one-line `Fit` cell drawn straight to its segments: the same segments and styles
        as DataTable's own path (tests/tui/test_table.py compares them), which goes through
        Rich's Padding and Styled and costs about a quarter of a millisecond a cell, the most
        of a repaint when a search brings a screenful of new rows. Any other cell (the
        header, a label, a cell of another kind or height) takes DataTable's own path."""
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:  # the header, a row label
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        cache_key = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cache = self._cell_render_cache
        lines = cache.get(cache_key)
        if lines is not None:
            return lines
        row = self.rows.get(row_key)
        cells = self._get_row_renderables(row_index).cells
        cell = cells[column_index] if column_index < len(cells) else None
        pad = self.cell_padding
        inner = width - 2 * pad
        if row is None or row.height != 1 or not isinstance(cell, Fit) or inner < 1:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        content = cell.fitted(inner)
        if content.cell_length > inner or "\n" in content.plain:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            row_index < self.fixed_rows or column_index < self.fixed_columns,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre = base_style + Style.from_meta({"row": row_index, "column": column_index})
        pre += component_style
        cache[cache_key] = lines = [_padded(content, inner, pad, pre, post_style)]
        return lines

    def _fit_soon(self) -> None:
        """Once for a whole page of rows, not once per row."""
        if not self._fit_pending:
            self._fit_pending = True
            self.call_later(self.fit_columns)

    def fit_columns(self) -> None:
        self._fit_pending = False
        # A vertical scrollbar may come and go with the rows: its room is always kept.
        room = self.size.width - self.styles.scrollbar_size_vertical
        room -= 2 * self.cell_padding * len(self.columns)
        if room <= 0:
            return
        shares = []
        for share in self.shares:
            column = self.columns.get(share.key)  # type: ignore[call-overload]
            heading = column.label.cell_len if column is not None else 0
            need = max(self._widest.get(share.key, 0), heading)
            most = need if share.most is None else min(share.most, need)
            shares.append(Share(share.key, min(share.least, need), share.weight, most))
        changed = False
        for key, width in share_width(shares, room).items():
            column = self.columns.get(key)  # type: ignore[call-overload]
            if column is not None and (column.width != width or column.auto_width):
                column.width = width
                column.auto_width = False
                changed = True
        if changed:
            # No public way to change a column's width (Textual 8.2): the same flags that
            # adding a column sets, so the table measures and draws itself again.
            self._require_update_dimensions = True
            self._clear_caches()


def _padded(content: Content, inner: int, pad: int, pre: Style, post: Style) -> list[Segment]:
    """`content` (at most `inner` cells) filled out to `inner` and padded `pad` cells each
    side, styled as Rich's Styled does: `pre` + the segment's own style + `post`."""
    plain = pre + post if post else pre
    line = [Segment(" " * pad, plain)] if pad else []
    for text, style in content.render(_NO_STYLE, end=""):
        own = style.rich_style if style else None
        line.append(Segment(text, pre + own + post if own else plain))
    length = content.cell_length
    if length < inner:
        line.append(Segment(" " * (inner - length), plain))
    if pad:
        line.append(Segment(" " * pad, plain))
    return line
