"""The order-and-filter dialog starts on the current choices, and its labels fit at 80×24."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from test_app import Clock, settle
from textual.widgets import RadioButton, RadioSet

from prune_tui.services.review import Filter, Order, Queue, Review
from prune_tui.store import open_database
from prune_tui.tui.app import create_app
from prune_tui.tui.screens.dialogs import QueueScreen


async def test_the_dialog_highlights_the_current_choice_and_fits_80x24(
    hostile_db: Path, clock: Clock
) -> None:
    db = open_database(hostile_db)
    try:
        Review(db).save_queue(Queue(Order.NEVER_MESSAGED, Filter.NEW))
    finally:
        db.close()
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        highlighted = {
            rs.id: [b.name for b in rs.query(RadioButton) if b.has_class("-selected")]
            for rs in app.screen.query(RadioSet)
        }
        assert highlighted == {"order": ["never-messaged"], "filter": ["new"]}
        for button in app.screen.query(RadioButton):
            # "▐●▌ " then the whole label, nothing cut off
            assert button.content_size.width >= 4 + cell_len(str(button.label)), button.label
        # Down from the highlight moves on from the current choice, not from the first.
        await pilot.press("down", "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
    db = open_database(hostile_db)
    try:
        assert Review(db).load_queue().order is Order.COMPANY
    finally:
        db.close()
