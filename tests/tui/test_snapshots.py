"""Snapshots of the card, help, browse and welcome screens at 100×30 and 80×24, with hostile
names and a fixed clock. Update on purpose with `pytest --snapshot-update`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from tui_helpers import wait_for_workers as _wait_for_workers

from prune_tui.tui.app import create_app

SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((80, 24), id="80x24")]
Clock = Callable[[], datetime]


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await _wait_for_workers(pilot.app)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_card(
    snap_compare: Callable[..., bool], hostile_db: Path, clock: Clock, size: tuple[int, int]
) -> None:
    app = create_app(hostile_db, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES)
def test_card_with_evidence_and_answers(
    snap_compare: Callable[..., bool], hostile_db: Path, clock: Clock, size: tuple[int, int]
) -> None:
    app = create_app(hostile_db, clock=clock)

    async def run_before(pilot: Pilot[None]) -> None:
        await _settle(pilot)
        await pilot.press("k", "space", "r", "space", "space", "1", "3", "3", "5")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help(
    snap_compare: Callable[..., bool], hostile_db: Path, clock: Clock, size: tuple[int, int]
) -> None:
    app = create_app(hostile_db, clock=clock)

    async def run_before(pilot: Pilot[None]) -> None:
        await _settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_browse(
    snap_compare: Callable[..., bool], hostile_db: Path, clock: Clock, size: tuple[int, int]
) -> None:
    app = create_app(hostile_db, clock=clock)

    async def run_before(pilot: Pilot[None]) -> None:
        await _settle(pilot)
        await pilot.press("k", "n", "r", "b")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_welcome(
    snap_compare: Callable[..., bool], tmp_path: Path, clock: Clock, size: tuple[int, int]
) -> None:
    app = create_app(tmp_path / "empty.db", clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=_settle)
