#!/usr/bin/env python3
"""SVG screenshots of every screen, from the demo data at a fixed size and a fixed clock.

    python scripts/screenshots.py          # (re)writes screenshots/*.svg

tests/test_screenshots.py renders the same screens and fails when one no longer matches its
file, so a screen cannot change without its screenshot being looked at and updated.
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"
SIZE = (110, 34)
TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 16, 30, tzinfo=timezone.utc)

Step = Callable[[object], Awaitable[None]]


def fixed_clock() -> datetime:
    return NOW


def prepare_demo(path: Path, *, decided: int = 120) -> None:
    """The demo network with a morning's worth of decisions, made at fixed times."""
    from prune_tui.demo import make_demo_database
    from prune_tui.model import Decision
    from prune_tui.services.review import Order, Queue, Review
    from prune_tui.store import open_database

    make_demo_database(path, today=TODAY)
    db = open_database(path)
    with db.write() as conn:  # the import happened the day before, on the fixed clock too
        conn.exec_driver_sql(
            "UPDATE import_runs SET imported_at = ?", ((NOW - timedelta(days=1)).isoformat(),)
        )
    moments = iter(NOW - timedelta(minutes=90) + timedelta(seconds=40 * i) for i in range(10_000))
    review = Review(db, clock=lambda: next(moments))
    rng = random.Random(11)
    card = review.first_card(Queue(order=Order.OLDEST))
    done = 0
    while card is not None and done < decided:
        choice = rng.choices([Decision.REMOVE, Decision.KEEP, Decision.NURTURE], weights=[7, 2, 2])[
            0
        ]
        review.record_decision(card.id, choice)
        if choice is Decision.REMOVE and rng.random() < 0.35:
            review.set_removed(card.id, True)
        done += 1
        card = review.next_card(Queue(order=Order.OLDEST), card.id)
    db.close()


def evidence_card_id(path: Path) -> int:
    from prune_tui.store import open_database

    db = open_database(path)
    with db.read() as conn:
        found = conn.exec_driver_sql(
            """
            SELECT c.id FROM connections c JOIN evidence e ON e.person = c.slug
            WHERE c.decision IS NULL AND e.message_count > 0 AND e.invitation_message IS NOT NULL
            ORDER BY c.connected_on, c.id LIMIT 1
            """
        ).scalar_one()
    db.close()
    return int(found)


async def _shoot(db_path: Path, steps: Callable[[object], Awaitable[None]] | None) -> str:
    from prune_tui.tui.app import create_app

    app = create_app(db_path, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if steps is not None:
            await steps(pilot)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        return app.export_screenshot(title="prune-tui")


def _keys(*keys: str) -> Step:
    async def press(pilot: object) -> None:
        for key in keys:
            await pilot.press(key)  # type: ignore[attr-defined]
            await pilot.pause()  # type: ignore[attr-defined]

    return press


async def capture_all(work: Path) -> dict[str, str]:
    """Every screen as SVG text, by file name."""
    empty = work / "empty.db"
    demo = work / "demo.db"
    prepare_demo(demo)
    evidence_id = evidence_card_id(demo)

    async def evidence_card(pilot: object) -> None:
        screen = pilot.app.screen  # type: ignore[attr-defined]
        screen.open_card(evidence_id)
        await pilot.pause()  # type: ignore[attr-defined]

    shots: dict[str, tuple[Path, Step | None]] = {
        "welcome": (empty, None),
        "card": (demo, None),
        "card-evidence": (demo, evidence_card),
        "help": (demo, _keys("question_mark")),
        "browse": (demo, _keys("b")),
        "checklist": (demo, _keys("l")),
        "stats": (demo, _keys("s")),
        "invitations": (demo, _keys("i", "a", "x")),
        "reach-out": (demo, _keys("w")),
    }
    return {f"{name}.svg": await _shoot(db, steps) for name, (db, steps) in shots.items()}


def main() -> int:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="prune-shots-") as tmp:
        shots = asyncio.run(capture_all(Path(tmp)))
    for name, svg in shots.items():
        (OUT / name).write_text(svg, encoding="utf-8")
        print(f"wrote screenshots/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
