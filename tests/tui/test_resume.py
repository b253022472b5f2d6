"""Resume lands on the card that was on screen, whatever happened before the quit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from test_app import Clock, current_name, settle

from prune_tui.services.review import Review
from prune_tui.store import open_database
from prune_tui.tui.app import create_app
from prune_tui.tui.screens.dialogs import FindScreen


async def reopened(path: Path, clock: Clock) -> str:
    app = create_app(path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        return current_name(app)


async def test_skip_decide_quit_reopens_on_the_card_on_screen(
    hostile_db: Path, clock: Clock
) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "k", "r")  # skip Markup, keep Zoë, remove مريم
        assert current_name(app) == "Maximilian Alexander Christopher"
        await pilot.press("q")
    # Not the oldest skipped card (Markup): the one that was on screen.
    assert await reopened(hostile_db, clock) == "Maximilian Alexander Christopher"


async def test_find_then_decide_goes_on_from_that_person(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, FindScreen)
        await pilot.press(*"terminal", "enter")
        await pilot.pause()
        assert current_name(app).startswith("Escape")
        await pilot.press("k")
        assert current_name(app) == "Ada"  # after Escape in the order, not back at Markup
        await pilot.press("q")
    assert await reopened(hostile_db, clock) == "Ada"


def test_a_card_that_left_the_queue_resumes_on_the_one_after_it(hostile_db: Path) -> None:
    db = open_database(hostile_db)
    try:
        review = Review(db)
        queue = review.load_queue()
        names = {}
        card = review.first_card(queue)
        while card is not None:
            names[card.first_name.split()[0]] = card.id
            card = review.next_card(queue, card.id)
        review.remember_current(names["Maximilian"])
    finally:
        db.close()
    with sqlite3.connect(hostile_db) as raw:  # decided in another window meanwhile
        raw.execute("UPDATE connections SET decision = 'keep' WHERE slug = 'long'")
    db = open_database(hostile_db)
    try:
        review = Review(db)
        resumed = review.resume(review.load_queue())
        assert resumed is not None and resumed.first_name.startswith("Escape")
        # The last card of the queue left it too: back to the start, never nowhere.
        review.remember_current(names["Ada"])
        with db.write() as conn:
            conn.exec_driver_sql("UPDATE connections SET decision = 'keep' WHERE slug = 'ada'")
        resumed = review.resume(review.load_queue())
        assert resumed is not None and resumed.first_name.startswith("[bold]Markup")
    finally:
        db.close()


async def test_when_everything_is_decided_the_card_says_what_comes_next(
    hostile_db: Path, clock: Clock
) -> None:
    from test_app import card_text

    from prune_tui.tui.screens.checklist import ChecklistScreen

    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"rkrkrr")
        await settle(pilot)
        text = " ".join(card_text(app).split())
        assert "Every connection has a decision" in text
        assert "Next: press l for the checklist" in text
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
