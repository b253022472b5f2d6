"""FittedTable draws a one-line `Fit` cell straight to its segments (a repaint of a screenful
of new rows is mostly cell drawing): the same segments and styles as DataTable's own path,
for every kind of cell the screens draw, under the cursor and off it, at every width."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.app import App, ComposeResult
from textual.content import Content
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.widgets import DataTable
from textual.widgets.data_table import DuplicateKey

from prune_tui.tui.widgets.table import Fit, FittedTable, Share

CELLS = [
    Fit(Content("Ada Lovelace")),
    Fit(Content.styled("remove", "bold $error")),
    Fit(Content.from_markup("[b]José[/b] Núñez · [i]Acme[/i]")),
    Fit(Content("A very long position held for a very long time at a big company")),
    Fit(Content("")),
    Fit(Content("李小龍 🙂 wide")),
    Fit(Content("12 messages · invited them"), Content("12 messages"), full_from=30),
    Fit(Content.styled("·", "dim")),
]


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield FittedTable([Share(str(i), 1, 1) for i in range(len(CELLS))], cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(FittedTable)
        for i in range(len(CELLS)):
            table.add_column(str(i), key=str(i))
        for shift in range(3):
            table.add_row(*CELLS[shift:], *CELLS[:shift], key=str(shift))


def _shown(line: Iterable[Segment]) -> list[tuple[str, Style | None]]:
    """Each character shown and its style. (DataTable's own path leaves a line break inside a
    cell that its text fills, which no terminal shows as a character.)"""
    return [(char, segment.style) for segment in line for char in segment.text if char != "\n"]


def _lines(table: FittedTable, render: Any, *args: Any) -> list[list[tuple[str, Style | None]]]:
    table._cell_render_cache.clear()
    return [_shown(line) for line in render(*args)]


async def test_fit_cells_are_drawn_as_datatable_draws_them() -> None:
    app = TableApp()
    async with app.run_test(size=(90, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(FittedTable)
        table.cursor_coordinate = Coordinate(1, 0)
        styles = [Style(), table.rich_style, Style(bgcolor="red", color="white", italic=True)]
        compared = 0
        for row in range(table.row_count):
            for column in range(len(table.columns)):
                for width in (0, 1, 2, 3, 5, 8, 13, 40):
                    for base in styles:
                        for cursor in (False, True):
                            for hover in (False, True):
                                args = (row, column, base, width, cursor, hover)
                                ours = _lines(table, table._render_cell, *args)
                                theirs = _lines(
                                    table, lambda *a: DataTable._render_cell(table, *a), *args
                                )
                                assert ours == theirs, (row, column, width, cursor, hover)
                                compared += 1
        assert compared == 3 * len(CELLS) * 8 * 3 * 4


async def test_the_whole_table_looks_the_same_either_way() -> None:
    """Whole lines of the widget as the terminal is sent them, drawn here and by DataTable's
    own methods, with the cursor on a row and the mouse over another."""
    app = TableApp()
    async with app.run_test(size=(120, 8)) as pilot:
        await pilot.pause()
        table = app.query_one(FittedTable)
        for cursor_row, hover_row in ((0, 2), (1, 1), (2, 0)):
            table.cursor_coordinate = Coordinate(cursor_row, 0)
            table.hover_coordinate = Coordinate(hover_row, 3)
            await pilot.pause()
            table._clear_caches()
            fast = table.render_lines(Region(0, 0, table.size.width, table.size.height))
            table._clear_caches()
            own = {
                name: getattr(DataTable, name).__get__(table)
                for name in ("_render_cell", "_render_line_in_row", "render_line", "render_lines")
            }
            with pytest.MonkeyPatch.context() as patch:
                for name, method in own.items():
                    patch.setattr(table, name, method)
                slow = table.render_lines(Region(0, 0, table.size.width, table.size.height))
            assert [_shown(strip) for strip in fast] == [_shown(strip) for strip in slow]
            assert "Ada Lovelace" in "".join(strip.text for strip in fast)
        assert table._frame_style is None  # only while a repaint is drawn


async def test_fit_cells_take_the_short_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the header goes through DataTable's own drawing."""
    drawn: list[int] = []
    own = DataTable._render_cell

    def counted(self: DataTable[Any], row: int, *args: Any, **kwargs: Any) -> Any:
        drawn.append(row)
        return own(self, row, *args, **kwargs)

    monkeypatch.setattr(DataTable, "_render_cell", counted)
    app = TableApp()
    async with app.run_test(size=(70, 8)) as pilot:
        await pilot.pause()
        table = app.query_one(FittedTable)
        table._clear_caches()
        lines = [table.render_line(y) for y in range(table.size.height)]
        assert "Ada Lo…" in lines[1].text
        assert drawn and set(drawn) == {-1}


async def test_rows_added_to_fitted_columns_are_not_measured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Once every column has its width, DataTable's measuring of each new cell is skipped;
    the table's size still counts every row (so it scrolls to the last)."""
    import textual.widgets._data_table as data_table

    measured: list[object] = []
    own = data_table.measure

    def counted(console: Any, renderable: Any, default: int, **kwargs: Any) -> int:
        measured.append(renderable)
        return own(console, renderable, default, **kwargs)

    app = TableApp()
    async with app.run_test(size=(90, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(FittedTable)
        assert not any(column.auto_width for column in table.columns.values())
        monkeypatch.setattr(data_table, "measure", counted)
        for n in range(40):
            table.add_row(*CELLS, key=f"more{n}")
        await pilot.pause()
        assert measured == []
        widths = sum(column.get_render_width(table) for column in table.columns.values())
        assert table.virtual_size.width == widths
        assert table.virtual_size.height == 43 + 1  # the rows and the header
        table.move_cursor(row=42)
        await pilot.pause()
        assert table.scroll_y > 0


async def test_rows_added_at_once_are_held_as_added_one_by_one() -> None:
    """The same rows, cells, keys, heights, widest cells and cursor."""
    app = TableApp()
    async with app.run_test(size=(90, 12)) as pilot:
        await pilot.pause()
        one, many = (
            app.query_one(FittedTable),
            FittedTable([Share(str(i), 1, 1) for i in range(len(CELLS))], cursor_type="row"),
        )
        one.clear()
        await app.mount(many)
        for i in range(len(CELLS)):
            many.add_column(str(i), key=str(i))
        rows = [(f"r{n}", CELLS[n % 3 :] + CELLS[: n % 3]) for n in range(30)]
        for key, cells in rows:
            one.add_row(*cells, key=key)
        many.add_rows_at_once(rows)
        many.add_rows_at_once([])
        await pilot.pause()
        assert many.row_count == one.row_count == 30
        for n in range(30):
            assert many.get_row_at(n) == one.get_row_at(n)
            assert many.ordered_rows[n].key.value == f"r{n}"
        assert [r.height for r in many.ordered_rows] == [1] * 30
        assert many._widest == one._widest
        assert many.cursor_coordinate == one.cursor_coordinate
        with pytest.raises(DuplicateKey):
            many.add_rows_at_once([("r3", CELLS)])
        lines = many.render_lines(Region(0, 0, many.size.width, many.size.height))
        assert "Ada Lo" in "".join(strip.text for strip in lines)
