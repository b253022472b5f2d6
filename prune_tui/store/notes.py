"""A connection's note found by who it is about (LinkedIn's own notes, `services.linkedin_notes`):
by profile slug, else by a name only one connection has. Written through
`store.changes.write_note`; inside a transaction the caller holds."""

from __future__ import annotations

from sqlalchemy import Connection


def note_of(conn: Connection, slug: str | None, name_key: str | None) -> tuple[int, str] | None:
    """(connection id, its note) of the connection with this profile slug, else of the one
    connection with this name; None when no one, or more than one, has it (a shared name
    attaches to no one)."""
    row = None
    if slug is not None:
        row = conn.exec_driver_sql(
            "SELECT id, note FROM connections WHERE slug = ? LIMIT 1", (slug,)
        ).first()
    if row is None and name_key:
        rows = conn.exec_driver_sql(
            "SELECT id, note FROM connections WHERE name_key = ? LIMIT 2", (name_key,)
        ).all()
        row = rows[0] if len(rows) == 1 else None
    return None if row is None else (int(row[0]), row[1] or "")
