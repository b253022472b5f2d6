"""App benchmarks (docs/PRODUCT.md §10) at 30,000 connections, collected by scripts/bench.py:

- start to first card painted, whole process, against a bare Textual app (Header, Static,
  Footer) that loads SQLAlchemy, both headless and exiting right after their first paint;
- peak memory of the same two processes;
- the decision handler (write + load the next card), p95 over a run of decisions;
- key to repaint: from a decision key to the end of the repaint it causes (the update rendered
  to terminal output), against a bare app whose key updates a Static, in the same harness
  (headless; `pilot.press` is not timed, as it polls).

The package is byte-compiled first, as an install leaves it (bench.compile_package).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, ClassVar

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

PEAK_PRELUDE = r"""
import atexit, os

def _record_peak():
    # VmHWM starts afresh at exec, unlike ru_maxrss, which a forked child inherits from a
    # large parent (this benchmark's own process).
    target = os.environ.get("PRUNE_BENCH_HWM")
    if target:
        with open("/proc/self/status") as fh:
            peak = next(line for line in fh if line.startswith("VmHWM"))
        with open(target, "w") as out:
            out.write(peak.split()[1])

atexit.register(_record_peak)
"""

BARE_APP = (
    PEAK_PRELUDE
    + r"""
import sqlalchemy  # the stack floor loads the data layer too
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    def compose(self):
        yield Header()
        yield Static("Ada Lovelace")
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self.exit)

Bare().run(headless=True, size=(100, 30))
"""
)

OUR_APP = (
    PEAK_PRELUDE
    + r"""
import sys
from pathlib import Path
from prune_tui.tui.app import create_app
from prune_tui.tui.screens.review import ReviewScreen

first_mount = ReviewScreen.on_mount

def on_mount(self):
    first_mount(self)
    assert self.card is not None
    self.call_after_refresh(self.app.exit)  # the first card has been painted

ReviewScreen.on_mount = on_mount
create_app(Path(sys.argv[1])).run(headless=True, size=(100, 30))
"""
)


def _database(work: Path) -> Path:
    from bench import make_connections_csv  # type: ignore[import-not-found]

    from prune_tui.services.importer import import_path
    from prune_tui.store import open_database

    csv_path = make_connections_csv(work / "Connections.csv")
    db_path = work / "app.db"
    db = open_database(db_path)
    try:
        import_path(db, csv_path)
    finally:
        db.close()
    return db_path


def _handler_times(db_path: Path, decisions: int = 300) -> list[float]:
    from prune_tui.tui.app import create_app
    from prune_tui.tui.screens.review import ReviewScreen

    async def run() -> list[float]:
        app = create_app(db_path)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            for i in range(decisions):
                screen.action_decide(("keep", "nurture", "remove")[i % 3])
                if i % 20 == 0:
                    await pilot.pause()  # let repaints and the recount worker run too
            return list(screen.handler_times)

    return asyncio.run(run())


def _repaint_times(db_path: Path | None, presses: int = 150) -> list[float]:
    """Seconds from each key to the end of the repaint it caused."""
    from textual._compositor import CompositorUpdate
    from textual.app import App, ComposeResult
    from textual.binding import BindingType
    from textual.widgets import Footer, Header, Static

    class Bare(App[None]):
        BINDINGS: ClassVar[list[BindingType]] = [("k", "next", "next")]
        shown = 0

        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("Ada Lovelace", id="name")
            yield Footer()

        def action_next(self) -> None:
            self.shown += 1
            self.query_one("#name", Static).update(f"Person {self.shown}")

    async def run() -> list[float]:
        if db_path is None:
            app: App[Any] = Bare()
            keys = "k"
        else:
            from prune_tui.tui.app import create_app

            app = create_app(db_path)
            keys = "knr"
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause(0.2)
            painted = asyncio.Event()
            display = app._display

            def timed_display(screen: Any, renderable: Any) -> None:
                display(screen, renderable)
                if isinstance(renderable, CompositorUpdate):
                    renderable.render_segments(app.console)  # what a terminal would be sent
                painted.set()

            app._display = timed_display  # type: ignore[method-assign]
            times = []
            for i in range(presses):
                await pilot.pause(0.03)
                painted.clear()
                started = time.perf_counter()
                app.simulate_key(keys[i % len(keys)])
                await asyncio.wait_for(painted.wait(), 5)
                times.append(time.perf_counter() - started)
            return times

    return asyncio.run(run())


def _peak_mib(cmd: list[str], work: Path) -> float:
    """Peak resident memory of one run of `cmd`, as the child itself saw it (Linux)."""
    import subprocess

    target = work / "hwm.txt"
    env = {**os.environ, "PRUNE_BENCH_HWM": str(target)}
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return int(target.read_text()) / 1024


def cases() -> list[dict[str, Any]]:
    from bench import best_of, case, compile_package

    compile_package()
    with tempfile.TemporaryDirectory(prefix="prune-bench-app-") as tmp:
        work = Path(tmp)
        db_path = _database(work)
        env_path = str(ROOT)
        os.environ["PYTHONPATH"] = env_path + os.pathsep + os.environ.get("PYTHONPATH", "")
        (bare_t, _), (ours_t, _) = best_of(
            lambda _i: [sys.executable, "-c", BARE_APP],
            lambda _i: [sys.executable, "-c", OUR_APP, str(db_path)],
        )
        bare_mib = _peak_mib([sys.executable, "-c", BARE_APP], work)
        ours_mib = _peak_mib([sys.executable, "-c", OUR_APP, str(db_path)], work)
        times = sorted(_handler_times(db_path))
        bare_repaint = statistics.median(_repaint_times(None)) * 1000
        ours_repaint = statistics.median(_repaint_times(db_path)) * 1000
    p95 = times[int(len(times) * 0.95) - 1] * 1000
    return [
        case("app start to first card (30,000)", ours_t, bare_t, "≤ 1.25×", 1.25),
        {
            "name": "app memory over the bare app",
            "measured": ours_mib,
            "floor": bare_mib,
            "ratio": ours_mib / bare_mib,
            "target": "≤ bare + 40 MiB",
            "ok": ours_mib - bare_mib <= 40,
            "unit": "MiB",
        },
        {
            "name": "decision handler p95 (write + next card)",
            "measured": p95,
            "floor": 5.0,
            "ratio": p95 / 5.0,
            "target": "< 5 ms",
            "ok": p95 < 5.0,
            "unit": "ms",
            "median_ms": statistics.median(times) * 1000,
        },
        {
            "name": "decision key to repaint (median), vs a bare app's key",
            "measured": ours_repaint,
            "floor": bare_repaint,
            "ratio": ours_repaint / bare_repaint,
            "target": "≤ bare + 5 ms",
            "ok": ours_repaint <= bare_repaint + 5,
            "unit": "ms",
        },
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    for row in cases():
        print(row)
