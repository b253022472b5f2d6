"""A removal session on the checklist, as a user works through it: x, X, u, the daily pace,
a new day, earlier ticks at the end, and 10,000 removals among 30,000 people."""

from __future__ import annotations

import shutil
import sqlite3
import time
import webbrowser
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from big_network import build_network
from textual.pilot import Pilot
from textual.widgets import Static
from tui_helpers import settle

from prune_tui.services.removals import PER_DAY_SETTING, per_day
from prune_tui.store import open_database
from prune_tui.tui.app import PruneApp, create_app
from prune_tui.tui.screens.checklist import ChecklistScreen
from prune_tui.tui.screens.pace import PaceScreen
from prune_tui.tui.widgets.paged import MOST, PagedTable

# Late in the evening, so a few hours later is another day.
EVENING = datetime(2026, 6, 1, 22, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local midnight is UTC midnight here, whatever the machine's zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def small(tmp_path: Path) -> Path:
    # 12 people, the first 8 to remove, none ticked.
    return build_network(tmp_path / "small.db", 12, remove=8)


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.db"
    return build_network(path, 30_000, remove=10_000, ticked=300)


@pytest.fixture
def big_db(network: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(network, tmp_path / "big.db"))


async def checklist(app: PruneApp, pilot: Pilot[None]) -> tuple[ChecklistScreen, PagedTable]:
    await settle(pilot)
    await pilot.press("l")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ChecklistScreen)
    return screen, screen.query_one(PagedTable)


def screen_lines(app: PruneApp) -> list[str]:
    return [line.text for line in app.screen._compositor.render_strips(app.screen.size)]


def header(screen: ChecklistScreen) -> str:
    return str(screen.query_one("#checklist-progress", Static).content)


def where(screen: ChecklistScreen) -> str:
    return str(screen.query_one("#checklist-where", Static).content)


def marks(table: PagedTable) -> list[str]:
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def marked(db_path: Path) -> dict[int, str | None]:
    db = open_database(db_path)
    try:
        with db.read() as conn:
            return dict(conn.exec_driver_sql("SELECT connection_id, marked_at FROM removals").all())
    finally:
        db.close()


async def test_x_ticks_and_moves_on_X_opens_the_next_u_takes_back(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    app = create_app(small, clock=Clock(EVENING))
    async with app.run_test(size=(100, 30)) as pilot:
        screen, table = await checklist(app, pilot)
        assert header(screen).startswith("today 0 of 25 · 0 of 8 removed · about 1 day")
        await pilot.press("enter")  # opens the first profile
        assert opened == ["https://www.linkedin.com/in/p0"]
        await pilot.press("x")
        assert table.cursor_row == 1 and marks(table)[0] == "✓"
        assert header(screen).startswith("today 1 of 25 · 1 of 8 removed")
        await pilot.pause()
        drawn = next(line for line in screen_lines(app) if "Person00000" in line)
        assert "✓" in drawn  # on screen too, not only in the table's data
        await pilot.press("X")  # ticks p1, opens p2 at once
        assert opened[-1] == "https://www.linkedin.com/in/p2"
        assert table.cursor_row == 2
        assert marks(table)[:3] == ["✓", "✓", "○"]
        assert header(screen).startswith("today 2 of 25 · 2 of 8 removed")
        assert set(marked(small)) == {1, 2}
        await pilot.press("u")  # the last tick taken back, the cursor on its row
        await settle(pilot)
        assert marks(table)[:3] == ["✓", "○", "○"]
        assert table.cursor_row == 1
        assert header(screen).startswith("today 1 of 25 · 1 of 8 removed")
        assert marked(small)[2] is None


async def test_the_pace_is_one_key_and_kept_in_the_database(small: Path) -> None:
    app = create_app(small, clock=Clock(EVENING))
    async with app.run_test(size=(100, 30)) as pilot:
        screen, table = await checklist(app, pilot)
        assert marks(table) == ["○"] * 8
        await pilot.press("p")
        assert isinstance(app.screen, PaceScreen)
        await pilot.press("backspace", "backspace", "0", "enter")  # not a pace
        assert isinstance(app.screen, PaceScreen)
        assert "from 1 to 1,000" in str(app.screen.query_one("#pace-problem", Static).content)
        await pilot.press("backspace", "3", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert header(screen).startswith("today 0 of 3 · 0 of 8 removed · about 3 days")
        assert marks(table) == ["○"] * 3 + ["·"] * 5  # today's share first
        await pilot.press("x", "x")
        assert "pace is met" not in header(screen)
        await pilot.press("x")
        assert header(screen).startswith("today 3 of 3 · 3 of 8 removed · about 2 days")
        assert "today's pace is met" in header(screen)
        await pilot.press("p", "escape")  # escape keeps it
        await settle(pilot)
    db = open_database(small)
    try:
        assert per_day(db) == 3 and db.get_setting(PER_DAY_SETTING) == 3
    finally:
        db.close()


async def test_a_new_day_starts_a_new_session(small: Path) -> None:
    clock = Clock(EVENING)
    app = create_app(small, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen, table = await checklist(app, pilot)
        await pilot.press("x", "x")
        assert header(screen).startswith("today 2 of 25 · 2 of 8 removed")
        assert marks(table)[:2] == ["✓", "✓"]  # ticked this session: in place
        clock.at = EVENING + timedelta(hours=3)  # past midnight
        await pilot.press("x")  # the first key of the new day starts its session
        await settle(pilot)
        assert header(screen).startswith("today 0 of 25 · 2 of 8 removed")
        # Yesterday's ticks now close the list, greyed, and no tick was made by that key.
        assert marks(table) == ["○"] * 6 + ["✓", "✓"]
        assert "2 ticked earlier, at the end" in where(screen)
        await pilot.press("x")
        assert header(screen).startswith("today 1 of 25 · 3 of 8 removed")


async def test_an_earlier_tick_can_be_taken_back(small: Path) -> None:
    clock = Clock(EVENING)
    app = create_app(small, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await checklist(app, pilot)
        await pilot.press("x")
    clock.at = EVENING + timedelta(days=2)
    app = create_app(small, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen, table = await checklist(app, pilot)
        assert header(screen).startswith("today 0 of 25 · 1 of 8 removed")
        await pilot.press("end")
        assert table.position == 7 and table.current is not None and table.current.id == 1
        assert marks(table)[-1] == "✓"
        await pilot.press("x")  # on a ticked row: back on the list
        await settle(pilot)
        assert marks(table)[-1] != "✓"
        assert header(screen).startswith("today 0 of 25 · 0 of 8 removed")
        assert marked(small)[1] is None


async def test_end_home_and_a_return_at_10000_removals(big_db: Path) -> None:
    app = create_app(big_db, clock=Clock(EVENING))
    async with app.run_test(size=(100, 30)) as pilot:
        screen, table = await checklist(app, pilot)
        assert table.total == 10_000 and table.row_count < MOST
        assert where(screen).startswith("row 1 of 10,000 · oldest connection first")
        assert "300 ticked earlier" in where(screen)
        assert header(screen).startswith("today 0 of 25 · 300 of 10,000 removed")
        assert "about 388 days at this pace" in header(screen)  # 9,700 left ÷ 25
        await pilot.press("end")
        assert where(screen).startswith("row 10,000 of 10,000")
        assert table.current is not None and table.current.id == 300  # ticked earlier
        assert marks(table)[-1] == "✓"
        await pilot.press("home")
        assert table.position == 0 and table.current is not None and table.current.id == 301
        await pilot.press("G")
        assert table.position == 9_999
        await pilot.press("g", *["pagedown"] * 3, "x")
        at = table.position
        assert table.current is not None and at > 0
        # Away and back: the same row, no read of the whole list.
        filled: list[int] = []
        real_fill = table._fill

        def spy(items: list[object], *args: object, **kwargs: object) -> None:
            filled.append(len(items))
            real_fill(items, *args, **kwargs)  # type: ignore[arg-type]

        table._fill = spy  # type: ignore[method-assign]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert app.screen is screen
        assert table.position == at
        assert filled == []  # nothing changed meanwhile: nothing read again
        assert header(screen).startswith("today 1 of 25 · 301 of 10,000 removed")
        # A removal decided meanwhile (another window): the page around the row again.
        await pilot.press("escape")
        await settle(pilot)
        with sqlite3.connect(big_db) as conn:
            conn.execute("UPDATE connections SET decision = 'remove' WHERE id = 20000")
        await pilot.press("l")
        await settle(pilot)
        assert len(filled) == 1 and filled[0] < MOST
        assert table.position == at and table.total == 10_001
        assert header(screen).startswith("today 1 of 25 · 301 of 10,001 removed")
