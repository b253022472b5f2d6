"""Indexes built the first time they are needed.

Ordering the review by company or by name needs an index at 30,000 connections, but every
index slows each import, and most people never use those orders. So the index for an order is
built when the order is first chosen (about a tenth of a second at 30,000 rows), and kept.
"""

from __future__ import annotations

from sqlalchemy import Connection

from prune_tui.store.database import Database

# Order name (as stored in the review settings) → (index name, its column list).
ORDER_INDEXES: dict[str, tuple[str, str]] = {
    "company": ("ix_connections_company", "company, id"),
    "name": ("ix_connections_name_order", "name_key, id"),
}


def has_index(db: Database, name: str) -> bool:
    with db.read() as conn:
        return _has_index(conn, name)


def _has_index(conn: Connection, name: str) -> bool:
    found = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
    ).first()
    return found is not None


def ensure_order_index(db: Database, order_name: str) -> bool:
    """Make sure the index for `order_name` exists. True when this call built it."""
    entry = ORDER_INDEXES.get(order_name)
    if entry is None:
        return False
    name, columns = entry
    if has_index(db, name):  # the common case: a read, no write lock taken
        return False
    with db.write() as conn:
        if _has_index(conn, name):  # another window built it meanwhile
            return False
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON connections ({columns})")
    return True
