"""The folded words a query's text terms are looked up in (`search_texts`, store/schema.py,
kept by triggers; `prune_tui.services.query` reads them): whether a database has them."""

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
