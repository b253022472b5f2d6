"""Marks in browse (docs/PRODUCT.md §11): m marks a row, M every row the query matches (again:
none), marks show and survive paging; k/n/r with marks confirm first, then decide for all of
them as one change that one u takes back. Also the search box's query language."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from big_network import build_network
from textual.widgets import Input, Static
from tui_helpers import browsing, settle

from prune_tui.tui.app import PruneApp, create_app
from prune_tui.tui.screens.browse import MARK, SEARCH_PAUSE, BrowseScreen
from prune_tui.tui.screens.bulk import BulkDecisionScreen
from prune_tui.tui.widgets.paged import PagedTable

Clock = Callable[[], datetime]


def decisions(path: Path) -> dict[str, str | None]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT slug, decision FROM connections ORDER BY id"))


def browse(app: PruneApp) -> tuple[BrowseScreen, PagedTable]:
    screen = app.screen
    assert isinstance(screen, BrowseScreen)
    return screen, screen.query_one(PagedTable)


def status(app: PruneApp) -> str:
    return str(app.screen.query_one("#browse-status", Static).content)


def where(app: PruneApp) -> str:
    return str(app.screen.query_one("#browse-where", Static).content)


def shown_name(table: PagedTable, row: int) -> str:
    return str(table.get_row_at(row)[0])


async def browse_searching(pilot: Any, app: PruneApp, text: str) -> tuple[BrowseScreen, PagedTable]:
    """Open browse from the card and type `text` in its search, then wait out the pause."""
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)
    shown = browse(app)
    await pilot.press("slash", *text)
    await pilot.pause(SEARCH_PAUSE + 0.05)
    await settle(pilot)
    return shown


async def test_m_marks_rows_and_k_keeps_them_after_a_confirm(
    hostile_db: Path, clock: Clock
) -> None:
    async with browsing(hostile_db, clock) as (pilot, _screen, table):
        app = pilot.app
        assert "marked" not in status(app)
        await pilot.press("m")  # marks the first row and moves down
        assert table.cursor_row == 1
        assert shown_name(table, 0).startswith(MARK)
        assert not shown_name(table, 1).startswith(MARK)
        await pilot.press("m", "m")  # the second, then the third
        await pilot.press("up", "m")  # the third again: unmarked
        assert [shown_name(table, i).startswith(MARK) for i in range(4)] == [
            True,
            True,
            False,
            False,
        ]
        assert "2 marked" in status(app)
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, BulkDecisionScreen)
        question = str(app.screen.query_one("#bulk-question", Static).content)
        assert question == "Keep the 2 marked people?"
        await pilot.press("enter")
        await settle(pilot)
        _screen, table = browse(app)
        assert decisions(hostile_db) == {
            "markup": "keep",
            "zoe": "keep",
            "maryam": None,
            "long": None,
            "escape": None,
            "ada": None,
        }
        assert "marked" not in status(app)
        assert not any(shown_name(table, i).startswith(MARK) for i in range(table.row_count))
        await pilot.press("u")  # one undo takes both back
        await settle(pilot)
        assert set(decisions(hostile_db).values()) == {None}


async def test_capital_m_marks_every_row_matching_and_again_clears(
    hostile_db: Path, clock: Clock
) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        _screen, table = await browse_searching(pilot, app, "connected:<2019")
        assert table.total == 3
        assert status(app).startswith("3 everyone")
        await pilot.press("enter")  # to the table
        await pilot.press("M")
        await settle(pilot)
        assert "3 marked" in status(app)
        assert all(shown_name(table, i).startswith(MARK) for i in range(3))
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, BulkDecisionScreen)
        question = str(app.screen.query_one("#bulk-question", Static).content)
        assert question == "Remove 3 people matching connected:<2019?"
        await pilot.press("escape")  # changes nothing, keeps the marks
        await settle(pilot)
        _screen, table = browse(app)
        assert set(decisions(hostile_db).values()) == {None}
        assert "3 marked" in status(app)
        await pilot.press("M")  # again: no marks
        await settle(pilot)
        assert "marked" not in status(app)
        assert not any(shown_name(table, i).startswith(MARK) for i in range(3))


async def test_capital_m_after_one_mark_marks_every_row(hostile_db: Path, clock: Clock) -> None:
    """A row marked by hand is not "every row": M then marks the whole list, not clears."""
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await browse_searching(pilot, app, "connected:<2019")
        await pilot.press("enter")  # to the table
        await pilot.press("m")
        await settle(pilot)
        assert "1 marked" in status(app)
        await pilot.press("M")
        await settle(pilot)
        assert "3 marked" in status(app)
        await pilot.press("M")  # every row of this list is marked: again clears
        await settle(pilot)
        assert "marked" not in status(app)


async def test_k_without_marks_decides_the_row_under_the_cursor(
    hostile_db: Path, clock: Clock
) -> None:
    async with browsing(hostile_db, clock) as (pilot, _screen, table):
        await pilot.press("down", "n")
        await settle(pilot)
        assert decisions(hostile_db)["zoe"] == "nurture"
        assert table.cursor_row == 2
        assert str(table.get_row_at(1)[1]) == "nurture"


async def test_the_search_box_says_what_it_cannot_read(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen, table = await browse_searching(pilot, app, "company:emoji")
        assert table.total == 1
        box = screen.query_one(Input)
        # At once (a paste): typed a key at a time, "company:emoji connected" would be read on
        # the way, after a pause as short as the search's.
        box.value = "company:emoji connected:someday"
        await pilot.pause(SEARCH_PAUSE + 0.05)
        await settle(pilot)
        assert "“connected:someday”: “someday” is not a date" in where(app)
        assert table.total == 1  # the last readable query's rows stay
        box.value = "messages:0"  # readable, but no messages file was imported here
        await pilot.pause(SEARCH_PAUSE + 0.05)
        await settle(pilot)
        assert "no messages file has been imported" in where(app)
        assert table.total == 1


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_network(tmp_path_factory.mktemp("marks") / "big.db", 30_000, remove=10_000)


async def test_marks_at_30000_survive_paging_and_one_undo_takes_a_batch_back(
    network: Path, tmp_path: Path, clock: Clock
) -> None:
    db = Path(shutil.copy(network, tmp_path / "big.db"))
    app = create_app(db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        _screen, table = browse(app)
        await pilot.press("M")
        await settle(pilot)
        assert "30,000 marked" in status(app)
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor_row > 0 and table.position == 29_999
        assert shown_name(table, table.cursor_row).startswith(MARK)  # read after marking
        await pilot.press("home")
        await settle(pilot)
        assert shown_name(table, 0).startswith(MARK)
        await pilot.press("r")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BulkDecisionScreen)
        assert str(dialog.query_one("#bulk-question", Static).content) == (
            "Remove 20,000 people matching everyone still connected?"
        )
        await pilot.press("enter")
        await settle(pilot)
        with sqlite3.connect(db) as conn:
            assert conn.execute(
                "SELECT count(*) FROM connections WHERE decision = 'remove'"
            ).fetchone() == (30_000,)
        await pilot.press("u")
        await settle(pilot)
        with sqlite3.connect(db) as conn:
            assert conn.execute(
                "SELECT count(*) FROM connections WHERE decision = 'remove'"
            ).fetchone() == (10_000,)


async def test_a_decision_typed_while_every_row_is_being_marked_waits_for_the_marks(
    hostile_db: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`M r` sent together: the confirm for every row opens once they are marked; the row
    under the cursor is not decided on its own meanwhile."""
    import threading

    async with browsing(hostile_db, clock) as (pilot, screen, _table):
        app = pilot.app
        release = threading.Event()
        matching = screen.review.matching_ids

        def slow(queue: Any) -> Any:
            release.wait(10)
            return matching(queue)

        monkeypatch.setattr(screen.review, "matching_ids", slow)
        before = decisions(hostile_db)
        await pilot.press("M", "r")
        await pilot.pause()
        assert screen.marking and not isinstance(app.screen, BulkDecisionScreen)
        release.set()
        await settle(pilot)
        assert isinstance(app.screen, BulkDecisionScreen)
        assert decisions(hostile_db) == before
        await pilot.press("escape")
        await settle(pilot)
        assert decisions(hostile_db) == before and app.screen is screen


async def test_keys_sent_with_enter_in_the_search_box_are_the_tables(
    hostile_db: Path, clock: Clock
) -> None:
    """`Enter M` arrives as one burst (a paste, a fast typist, tmux): Textual routes each key
    to the focused widget as it arrives, so the M was queued in the search box; it is the
    table's (M marks every row), not a letter of the search."""
    from textual import events

    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen, table = await browse_searching(pilot, app, "ada")
        search = screen.query_one("#browse-search", Input)
        assert search.value == "ada" and app.focused is search
        for key, character in (("enter", "\r"), ("M", "M")):
            app.post_message(events.Key(key, character))
        await settle(pilot)
        assert app.focused is table
        assert search.value == "ada"
        assert screen.marks and screen.marks.queue == screen.current_query()


async def test_letters_sent_with_the_slash_are_the_search_boxs(
    hostile_db: Path, clock: Clock
) -> None:
    """`/kate` arrives as one burst: Textual gave the letters to the table, focused when they
    arrived, before `/` put the focus in the search box. They are the box's: typed there, and
    `k` does not decide the row under the cursor on its way."""
    from textual import events

    async with browsing(hostile_db, clock) as (pilot, screen, _table):
        app = pilot.app
        before = decisions(hostile_db)
        for key in ("slash", "k", "a", "t", "e"):
            app.post_message(events.Key(key, "/" if key == "slash" else key))
        await pilot.pause(SEARCH_PAUSE + 0.05)
        await settle(pilot)
        assert screen.query_one("#browse-search", Input).value == "kate"
        assert decisions(hostile_db) == before
