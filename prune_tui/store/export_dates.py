"""What dates an export imported before its date was recorded (`prune_tui.services.export_dates`):
the newest Connected On date among the connections, and the file they came from. Inside a
transaction the caller holds."""

from __future__ import annotations

from sqlalchemy import Connection


def newest_connected_on(conn: Connection) -> str | None:
    """The newest Connected On date of any connection (None: none has one)."""
    day = conn.exec_driver_sql("SELECT max(connected_on) FROM connections").scalar()
    return None if day is None else str(day)


def last_connections_file(conn: Connection) -> str | None:
    """The file name of the latest import (not a backup) that brought connections."""
    name = conn.exec_driver_sql(
        "SELECT file_name FROM import_runs WHERE kind != 'backup' AND counts LIKE "
        "'%\"connections\"%' ORDER BY id DESC LIMIT 1"
    ).scalar()
    return None if name is None else str(name)


def newest_known(conn: Connection, kind: str) -> str | None:
    """When the newest message (`kind` "messages") or invitation ("invitations") with one of
    the connections was written, as the file of that kind imported last said (ISO 8601; None:
    none is known)."""
    column = {"messages": "last_message_at", "invitations": "invited_at"}[kind]
    at = conn.exec_driver_sql(
        f"SELECT max(e.{column}) FROM evidence e WHERE e.person IN ("
        "SELECT slug FROM connections WHERE status = 'active' AND slug IS NOT NULL UNION ALL "
        "SELECT 'name:' || name_key FROM connections WHERE status = 'active')"
    ).scalar()
    return None if at is None else str(at)
