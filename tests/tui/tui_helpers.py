"""Helpers shared by the Pilot and snapshot tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any


async def wait_for_workers(app: object) -> None:
    """Wait for the app's workers; an exclusive worker replaced by a newer one is fine."""
    from textual.worker import WorkerCancelled

    for _ in range(3):
        try:
            await app.workers.wait_for_complete()  # type: ignore[attr-defined]
            return
        except WorkerCancelled:
            continue


async def settle(pilot: Any) -> None:
    """Let the app paint, finish its workers, and paint what they posted."""
    await pilot.pause()
    await wait_for_workers(pilot.app)
    await pilot.pause()


@asynccontextmanager
async def browsing(db: Path, clock: Callable[[], datetime]) -> AsyncIterator[tuple[Any, Any, Any]]:
    """The app on `db` at 100×30, browse opened from the card and its first rows read:
    (pilot, the browse screen, its table)."""
    from prune_tui.tui.app import create_app
    from prune_tui.tui.screens.browse import BrowseScreen
    from prune_tui.tui.widgets.paged import PagedTable

    app = create_app(db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        yield pilot, screen, screen.query_one(PagedTable)
