"""Pilot drives the real app on a temporary database: every key and flow of the review."""

from __future__ import annotations

import sqlite3
import webbrowser
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static
from tui_helpers import settle

from prune_tui.tui.app import PruneApp, create_app
from prune_tui.tui.screens.browse import BrowseScreen
from prune_tui.tui.screens.dialogs import FindScreen, HelpScreen, NoteScreen, QueueScreen
from prune_tui.tui.screens.review import FOOTER_KEYS, ReviewScreen
from prune_tui.tui.screens.welcome import WelcomeScreen
from prune_tui.tui.widgets.card import CardView
from prune_tui.tui.widgets.keybar import KeyBar
from prune_tui.tui.widgets.progress import ProgressStrip

Clock = Callable[[], datetime]
ORDER = ["Markup", "Zoë", "مريم", "Maximilian", "Escape", "Ada"]  # oldest first


def decisions(path: Path) -> dict[str, str | None]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT slug, decision FROM connections ORDER BY id"))


def current_name(app: PruneApp) -> str:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen.card.first_name if screen.card else ""


def card_text(app: PruneApp) -> str:
    view = app.screen.query_one(CardView)
    return "\n".join(str(w.content) for w in view.query(Static))


async def test_decide_with_single_keys_and_see_progress(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert current_name(app).startswith("[bold]Markup")
        await pilot.press("k", "n", "r")
        assert current_name(app) == "Maximilian Alexander Christopher"
        # Committed before the next card shows: another connection sees them at once.
        assert list(decisions(hostile_db).values())[:4] == ["keep", "nurture", "remove", None]
        await settle(pilot)
        strip = str(app.screen.query_one(ProgressStrip).content)
        assert "3 of 6 decided" in strip
        assert "keep 1" in strip and "nurture 1" in strip and "remove 1" in strip
        assert "Dunbar 2/150" in strip


async def test_buttons_decide_too(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.click("#remove")
        await pilot.click("#skip")
        await pilot.click("#keep")
        await pilot.pause()
        assert list(decisions(hostile_db).values())[:3] == ["remove", None, "keep"]
        await pilot.click("#undo")
        await pilot.pause()
        assert list(decisions(hostile_db).values())[2] is None
        # With every card decided, the decision buttons rest; undo still works.
        await pilot.press(*"kkkkk")
        await pilot.pause()
        assert app.screen.card is None  # type: ignore[attr-defined]
        assert app.screen.query_one("#keep").disabled
        before = decisions(hostile_db)
        await pilot.click("#nurture")
        await pilot.pause()
        assert decisions(hostile_db) == before
        await pilot.click("#undo")
        await pilot.pause()
        assert sum(d is None for d in decisions(hostile_db).values()) == 1
        assert not app.screen.query_one("#keep").disabled


async def test_skip_previous_next_do_not_decide(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space")
        assert current_name(app) == "مريم"
        await pilot.press("left")
        assert current_name(app).startswith("Zoë")
        await pilot.press("right", "right")
        assert current_name(app) == "Maximilian Alexander Christopher"
        assert set(decisions(hostile_db).values()) == {None}
        # Skipped cards come back after the end of the queue.
        await pilot.press("space", "space", "space")
        assert current_name(app).startswith("[bold]Markup")


async def test_undo_many_levels_after_a_restart(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("k", "r", "1")
    assert list(decisions(hostile_db).values())[:2] == ["keep", "remove"]

    again = create_app(hostile_db, clock=clock)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("u")  # the criterion on the third card
        assert current_name(again) == "مريم"
        await pilot.press("u", "ctrl+z")
        assert current_name(again).startswith("[bold]Markup")
        assert set(decisions(hostile_db).values()) == {None}
        await pilot.press("u")  # nothing left: says so, changes nothing
        await pilot.pause()
        assert current_name(again).startswith("[bold]Markup")


async def test_resume_lands_on_the_same_card_and_order(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        assert isinstance(app.screen, QueueScreen)
        await pilot.click("#order-newest")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert current_name(app) == "Ada"
        await pilot.press("k", "space")
        assert current_name(app) == "Maximilian Alexander Christopher"

    again = create_app(hostile_db, clock=clock)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert current_name(again) == "Maximilian Alexander Christopher"
        strip = str(again.screen.query_one(ProgressStrip).content)
        assert "newest connection first" in strip


async def test_filter_by_decision_and_text(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("r", "space", "r")
        await pilot.press("f")
        await pilot.click("#filter-remove")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert current_name(app).startswith("[bold]Markup")
        await pilot.press("right")
        assert current_name(app) == "مريم"
        await pilot.press("right")  # the last one: stays, says so
        assert current_name(app) == "مريم"
        await pilot.press("f")
        await pilot.click("#filter-all")
        await pilot.click("#queue-search")
        await pilot.press(*"emoji", "enter")
        await pilot.pause()
        assert current_name(app).startswith("Zoë")


async def test_find_and_jump(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, FindScreen)
        await pilot.press(*"love", "enter")
        await settle(pilot)  # the search runs in a worker, then the jump
        assert current_name(app) == "Ada"
        await pilot.press("n")  # decide from the jumped-to card
        assert decisions(hostile_db)["ada"] == "nurture"


async def test_browse_table_and_open_a_card(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("k")
        await pilot.press("b")
        assert isinstance(app.screen, BrowseScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 6
        await pilot.press("ctrl+f")  # everyone → still to decide
        await pilot.pause()
        assert table.row_count == 5
        await pilot.press("ctrl+f")  # → kept
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert current_name(app).startswith("[bold]Markup")
        await pilot.press("r")  # change a past decision from its card
        assert decisions(hostile_db)["markup"] == "remove"
        await pilot.press("b")  # browse kept its query (kept), read again: no one now
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 0
        assert "0 kept" in str(app.screen.query_one("#browse-status", Static).content)
        await pilot.press(*["ctrl+f"] * 5)  # round to everyone
        await pilot.press("slash", *"sunflower")
        # Enter runs the search at once; the second opens the first row found, even if it
        # comes before the rows are on screen.
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert current_name(app).startswith("Zoë")


async def test_note_and_criteria_are_saved(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1", "1", "3", "e")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"met at [b]PyCon[/b]", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "met at [b]PyCon[/b]" in card_text(app)
        await pilot.press("e", "x", "escape")  # escape keeps the note as it was
        await pilot.pause()
    with sqlite3.connect(hostile_db) as conn:
        note = conn.execute("SELECT note FROM connections WHERE slug = 'markup'").fetchone()[0]
        answers = dict(conn.execute("SELECT criterion, value FROM criteria"))
    assert note == "met at [b]PyCon[/b]"
    assert answers == {1: 0, 3: 1}


def last_notice(app: PruneApp) -> str:
    return list(app._notifications)[-1].message


async def test_open_and_copy_the_profile(
    hostile_db: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(hostile_db, clock=clock)
    opened: list[str] = []
    browser = {"there": True}

    def fake_open(url: str, *_: object, **__: object) -> bool:
        opened.append(url)
        return browser["there"]

    monkeypatch.setattr(webbrowser, "open", fake_open)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        assert opened == ["https://www.linkedin.com/in/markup"]
        assert last_notice(app) == "Opened the profile in your browser."
        await pilot.press("c")
        assert app.clipboard == "https://www.linkedin.com/in/markup"
        # webbrowser found no browser to open (a server over SSH): no claim that it opened.
        browser["there"] = False
        await pilot.press("o")
        await pilot.pause()
        assert last_notice(app) == "No browser could be opened here; press c to copy the URL."


async def test_hostile_text_is_shown_literally(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = card_text(app)
        assert "[bold]Markup[/bold] Tester" in text
        assert "[link=x]Evil[/link] Corp" in text
        assert "Evidence  nothing known yet" in text  # no messages file was imported
        await pilot.press("space", "space", "space", "space")
        text = card_text(app)
        assert "Escape[31m Bell" in text
        assert "\x1b" not in text and "\x07" not in text
        await pilot.press("space")
        text = card_text(app)
        assert "Evidence  7 messages · last Mar 2025 · they wrote last" in text
        assert "They invited you: 'Loved your [i]talk[/i]!'" in text
        assert "4 years" in text  # connected 10 Dec 2021, the clock says 20 Nov 2026


async def test_help_palette_and_keys(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for expected in (
            "Keep this connection",
            "Undo the last change",
            "Find someone and jump",
            "Order and filter",
            "Open the profile in your browser",
            "Browse everyone",
        ):
            assert expected in titles
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("q")
    assert app.return_code == 0


async def footer(app: PruneApp, pilot: object, size: tuple[int, int]) -> list[str]:
    await pilot.resize_terminal(*size)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    bar = app.screen.query_one(KeyBar)
    assert bar.size.width == size[0]
    assert bar.render().cell_length <= size[0]  # nothing cut off at the edge
    return [key.description for key in bar.shown()]


async def test_footer_fits_from_80_columns_and_its_keys_click(
    hostile_db: Path, clock: Clock
) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        narrow = await footer(app, pilot, (80, 24))
        for key in ("prev", "next", "note", "criteria", "order", "find", "browse", "help", "quit"):
            assert key in narrow
        wide = await footer(app, pilot, (100, 30))
        assert set(narrow) < set(wide) and {"open", "checklist"} <= set(wide)
        assert len(await footer(app, pilot, (120, 30))) == len(FOOTER_KEYS)
        # Every key in the footer is a key of the screen or the app (so also in help and palette).
        actions = {b.action for _, b in app.screen._bindings} | {b.action for b in app.BINDINGS}  # type: ignore[union-attr]
        for key in FOOTER_KEYS:
            assert key.action is None or key.action.split(".", 1)[1] in actions, key
        bar = app.screen.query_one(KeyBar)
        column = next(x for x in range(120) if (k := bar.key_at(x)) and k.description == "browse")
        await pilot.click(KeyBar, offset=(column, 0))
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)


async def test_theme_persists(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
    again = create_app(hostile_db, clock=clock)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert again.theme == "nord"


CSV = (
    'Notes:\n"Some text"\n\n'
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "New,Person,https://www.linkedin.com/in/new-person,,Acme,CTO,04 Dec 2025\n"
    "Old,Friend,https://www.linkedin.com/in/old-friend,,Beta,CEO,07 Mar 2015\n"
)


async def test_welcome_screen_imports_a_typed_path(tmp_path: Path, clock: Clock) -> None:
    export = tmp_path / "my export" / "Connections.csv"
    export.parent.mkdir()
    export.write_text(CSV, encoding="utf-8")
    db_path = tmp_path / "empty.db"
    app = create_app(db_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press(*str(tmp_path / "nothing-here.zip"), "enter")
        await settle(pilot)
        message = str(app.screen.query_one("#welcome-message", Static).content)
        assert "That did not work" in message and "Nothing was changed" in message
        app.screen.query_one("#welcome-path").value = f"'{export}' "  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert current_name(app) == "Old"


async def test_notifications_show_names_literally(hostile_db: Path, clock: Clock) -> None:
    """Undo names the person in a notification: their name is data, never markup."""
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("k", "u")
        await pilot.pause()
        about = [n for n in app._notifications if "[bold]Markup[/bold]" in n.message]
        assert about, [n.message for n in app._notifications]
        assert all(not n.markup for n in about)


async def test_a_card_whose_parts_grow_is_laid_out_again(hostile_db: Path, clock: Clock) -> None:
    """Parts of the card are repainted without a relayout when their height stays the same;
    when the evidence grows from one line to two, the rendered screen shows both lines and
    everything below them."""
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "space", "space", "space")
        await pilot.pause()
        screen_text = "\n".join(
            line.text for line in app.screen._compositor.render_strips(app.screen.size)
        )
        assert "7 messages · last Mar 2025" in screen_text
        assert "They invited you" in screen_text
        assert "Suggestion" in screen_text and "Note" in screen_text
