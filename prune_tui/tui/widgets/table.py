"""Tables whose columns share the terminal's width, their cells cut with an ellipsis (`Fit`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from textual import events
from textual.widgets.data_table import DuplicateKey, Row, RowKey

from prune_tui.tui.widgets.drawing import DrawnTable
from prune_tui.tui.widgets.fit import Fit

__all__ = ["Fit", "FittedTable", "Share", "share_width"]


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


class FittedTable(DrawnTable):
    """A DataTable whose columns (added with `add_column(key=…)`) share its width by their
    `Share`, no column wider than its widest cell: again when its size or rows change."""

    def __init__(self, shares: Sequence[Share], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shares = list(shares)
        self._widest: dict[str, int] = {}  # the widest cell so far, by column
        self._fit_pending = False

    def add_row(self, *cells: Any, **kwargs: Any) -> Any:
        self._note_widths([str(column.key.value) for column in self.ordered_columns], cells)
        return super().add_row(*cells, **kwargs)

    def _note_widths(self, names: Sequence[str], cells: Sequence[Any]) -> None:
        """Remember each column's widest cell; fit the columns again when one grew."""
        widest = self._widest
        for name, cell in zip(names, cells, strict=False):
            width = cell.content.cell_length if isinstance(cell, Fit) else len(str(cell))
            if width > widest.get(name, 0):
                widest[name] = width
                self._fit_soon()

    def add_rows_at_once(self, rows: Iterable[tuple[str, Sequence[Any]]]) -> None:
        """Rows (key, cells) added at the bottom as `add_row` adds a one-line row without a
        label, with what DataTable does after every row (the cursor checked again, a repaint
        asked for) done once for them all: a page of rows is most of a new list's cost on the
        event loop."""
        columns = self.ordered_columns
        keys = [column.key for column in columns]
        names = [str(key.value) for key in keys]
        locations, data, held = self._row_locations, self._data, self.rows
        was_empty = not held
        index = first = len(held)
        for key, cells in rows:
            row_key = RowKey(key)
            if row_key in locations:
                raise DuplicateKey(f"The row key {row_key!r} already exists.")
            if len(cells) > len(keys):
                raise ValueError("More values provided than there are columns.")
            self._note_widths(names, cells)
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
