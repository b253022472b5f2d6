"""The import_runs table: one row per file imported (a Connections export, an evidence file,
a backup), its digest so the same file is not applied twice, and its counts. Every function
runs inside a transaction the caller holds."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection


def already_imported(conn: Connection, digest: str) -> bool:
    """Was a file with this SHA-256 imported before?"""
    found = conn.exec_driver_sql(
        "SELECT 1 FROM import_runs WHERE sha256 = ? LIMIT 1", (digest,)
    ).first()
    return found is not None


def start_run(conn: Connection, file_name: str, digest: str, kind: str, at: str) -> int:
    """A new import run (its counts written by `record_counts` at the end); its id."""
    run_id = conn.exec_driver_sql(
        "INSERT INTO import_runs (file_name, sha256, kind, imported_at, counts) "
        "VALUES (?, ?, ?, ?, '{}') RETURNING id",
        (file_name, digest, kind, at),
    ).scalar_one()
    return int(run_id)


def record_counts(conn: Connection, run_id: int, counts: dict[str, Any]) -> None:
    conn.exec_driver_sql(
        "UPDATE import_runs SET counts = ? WHERE id = ?", (json.dumps(counts), run_id)
    )
