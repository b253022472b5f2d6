"""Nurture in the app: the card's cadence and touch keys, the reach-out screen (o, t, z, u), the
welcome back, and snapshots of the reach-out screen at 80×24 and 100×30."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import NOW
from textual.pilot import Pilot
from textual.widgets import DataTable, Input
from tui_helpers import settle

from prune_tui.model import Decision
from prune_tui.services.nurture import Nurture
from prune_tui.services.review import Review
from prune_tui.store import open_database
from prune_tui.tui.app import create_app
from prune_tui.tui.screens.reach_out import ReachOutScreen, TouchScreen
from prune_tui.tui.screens.review import ReviewScreen
from prune_tui.tui.widgets.card import CardView

Clock = Callable[[], datetime]
SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((80, 24), id="80x24")]


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def ids(db_path: Path) -> dict[str, int]:
    db = open_database(db_path)
    try:
        with db.read() as conn:
            return dict(conn.exec_driver_sql("SELECT slug, id FROM connections").all())
    finally:
        db.close()


@pytest.fixture
def nurtured_db(hostile_db: Path) -> Path:
    """Ada (messaged 4 Mar 2025) and the markup name (never in touch) are due; Zoë, kept with a
    monthly cadence, was in touch ten days ago; Maryam is nurtured and snoozed."""
    people = ids(hostile_db)
    db = open_database(hostile_db)
    try:

        def nurture_at(days_ago: int) -> Nurture:
            return Nurture(Review(db, clock=lambda: NOW - timedelta(days=days_ago)))

        review = Review(db, clock=lambda: NOW)
        for slug, decision in (
            ("ada", Decision.NURTURE),
            ("markup", Decision.NURTURE),
            ("zoe", Decision.KEEP),
            ("maryam", Decision.NURTURE),
            ("long", Decision.NURTURE),
        ):
            review.record_decision(people[slug], decision)
        nurture_at(10).cycle_cadence(people["zoe"], expected=None)  # every 2 weeks
        nurture_at(10).cycle_cadence(people["zoe"], expected=14)  # every month
        nurture_at(10).log_touch(people["zoe"], "[b]coffee[/b], talked about her move to Berlin")
        nurture_at(200).log_touch(
            people["long"], "a call about the " + "very " * 20 + "long project [link=x]"
        )
        nurture_at(0).snooze(people["maryam"])
    finally:
        db.close()
    return hostile_db


def card_text(app: object) -> str:
    view = app.screen.query_one(CardView)  # type: ignore[attr-defined]
    parts = [str(w.render()) for w in view.query("Static")]
    return "\n".join(parts)


async def test_cadence_key_cycles_and_undoes(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        first = screen.card
        assert first is not None
        await pilot.press("d")  # undecided: no cadence, says why
        assert "keep or nurture" in str(list(app._notifications)[-1].message)
        assert "Reach out" not in card_text(app)
        await pilot.press("n", "left")
        assert screen.card is not None and screen.card.id == first.id
        assert "every quarter · never in touch · due today" in card_text(app)
        await pilot.press("d")
        assert "every half-year · never in touch · due today" in card_text(app)
        await pilot.press("d", "d")
        assert "Reach out" not in card_text(app)  # none
        await pilot.press("d")
        assert "every 2 weeks" in card_text(app)
        await pilot.press("u")
        assert "Reach out" not in card_text(app)
        await pilot.press("u", "u")
        assert "every half-year" in card_text(app)
        await pilot.press("u")
        assert "every quarter" in card_text(app)
        nurture = Nurture(app.review)
        assert nurture.person(first.id).cadence_days == 91  # type: ignore[union-attr]


async def test_touch_key_logs_under_the_note(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("k", "left", "t")
        assert isinstance(app.screen, TouchScreen)
        await pilot.press(*"coffee")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        text = card_text(app)
        assert "Touches  20 Nov 2026  coffee" in text
        assert "Reach out" not in text  # kept: no cadence unless set
        await pilot.press("d")
        assert "every 2 weeks · last contact 20 Nov 2026 · due in 14 days" in card_text(app)
        await pilot.press("t", "escape")  # escape logs nothing
        await pilot.pause()
        assert card_text(app).count("coffee") == 1


async def test_reach_out_screen(nurtured_db: Path, clock: Clock) -> None:
    app = create_app(nurtured_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        # The welcome back says how many are due.
        messages = [str(n.message) for n in app._notifications]
        assert "3 people to reach out to. Press w to see who." in messages
        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReachOutScreen)
        table = screen.query_one(DataTable)
        names = [p.first_name for p in screen.people.values()]
        # Most overdue first: Ada (last message 4 Mar 2025), Maximilian (a touch 200 days
        # ago), then the markup name, never in touch, due today. Zoë is not due and
        # Maryam is snoozed.
        assert names == ["Ada", "Maximilian Alexander Christopher", "[bold]Markup[/bold]"]
        first_row = [str(c) for c in table.get_row_at(0)]
        assert first_row == [
            "535 days",
            "Ada Lovelace",
            "Mathematician at Analytical Engines",
            "4 Mar 2025",
            "",
        ]
        assert [str(c) for c in table.get_row_at(1)][4].startswith("a call about the very")
        assert str(screen.query_one("#reach-title").render()).startswith("3 people to reach out to")

        await pilot.press("t")
        assert isinstance(app.screen, TouchScreen)
        await pilot.press(*"call")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert [p.first_name for p in screen.people.values()] == [
            "Maximilian Alexander Christopher",
            "[bold]Markup[/bold]",
        ]
        await pilot.press("z")
        assert list(screen.people) == [ids(nurtured_db)["markup"]]
        assert "due again on 27 Nov 2026" in str(list(app._notifications)[-1].message)
        await pilot.press("u")  # the snooze comes back
        await settle(pilot)
        assert len(screen.people) == 2
        await pilot.press("u")  # and the touch
        await settle(pilot)
        assert len(screen.people) == 3
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


async def test_reach_out_empty_and_from_the_palette(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not [n for n in app._notifications if "reach out" in str(n.message)]
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "Who to reach out to" in commands
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, ReachOutScreen)
        assert "No one has a cadence yet" in str(app.screen.query_one("#reach-empty").render())
        await pilot.press("o", "t", "z")  # nothing under the cursor: nothing happens
        assert isinstance(app.screen, ReachOutScreen)


async def test_touch_note_is_one_line(nurtured_db: Path, clock: Clock) -> None:
    app = create_app(nurtured_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("t")
        field = app.screen.query_one(Input)
        field.value = "line one\nline two"
        await pilot.press("enter")
        await pilot.pause()
        touches = Nurture(app.review).touches(ids(nurtured_db)["ada"])
        assert touches[0].note == "line one line two"


@pytest.mark.parametrize("size", SIZES)
def test_reach_out_snapshot(
    snap_compare: Callable[..., bool], nurtured_db: Path, clock: Clock, size: tuple[int, int]
) -> None:
    app = create_app(nurtured_db, clock=clock)

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_o_opens_the_profile(
    nurtured_db: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prune_tui.tui import browser

    opened: list[str] = []

    def fake_open(app: object, url: str) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(browser, "open_in_browser", fake_open)
    app = create_app(nurtured_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("o")
        assert opened == ["https://www.linkedin.com/in/ada"]
        await pilot.press("down", "enter")
        assert opened[-1] == "https://www.linkedin.com/in/long"


async def test_the_card_shows_the_newest_touches(hostile_db: Path, clock: Clock) -> None:
    people = ids(hostile_db)
    db = open_database(hostile_db)
    try:
        Review(db, clock=clock).record_decision(people["markup"], Decision.NURTURE)
        for days in (40, 30, 20, 10, 5):
            Nurture(Review(db, clock=lambda d=days: NOW - timedelta(days=d))).log_touch(
                people["markup"], f"touch {days} days ago"
            )
    finally:
        db.close()
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.screen.open_card(people["markup"])  # as find and browse do  # type: ignore[attr-defined]
        await pilot.pause()
        text = card_text(app)
        assert "every quarter · last contact 15 Nov 2026 · due in 86 days" in text
        assert "Touches  15 Nov 2026  touch 5 days ago" in text
        assert "touch 20 days ago" in text and "touch 30 days ago" not in text
        assert "and earlier ones" in text
