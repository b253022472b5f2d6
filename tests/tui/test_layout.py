"""What the screens show at 80×24 and up: nothing cut that fits, nothing that moves."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input
from tui_helpers import settle

from prune_tui.model import CRITERIA, Stats
from prune_tui.services.review import Progress, SessionPace
from prune_tui.tui.app import PruneApp, create_app
from prune_tui.tui.screens.browse import BrowseScreen
from prune_tui.tui.screens.checklist import ChecklistScreen
from prune_tui.tui.screens.review import ReviewScreen
from prune_tui.tui.widgets.card import CardView
from prune_tui.tui.widgets.progress import ProgressStrip, counts_line

Clock = Callable[[], datetime]
LONG_NOTE = (
    "Great meeting you at the data summit in Lisbon last spring, your talk on pipelines that "
    "never lose a row stayed with me. I would love to stay in touch and compare notes on "
    "streaming joins, schema drift and everything else that keeps us up at night."
)


def screen_lines(app: PruneApp) -> list[str]:
    return [line.text for line in app.screen._compositor.render_strips(app.screen.size)]


def sql(path: Path, statement: str, *args: object) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(statement, args)


async def to_ada(pilot: object) -> None:
    await pilot.press(*["space"] * 5)  # type: ignore[attr-defined]
    await settle(pilot)


# -- the card -------------------------------------------------------------------------------------


async def test_a_normal_card_fits_80x24_without_scrolling(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await to_ada(pilot)  # messages and an invitation: two lines of evidence
        view = app.screen.query_one(CardView)
        assert view.max_scroll_y == 0
        text = "\n".join(screen_lines(app))
        assert "Suggestion" in text and "Note  none yet" in text and " 5 " in text


async def test_the_invitation_note_wraps_to_two_lines(hostile_db: Path, clock: Clock) -> None:
    sql(hostile_db, "UPDATE evidence SET invitation_message = ? WHERE person = 'ada'", LONG_NOTE)
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await to_ada(pilot)
        lines = screen_lines(app)
        first = next(i for i, line in enumerate(lines) if "They invited you: 'Great" in line)
        second = lines[first + 1]
        # The second line goes on under the first (a hanging indent) and ends the cut note.
        assert second.index(second.strip("│ ")[0]) == lines[first].index("They invited")
        assert second.rstrip(" │").endswith("…'")
        assert "I would love" not in lines[first + 2]


async def test_the_empty_queue_hint_is_read_whole(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"kkkkkk")
        await settle(pilot)
        text = " ".join(line.strip("│ ") for line in screen_lines(app))
        assert "b to browse everyone, u to undo, or q to quit: everything is saved." in text


# -- the progress strip ---------------------------------------------------------------------------


@pytest.mark.parametrize("total", [6, 30_000])
async def test_the_progress_strip_keeps_its_height_at_every_width(
    hostile_db: Path, clock: Clock, total: int
) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"kkkk")  # enough decisions for a pace
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        screen.refresh_progress()  # the recount, without waiting for a pause in the keys
        await settle(pilot)
        assert screen.progress is not None
        assert screen.progress.pace is not None
        if total > 6:  # the counts of a big network, wider numbers
            from dataclasses import replace

            stats = replace(screen.progress.stats, total=total, undecided=12_345, remove=9_876)
            screen._show_progress(replace(screen.progress, stats=stats))
        tops = set()
        for width in range(80, 141, 4):
            await pilot.resize_terminal(width, 30)
            await pilot.pause()
            strip = screen.query_one(ProgressStrip)
            lines = [line.rstrip() for line in screen_lines(app)[:3]]
            assert strip.size.height == 3 and len(str(strip.content).splitlines()) == 3
            assert "Dunbar 4/150" in lines[1], (width, lines)
            assert lines[2].lstrip().startswith("Showing"), (width, lines)
            tops.add(screen.query_one(CardView).region.y)
        assert tops == {3}
        await pilot.resize_terminal(140, 30)
        await pilot.pause()
        assert "/min" in screen_lines(app)[1]  # room for the pace: shown


# -- browse ---------------------------------------------------------------------------------------


async def test_browse_shows_every_column_and_the_evidence_at_80(
    hostile_db: Path, clock: Clock
) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        lines = screen_lines(app)
        header = next(line for line in lines if "Name" in line and "Decision" in line)
        for heading in ("Connected", "Company", "Position", "Messages"):
            assert heading in header
        ada = next(line for line in lines if "Ada Lovelace" in line)
        assert "7 · Mar 2025" in ada
        maximilian = next(line for line in lines if "Maximilian" in line)
        assert maximilian.count("…") >= 3  # name, company, position: cut, with an ellipsis
        await pilot.resize_terminal(140, 30)
        await pilot.pause()
        ada = next(line for line in screen_lines(app) if "Ada Lovelace" in line)
        assert "7 · Mar 2025 · they invited" in ada
        assert "Senior Principal Staff Dist" in "\n".join(screen_lines(app))


async def test_browse_everyone_includes_those_no_longer_connected(
    hostile_db: Path, clock: Clock
) -> None:
    sql(hostile_db, "UPDATE connections SET status = 'gone', decision = 'keep' WHERE slug = 'ada'")
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 6
        ada = next(line for line in screen_lines(app) if "Ada Lovelace" in line)
        assert "keep" in ada and "no longer" in ada
        for _ in range(6):  # the filter cycle comes round to them
            await pilot.press("ctrl+f")
        await pilot.pause()
        assert table.row_count == 1
        assert "no longer connected" in "\n".join(screen_lines(app))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "no longer connected" in "\n".join(screen_lines(app))


async def test_the_order_dialog_offers_those_no_longer_connected(
    hostile_db: Path, clock: Clock
) -> None:
    sql(hostile_db, "UPDATE connections SET status = 'gone' WHERE slug = 'zoe'")
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.click("#filter-gone")
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.card is not None
        assert screen.card.first_name == "Zoë 🌻"


async def test_down_in_the_browse_search_goes_to_the_table(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("b", "slash", *"a")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        assert app.screen.query_one(Input).has_focus
        await pilot.press("down")  # runs the search typed at once
        table = app.screen.query_one(DataTable)
        assert table.has_focus and table.cursor_row == 0
        await settle(pilot)
        await pilot.press("down")
        assert table.cursor_row == 1


# -- checklist ------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 100])
async def test_checklist_columns_share_the_width(
    hostile_db: Path, clock: Clock, width: int
) -> None:
    sql(hostile_db, "UPDATE connections SET decision = 'remove'")
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
        lines = screen_lines(app)
        ada = next(line for line in lines if "Ada Lovelace" in line)
        assert "linkedin.com/in/ada" in ada  # whole, with room for the longest address
        assert "Analytical En" in ada
        assert "Mathematician" in ada or width == 80
        header = next(line for line in lines if "Profile" in line)
        # The name, position and company take the room the addresses leave, not a fixed cut.
        assert header.rstrip().endswith("Profile")
        long = next(line for line in lines if "Maximilian" in line)
        assert long.rstrip().endswith("linkedin.com/in/long")
        assert long.count("…") == 3
        names = long.index("Maximilian")
        assert long.index("…") - names >= (20 if width == 100 else 15)


# -- keys -----------------------------------------------------------------------------------------


async def test_palette_names_each_criterion_by_its_question(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for number, question in CRITERIA.items():
            assert f"Criterion {number}: {question}" in titles
        assert not any(t in titles for t in ("Criteria", "Criterion 2"))


async def test_left_goes_back_to_the_card_just_decided(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.press("k", "r")
        assert screen.card is not None and screen.card.first_name == "مريم"
        await pilot.press("left")
        assert screen.card is not None and screen.card.first_name == "Zoë 🌻"
        await pilot.press("left")
        assert screen.card is not None and screen.card.first_name == "[bold]Markup[/bold]"
        await pilot.press("left")  # the first: stays, and says so
        await pilot.pause()
        assert screen.card is not None and screen.card.first_name == "[bold]Markup[/bold]"
        assert list(app._notifications)[-1].message == "This is the first card in this queue."
        await pilot.press("right")
        assert screen.card is not None and screen.card.first_name == "مريم"


async def test_welcome_steps_wrap_under_their_own_text(tmp_path: Path, clock: Clock) -> None:
    app = create_app(tmp_path / "empty.db", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = screen_lines(app)
        step = next(i for i, line in enumerate(lines) if "2. Choose" in line)
        text_column = lines[step].index("Choose")
        follow = lines[step + 1]
        assert follow.strip() and len(follow) - len(follow.lstrip()) == text_column


def test_a_fast_pace_reads_like_the_counts_beside_it() -> None:
    stats = Stats(30000, 19990, 4, 3, 10003, 0, 0)
    line = counts_line(Progress(stats, SessionPace(1540.0, 37.0)), 160).plain
    assert "1,540/min, about 37 min left" in line
    assert "7.5/min" in counts_line(Progress(stats, SessionPace(7.5, None)), 160).plain
