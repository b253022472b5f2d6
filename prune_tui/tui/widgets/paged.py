"""A table that shows a list of any size a window of rows at a time.

The table holds only the rows around the cursor (a few pages), read through a `Pager`
(services/paging.py: keyset pagination over an index). Moving past either end of the window
reads the next page; `home`/`g` and `end`/`G` read the first or last page, so they cost one
page at any size. A new list (a search typed, a filter or an order chosen) is counted and
its first page read in a thread worker, never on the event loop: `RowsLoaded` says the rows are
on screen (should the read fail, a notification says so and the table keeps the rows it had;
a page read as the cursor moves that fails posts `LoadFailed`). With `count_later` (browse) the
first page is painted first and counted after (a count is a pass over the whole list); a first
page shorter than a page is never counted, it is the whole list. `CursorMoved` tells the screen
where the cursor is ("row 29,412 of 29,621").

Why a window: a DataTable measures and keeps every row it is given (2–5 s and hundreds of
megabytes for 30,000 rows), and the user only ever sees a screenful.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

from sqlalchemy.exc import SQLAlchemyError
from textual import on
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.widgets.data_table import RowKey
from textual.worker import get_current_worker

from prune_tui.services.paging import Pager
from prune_tui.tui.failures import worker_safe
from prune_tui.tui.messages import (
    CursorMoved,
    ListCounted,
    LoadFailed,
    RowsLoaded,
    RowsPlaced,
    WindowRead,
    WorkFailed,
)
from prune_tui.tui.widgets.table import FittedTable, Share

PAGE = 100  # rows read at once
MOST = 400  # rows held at most: beyond, the window is cut back around the cursor
FIRST_SPARE = 10  # rows read beyond a screenful for a new list's first paint

Cells = Callable[[Any], Sequence[Any]]


@dataclass(frozen=True)
class Window:
    """Rows read for the table: `items` start at `offset` in a list of `total`, and the
    cursor goes to `cursor` (an index into `items`)."""

    items: list[Any]
    offset: int
    total: int
    cursor: int = 0
    counted: bool = True  # False: `total` is only the rows read; the count follows


def read_window(
    pager: Pager[Any], around: Any | None, height: int, *, count_later: bool = False
) -> Window:
    """The first rows (a screenful and a little more: what the first paint shows; the
    cursor's moves read on a page at a time), or two screens' worth around `around` when it
    is still in the list (its row placed about a third down the screen). `count_later`: the
    first rows come uncounted (the caller counts once they are shown). Runs in a worker
    thread."""
    if around is None:
        rows = height + FIRST_SPARE
        # A first page shorter than asked for is the whole list: its count is known without
        # counting (a search that matches few or nobody walks the list once, not twice).
        first = pager.first(rows)
        if len(first) < rows:
            return Window(first, 0, len(first))
        if count_later:
            return Window(first, 0, len(first), counted=False)
        return Window(first, 0, pager.count())
    rows = max(2 * height, 40)
    total = pager.count()
    index = pager.index_of(around)
    if index is not None:
        lead = min(index, max(height // 3, 1))
        before = pager.before(around, lead) if lead else []
        rest = pager.after(before[-1], rows) if before else pager.first(rows)
        if rest:
            return Window(before + rest, index - len(before), total, len(before))
    return Window(pager.first(rows), 0, total)


class PagedTable(FittedTable):
    """A FittedTable over a `Pager`. `key(item)` names a row (an int id), `cells(item)` draws
    it. The row under the cursor is `current`; `redraw(item)` repaints one row in place."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home,g,ctrl+home", "first_row", "first row", show=False),
        Binding("end,G,ctrl+end", "last_row", "last row", show=False),
        Binding("pageup", "page_up", "page up", show=False),
        Binding("pagedown", "page_down", "page down", show=False),
        Binding("up", "cursor_up", "up", show=False),
        Binding("down", "cursor_down", "down", show=False),
    ]

    def __init__(
        self,
        shares: Sequence[Share],
        *,
        key: Callable[[Any], int],
        cells: Cells,
        count_later: bool = False,
        **kwargs: Any,
    ) -> None:
        """`count_later`: a new list's first rows are shown before it is counted (a count is
        a pass over every row the list holds); `RowsLoaded` follows the count."""
        kwargs.setdefault("cursor_type", "row")
        super().__init__(shares, **kwargs)
        self.key_of = key
        self.cells_of = cells
        self.count_later = count_later
        self.counting = False  # the rows shown are not counted yet (`total` is a floor)
        self._new_list = False  # a new list shown: its screen not yet told it is laid out
        self._last_when_counted = False
        self.pager: Pager[Any] | None = None
        self.items: list[Any] = []
        self.start = 0  # the first row held is row `offset` of the list
        self.total = 0
        self.loaded = False
        self._generation = 0
        self._shown = 0  # the generation on screen: behind `_generation` while one is read
        self._select_when_read = False
        self._filling = False
        # The place in the whole list of the row being drawn, for `cells` to read.
        self.drawing = 0

    # -- what the screens ask -----------------------------------------------------------------

    @property
    def current(self) -> Any | None:
        """The item under the cursor."""
        if not self.items:
            return None
        return self.items[min(self.cursor_row, len(self.items) - 1)]

    @property
    def position(self) -> int:
        """The cursor's row in the whole list (0-based)."""
        return self.start + self.cursor_row if self.items else 0

    def position_words(self) -> str:
        """ "row 29,412 of 29,621" (nothing for an empty list)."""
        if not self.total:
            return ""
        return f"row {self.position + 1:,} of {self.total:,}"

    def load(self, pager: Pager[Any], *, around: Any | None = None) -> None:
        """Show `pager`'s list: counted and read in a thread worker (the newest load wins).
        With `around`, the cursor stays on that item if it is still in the list."""
        self.pager = pager
        self._generation += 1
        height = max(self.size.height, 20)
        self.run_worker(
            partial(self._read_in_thread, pager, around, height, self._generation),
            thread=True,
            exclusive=True,
            group=f"paged-{id(self)}",
            exit_on_error=False,
            name="reading the list",
        )

    def redraw(self, item: Any) -> None:
        """Repaint the row of `item` (same key) with what it holds now."""
        key = self.key_of(item)
        for index, held in enumerate(self.items):
            if self.key_of(held) == key:
                self.redraw_at(index, item)
                return

    def redraw_at(self, index: int, item: Any) -> None:
        """Repaint the row at `index` (in the window) with `item`: that row's cells alone are
        drawn again.

        DataTable.update_cell would count an update that every cached cell is keyed by, so
        every row on screen would be drawn again (some 100 ms for a screenful of rows on a
        busy machine). Here only what is cached for this row is dropped, and only its line
        is drawn again."""
        self.items[index] = item
        row_key = RowKey(str(self.key_of(item)))
        if row_key not in self._data:
            return
        cells = self._data[row_key]
        for column, cell in zip(self.ordered_columns, self._cells_at(index, item), strict=False):
            cells[column.key] = cell
        # Lines are cached by where they are drawn: the row's own (every row is one line).
        line = index + (self.header_height if self.show_header else 0)
        caches: list[tuple[Any, object]] = [
            (self._cell_render_cache, row_key),
            (self._row_render_cache, row_key),
            (self._line_cache, line),
        ]
        for cache, first in caches:
            for cache_key in [k for k in cache.keys() if k[0] == first]:  # noqa: SIM118
                cache.discard(cache_key)
        # The cells as renderables, by (update count, row index).
        renderables: Any = self._row_renderable_cache
        for cache_key in [k for k in renderables.keys() if k[1] == index]:  # noqa: SIM118
            renderables.discard(cache_key)
        self.refresh_row(index)

    def redraw_range(self, first: int, end: int) -> None:
        """Repaint the rows held whose place in the whole list is in [first, end)."""
        for place in range(max(first, self.start), min(end, self.start + len(self.items))):
            index = place - self.start
            self.redraw_at(index, self.items[index])

    def _cells_at(self, index: int, item: Any) -> Sequence[Any]:
        self.drawing = self.start + index
        return self.cells_of(item)

    def _add(self, items: list[Any]) -> None:
        """Rows added at the end of the window."""
        self._filling = True
        try:
            rows = []
            for item in items:
                rows.append((str(self.key_of(item)), self._cells_at(len(self.items), item)))
                self.items.append(item)
            self.add_rows_at_once(rows)
        finally:
            self._filling = False

    def column_at_least(self, key: str, width: int) -> None:
        """Size column `key` as if a cell `width` wide were held (the widest in the whole
        list, where only a window of it is held)."""
        if width > self._widest.get(key, 0):
            self._widest[key] = width
            self._fit_soon()

    # -- reading -----------------------------------------------------------------------------

    @worker_safe
    def _read_in_thread(
        self, pager: Pager[Any], around: Any | None, height: int, generation: int
    ) -> None:
        """The worker. Should it fail, the notification says why and the table keeps the rows
        it had (`WorkFailed`)."""
        window = read_window(pager, around, height, count_later=self.count_later)
        if not get_current_worker().is_cancelled:
            self.post_message(WindowRead(generation, window))

    @worker_safe
    def _count_in_thread(self, pager: Pager[Any], generation: int) -> None:
        total = pager.count()
        if not get_current_worker().is_cancelled:
            self.post_message(ListCounted(generation, total))

    def read_first(self, pager: Pager[Any]) -> Window:
        """`pager`'s first rows, as `load` reads them, for a worker of the screen's own that
        has just checked the query (then `show_first` shows them: one worker, not two, between
        a pause in typing and its rows). Runs in a worker thread."""
        return read_window(pager, None, max(self.size.height, 20), count_later=self.count_later)

    def show_first(self, pager: Pager[Any], window: Window) -> None:
        """Show `pager`'s list from its first rows read by `read_first`, as a `load` would."""
        self.pager = pager
        self._generation += 1  # a load still reading is shown no more
        self._show_window(self._generation, window)

    @on(WindowRead)
    def _show_read(self, message: WindowRead) -> None:
        message.stop()
        if message.generation != self._generation:
            return  # a newer load is on its way
        self._show_window(message.generation, message.window)

    def _show_window(self, generation: int, window: Window) -> None:
        self._shown = generation
        self._new_list = True  # its screen is told once the rows are laid out
        self._widest.clear()
        self._fill(window.items, window.offset, window.cursor, screen_row=window.cursor)
        self.total = window.total
        self.loaded = True
        self.counting = not window.counted
        self._last_when_counted = False
        if self.counting:
            # Counted once the rows are painted: the count's pass over the list would
            # otherwise compete with the paint.
            self.call_after_refresh(self._count, generation)
        else:
            self._counted()
        if self._select_when_read:
            self._select_when_read = False
            if self.items:
                super().action_select_cursor()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        super()._update_dimensions(new_rows)
        if self._new_list:
            self._new_list = False
            self.screen.post_message(RowsPlaced())

    def _count(self, generation: int) -> None:
        if generation != self._generation or self.pager is None:
            return
        self.run_worker(
            partial(self._count_in_thread, self.pager, generation),
            thread=True,
            exclusive=True,
            group=f"paged-{id(self)}",
            exit_on_error=False,
            name="counting the list",
        )

    @on(ListCounted)
    def _show_count(self, message: ListCounted) -> None:
        message.stop()
        if message.generation != self._generation or not self.counting:
            return
        self.counting = False
        self.total = max(message.total, self.start + len(self.items))
        self._counted()
        if self._last_when_counted:
            self._last_when_counted = False
            self.action_last_row()

    def _counted(self) -> None:
        self._moved()
        self.post_message(RowsLoaded(self, self.total))

    @property
    def reading(self) -> bool:
        """A new list is being read: the rows on screen are the old list's."""
        return self._shown != self._generation

    def action_select_cursor(self) -> None:
        # Enter typed right after a search: the row meant is the new list's first, not the
        # old list's row under the cursor.
        if self.reading:
            self._select_when_read = True
            return
        super().action_select_cursor()

    @on(WorkFailed)
    def _read_failed(self, message: WorkFailed) -> None:
        message.stop()
        self._shown = self._generation
        self.counting = False
        self._select_when_read = False

    def _fetch(self, read: Callable[[], list[Any]]) -> list[Any]:
        """A page read on the event loop (a few index lookups, a millisecond or two)."""
        try:
            return read()
        except SQLAlchemyError as exc:
            self.post_message(LoadFailed(self, _reason(exc)))
            return []

    # -- the window --------------------------------------------------------------------------

    def _fill(self, items: list[Any], offset: int, cursor: int, *, screen_row: int) -> None:
        """Hold exactly `items` (row `offset` on): the cursor on `cursor`, drawn `screen_row`
        rows below the top of the table where the room allows."""
        widest = dict(self._widest)
        self._filling = True
        try:
            self.clear()
            self._widest.update(widest)
            self.items = []
            self.start = offset
            self._add(items)
            self._filling = True
            if items:
                self.move_cursor(row=min(cursor, len(items) - 1), scroll=False)
        finally:
            self._filling = False
        top = max(cursor - screen_row, 0)
        self.call_after_refresh(self.scroll_to, y=top, animate=False, immediate=True)

    def _append(self, items: list[Any]) -> None:
        self._add(items)
        if len(self.items) > MOST:
            cut = len(self.items) - MOST + PAGE
            cursor = self.cursor_row - cut
            if cursor >= 0:
                self._fill(
                    self.items[cut:],
                    self.start + cut,
                    cursor,
                    screen_row=self.cursor_row - int(self.scroll_y),
                )

    def _more_after(self) -> bool:
        return self.start + len(self.items) < self.total

    def _room_after(self, rows: int) -> None:
        """At least `rows` rows held below the cursor, where the list has them."""
        pager = self.pager
        if pager is None or not self.items or not self._more_after():
            return
        if len(self.items) - 1 - self.cursor_row >= rows:
            return
        last = self.items[-1]
        more = self._fetch(lambda: pager.after(last, max(PAGE, rows)))
        if more:
            self._append(more)
        else:
            self.total = self.start + len(self.items)  # the list got shorter meanwhile

    def _room_before(self, rows: int) -> None:
        """At least `rows` rows held above the cursor, where the list has them."""
        pager = self.pager
        if pager is None or not self.items or self.start == 0 or self.cursor_row >= rows:
            return
        first = self.items[0]
        earlier = self._fetch(lambda: pager.before(first, max(PAGE, rows)))
        if not earlier:
            self.start = 0
            return
        keep = self.items[: MOST - len(earlier)]
        cursor = self.cursor_row + len(earlier)
        screen_row = self.cursor_row - int(self.scroll_y)
        offset = max(self.start - len(earlier), 0)
        self._fill(earlier + keep, offset, cursor, screen_row=screen_row)

    def _page_height(self) -> int:
        return max(self.scrollable_content_region.height - self.header_height, 1)

    # -- keys ---------------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self._room_after(self._page_height())
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        self._room_before(self._page_height())
        super().action_cursor_up()

    def action_page_down(self) -> None:
        self._room_after(2 * self._page_height())
        super().action_page_down()

    def action_page_up(self) -> None:
        self._room_before(2 * self._page_height())
        super().action_page_up()

    def action_first_row(self) -> None:
        pager = self.pager
        if pager is None or not self.items:
            return
        if self.start == 0:
            self.move_cursor(row=0)
            return
        items = self._fetch(lambda: pager.first(PAGE))
        if items:
            self._fill(items, 0, 0, screen_row=0)
            self._moved()

    def action_last_row(self) -> None:
        pager = self.pager
        if pager is None or not self.items:
            return
        if self.counting:  # where the end is is known in a moment
            self._last_when_counted = True
            return
        if not self._more_after():
            self.move_cursor(row=len(self.items) - 1)
            return
        items = self._fetch(lambda: pager.last(PAGE))
        if items:
            self.total = max(self.total, len(items))
            last = len(items) - 1
            self._fill(items, self.total - len(items), last, screen_row=self._page_height() - 1)
            self._moved()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        # The mouse wheel scrolls without moving the cursor: read on at the window's end.
        if not self._filling and self.items and new >= self.max_scroll_y - 1 and new > old:
            self.call_later(self._room_for_scroll)

    def _room_for_scroll(self) -> None:
        """Scrolled to the end of the rows held: the cursor comes along to the first row on
        screen, and the rows after it are read as for the cursor keys (the window stays
        within MOST rows)."""
        if self.pager is None or not self.items or not self._more_after():
            return
        top = min(int(self.scroll_y), len(self.items) - 1)
        if self.cursor_row < top:
            self._filling = True
            try:
                self.move_cursor(row=top, scroll=False)
            finally:
                self._filling = False
        self._room_after(2 * self._page_height())
        self._moved()

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        if not self._filling:
            self._moved()

    def _moved(self) -> None:
        self.post_message(CursorMoved(self, self.position, self.total))


def _reason(error: BaseException | None) -> str:
    if isinstance(error, SQLAlchemyError):
        original = getattr(error, "orig", None)
        text = str(original or error)
        if "locked" in text or "busy" in text:
            return "The list could not be read: the database is busy in another window. Try again."
        return f"The list could not be read: {text}."
    return f"The list could not be read: {error}."
