"""Every screen and action can be found in the command palette (ctrl+p), from anywhere."""

from __future__ import annotations

import sqlite3
import zipfile
from datetime import date
from pathlib import Path

import pytest
from builders import Person, connections_csv
from test_app import Clock, settle
from textual.command import CommandList, CommandPalette
from textual.widgets import Input

from prune_tui.tui.app import PruneApp, create_app
from prune_tui.tui.screens.checklist import ChecklistScreen
from prune_tui.tui.screens.review import ReviewScreen
from prune_tui.tui.screens.welcome import WelcomeScreen


def titles(app: PruneApp) -> str:
    return " | ".join(c.title for c in app.get_system_commands(app.screen)).casefold()


async def palette_hits(app: PruneApp, pilot: object, query: str) -> list[str]:
    await pilot.press("ctrl+p")  # type: ignore[attr-defined]
    await settle(pilot)
    assert isinstance(app.screen, CommandPalette)
    app.screen.query_one(Input).value = query
    await pilot.pause(0.5)  # type: ignore[attr-defined]
    await settle(pilot)
    listed = app.screen.query_one(CommandList)
    hits = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
    await pilot.press("escape")  # type: ignore[attr-defined]
    await settle(pilot)
    return hits


@pytest.mark.parametrize("query", ["export", "import", "checklist", "stats", "browse", "find"])
async def test_the_palette_finds_every_screen_and_action(
    hostile_db: Path, clock: Clock, query: str
) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        hits = await palette_hits(app, pilot, query)
        assert hits and any(query in h.casefold() for h in hits), hits


async def test_from_another_screen_too(hostile_db: Path, clock: Clock) -> None:
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
        found = titles(app)
        for word in ("cards", "import", "export the checklist", "export everyone", "stats"):
            assert word in found


async def test_import_from_the_palette_comes_back_to_the_cards(
    hostile_db: Path, clock: Clock, tmp_path: Path
) -> None:
    with sqlite3.connect(hostile_db) as raw:  # everyone still there, and one new person
        rows = raw.execute(
            "SELECT first_name, last_name, slug, company, position, connected_on FROM connections"
        ).fetchall()
    people = [
        Person(first, last, slug, company=co, position=pos, connected=date.fromisoformat(when))
        for first, last, slug, co, pos, when in rows
    ]
    people.append(Person("Nia", "Newer", "nia-newer", connected=date(2026, 11, 1)))
    archive = tmp_path / "Basic_LinkedInDataExport_11-20-2026.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("Connections.csv", connections_csv(people))
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.action_import()
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("escape")  # back, not out
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and app.is_running
        app.action_import()
        await settle(pilot)
        app.screen.query_one("#welcome-path", Input).value = str(archive)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        assert len(app.screen_stack) == 1 and isinstance(app.screen, ReviewScreen)
        assert app.review.count(app.screen.queue) == 7  # Nia is among the cards
