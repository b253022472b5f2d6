"""Two windows on one database lose nothing (docs/PRODUCT.md §9): the app is one window, a second
`Review` on its own connection is the other."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from tui_helpers import settle

from prune_tui.model import Decision
from prune_tui.services.review import Review
from prune_tui.store import open_database
from prune_tui.tui.app import PruneApp, create_app
from prune_tui.tui.screens.review import ReviewScreen

Clock = Callable[[], datetime]


def decision_of(path: Path, slug: str) -> str | None:
    with sqlite3.connect(path) as conn:
        found = conn.execute("SELECT decision FROM connections WHERE slug = ?", (slug,)).fetchone()
    return None if found is None else found[0]


def id_of(path: Path, slug: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT id FROM connections WHERE slug = ?", (slug,)).fetchone()[0])


def shown(app: PruneApp) -> tuple[str, Decision | None]:
    screen = app.screen
    assert isinstance(screen, ReviewScreen) and screen.card is not None
    return screen.card.first_name, screen.card.decision


def last_notice(app: PruneApp) -> str:
    return list(app._notifications)[-1].message


@pytest.fixture
def other_window(hostile_db: Path, clock: Clock) -> Iterator[Review]:
    db = open_database(hostile_db)
    yield Review(db, clock=clock)
    db.close()


async def test_a_card_decided_in_another_window_is_not_overwritten(
    hostile_db: Path, clock: Clock, other_window: Review
) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert shown(app) == ("[bold]Markup[/bold]", None)
        other_window.record_decision(id_of(hostile_db, "markup"), Decision.KEEP, expected=None)
        await pilot.press("r")
        await pilot.pause()
        # Not replaced: the card stays, as it is now, and says why.
        assert decision_of(hostile_db, "markup") == "keep"
        assert shown(app) == ("[bold]Markup[/bold]", Decision.KEEP)
        assert last_notice(app) == (
            "Already decided in another window: keep. Press r again to change it."
        )
        await pilot.press("r")  # seen now: the change is meant
        assert decision_of(hostile_db, "markup") == "remove"
        assert shown(app)[0] == "Zoë 🌻"


async def test_a_criterion_changed_in_another_window_is_not_cycled_past(
    hostile_db: Path, clock: Clock, other_window: Review
) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        other_window.toggle_criterion(id_of(hostile_db, "markup"), 2)  # yes, over there
        await pilot.press("2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.card is not None
        assert screen.card.criteria[2] is True
        assert "Criterion 2 was changed in another window: yes now" in last_notice(app)
        await pilot.press("2")
        assert screen.card.criteria[2] is False


async def test_undo_takes_back_this_windows_change_not_the_other_windows(
    hostile_db: Path, clock: Clock, other_window: Review
) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("k")  # Markup, in this window
        other_window.record_decision(id_of(hostile_db, "ada"), Decision.REMOVE)
        await pilot.press("u")
        await pilot.pause()
        assert decision_of(hostile_db, "markup") is None
        assert decision_of(hostile_db, "ada") == "remove"
        await pilot.press("u")  # nothing of this window's left, and Ada's came after it opened
        await pilot.pause()
        assert decision_of(hostile_db, "ada") == "remove"
        assert last_notice(app) == "Nothing to undo."


async def test_undo_of_a_decision_changed_since_elsewhere_says_so(
    hostile_db: Path, clock: Clock, other_window: Review
) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("k")
        other_window.record_decision(
            id_of(hostile_db, "markup"), Decision.REMOVE, expected=Decision.KEEP
        )
        await pilot.press("u")
        await pilot.pause()
        assert decision_of(hostile_db, "markup") == "remove"
        assert "changed in another window since (now: remove)" in last_notice(app)


async def test_a_note_changed_in_another_window_meanwhile_keeps_both(
    hostile_db: Path, clock: Clock, other_window: Review
) -> None:
    from textual.widgets import TextArea

    from prune_tui.tui.screens.dialogs import NoteScreen

    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        assert isinstance(app.screen, NoteScreen)
        other_window.set_note(id_of(hostile_db, "markup"), "theirs")
        await pilot.press(*"mine", "ctrl+s")
        await pilot.pause()
        # Not saved over theirs unseen, and nothing typed is lost: the dialog is back with it.
        assert isinstance(app.screen, NoteScreen)
        assert app.screen.query_one(TextArea).text == "mine"
        assert "changed in another window meanwhile" in last_notice(app)
        with sqlite3.connect(hostile_db) as conn:
            assert (
                conn.execute("SELECT note FROM connections WHERE slug = 'markup'").fetchone()[0]
                == "theirs"
            )
        await pilot.press("ctrl+s")  # now knowingly in place of theirs
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        with sqlite3.connect(hostile_db) as conn:
            assert (
                conn.execute("SELECT note FROM connections WHERE slug = 'markup'").fetchone()[0]
                == "mine"
            )
