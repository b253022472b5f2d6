"""The settings table: one JSON value per key (the queue's order and filter, the card on
screen, the owner of the export, whether a messages file was read, the removal pace). The one
place that reads or writes it, inside a transaction the caller holds."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection


def get_setting(conn: Connection, key: str, default: Any = None) -> Any:
    """The value stored under `key` (decoded from JSON), or `default` when there is none."""
    row = conn.exec_driver_sql("SELECT value FROM settings WHERE key = ?", (key,)).first()
    return default if row is None else json.loads(row[0])


def put_setting(conn: Connection, key: str, value: Any) -> None:
    """Store `value` (as JSON) under `key`, replacing what was there."""
    conn.exec_driver_sql(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(value)),
    )
