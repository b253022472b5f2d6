"""The cost of the damage check (issue 11): SQLite's quick_check, run when the import command
or the app opens a database to write to it, on a 30,000-connection database, collected by
scripts/bench.py.

- measured: `PRAGMA quick_check(1)` on a fresh connection (the file in the page cache, as it
  is right after the previous run), best of several;
- floor: reading every row of every table once into Python (`SELECT *`, fetched), on a fresh
  connection too. For scale: the app's start to first card and the import of 30,000 are each
  about 0.5 s, so the check adds about a tenth to either.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

ROUNDS = 7


def _database(work: Path) -> Path:
    from bench import make_connections_csv  # type: ignore[import-not-found]

    from prune_tui.services.importer import import_path
    from prune_tui.store import open_database

    db_path = work / "checks.db"
    db = open_database(db_path)
    try:
        import_path(db, make_connections_csv(work / "Connections.csv"))
    finally:
        db.close()
    return db_path


def _best(path: Path, statements: list[str]) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        conn = sqlite3.connect(path)
        try:
            started = time.perf_counter()
            for statement in statements:
                conn.execute(statement).fetchall()
            best = min(best, time.perf_counter() - started)
        finally:
            conn.close()
    return best


def cases() -> list[dict[str, Any]]:
    from bench import case

    with tempfile.TemporaryDirectory(prefix="prune-bench-checks-") as tmp:
        db_path = _database(Path(tmp))
        conn = sqlite3.connect(db_path)
        names = [
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        conn.close()
        scans = [f'SELECT * FROM "{name}"' for name in names]
        floor = _best(db_path, scans)
        checked = _best(db_path, ["PRAGMA quick_check(1)"])
    return [
        case(
            "quick_check before a write, 30,000 connections",
            checked,
            floor,
            "≤ 1.5× reading every row once",
            1.5,
        )
    ]
