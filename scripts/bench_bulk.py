#!/usr/bin/env python3
"""Benchmark for issue 13: a decision by rule and its undo on 30,000 connections with 200,000
messages, each as a whole process, within 1.5× the import's stack floor (docs/PRODUCT.md §10).

    python scripts/bench.py bulk        # just these cases, in bench.py's table

`prune-tui decide remove --where 'messages:0' --yes` (some 20,000 people never messaged) and
then `prune-tui undo` (which takes all of them back) run in turns with the floor: the plain
`csv` + `sqlite3` script that loads a 30,000-row Connections.csv into one table with
SQLAlchemy imported (bench.py's import floor). Each undo restores what the decide changed, so
every round starts from the same database. The best run of each counts.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import FLOOR_IMPORT, best_of, case, make_connections_csv
from bench_evidence import make_archive

RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def prepare(work: Path) -> Path:
    """A database holding the benchmark archive: 30,000 connections, 200,000 messages."""
    archive = make_archive(work / "Complete_LinkedInDataExport_11-20-2026.zip")
    db = work / "bulk.db"
    subprocess.run(
        [sys.executable, "-m", "prune_tui", "import", str(archive), "--db", str(db)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return db


def cases() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="prune-bench-bulk-") as tmp:
        work = Path(tmp)
        db = prepare(work)
        csv_path = make_connections_csv(work / "Connections.csv")
        counted = subprocess.run(
            [sys.executable, "-m", "prune_tui", "decide", "remove", "--where", "messages:0",
             "--db", str(db)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        changed = counted.stdout.split(" ", 1)[0]

        def floor_cmd(i: int) -> list[str]:
            return [sys.executable, "-c", FLOOR_IMPORT, str(csv_path), str(work / f"floor{i}.db")]

        def decide_cmd(i: int) -> list[str]:
            return [sys.executable, "-m", "prune_tui", "decide", "remove", "--where",
                    "messages:0", "--yes", "--db", str(db)]  # fmt: skip

        def undo_cmd(i: int) -> list[str]:
            return [sys.executable, "-m", "prune_tui", "undo", "--db", str(db)]

        (floor, _), (decide, _), (undo, _) = best_of(floor_cmd, decide_cmd, undo_cmd, runs=RUNS)
    return [
        case(
            f"decide remove --where messages:0 --yes ({changed} of 30,000, 200,000 messages)",
            decide,
            floor,
            "≤ 1.5×",
            1.5,
        ),
        case(f"undo that decision ({changed} people, whole process)", undo, floor, "≤ 1.5×", 1.5),
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    for row in cases():
        print(f"{row['name']}: {row['measured']:.3f} s, floor {row['floor']:.3f} s, "
              f"{row['ratio']:.2f}× ({row['target']})")  # fmt: skip
