"""A paged table that counts later (browse's search): the first rows are painted before the
list is counted, `RowsLoaded` and the row numbers follow the count, and `end` pressed before
the count arrives goes to the real end once it does."""

from __future__ import annotations

import sys
import threading

from textual import on
from textual.app import App, ComposeResult
from textual.content import Content
from tui_helpers import settle

from prune_tui.tui.messages import RowsLoaded
from prune_tui.tui.screens.guarded import GuardedScreen
from prune_tui.tui.widgets.paged import FIRST_SPARE, PagedTable
from prune_tui.tui.widgets.table import Fit, Share

SIZE = 500


class SlowCount:
    """A list of ids 0..SIZE-1 whose count waits until `release` is set."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.counts = 0

    def count(self) -> int:
        self.release.wait(10)
        self.counts += 1
        return SIZE

    def first(self, limit: int) -> list[int]:
        return list(range(min(limit, SIZE)))

    def last(self, limit: int) -> list[int]:
        return list(range(max(SIZE - limit, 0), SIZE))

    def after(self, item: int, limit: int) -> list[int]:
        return list(range(item + 1, min(item + 1 + limit, SIZE)))

    def before(self, item: int, limit: int) -> list[int]:
        return list(range(max(item - limit, 0), item))

    def index_of(self, item: int) -> int | None:
        return item if 0 <= item < SIZE else None


class Lists(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[int] = []

    def compose(self) -> ComposeResult:
        yield PagedTable(
            [Share("n", 8)],
            key=lambda item: item,
            cells=lambda item: (Fit(Content(f"row {item}")),),
            count_later=True,
        )

    def on_mount(self) -> None:
        self.query_one(PagedTable).add_column("n", key="n", width=8)

    @on(RowsLoaded)
    def rows_loaded(self, event: RowsLoaded) -> None:
        self.loaded.append(event.total)


async def test_rows_first_then_the_count_and_end_waits_for_it() -> None:
    app = Lists()
    async with app.run_test(size=(40, 20)) as pilot:
        table = app.query_one(PagedTable)
        pager = SlowCount()
        table.load(pager)
        for _ in range(100):
            await pilot.pause(0.01)
            if table.loaded:
                break
        assert table.loaded and not table.reading
        assert table.counting and pager.counts == 0
        assert table.items[:3] == [0, 1, 2]
        assert app.loaded == []  # RowsLoaded follows the count
        assert table.total == len(table.items) < SIZE
        await pilot.press("end")  # the end is not known yet: taken up once it is
        assert table.cursor_row == 0
        pager.release.set()
        await settle(pilot)
        assert not table.counting and table.total == SIZE
        assert app.loaded == [SIZE]
        assert table.current == SIZE - 1
        assert table.position_words() == f"row {SIZE} of {SIZE}"


async def test_a_short_list_is_not_counted_at_all() -> None:
    app = Lists()
    async with app.run_test(size=(40, 20)) as pilot:
        table = app.query_one(PagedTable)
        pager = SlowCount()
        pager.first = lambda limit: [0, 1, 2]  # type: ignore[method-assign]
        table.load(pager)
        await settle(pilot)
        assert not table.counting and table.total == 3
        assert pager.counts == 0 and app.loaded == [3]


async def test_a_new_list_reads_a_screenful_first_and_the_rest_as_the_cursor_goes() -> None:
    app = Lists()
    async with app.run_test(size=(40, 20)) as pilot:
        table = app.query_one(PagedTable)
        pager = SlowCount()
        pager.release.set()
        table.load(pager)
        await settle(pilot)
        height = max(table.size.height, 20)
        assert table.items == list(range(height + FIRST_SPARE))
        for _ in range(3):
            await pilot.press("pagedown")
        await settle(pilot)
        assert table.current == table.cursor_row > height + FIRST_SPARE
        assert table.items[: table.cursor_row + 1] == list(range(table.cursor_row + 1))


async def test_a_new_list_is_painted_as_soon_as_it_is_laid_out() -> None:
    """Not at the screen's next frame: here the frame beat never comes, and the rows are
    painted all the same (the screen is a GuardedScreen, as browse and the checklist are)."""

    class Listing(GuardedScreen[None]):
        def compose(self) -> ComposeResult:
            yield PagedTable(
                [Share("n", 8)],
                key=lambda item: item,
                cells=lambda item: (Fit(Content(f"row {item}")),),
            )

        def on_mount(self) -> None:
            self.query_one(PagedTable).add_column("n", key="n", width=8)

    app = App[None]()
    async with app.run_test(size=(40, 20)) as pilot:
        screen = Listing()
        await app.push_screen(screen)
        await settle(pilot)
        painted: list[str] = []  # by whom (Pilot's pauses paint too)
        beat = screen._on_timer_update

        def paint() -> None:
            painted.append(sys._getframe(1).f_code.co_name)
            beat()

        screen._on_timer_update = paint  # type: ignore[method-assign]
        screen._update_timer.resume = lambda: None  # type: ignore[method-assign]
        pager = SlowCount()
        pager.release.set()
        screen.query_one(PagedTable).load(pager)
        await settle(pilot)
        assert painted.count("_on_idle") == 1
