"""The card after the one on screen is read and built while the user reads (ReviewScreen's
`_read_ahead`): a decision key then shows exactly what a fresh read would, nurture state too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from textual.widgets import Static
from tui_helpers import settle

from prune_tui.services.nurture import Nurture
from prune_tui.services.review import Review
from prune_tui.store import open_database
from prune_tui.tui.app import PruneApp, create_app
from prune_tui.tui.screens.review import ReviewScreen
from prune_tui.tui.widgets.card import CardView

Clock = Callable[[], datetime]
READ_AHEAD = 0.1  # seconds: longer than AHEAD_AFTER, so the card after is read meanwhile


def card_text(app: PruneApp) -> str:
    view = app.screen.query_one(CardView)
    return "\n".join(str(w.content) for w in view.query(Static))


def review_screen(app: PruneApp) -> ReviewScreen:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def count_fresh_reads(screen: ReviewScreen) -> list[int]:
    """Counts the times the screen reads a card's nurture state as it shows the card."""
    reads: list[int] = []
    fresh = screen._nurture_of

    def counted(card: Any) -> Any:
        reads.append(1)
        return fresh(card)

    screen._nurture_of = counted  # type: ignore[method-assign]
    return reads


def with_touches(db_path: Path, clock: Clock) -> None:
    """Everyone has a touch logged, and the keepers a cadence: each card's nurture part shows."""
    db = open_database(db_path)
    try:
        review = Review(db, clock=clock)
        nurture = Nurture(review)
        with db.read() as conn:
            ids = [i for (i,) in conn.exec_driver_sql("SELECT id FROM connections ORDER BY id")]
        for n, connection_id in enumerate(ids):
            nurture.log_touch(connection_id, f"coffee number {n}")
    finally:
        db.close()


async def test_a_key_shows_the_card_read_ahead_as_a_fresh_read_shows_it(
    hostile_db: Path, clock: Clock
) -> None:
    with_touches(hostile_db, clock)
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = review_screen(app)
        reads = count_fresh_reads(screen)
        for key in "knrk":
            await pilot.pause(READ_AHEAD)
            assert screen._ahead is not None  # the next card is ready before the key
            await pilot.press(key)
            assert screen.card is not None
            swapped_in = card_text(app)
            assert "coffee number" in swapped_in
            # The same card read and shown afresh looks the same.
            screen.show(screen.review.card(screen.card.id), remember=False)
            await pilot.pause()
            assert card_text(app) == swapped_in
            screen._read_ahead_soon()  # as after a key (a fresh show drops what was read ahead)
        # Only the fresh shows above read the nurture state: the keys swapped in cards.
        assert len(reads) == 4


async def test_a_card_changed_since_it_was_read_ahead_is_read_again(
    hostile_db: Path, clock: Clock
) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = review_screen(app)
        await pilot.pause(READ_AHEAD)
        assert screen._ahead is not None
        following = screen._ahead.built.card
        # Another window writes a note on the person who comes next.
        other = open_database(hostile_db)
        try:
            Review(other, clock=clock).set_note(following.id, "met at the meetup")
        finally:
            other.close()
        reads = count_fresh_reads(screen)
        await pilot.press("k")
        assert screen.card is not None and screen.card.id == following.id
        assert "met at the meetup" in card_text(app)
        assert len(reads) == 1  # read afresh, not swapped in


async def test_a_touch_logged_on_the_card_drops_what_was_read_ahead(
    hostile_db: Path, clock: Clock
) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = review_screen(app)
        await pilot.pause(READ_AHEAD)
        assert screen._ahead is not None
        card = screen.card
        assert card is not None
        # What logging a touch does (the dialog's callback): the card is shown again.
        screen.nurture.log_touch(card.id, "lunch")
        screen.show(screen.review.card(card.id), remember=False)
        assert screen._ahead is None
        await pilot.pause(READ_AHEAD)  # the card on screen is a new read: not read ahead again
        assert screen._ahead is None
        assert "lunch" in card_text(app)
