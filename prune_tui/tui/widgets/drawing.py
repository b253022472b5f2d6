"""A DataTable that draws its one-line `Fit` cells straight to segments.

DataTable draws each cell through Rich's Padding and Styled, measures every cell of the rows
added, and works out styles that are the same for a whole repaint once per line: for a
screenful of new rows (a search typed in browse) that was some 50 ms of the event loop. Here
the same segments and styles are made directly (tests/tui/test_table.py compares them with
DataTable's own, cell by cell and line by line); anything else (the header, row labels, fixed
columns, a cell of another kind or height) takes DataTable's own path. Textual is pinned to
8.2 (pyproject.toml): these are DataTable's private steps, and the tests fail if they move.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.content import Content
from textual.coordinate import Coordinate
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.style import Style as ContentStyle
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from prune_tui.tui.widgets.fit import Fit

_NO_STYLE = ContentStyle()


class DrawnTable(DataTable[Any]):
    """DataTable, drawn faster where its rows are one line of `Fit` cells."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._frame_style: Style | None = None

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
        columns = self.ordered_columns
        widths = [column.get_render_width(self) for column in columns]
        keys = [column.key for column in columns]
        drawn = self._row_cells(row_key, row_index, row_style, keys, widths, cursor, hover)
        scrollable = [lines[line_no] for lines in drawn]
        scrollable.append(self._line_end(row_index, row_style, sum(widths), cursor, hover))
        pair: tuple[list[list[Segment]], list[list[Segment]]] = ([], scrollable)
        cache[cache_key] = pair
        return pair

    def _row_cells(
        self,
        row_key: RowKey,
        row_index: int,
        row_style: Style,
        keys: list[ColumnKey],
        widths: list[int],
        cursor: bool,
        hover: bool,
    ) -> list[list[list[Segment]]]:
        """Each cell of a row, as `_render_cell` draws it (and caches it, under the same
        key), with what is the same for every cell of the row worked out once."""
        row = self.rows.get(row_key)
        cells = self._get_row_renderables(row_index).cells
        one_line = row is not None and row.height == 1
        state = (self._show_hover_cursor, self._update_count, self._pseudo_class_state)
        component, post = self._get_styles_to_render_cell(
            False,
            False,
            row_index < self.fixed_rows,
            hover,
            cursor,
            self.show_cursor,
            state[0],
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pad = self.cell_padding
        cache = self._cell_render_cache
        drawn = []
        for index, column_key in enumerate(keys):
            cache_key = (row_key, column_key, row_style, cursor, hover, *state)
            lines = cache.get(cache_key)
            if lines is None:
                inner = widths[index] - 2 * pad
                cell = cells[index] if index < len(cells) else None
                content = _fitting(cell, inner) if one_line else None
                if content is None:
                    lines = self._render_cell(
                        row_index, index, row_style, widths[index], cursor, hover
                    )
                else:
                    pre = row_style + Style.from_meta({"row": row_index, "column": index})
                    pre += component
                    cache[cache_key] = lines = [_padded(content, inner, pad, pre, post)]
            drawn.append(lines)
        return drawn

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
        content = _fitting(cell, inner) if row is not None and row.height == 1 else None
        if content is None:
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


def _fitting(cell: object, inner: int) -> Content | None:
    """The one line a `Fit` cell shows in `inner` cells (None: not a Fit cell, or not one
    line of at most `inner` cells: DataTable's own path draws it)."""
    if not isinstance(cell, Fit) or inner < 1:
        return None
    content = cell.fitted(inner)
    if content.cell_length > inner or "\n" in content.plain:
        return None
    return content
