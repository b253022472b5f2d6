"""The stats screen (and the app's ways in to it and to the checklist), plus snapshots of both."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from prune_tui.model import Decision
from prune_tui.services.review import Review
from prune_tui.store import open_database
from prune_tui.tui.app import create_app
from prune_tui.tui.screens.checklist import ChecklistScreen
from prune_tui.tui.screens.stats import StatsScreen

Clock = Callable[[], datetime]
SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((80, 24), id="80x24")]


@pytest.fixture
def decided_db(hostile_db: Path, clock: Clock) -> Path:
    """The hostile names, with a few decisions and one removal ticked off."""
    db = open_database(hostile_db)
    try:
        with db.read() as conn:
            ids = dict(conn.exec_driver_sql("SELECT slug, id FROM connections").all())
        review = Review(db, clock=clock)
        review.record_decision(ids["ada"], Decision.KEEP)
        review.record_decision(ids["zoe"], Decision.NURTURE)
        review.record_decision(ids["markup"], Decision.REMOVE)
        review.record_decision(ids["escape"], Decision.REMOVE)
        review.record_decision(ids["long"], Decision.REMOVE)
        review.set_removed(ids["long"], True)
    finally:
        db.close()
    return hostile_db


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def section(screen: StatsScreen, name: str) -> str:
    return str(screen.query_one(f"#stats-{name}", Static).content)


async def test_s_opens_stats_with_every_chart(decided_db: Path, clock: Clock) -> None:
    app = create_app(decided_db, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("s")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        assert section(screen, "decisions").startswith("5 of 6 decided, 1 to go")
        assert "keep" in section(screen, "decisions")
        assert "of 150: room for 148 more" in section(screen, "dunbar")
        assert "1 of 3 removed on LinkedIn" in section(screen, "removals")
        assert "5 decisions over 1 day" in section(screen, "pace")
        years = section(screen, "years").splitlines()
        assert [line.split()[0] for line in years[1:]] == [
            "2016",
            "2017",
            "2018",
            "2019",
            "2020",
            "2021",
        ]
        companies = section(screen, "companies")
        assert "[link=x]Evil[/link] Co…" in companies  # literal (and clipped), not a link
        assert "\x1b" not in companies
        await pilot.press("escape")
        assert not isinstance(app.screen, StatsScreen)


async def test_stats_are_gathered_off_the_event_loop(
    decided_db: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prune_tui.services.facades import Figures

    threads: list[threading.Thread] = []
    real_gather = Figures.gather

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return real_gather(*args, **kwargs)

    monkeypatch.setattr(Figures, "gather", spy)
    app = create_app(decided_db, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("s")
        await _settle(pilot)
        assert threads and all(t is not threading.main_thread() for t in threads)
        assert section(app.screen, "decisions").startswith("5 of 6 decided")  # type: ignore[arg-type]


async def test_stats_count_again_on_every_visit(decided_db: Path, clock: Clock) -> None:
    app = create_app(decided_db, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("s")
        await _settle(pilot)
        await pilot.press("escape")
        await _settle(pilot)
        await pilot.press("k")  # decide the last one on the card
        await pilot.press("s")
        await _settle(pilot)
        assert section(app.screen, "decisions").startswith("6 of 6 decided")  # type: ignore[arg-type]


async def test_l_opens_the_checklist_and_the_two_screens_swap(
    decided_db: Path, clock: Clock
) -> None:
    app = create_app(decided_db, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await _settle(pilot)
        depth = len(app.screen_stack)
        await pilot.press("l")
        await _settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
        await pilot.press("s")
        await _settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        assert len(app.screen_stack) == depth + 1  # swapped, not stacked
        await pilot.press("escape")
        assert len(app.screen_stack) == depth


async def test_palette_offers_checklist_and_stats(decided_db: Path, clock: Clock) -> None:
    app = create_app(decided_db, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await _settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Removal checklist" in titles and "Stats and charts" in titles


async def test_empty_database_stats(tmp_path: Path, clock: Clock) -> None:
    app = create_app(tmp_path / "empty.db", clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await _settle(pilot)
        await app.push_screen(app.build_screen("stats"))
        await _settle(pilot)
        assert section(app.screen, "decisions").startswith("No connections yet")  # type: ignore[arg-type]


# --- snapshots ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_stats_snapshot(
    snap_compare: Callable[..., bool], decided_db: Path, clock: Clock, size: tuple[int, int]
) -> None:
    app = create_app(decided_db, clock=clock)

    async def run_before(pilot: Pilot[None]) -> None:
        await _settle(pilot)
        await pilot.press("s")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_e_saves_every_list_and_a_backup(decided_db: Path, clock: Clock) -> None:
    import json
    import os
    import stat

    from prune_tui.paths import exports_dir

    app = create_app(decided_db, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("s")
        await _settle(pilot)
        await pilot.press("e")
        await _settle(pilot)
        files = sorted(exports_dir().iterdir())
        assert [f.suffix for f in files] == [".csv", ".html", ".json"]
        assert all(stat.S_IMODE(os.stat(f).st_mode) == 0o600 for f in files)
        assert len(json.loads(files[2].read_text(encoding="utf-8"))) == 6
        messages = [n.message for n in app._notifications]
        assert any(str(exports_dir()) in m and files[0].name in m for m in messages)
        await pilot.press("e")  # a second save never overwrites the first
        await _settle(pilot)
        assert len(list(exports_dir().iterdir())) == 6
