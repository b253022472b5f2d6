"""Snapshots of deciding many at once: browse with rows marked, and the confirm dialog over it,
at 100×30 and 80×24 with hostile names and a fixed clock. Update on purpose with
`pytest --snapshot-update`, and look at the new SVGs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from tui_helpers import wait_for_workers

from prune_tui.tui.app import create_app

SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((80, 24), id="80x24")]
Clock = Callable[[], datetime]


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await wait_for_workers(pilot.app)
    await pilot.pause()


async def _marked(pilot: Pilot[None]) -> None:
    """Browse with the first, second and fourth rows marked, one of them kept."""
    await _settle(pilot)
    await pilot.press("k", "b")
    await _settle(pilot)
    await pilot.press("m", "m", "down", "m")
    await _settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_browse_with_marks(
    snap_compare: Callable[..., bool], hostile_db: Path, clock: Clock, size: tuple[int, int]
) -> None:
    app = create_app(hostile_db, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=_marked)


@pytest.mark.parametrize("size", SIZES)
def test_confirm_dialog(
    snap_compare: Callable[..., bool], hostile_db: Path, clock: Clock, size: tuple[int, int]
) -> None:
    app = create_app(hostile_db, clock=clock)

    async def run_before(pilot: Pilot[None]) -> None:
        await _marked(pilot)
        await pilot.press("r")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
