"""Writing evidence (evidence.py reads the files and composes these): each kind replaces its
own columns for everyone, writing only the rows whose values change. Inside the import's
transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

# A row holding no evidence at all (dropped after every replacement).
_EMPTY_ROW = (
    "message_count = 0 AND first_message_at IS NULL AND last_message_at IS NULL "
    "AND last_message_from IS NULL AND invited_by IS NULL AND invited_at IS NULL "
    "AND invitation_message IS NULL AND endorsements_given = 0 AND endorsements_received = 0 "
    "AND recommendations_given = 0 AND recommendations_received = 0"
)


def replace_columns(
    conn: Connection, resets: dict[str, str], rows: Sequence[tuple[object, ...]]
) -> None:
    """Make `resets`' columns (column → its empty value, as SQL) hold exactly `rows` (person
    first, then the columns in order) for everyone, writing only the rows that change, and
    drop rows left holding nothing. The column names and empty values are the caller's
    constants, never data."""
    sql = conn.exec_driver_sql
    columns = list(resets)
    differs = " OR ".join(f"evidence.{c} IS NOT excluded.{c}" for c in columns)
    sql("DROP TABLE IF EXISTS temp.new_evidence")
    sql(f"CREATE TEMP TABLE new_evidence (person TEXT PRIMARY KEY, {', '.join(columns)})")
    if rows:
        sql(
            f"INSERT OR REPLACE INTO new_evidence (person, {', '.join(columns)}) "
            f"VALUES ({', '.join('?' * (len(columns) + 1))})",
            list(rows),
        )
    # Whoever no longer has this evidence: reset (only those who had some).
    sql(
        "UPDATE evidence SET "
        + ", ".join(f"{c} = {v}" for c, v in resets.items())
        + " WHERE ("
        + " OR ".join(f"{c} IS NOT {v}" for c, v in resets.items())
        + ") AND person NOT IN (SELECT person FROM temp.new_evidence)"
    )
    # Whoever has it: written only when a value changes.
    sql(
        f"INSERT INTO evidence (person, {', '.join(columns)}) "
        f"SELECT person, {', '.join(columns)} FROM temp.new_evidence WHERE true "
        "ON CONFLICT(person) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in columns)
        + f" WHERE {differs}"
    )
    sql("DROP TABLE temp.new_evidence")
    sql(f"DELETE FROM evidence WHERE {_EMPTY_ROW}")


def forget_people(conn: Connection, people: Sequence[str]) -> None:
    """Drop every piece of evidence kept under these keys (the owner's own, say)."""
    if people:
        marks = ", ".join("?" * len(people))
        conn.exec_driver_sql(f"DELETE FROM evidence WHERE person IN ({marks})", tuple(people))
