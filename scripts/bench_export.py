#!/usr/bin/env python3
"""Benchmark for issue 4: exporting 30,000 connections as JSON, as a whole process
(`prune-tui export --only all --format json`), within 1.5× the stack floor (PRODUCT.md §10).

    python scripts/bench_export.py       # a Markdown table on stdout

The floor is a plain script that builds the same JSON inside SQLite with `json_group_array`
over the same objects (the very SQL expression the backup uses, handed to it as an argument),
with SQLAlchemy imported and nothing else of ours. Both write to a pipe to /dev/null and run
several times; the best run counts. `scripts/bench.py` collects `cases()` from here.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from bench import best_of, case, make_connections_csv  # noqa: E402

FLOOR_EXPORT = r"""
import sqlite3, sys
import sqlalchemy  # the stack floor: the least any program on this stack can take
db, select = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
(text,) = con.execute(f"SELECT json_group_array(json(obj)) FROM ({select})").fetchone()
sys.stdout.write(text)
sys.stdout.write("\n")
"""


def floor_select() -> str:
    """The rows of the backup, as the backup builds them, for the floor to aggregate."""
    from prune_tui.backup import ORDER_BY, _object_sql
    from prune_tui.store.queries import EVIDENCE_JOIN

    return (
        f"SELECT {_object_sql()} AS obj FROM connections c "
        f"LEFT JOIN removals r ON r.connection_id = c.id {EVIDENCE_JOIN} "
        f"ORDER BY {ORDER_BY}"
    )


def prepare(work: Path) -> Path:
    """30,000 imported connections, a third of them decided, some with criteria and ticks."""
    csv_path = make_connections_csv(work / "Connections.csv")
    db = work / "export.db"
    subprocess.run(
        [sys.executable, "-m", "prune_tui", "import", str(csv_path), "--db", str(db)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    con = sqlite3.connect(db)
    with con:
        con.execute(
            "UPDATE connections SET decision = CASE id % 3 WHEN 0 THEN 'keep' "
            "WHEN 1 THEN 'remove' END, decided_at = '2026-11-20T12:00:00+00:00', "
            "note = CASE WHEN id % 7 = 0 THEN 'met at a conference' ELSE '' END "
            "WHERE id % 3 != 2"
        )
        con.execute(
            "INSERT INTO criteria (connection_id, criterion, value) "
            "SELECT id, 1 + id % 5, id % 2 FROM connections WHERE id % 4 = 0"
        )
        con.execute(
            "INSERT INTO removals (connection_id, marked_at) "
            "SELECT id, '2026-11-21T08:00:00+00:00' FROM connections WHERE id % 9 = 1"
        )
    con.close()
    return db


def cases() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="prune-bench-export-") as tmp:
        db = prepare(Path(tmp))
        select = floor_select()

        def floor_cmd(_: int) -> list[str]:
            return [sys.executable, "-c", FLOOR_EXPORT, str(db), select]

        def ours_cmd(_: int) -> list[str]:
            return [
                sys.executable,
                "-m",
                "prune_tui",
                "export",
                "--only",
                "all",
                "--format",
                "json",
                "--db",
                str(db),
            ]

        (floor_t, _), (ours_t, _) = best_of(floor_cmd, ours_cmd)
    return [
        case("export 30,000 connections as JSON (whole process)", ours_t, floor_t, "≤ 1.5×", 1.5)
    ]


def main() -> int:
    rows = cases()
    print("| target | measured | floor | ratio | goal | ok |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['name']} | {r['measured']:.3f} s | {r['floor']:.3f} s | {r['ratio']:.2f}× | "
            f"{r['target']} | {'yes' if r['ok'] else 'NO'} |"
        )
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
