"""The folded words a query's text terms are looked up in (`search_texts`, store/schema.py):
whether a database has them, and each connection's as stored."""

from __future__ import annotations

from sqlalchemy import Connection


def words_stored(conn: Connection) -> bool:
    """Does this database keep the folded words? Every database opened for writing does (a
    table a database lacks is created, and filled, when it is opened); one from before them
    opened read-only does not."""
    found = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_texts'"
    ).first()
    return found is not None


def stored_words(conn: Connection, connection_id: int) -> tuple[str, str, str] | None:
    """(name, company, position) as stored for one connection, folded (None: none stored)."""
    row = conn.exec_driver_sql(
        "SELECT name, company, position FROM search_texts WHERE connection_id = ?",
        (connection_id,),
    ).first()
    return None if row is None else (str(row[0]), str(row[1]), str(row[2]))
