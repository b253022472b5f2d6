"""A database error in the app never crashes it (issue 11, item 3): a lock held past the busy
timeout by another prune-tui, a full disk, a damaged page. The card stays, a notification says
what happened and what to do, nothing is half-written; the same key works once the problem is
gone. A crash's traceback never prints local variables (they hold names and slugs)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy.exc
from textual.app import App, ComposeResult
from textual.widgets import Static

import prune_tui.store.database as database_module
import prune_tui.tui.app
from prune_tui.store.database import Database
from prune_tui.tui.app import PruneApp, create_app
from prune_tui.tui.screens.review import ReviewScreen

Clock = Callable[[], datetime]


def decisions(path: Path) -> dict[str, str | None]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT slug, decision FROM connections"))


def history_rows(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM history").fetchone()[0])


def notices(app: PruneApp) -> list[str]:
    return [n.message for n in app._notifications]


def card_id(app: PruneApp) -> int | None:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen.card.id if screen.card else None


async def test_a_lock_held_by_another_prune_tui_keeps_the_card(
    hostile_db: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 50)  # not 10 s in a test
    before = decisions(hostile_db)
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        first = card_id(app)
        # Another prune-tui (an import in another window) holds the write lock.
        other = sqlite3.connect(hostile_db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            for key in ("r", "1", "u"):
                await pilot.press(key)
                await pilot.pause()
                assert card_id(app) == first  # the card stays
        finally:
            other.execute("ROLLBACK")
            other.close()
        said = notices(app)
        assert (
            "Another prune-tui is importing or saving; your decision was not saved. "
            "Press r again in a moment." in said
        )
        assert any("your answer was not saved" in n for n in said)
        assert decisions(hostile_db) == before
        assert history_rows(hostile_db) == 0  # nothing half-written
        await pilot.press("r")  # the lock is gone: the same key works
        await pilot.pause()
        assert card_id(app) != first
        assert app.is_running
    assert app.return_code in (None, 0)
    assert sum(1 for v in decisions(hostile_db).values() if v == "remove") == 1


def _driver_error(kind: str) -> sqlite3.Error:
    if kind == "full":
        error: sqlite3.Error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorname = "SQLITE_FULL"  # type: ignore[attr-defined]
    else:
        error = sqlite3.DatabaseError("database disk image is malformed")
        error.sqlite_errorname = "SQLITE_CORRUPT"  # type: ignore[attr-defined]
    return error


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("full", "The disk is full; your decision was not saved. Free some space, then press r"),
        ("damaged", "The database is damaged; your decision was not saved. Quit (q), save what"),
    ],
)
async def test_a_full_disk_or_a_damaged_page_on_a_decision(
    hostile_db: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch, kind: str, words: str
) -> None:
    error = _driver_error(kind)
    real_write = Database.write

    @contextmanager
    def failing_write(self: Database) -> Iterator[Any]:
        with real_write(self) as conn:
            conn.exec_driver_sql("UPDATE settings SET value = value")  # some work first …
            raise sqlalchemy.exc.OperationalError("COMMIT", (), error)  # … then the disk fails
        yield conn  # pragma: no cover

    before = decisions(hostile_db)
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        first = card_id(app)
        monkeypatch.setattr(Database, "write", failing_write)
        await pilot.press("r")
        await pilot.pause()
        assert card_id(app) == first
        said = notices(app)
        assert any(words in n for n in said), said
        assert not any("COMMIT" in n or "UPDATE" in n for n in said)  # never SQL
        assert app.is_running
        monkeypatch.undo()
    assert decisions(hostile_db) == before


class Crashing(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("x")

    def on_mount(self) -> None:
        slug = "-".join(["linnea", "berg", "secret"])  # a local a rich traceback would print
        raise RuntimeError(f"boom {len(slug)}")


async def test_a_crash_never_prints_local_variables() -> None:
    class CrashingPrune(PruneApp):
        CSS_PATH = str(Path(prune_tui.tui.app.__file__).with_name("app.tcss"))
        compose = Crashing.compose  # type: ignore[assignment]
        on_mount = Crashing.on_mount  # type: ignore[assignment]

        def get_default_screen(self) -> Any:
            return App.get_default_screen(self)

        def _print_error_renderables(self) -> None:
            self.printed = list(self._exit_renderables)  # what the terminal would get
            self._exit_renderables.clear()

    app = CrashingPrune(Path("/nonexistent/never-opened.db"))
    with pytest.raises(RuntimeError):
        async with app.run_test() as pilot:
            await pilot.pause()
    # The app prints no traceback at all: the command line writes it to a private log file and
    # prints one line (tests/tui/test_failures.py); nothing with local variables reaches the
    # terminal.
    text = "".join(segment.text for renderable in app.printed for segment in renderable.segments)
    assert "linnea-berg-secret" not in text
    assert isinstance(app.crash, RuntimeError) and "boom" in str(app.crash)


async def test_an_import_from_the_welcome_screen_meets_a_lock(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui_helpers import wait_for_workers

    from prune_tui.tui.screens.welcome import WelcomeScreen

    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 50)
    export = tmp_path / "Connections.csv"
    export.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ada,Secretname,https://www.linkedin.com/in/ada,,Acme,Role,01 Jan 2020\n",
        encoding="utf-8",
    )
    db_path = tmp_path / "empty.db"
    app = create_app(db_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            app.screen.query_one("#welcome-path").value = str(export)  # type: ignore[attr-defined]
            await pilot.press("enter")
            await pilot.pause()
            await wait_for_workers(app)
            await pilot.pause()
        finally:
            other.execute("ROLLBACK")
            other.close()
        message = str(app.screen.query_one("#welcome-message", Static).content)
        assert "another prune-tui is busy" in message
        assert "Secretname" not in message and "INSERT" not in message


async def test_a_decision_whose_next_card_cannot_be_read_is_not_half_written(
    hostile_db: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The decision and the card shown next are saved in one transaction (so a restart opens
    on the card that was on screen): when the next card cannot be read, neither is written."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from prune_tui.services.review import Review

    def unreadable(*_args: Any, **_kwargs: Any) -> None:
        error = sqlite3.DatabaseError("database disk image is malformed")
        error.sqlite_errorname = "SQLITE_CORRUPT"  # type: ignore[attr-defined]
        raise OperationalError("SELECT", {}, error)

    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        first = card_id(app)
        monkeypatch.setattr(Review, "_walk_on", unreadable)
        await pilot.press("r")
        await pilot.pause()
        assert card_id(app) == first
        said = notices(app)
        assert any("your decision was not saved" in n for n in said), said
        assert app.is_running
    assert list(decisions(hostile_db).values()).count("remove") == 0
