"""The folded words a query's text terms are looked up in (`search_texts`, store/schema.py,
kept by triggers; `prune_tui.services.query` reads them): whether a database has them, and a
first import's words folded at once."""

from __future__ import annotations

from sqlalchemy import Connection

from prune_tui.store.schema_sql import STATEMENTS

# The trigger that folds each connection as it is added (store/schema.py).
_FOLD_ADDED = next(
    sql for sql in STATEMENTS if sql.startswith("CREATE TRIGGER search_texts_added ")
)


def words_stored(conn: Connection) -> bool:
    """Does this database keep the folded words? Every database opened for writing does (a
    table a database lacks is created, and filled, when it is opened); one from before them
    opened read-only does not."""
    found = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_texts'"
    ).first()
    return found is not None


# A first import writes its rows into the empty `connections` (store/importing.py `fill_rows`,
# or from temp.incoming, `insert_all_staged`) with the per-row trigger dropped, and folds them
# once after, in one statement: a third of what the trigger costs row by row (a delete, an
# insert and a trigger program for each).
# (OR REPLACE: a stale row of a connection id used before goes, as the trigger's delete would.)
_FILL = (
    "INSERT OR REPLACE INTO search_texts (connection_id, name, company, position) "
    "SELECT id, {name}, fold(company), fold(position) FROM connections"
)
# A name is folded only when `name_key` (formats/identity.py) is not ASCII: an ASCII name key
# is already what fold makes of the name (fold drops accents, name_key keeps them; nothing else
# differs: tests/test_search_words.py checks every code point). That holds for rows as the
# reader made them, before repeated rows are merged into them (a merge may fill in a first name
# the name key lacks).
_FILL_AS_READ = _FILL.format(
    name="CASE WHEN length(CAST(name_key AS BLOB)) = length(name_key) THEN name_key "
    "ELSE fold(first_name || ' ' || last_name) END"
)
_FILL_MERGED = _FILL.format(name="fold(first_name || ' ' || last_name)")


def pause_words(conn: Connection) -> None:
    """Stop folding each connection as it is added (a first import, into an empty table;
    `fold_new_rows` folds them all and resumes). In the import's transaction: a failed import
    rolls the trigger back too."""
    conn.exec_driver_sql("DROP TRIGGER search_texts_added")


def fold_new_rows(conn: Connection, *, as_read: bool) -> None:
    """Fold every connection written since `pause_words`, and fold each one added from now on
    again as it comes. `as_read`: no repeated row has been merged into them yet (then an ASCII
    name key is the folded name)."""
    conn.exec_driver_sql(_FILL_AS_READ if as_read else _FILL_MERGED)
    conn.exec_driver_sql(_FOLD_ADDED)
