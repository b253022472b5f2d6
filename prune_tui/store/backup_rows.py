"""The JSON backup's rows (`prune_tui.services.backup`): each connection as one JSON object built by
SQLite, and the writes of a restore (the backup wins over what the database holds). Every
function runs inside a transaction the caller holds."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection

from prune_tui.model import CRITERIA_KEYS
from prune_tui.store.attribution import EVIDENCE_JOIN, evidence_column
from prune_tui.store.conditions import Where
from prune_tui.store.nurture import nurture_json_sql
from prune_tui.store.queries import ONLY_CONDITIONS

# Connected-on date (oldest first; undated last), then name, then profile URL.
ORDER_BY = "c.connected_on IS NULL, c.connected_on, c.name_key, c.url, c.key"


def _criteria_sql() -> str:
    parts = []
    for number, key in CRITERIA_KEYS.items():
        parts.append(
            f"'{key}', (SELECT CASE value WHEN 1 THEN json('true') ELSE json('false') END "
            f"FROM criteria WHERE connection_id = c.id AND criterion = {number})"
        )
    return "json_object(" + ", ".join(parts) + ")"


def _object_sql(today: date | None = None) -> str:
    ev = evidence_column
    nurture = nurture_json_sql(today or date.today(), ev("last_message_at"))
    return f"""
    json_object(
        'first_name', c.first_name, 'last_name', c.last_name, 'url', c.url, 'email', c.email,
        'company', c.company, 'position', c.position, 'connected_on', c.connected_on,
        'decision', c.decision, 'note', c.note, 'decided_at', c.decided_at,
        'removed_at', coalesce(r.marked_at, r.confirmed_at), 'status', c.status,
        'criteria', {_criteria_sql()},
        'message_count', coalesce({ev("message_count")}, 0),
        'last_message_at', {ev("last_message_at")},
        'invited_by', {ev("invited_by")},
        'invitation_message', {ev("invitation_message")},
        'first_message_at', {ev("first_message_at")},
        'last_message_from', {ev("last_message_from")},
        'invited_at', {ev("invited_at")},
        'endorsements_given', coalesce({ev("endorsements_given")}, 0),
        'endorsements_received', coalesce({ev("endorsements_received")}, 0),
        'recommendations_given', coalesce({ev("recommendations_given")}, 0),
        'recommendations_received', coalesce({ev("recommendations_received")}, 0),
        'was_name', c.was_name, 'was_company', c.was_company, 'was_position', c.was_position,
        'marked_removed_at', r.marked_at, 'confirmed_removed_at', r.confirmed_at,
        'gone_since', c.gone_since,
        {nurture}
    )"""


def backup_objects(
    conn: Connection, *, only: str = "all", today: date | None = None, where: Where | None = None
) -> Iterator[str]:
    """Each connection `only` (an `--only` choice) and `where` select, as the backup's JSON
    object (text), in the backup's order. `today` (local) dates `due_on` for anyone never in
    touch."""
    condition = ONLY_CONDITIONS[only]
    params: tuple[Any, ...] = ()
    if where is not None:
        condition = f"{condition} AND {where.sql}"
        params = where.params
    query = f"""
        SELECT {_object_sql(today)}
        FROM connections c
        LEFT JOIN removals r ON r.connection_id = c.id
        {EVIDENCE_JOIN}
        WHERE {condition}
        ORDER BY {ORDER_BY}
    """
    result = conn.exec_driver_sql(query, params)  # run now: a failure comes before any output
    return (obj for (obj,) in result)


def upsert_connection(conn: Connection, values: dict[str, Any], run_id: int) -> int:
    """Insert a connection (`values` by column name, `key` among them) or overwrite the one
    with its key; either way it was last seen in `run_id`. Its id."""
    columns = list(values)
    updates = ", ".join(f"{k} = excluded.{k}" for k in columns if k != "key")
    connection_id = conn.exec_driver_sql(
        f"INSERT INTO connections ({', '.join(columns)}, first_import_id, last_import_id) "
        f"VALUES ({', '.join('?' for _ in columns)}, ?, ?) "
        f"ON CONFLICT (key) DO UPDATE SET {updates}, "
        "last_import_id = excluded.last_import_id "
        "RETURNING id",
        (*values.values(), run_id, run_id),
    ).scalar_one()
    return int(connection_id)


def replace_answers(
    conn: Connection, connection_id: int, answers: Sequence[tuple[int, int]]
) -> None:
    """The connection's criteria become exactly these (criterion, 1 or 0) answers."""
    conn.exec_driver_sql("DELETE FROM criteria WHERE connection_id = ?", (connection_id,))
    if answers:
        conn.exec_driver_sql(
            "INSERT INTO criteria (connection_id, criterion, value) VALUES (?, ?, ?)",
            [(connection_id, criterion, value) for criterion, value in answers],
        )


def replace_removal(
    conn: Connection, connection_id: int, marked: str | None, confirmed: str | None
) -> None:
    """The connection's removal becomes this one (none when neither date is given)."""
    conn.exec_driver_sql("DELETE FROM removals WHERE connection_id = ?", (connection_id,))
    if marked or confirmed:
        conn.exec_driver_sql(
            "INSERT INTO removals (connection_id, marked_at, confirmed_at) VALUES (?, ?, ?)",
            (connection_id, marked, confirmed),
        )


def upsert_evidence(conn: Connection, person: str, facts: dict[str, Any]) -> None:
    """One person's evidence (`facts` by column name) as the backup holds it."""
    columns = list(facts)
    conn.exec_driver_sql(
        f"INSERT INTO evidence (person, {', '.join(columns)}) "
        f"VALUES (?, {', '.join('?' for _ in columns)}) "
        f"ON CONFLICT (person) DO UPDATE SET " + ", ".join(f"{k} = excluded.{k}" for k in columns),
        (person, *facts.values()),
    )
