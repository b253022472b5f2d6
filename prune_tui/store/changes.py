"""Changes and their undo, as storage: one person's decision, note, criterion answers and
removal tick, written with the value the window showed (else nothing is written), logged in
`history` (what undo reads, across restarts), and put back. Every function runs inside a
transaction the caller holds (`prune_tui.services.review` opens it and decides what to do)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from prune_tui.store.nurture import NURTURE_FIELDS
from prune_tui.store.nurture import current_value as nurture_value
from prune_tui.store.nurture import undo_change as undo_nurture_change

HISTORY_COLUMNS = "id, connection_id, field, old, new"


def latest_history_id(conn: Connection) -> int:
    """The newest change logged so far (0: none)."""
    return int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM history").scalar_one())


def log_change(
    conn: Connection, connection_id: int, field: str, old: str | None, new: str | None, at: str
) -> int:
    """Log a change for undo; returns its history id."""
    result = conn.exec_driver_sql(
        "INSERT INTO history (connection_id, field, old, new, at) VALUES (?, ?, ?, ?, ?)",
        (connection_id, field, old, new, at),
    )
    return int(result.lastrowid)


def current_value(conn: Connection, connection_id: int, field: str) -> str | None:
    """The value of `field` (as history logs it) stored now for one connection."""
    if field == "decision" or field == "note":
        value = conn.exec_driver_sql(
            f"SELECT {field} FROM connections WHERE id = ?", (connection_id,)
        ).scalar()
        return None if value is None else str(value)
    if field == "removed":
        marked = conn.exec_driver_sql(
            "SELECT marked_at FROM removals WHERE connection_id = ?", (connection_id,)
        ).scalar()
        return None if marked is None else str(marked)
    if field.startswith("criterion:"):
        value = conn.exec_driver_sql(
            "SELECT value FROM criteria WHERE connection_id = ? AND criterion = ?",
            (connection_id, int(field.split(":", 1)[1])),
        ).scalar()
        return None if value is None else str(int(value))
    if field in NURTURE_FIELDS:
        return nurture_value(conn, connection_id, field)
    raise ValueError(f"no such field {field}")


def write_decision_if(
    conn: Connection, connection_id: int, new: str | None, decided_at: str | None, old: str | None
) -> bool:
    """Write a decision only while the row still holds `old`; False when it did not."""
    written = conn.exec_driver_sql(
        "UPDATE connections SET decision = ?, decided_at = ? WHERE id = ? AND decision IS ?",
        (new, decided_at, connection_id, old),
    ).rowcount
    return bool(written)


def write_note(conn: Connection, connection_id: int, text: str) -> None:
    conn.exec_driver_sql("UPDATE connections SET note = ? WHERE id = ?", (text, connection_id))


def set_criterion(conn: Connection, connection_id: int, criterion: int, value: str | None) -> None:
    """A criterion's answer as history logs it ("1", "0"), or None to clear it."""
    if value is None:
        conn.exec_driver_sql(
            "DELETE FROM criteria WHERE connection_id = ? AND criterion = ?",
            (connection_id, criterion),
        )
    else:
        conn.exec_driver_sql(
            "INSERT INTO criteria (connection_id, criterion, value) VALUES (?, ?, ?) "
            "ON CONFLICT(connection_id, criterion) DO UPDATE SET value = excluded.value",
            (connection_id, criterion, int(value)),
        )


def set_marked(conn: Connection, connection_id: int, marked_at: str | None) -> None:
    """Ticked off as removed on LinkedIn at `marked_at` (None: not ticked)."""
    conn.exec_driver_sql(
        "INSERT INTO removals (connection_id, marked_at) VALUES (?, ?) "
        "ON CONFLICT(connection_id) DO UPDATE SET marked_at = excluded.marked_at",
        (connection_id, marked_at),
    )


def change_not_undone(conn: Connection, history_id: int) -> Any | None:
    """One logged change (HISTORY_COLUMNS), unless it was undone already."""
    return conn.exec_driver_sql(
        f"SELECT {HISTORY_COLUMNS} FROM history WHERE id = ? AND undone = 0", (history_id,)
    ).first()


def newest_change_up_to(conn: Connection, history_id: int) -> Any | None:
    """The newest change not undone at or before `history_id` (HISTORY_COLUMNS)."""
    return conn.exec_driver_sql(
        f"SELECT {HISTORY_COLUMNS} FROM history WHERE undone = 0 AND id <= ? "
        "ORDER BY id DESC LIMIT 1",
        (history_id,),
    ).first()


def mark_undone(conn: Connection, history_id: int) -> None:
    conn.exec_driver_sql("UPDATE history SET undone = 1 WHERE id = ?", (history_id,))


def put_back(
    conn: Connection, history_id: int, connection_id: int, field: str, old: Any, new: Any
) -> None:
    """Store `old` again for the change `history_id` logged (a decision gets back the time it
    was made, from the change before it)."""
    if field == "decision":
        decided_at = None
        if old is not None:
            decided_at = conn.exec_driver_sql(
                "SELECT at FROM history WHERE connection_id = ? AND field = 'decision' "
                "AND undone = 0 AND id < ? ORDER BY id DESC LIMIT 1",
                (connection_id, history_id),
            ).scalar()
        conn.exec_driver_sql(
            "UPDATE connections SET decision = ?, decided_at = ? WHERE id = ?",
            (old, decided_at if old else None, connection_id),
        )
    elif field == "note":
        conn.exec_driver_sql(
            "UPDATE connections SET note = ? WHERE id = ?", (old or "", connection_id)
        )
    elif field == "removed":
        set_marked(conn, connection_id, old)
    elif field.startswith("criterion:"):
        set_criterion(conn, connection_id, int(field.split(":", 1)[1]), old)
    elif field in NURTURE_FIELDS:
        undo_nurture_change(conn, connection_id, field, old, new)


def recent_decision_stamps(conn: Connection, limit: int) -> list[str]:
    """When the newest `limit` decisions made card by card were made, newest first
    (decisions by rule are not a pace of deciding card by card)."""
    return [
        r[0]
        for r in conn.exec_driver_sql(
            "SELECT at FROM history WHERE field = 'decision' AND undone = 0 "
            "AND batch_id IS NULL ORDER BY id DESC LIMIT ?",
            (limit,),
        )
    ]
