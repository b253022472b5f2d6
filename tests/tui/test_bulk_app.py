"""The query language and decisions by rule in the app: find and the order-and-filter dialog
read queries (an unreadable one is a message, never a crash), `a` accepts the card's
suggestion, the strip shows the queue's own count, and one `u` takes back a whole batch."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from textual.widgets import Input, OptionList, Static
from tui_helpers import settle

from prune_tui.model import Decision
from prune_tui.services.suggest import suggest
from prune_tui.tui.app import PruneApp, create_app
from prune_tui.tui.screens.dialogs import FindScreen, QueueScreen
from prune_tui.tui.screens.review import ReviewScreen
from prune_tui.tui.widgets.progress import ProgressStrip

Clock = Callable[[], datetime]


def decisions(path: Path) -> dict[str, str | None]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT slug, decision FROM connections ORDER BY id"))


def review_screen(app: PruneApp) -> ReviewScreen:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def typed(pilot: object) -> None:
    """After typing in find: its pause, then its search in a worker."""
    await pilot.pause(FindScreen.PAUSE + 0.05)  # type: ignore[attr-defined]
    await settle(pilot)


def strip_text(app: PruneApp) -> str:
    return str(app.screen.query_one(ProgressStrip).render_strip())


async def test_find_reads_queries_and_says_what_it_cannot_read(
    hostile_db: Path, clock: Clock
) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, FindScreen)
        await pilot.press(*"invited:them")
        await typed(pilot)
        results = app.screen.query_one(OptionList)
        assert results.option_count == 1  # Ada, who invited you
        message = app.screen.query_one("#find-message", Static)
        assert not message.display
        await pilot.press(*' "ada')  # a quote not closed yet
        await pilot.pause()
        assert message.display
        assert '“"ada”: a quote is not closed' in str(message.render())
        assert results.option_count == 1  # the last readable query's results stay
        await pilot.press("enter")  # an unreadable query does not jump
        await pilot.pause()
        assert isinstance(app.screen, FindScreen)
        await pilot.press(*'" colour:red')
        await pilot.pause()
        assert "“colour:red”: there is no term" in str(message.render())
        for _ in ' "ada" colour:red':
            await pilot.press("backspace")
        await typed(pilot)
        assert not message.display
        await pilot.press("enter")
        await pilot.pause()
        assert review_screen(app).card is not None
        assert review_screen(app).card.first_name == "Ada"  # type: ignore[union-attr]


async def test_order_and_filter_takes_a_query_and_refuses_a_bad_one(
    hostile_db: Path, clock: Clock
) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        assert isinstance(app.screen, QueueScreen)
        await pilot.click("#queue-search")
        await pilot.press(*"connected:2019..")
        await pilot.press(*" messages:lots", "enter")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)  # still open, saying why
        message = app.screen.query_one("#queue-message", Static)
        assert message.display and "“messages:lots”" in str(message.render())
        box = app.screen.query_one("#queue-search", Input)
        box.value = "connected:2019.. -decision:remove"
        await pilot.press("enter")
        await settle(pilot)
        screen = review_screen(app)
        assert screen.queue.search == "connected:2019.. -decision:remove"
        assert screen.card is not None and screen.card.first_name.startswith("Maximilian")
        first_line = strip_text(app).splitlines()[0]
        assert first_line.startswith("0 of 6 decided ")
        assert first_line.endswith(" 0%   connected:2019.. -decis…: 3 left of 3")
        await pilot.press("r")  # one of them decided: the queue's count follows at once
        assert "3 left" not in strip_text(app) and ": 2 left of 3" in strip_text(app)
        await settle(pilot)
        assert ": 2 left of 3" in strip_text(app)


async def test_the_plain_queue_shows_no_second_count(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert " left of " not in strip_text(app)
        assert "6 to decide" in " ".join(strip_text(app).split()) or "to decide 6" in " ".join(
            strip_text(app).split()
        )


async def test_a_accepts_the_suggestion_when_there_is_one(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = review_screen(app)
        first = screen.card
        assert first is not None and suggest(first).decision is None  # nothing known yet
        accept = app.screen.query_one("#accept")
        assert accept.disabled  # nothing to accept: the button says so
        await pilot.press("a")
        await pilot.pause()
        assert decisions(hostile_db)["markup"] is None  # nothing decided for the user
        assert screen.card is not None and screen.card.id == first.id
        # Answer "they would answer within 48 hours" and "we have spoken": a keep is suggested.
        await pilot.press("1", "5", "2")
        await pilot.pause()
        card = screen.card
        assert card is not None
        hint = suggest(card)
        assert hint.decision is Decision.KEEP
        assert not accept.disabled
        await pilot.click("#accept")
        await pilot.pause()
        assert decisions(hostile_db)["markup"] == "keep"
        assert screen.card is not None and screen.card.id != first.id  # on to the next card
        await pilot.press("u")
        await pilot.pause()
        assert decisions(hostile_db)["markup"] is None


async def test_one_u_takes_back_a_whole_batch(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("k")  # one decision by hand first
        batch = app.review.decide_matching(
            "connected:<2020", Decision.REMOVE, include_decided=False
        )
        assert batch is not None and batch.count == 3
        assert decisions(hostile_db) == {
            "markup": "keep",
            "zoe": "remove",
            "maryam": "remove",
            "long": "remove",
            "escape": None,
            "ada": None,
        }
        await pilot.press("u")
        await settle(pilot)
        assert decisions(hostile_db)["zoe"] is None and decisions(hostile_db)["long"] is None
        assert decisions(hostile_db)["markup"] == "keep"  # the batch only
        notes = [str(n.message) for n in app._notifications]
        assert any(m.startswith("Took back: 3 removed by rule connected:<2020 on ") for m in notes)
        await pilot.press("u")
        await pilot.pause()
        assert decisions(hostile_db)["markup"] is None


async def test_the_confirm_dialog_counts_includes_on_request_and_applies(
    hostile_db: Path, clock: Clock
) -> None:
    from textual.widgets import Button, Checkbox

    from prune_tui.services.bulk import query_selection
    from prune_tui.tui.screens.bulk import BulkDecisionScreen

    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("k")  # Markup (2016) kept by hand
        with app.review.db.read() as conn:
            selection = query_selection(conn, "connected:<2020")
        applied: list[object] = []
        app.push_screen(
            BulkDecisionScreen(app.services.bulk(), selection, Decision.REMOVE), applied.append
        )
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BulkDecisionScreen)
        question = str(dialog.query_one("#bulk-question", Static).render())
        assert question == "Remove 3 people matching connected:<2020?"
        scope = str(dialog.query_one("#bulk-scope", Static).render())
        assert scope == "undecided people only; 1 decided already is left as it is"
        sample = str(dialog.query_one("#bulk-sample", Static).render())
        assert sample.startswith("For example: Zoë 🌻 Sunflower 👩‍💻, مريم الحسيني, Maximilian")
        assert dialog.query_one(Checkbox).display
        await pilot.press("d")  # include people decided already
        await settle(pilot)
        question = str(dialog.query_one("#bulk-question", Static).render())
        assert question == "Remove 4 people matching connected:<2020?"
        assert str(dialog.query_one(Button).label) == "Apply to 4  enter"
        await pilot.press("d")  # and back
        await settle(pilot)
        assert "Remove 3 people" in str(dialog.query_one("#bulk-question", Static).render())
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, BulkDecisionScreen)
        assert len(applied) == 1 and getattr(applied[0], "count", None) == 3
        assert decisions(hostile_db) == {
            "markup": "keep",
            "zoe": "remove",
            "maryam": "remove",
            "long": "remove",
            "escape": None,
            "ada": None,
        }


async def test_escape_cancels_the_dialog_and_changes_nothing(
    hostile_db: Path, clock: Clock
) -> None:
    from prune_tui.services.bulk import ids_selection
    from prune_tui.tui.screens.bulk import BulkDecisionScreen

    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        before = decisions(hostile_db)
        applied: list[object] = []
        app.push_screen(
            BulkDecisionScreen(app.services.bulk(), ids_selection([1, 2]), Decision.KEEP),
            applied.append,
        )
        await settle(pilot)
        question = str(app.screen.query_one("#bulk-question", Static).render())
        assert question == "Keep the 2 marked people?"
        await pilot.press("escape")
        await settle(pilot)
        assert applied == [None]
        assert decisions(hostile_db) == before
