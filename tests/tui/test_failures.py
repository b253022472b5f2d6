"""Failures look like the rest of the app: one line and a private log for an unexpected error,
no crash from keys that arrive together, a busy database that is said, not fatal."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from test_app import Clock, settle
from textual.widgets import DataTable

from prune_tui import cli
from prune_tui.services.review import Review
from prune_tui.tui.app import PruneApp, create_app
from prune_tui.tui.screens.browse import BrowseScreen
from prune_tui.tui.screens.review import ReviewScreen


def _crash_on_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_skip(self: ReviewScreen) -> None:
        secret_local = "hunter2-" + "pw"  # noqa: F841 - must never be printed
        raise RuntimeError("boom")

    monkeypatch.setattr(ReviewScreen, "action_skip", broken_skip)
    real_run = PruneApp.run

    def headless_run(self: PruneApp, **kwargs: Any) -> Any:
        async def press_space(pilot: Any) -> None:
            await pilot.pause()
            await pilot.press("space")
            await pilot.pause()

        return real_run(self, headless=True, size=(100, 30), auto_pilot=press_space)

    monkeypatch.setattr(PruneApp, "run", headless_run)


def test_an_unexpected_error_is_one_line_and_a_private_log(
    hostile_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _crash_on_skip(monkeypatch)
    code = cli.main(["--db", str(hostile_db)])
    out, err = capsys.readouterr()
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("prune-tui: error: something went wrong inside the app")
    assert "hunter2" not in err + out and "Traceback" not in err + out
    log = Path(lines[0].split("the details are in ", 1)[1].split(" (run again")[0])
    assert log.is_file() and stat.S_IMODE(log.stat().st_mode) == 0o600
    text = log.read_text()
    assert "RuntimeError: boom" in text and "broken_skip" in text
    assert "hunter2" not in text  # no local variables, ever


def test_debug_shows_the_traceback(
    hostile_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _crash_on_skip(monkeypatch)
    code = cli.main(["--db", str(hostile_db), "--debug"])
    _, err = capsys.readouterr()
    assert code == 1
    assert "Traceback" in err and "RuntimeError: boom" in err
    assert err.strip().splitlines()[-1].startswith("prune-tui: error: ")


async def test_enter_and_another_key_together_never_crash_browse(
    hostile_db: Path, clock: Clock
) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        # `tmux send-keys Enter l`: the row is chosen, and the checklist opens before the
        # choice is handled. The later key wins; nothing else is closed.
        app.screen.query_one(DataTable).action_select_cursor()
        app.action_open_screen("checklist")
        await settle(pilot)
        names = [type(s).__name__ for s in app.screen_stack]
        assert names == ["ReviewScreen", "BrowseScreen", "ChecklistScreen"]
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        # Enter twice: the card opens once; the second choice does not close the review.
        await pilot.press("b")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        table.action_select_cursor()
        table.action_select_cursor()
        await settle(pilot)
        assert [type(s).__name__ for s in app.screen_stack] == ["ReviewScreen"]
    assert app.crash is None


async def test_a_busy_database_in_a_worker_is_said_not_fatal(
    hostile_db: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(self: Review) -> None:
        raise OperationalError("SELECT", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(Review, "progress", locked)
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("k")  # the review goes on
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and app.is_running
        said = [n.message for n in app._notifications]
        assert any("busy with the database" in m or "Another prune-tui" in m for m in said), said
    assert app.crash is None and app.return_code in (0, None)
