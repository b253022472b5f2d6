"""One connection as the review card reads it, and the import bounds that say who is new.
Every function runs inside a transaction the caller holds (`prune_tui.services.review`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from prune_tui.model import CRITERIA

CARD_COLUMNS = (
    "c.id, c.first_name, c.last_name, c.url, c.email, c.company, c.position, c.connected_on, "
    "c.status, c.decision, c.decided_at, c.note, c.was_name, c.was_company, c.was_position, "
    "c.slug, c.name_key, c.first_import_id"
)


def has_no_connections(conn: Connection) -> bool:
    return conn.exec_driver_sql("SELECT 1 FROM connections LIMIT 1").first() is None


def card_row(conn: Connection, connection_id: int) -> Any | None:
    """CARD_COLUMNS, then when it was ticked off (`marked_at`) or confirmed gone."""
    return conn.exec_driver_sql(
        f"SELECT {CARD_COLUMNS}, r.marked_at, r.confirmed_at FROM connections c "
        "LEFT JOIN removals r ON r.connection_id = c.id WHERE c.id = ?",
        (connection_id,),
    ).first()


def answers_of(conn: Connection, connection_id: int) -> dict[int, bool | None]:
    """Every criterion's answer for one connection (None: not answered)."""
    answers: dict[int, bool | None] = dict.fromkeys(CRITERIA, None)
    for criterion, value in conn.exec_driver_sql(
        "SELECT criterion, value FROM criteria WHERE connection_id = ?", (connection_id,)
    ):
        answers[int(criterion)] = bool(value)
    return answers


def earliest_import(conn: Connection) -> int | None:
    """The first import ever run (from the small import_runs table)."""
    value = conn.exec_driver_sql("SELECT min(id) FROM import_runs").scalar()
    return None if value is None else int(value)


def latest_import(conn: Connection) -> int | None:
    value = conn.exec_driver_sql("SELECT max(id) FROM import_runs").scalar()
    return None if value is None else int(value)


def import_bounds(conn: Connection) -> tuple[int | None, int | None]:
    """(latest, first) import that brought connections: a scan of every connection."""
    row = conn.exec_driver_sql(
        "SELECT max(last_import_id), min(first_import_id) FROM connections"
    ).one()
    return (row[0], row[1])
