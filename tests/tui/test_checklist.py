"""The removal checklist screen, driven as a user would: open, tick, undo, export, flags."""

from __future__ import annotations

import csv
import io
import os
import stat
import webbrowser
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from prune_tui.model import Decision
from prune_tui.services.importer import import_path
from prune_tui.services.removals import set_per_day
from prune_tui.services.review import Review
from prune_tui.store import open_database
from prune_tui.store.insights import removal_progress
from prune_tui.tui.app import create_app
from prune_tui.tui.browser import NO_BROWSER
from prune_tui.tui.screens.checklist import ChecklistScreen

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
# The database was imported before this moment, and every tick is made at it.
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
IMPORTED = "2026-01-01T00:00:00+00:00"

PEOPLE = [
    ("Ada", "Lovelace", "ada", "Analytical Engines", "Countess", "03 Mar 2015"),
    ("Bob", "[bold]Builder[/bold]", "bob", "Acme", "Foreman", "04 Apr 2016"),
    ("Cleo", "Patra", "cleo", "Nile", "Queen", "05 May 2017"),
    ("Dan", "Keeper", "dan", "Acme", "Engineer", "06 Jun 2018"),
    ("Eve", "Evil", "eve", "Evil Corp", "<script>alert(1)</script>", "07 Jul 2019"),
]


def write_connections(path: Path, people: list[tuple[str, ...]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for first, last, slug, company, position, when in people:
        url = f"https://www.linkedin.com/in/{slug}" if slug != "eve" else "javascript:alert(1)"
        writer.writerow([first, last, url, "", company, position, when])
    path.write_text(HEADER + buffer.getvalue(), encoding="utf-8")
    return path


def build(tmp_path: Path) -> Path:
    db_path = tmp_path / "prune.db"
    db = open_database(db_path)
    try:
        import_path(db, write_connections(tmp_path / "Connections.csv", PEOPLE))
        with db.write() as conn:
            conn.exec_driver_sql("UPDATE import_runs SET imported_at = ?", (IMPORTED,))
            ids = dict(conn.exec_driver_sql("SELECT first_name, id FROM connections").all())
        review = Review(db, clock=lambda: NOW)
        for name in ("Ada", "Bob", "Cleo", "Eve"):
            review.record_decision(ids[name], Decision.REMOVE)
        review.record_decision(ids["Dan"], Decision.KEEP)
    finally:
        db.close()
    return db_path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return build(tmp_path)


async def open_checklist(app, pilot) -> ChecklistScreen:  # type: ignore[no-untyped-def]
    screen = app.build_screen("checklist")
    assert isinstance(screen, ChecklistScreen)
    await app.push_screen(screen)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return screen


def names(screen: ChecklistScreen) -> list[str]:
    table = screen.query_one(DataTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


def ticks(screen: ChecklistScreen) -> list[str]:
    table = screen.query_one(DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def progress_text(screen: ChecklistScreen) -> str:
    return str(screen.query_one("#checklist-progress", Static).content)


async def test_lists_removals_with_progress_and_literal_names(db_path: Path) -> None:
    app = create_app(db_path, clock=lambda: NOW)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_checklist(app, pilot)
        assert names(screen) == [
            "Ada Lovelace",
            "Bob [bold]Builder[/bold]",
            "Cleo Patra",
            "Eve Evil",
        ]
        table = screen.query_one(DataTable)
        assert str(table.get_row_at(0)[2]) == "Countess"
        assert str(table.get_row_at(0)[3]) == "Analytical Engines"
        assert str(table.get_row_at(0)[4]) == "linkedin.com/in/ada"
        assert str(table.get_row_at(3)[2]) == "<script>alert(1)</script>"
        assert progress_text(screen).startswith("today 0 of 25 · 0 of 4 removed")
        assert "about 1 day at this pace" in progress_text(screen)


async def test_x_ticks_off_moves_on_and_undo_takes_it_back(db_path: Path) -> None:
    app = create_app(db_path, clock=lambda: NOW)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_checklist(app, pilot)
        await pilot.press("x")
        assert ticks(screen)[0] == "✓"
        assert screen.query_one(DataTable).cursor_row == 1
        assert progress_text(screen).startswith("today 1 of 25 · 1 of 4 removed")
        await pilot.press("x")
        assert progress_text(screen).startswith("today 2 of 25 · 2 of 4 removed")
        assert removal_progress(app.review.db).ticked == 2

        await pilot.press("u")
        assert ticks(screen)[:2] == ["✓", "○"]  # back among today's share
        assert progress_text(screen).startswith("today 1 of 25 · 1 of 4 removed")

        # x on a ticked row unticks it (the list keeps its order meanwhile).
        await pilot.press("up", "up")
        assert screen.query_one(DataTable).cursor_row == 0
        await pilot.press("x")
        assert ticks(screen)[0] == "○"
        assert removal_progress(app.review.db).ticked == 0
        assert len(names(screen)) == 4

    # Ticks are saved: a later session lists what is left first, and the tick at the end.
    app = create_app(db_path, clock=lambda: NOW)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_checklist(app, pilot)
        await pilot.press("x")
    app = create_app(db_path, clock=lambda: NOW + timedelta(hours=1))
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_checklist(app, pilot)
        assert names(screen) == [
            "Bob [bold]Builder[/bold]",
            "Cleo Patra",
            "Eve Evil",
            "Ada Lovelace",
        ]
        assert ticks(screen) == ["○", "○", "○", "✓"]
        assert progress_text(screen).startswith("today 1 of 25 · 1 of 4 removed")


async def test_o_opens_linkedin_profiles_only(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(db_path, clock=lambda: NOW)
    opened: list[str] = []
    browser = {"there": True}

    def fake_open(url: str, *_: object, **__: object) -> bool:
        opened.append(url)
        return browser["there"]

    monkeypatch.setattr(webbrowser, "open", fake_open)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_checklist(app, pilot)
        await pilot.press("o")
        assert opened == ["https://www.linkedin.com/in/ada"]
        assert "Opened the profile" in list(app._notifications)[-1].message
        # No browser to hand it to (a server over SSH): says so, and what to do instead.
        browser["there"] = False
        await pilot.press("o")
        await pilot.pause()
        assert list(app._notifications)[-1].message == NO_BROWSER
        await pilot.press("down", "down", "down", "o")  # Eve's "URL" is javascript: never opened
        await pilot.pause()
        assert opened == ["https://www.linkedin.com/in/ada"] * 2
        assert any("does not look like" in n.message for n in app._notifications)


async def test_flagged_when_still_in_a_newer_export(db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)
    try:
        with db.read() as conn:
            ids = dict(conn.exec_driver_sql("SELECT first_name, id FROM connections").all())
        review = Review(db, clock=lambda: NOW)
        review.set_removed(ids["Cleo"], True)  # ticked, but the next export still has her
        review.set_removed(ids["Ada"], True)  # ticked, and really gone next time
        later = [p for p in PEOPLE if p[0] != "Ada"]
        import_path(db, write_connections(tmp_path / "later.csv", later), allow_shrink=True)
    finally:
        db.close()
    app = create_app(db_path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_checklist(app, pilot)
        assert names(screen) == ["Cleo Patra", "Bob [bold]Builder[/bold]", "Eve Evil"]
        assert ticks(screen) == ["!", "○", "○"]
        text = progress_text(screen)
        assert "1 of 4 removed" in text
        assert "1 marked removed but still in your newer export" in text
        await pilot.press("x")  # removed again, for real this time
        assert ticks(screen)[0] == "✓"
        assert removal_progress(app.review.db).flagged == 0
        assert "still in your newer export" not in progress_text(screen)


async def test_export_writes_private_files_and_says_where(db_path: Path) -> None:
    app = create_app(db_path, clock=lambda: NOW)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_checklist(app, pilot)
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        from prune_tui.paths import exports_dir

        folder = exports_dir()
        files = sorted(folder.iterdir())
        assert [f.suffix for f in files] == [".html", ".md"]
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
        for f in files:
            assert stat.S_IMODE(os.stat(f).st_mode) == 0o600
        assert "[Ada Lovelace](https://www.linkedin.com/in/ada)" in files[1].read_text()
        messages = [n.message for n in app._notifications]
        assert any(str(folder) in m and files[0].name in m for m in messages)


async def test_empty_checklist_says_so(tmp_path: Path) -> None:
    db_path = tmp_path / "prune.db"
    db = open_database(db_path)
    import_path(db, write_connections(tmp_path / "Connections.csv", PEOPLE[:2]))
    db.close()
    app = create_app(db_path, clock=lambda: NOW)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_checklist(app, pilot)
        text = str(screen.query_one("#checklist-empty", Static).content)
        assert text.startswith("No removals yet")
        await pilot.press("x", "o", "u")  # nothing to act on: no crash


# --- snapshots (the hostile names of tests/tui/conftest.py, one removal ticked, 2 a day) -----

SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((80, 24), id="80x24")]


@pytest.fixture
def hostile_removals(hostile_db: Path, clock: Callable[[], datetime]) -> Path:
    db = open_database(hostile_db)
    try:
        with db.read() as conn:
            ids = dict(conn.exec_driver_sql("SELECT slug, id FROM connections").all())
        review = Review(db, clock=clock)
        for slug in ("markup", "zoe", "maryam", "long", "escape"):
            review.record_decision(ids[slug], Decision.REMOVE)
        review.record_decision(ids["ada"], Decision.KEEP)
        review.set_removed(ids["maryam"], True)
        set_per_day(db, 2)  # met once the snapshot ticks one more
    finally:
        db.close()
    return hostile_db


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_checklist_snapshot(
    snap_compare: Callable[..., bool],
    hostile_removals: Path,
    clock: Callable[[], datetime],
    size: tuple[int, int],
) -> None:
    app = create_app(hostile_removals, clock=clock)

    async def run_before(pilot: Pilot[None]) -> None:
        await _settle(pilot)
        await pilot.press("l")
        await _settle(pilot)
        await pilot.press("x")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_the_figures_are_counted_while_the_rows_are_read(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not after the rows are painted: a read held back still lets the figures arrive, and
    the rows' arrival does not count them a second time."""
    import threading

    from prune_tui.tui.widgets.paged import PagedTable

    release = threading.Event()
    read = PagedTable._read_in_thread

    def held(self: PagedTable, *args: object) -> None:
        release.wait(10)
        read(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(PagedTable, "_read_in_thread", held)
    app = create_app(db_path, clock=lambda: NOW)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = app.build_screen("checklist")
        assert isinstance(screen, ChecklistScreen)
        counts: list[object] = []
        pace = screen.removals.pace
        monkeypatch.setattr(screen.removals, "pace", lambda *a: counts.append(a) or pace(*a))
        await app.push_screen(screen)
        for _ in range(200):
            await pilot.pause(0.01)
            if screen.pace is not None:
                break
        assert screen.pace is not None and not screen.table.loaded
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.table.loaded and len(counts) == 1
        assert "removed" in progress_text(screen)
