#!/usr/bin/env python3
"""Re-import benchmarks (issue 17), on a Complete export of 30,000 connections and 200,000
messages (scripts/bench_evidence.py makes it), whole processes:

- the same archive again: recognised from its directory before any file in it is read, within
  1.2× the stack floor's start-up (`python -c "import sqlalchemy"`: the least any program on
  this stack takes to start);
- a later export of the same network, with 5% of the people changed (another company) and 5%
  more messages (the older ones unchanged): within 0.6× of a first import of that same later
  archive into an empty database.

    python scripts/bench.py reimport     # these cases, in bench.py's table

Each timed run imports into its own copy of the database, made beforehand (untimed). Runs go
in turns (floor, ours, …) and the best of each counts. `scripts/bench.py` collects `cases()`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import best_of, case  # noqa: E402
from bench_evidence import make_archive  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
STACK_START = "import sqlalchemy"


def _import(archive: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "prune_tui", "import", str(archive), "--db", str(db)]


def _copies(db: Path, count: int, label: str) -> list[Path]:
    copies = []
    for i in range(count):
        target = db.with_name(f"{label}{i}.db")
        shutil.copyfile(db, target)
        os.chmod(target, 0o600)
        copies.append(target)
    return copies


def cases() -> list[dict[str, Any]]:
    found = []
    with tempfile.TemporaryDirectory(prefix="prune-bench-reimport-") as tmp:
        work = Path(tmp)
        (work / "a").mkdir()
        (work / "b").mkdir()
        first = make_archive(work / "a" / "Complete_LinkedInDataExport_11-20-2026.zip")
        later = make_archive(
            work / "b" / "Complete_LinkedInDataExport_12-20-2026.zip", changed=0.05
        )
        base = work / "base.db"
        subprocess.run(_import(first, base), check=True, capture_output=True)

        same = _copies(base, RUNS, "same")
        (floor_t, _), (ours_t, _) = best_of(
            lambda _i: [sys.executable, "-c", STACK_START],
            lambda i: _import(first, same[i]),
            runs=RUNS,
        )
        found.append(
            case(
                "re-import of an unchanged archive (whole process), vs the stack's start-up",
                ours_t,
                floor_t,
                "≤ 1.2×",
                1.2,
            )
        )

        newer = _copies(base, RUNS, "newer")
        (fresh_t, _), (again_t, _) = best_of(
            lambda i: _import(later, work / f"fresh{i}.db"),
            lambda i: _import(later, newer[i]),
            runs=RUNS,
        )
        found.append(
            case(
                "re-import of a later archive, 5% changed (whole process), vs its first import",
                again_t,
                fresh_t,
                "≤ 0.6×",
                0.6,
            )
        )
    return found


if __name__ == "__main__":
    for row in cases():
        print(row)
