"""Browse at 30,000 people: a window of rows, the ends one key away, the query kept."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from big_network import build_network, person
from textual.widgets import Static
from tui_helpers import browsing, settle

from prune_tui.services.paging import BrowsePager
from prune_tui.tui.app import PruneApp, create_app
from prune_tui.tui.screens import browse as browse_screen
from prune_tui.tui.screens.browse import BrowseScreen
from prune_tui.tui.screens.review import ReviewScreen
from prune_tui.tui.widgets.paged import MOST, PagedTable

Clock = Callable[[], datetime]
PEOPLE = 30_000


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_network(tmp_path_factory.mktemp("big") / "big.db", PEOPLE, remove=10_000)


@pytest.fixture
def big_db(network: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(network, tmp_path / "big.db"))


def browse(app: PruneApp) -> tuple[BrowseScreen, PagedTable]:
    screen = app.screen
    assert isinstance(screen, BrowseScreen)
    return screen, screen.query_one(PagedTable)


def where(app: PruneApp) -> str:
    return str(app.screen.query_one("#browse-where", Static).content)


def first_name(table: PagedTable) -> str:
    assert table.current is not None
    return str(table.current.name.split()[0])


def heading_x(table: PagedTable, key: str) -> int:
    """Where a column's heading is drawn, across the table."""
    x = 0
    for column in table.ordered_columns:
        if column.key.value == key:
            return x + 1
        x += column.get_render_width(table)
    raise KeyError(key)


async def test_end_and_home_at_30000_rows(big_db: Path, clock: Clock) -> None:
    async with browsing(big_db, clock) as (pilot, _, table):
        app = pilot.app
        assert table.total == PEOPLE
        assert table.row_count < MOST  # a window, not the whole list
        assert where(app).startswith("row 1 of 30,000")
        await pilot.press("end")
        await pilot.pause()
        assert where(app).startswith("row 30,000 of 30,000")
        assert first_name(table) == person(PEOPLE - 1)[0]  # the newest connection
        assert table.row_count < MOST
        await pilot.press("up", "up")
        await pilot.pause()
        assert where(app).startswith("row 29,998 of 30,000")
        await pilot.press("home")
        await pilot.pause()
        assert where(app).startswith("row 1 of 30,000")
        assert first_name(table) == person(0)[0]
        await pilot.press("G")
        await pilot.pause()
        assert table.position == PEOPLE - 1
        await pilot.press("g")
        await pilot.pause()
        assert table.position == 0


async def test_pages_read_on_both_ways_and_the_window_stays_small(
    big_db: Path, clock: Clock
) -> None:
    async with browsing(big_db, clock) as (pilot, _, table):
        seen = []
        # The page keys' own actions, run back to back (no repaint between them: what is
        # tested is which rows the window holds, not drawing them 80 times).
        for _ in range(40):  # well past the rows held at first
            table.action_page_down()
            seen.append(table.position)
        await pilot.pause()
        assert seen == sorted(seen) and len(set(seen)) == len(seen)
        assert table.position > MOST
        assert table.row_count <= MOST
        # The row under the cursor is the one at that position in the whole list.
        assert table.current is not None
        assert table.current.id == table.position + 1  # ids were given in date order
        down_at = table.position
        for _ in range(40):
            table.action_page_up()
        await pilot.pause()
        assert table.position == 0 < down_at
        assert table.current is not None and table.current.id == 1
        # The mouse wheel at the end of the rows held reads on, the cursor coming along.
        for _ in range(12):
            table.scroll_to(y=table.max_scroll_y, animate=False, immediate=True)
            await pilot.pause()
        assert table.position > MOST and table.row_count <= MOST
        assert table.current is not None and table.current.id == table.position + 1


async def test_browse_keeps_its_query_and_row_between_visits(big_db: Path, clock: Clock) -> None:
    app = create_app(big_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("b", "slash", *"Surname012", "enter")
        await settle(pilot)
        screen, table = browse(app)
        assert 0 < table.total < PEOPLE
        assert all("Surname012" in row.name for row in table.items)
        await pilot.press("down", "down", "down")
        chosen = table.current
        assert chosen is not None
        await pilot.press("enter")  # opens the card
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("b")
        await settle(pilot)
        again, table = browse(app)
        assert again is screen
        assert screen.current_query().search == "Surname012"
        assert table.current is not None and table.current.id == chosen.id
        assert table.position == 3


async def test_sort_by_a_heading_or_a_key(big_db: Path, clock: Clock) -> None:
    async with browsing(big_db, clock) as (pilot, screen, table):
        app = pilot.app
        await pilot.click(PagedTable, offset=(heading_x(table, "company"), 0))
        await settle(pilot)
        assert screen.order.value == "company"
        companies = [row.company for row in table.items[:50]]
        assert companies == sorted(companies) and companies[0] == "Acme"
        assert "by company" in where(app)
        await pilot.click(PagedTable, offset=(heading_x(table, "connected"), 0))  # oldest first
        await settle(pilot)
        assert screen.order.value == "oldest"
        await pilot.click(PagedTable, offset=(heading_x(table, "connected"), 0))  # newest
        await settle(pilot)
        assert screen.order.value == "newest"
        assert first_name(table) == person(PEOPLE - 1)[0]
        await pilot.press("o")  # the key goes on to the next order
        await settle(pilot)
        assert screen.order.value == "never-messaged"


async def test_a_search_runs_after_a_pause_in_typing_not_per_key(
    big_db: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pause longer than the keys below take to type on any machine (the real one is short:
    # a key typed after it runs a search of its own, which is what a pause is).
    monkeypatch.setattr(browse_screen, "SEARCH_PAUSE", 0.3)
    async with browsing(big_db, clock) as (pilot, _, table):
        loads: list[tuple[str, str]] = []
        real_load, real_show = table.load, table.show_first

        def load(pager: Any, **kwargs: Any) -> None:
            loads.append(("read by the table", pager.queue.search))
            real_load(pager, **kwargs)

        def show_first(pager: Any, window: Any) -> None:
            loads.append(("read with the check", pager.queue.search))
            real_show(pager, window)

        table.load = load  # type: ignore[method-assign]
        table.show_first = show_first  # type: ignore[method-assign]
        await pilot.press("slash", *"person0001")
        await pilot.pause()
        assert loads == []  # still typing
        await pilot.pause(0.4)
        await settle(pilot)
        # One worker waited out the pause, checked the query and read its first rows.
        assert loads == [("read with the check", "person0001")]
        assert table.total == 10 and not table.reading


async def test_the_pause_in_typing_counts_from_the_key(
    big_db: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker waits what is left of the pause after the key, not a whole pause more."""
    slept: list[float] = []
    monkeypatch.setattr(browse_screen.time, "sleep", slept.append)
    async with browsing(big_db, clock) as (pilot, _, _table):
        await pilot.press("slash", "p")
        await settle(pilot)
        assert len(slept) == 1
        assert 0 <= slept[0] < browse_screen.SEARCH_PAUSE


async def test_rows_read_with_the_check_give_way_to_an_order_chosen_meanwhile(
    big_db: Path, clock: Clock
) -> None:
    async with browsing(big_db, clock) as (pilot, screen, table):
        stale = BrowsePager(screen.review, replace(screen.current_query(), search="person0001"))
        window = table.read_first(stale)
        loads: list[Any] = []
        real_load = table.load

        def load(pager: Any, **kwargs: Any) -> None:
            loads.append(pager.queue)
            real_load(pager, **kwargs)

        table.load = load  # type: ignore[method-assign]
        screen.filter = next(f for f in browse_screen.FILTER_CYCLE if f != screen.filter)
        screen._pending = "person0001"
        screen._search_ready("person0001", None, (stale, window))
        await settle(pilot)
        assert loads and loads[-1] == screen.current_query()
        assert table.pager is not None and table.pager.queue == screen.current_query()
