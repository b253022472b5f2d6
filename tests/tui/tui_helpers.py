"""Helpers shared by the Pilot and snapshot tests."""

from __future__ import annotations

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
