"""An import's SQL (importer.py composes these): the run log, the rows of a Connections.csv
staged in temp.incoming (or, on a first import, written straight into `connections`), and the
set-based statements that apply a newer export to the connections already known. Each runs
inside the transaction the importer holds."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection

from prune_tui.formats.connections import STORED_COLUMNS
from prune_tui.store import search
from prune_tui.store.schema_sql import STATEMENTS

NAME_INDEX = "CREATE INDEX IF NOT EXISTS ix_connections_name_order ON connections (name_key, id)"

# The import's page cache (KiB): enough for the indexes of 30,000 connections.
IMPORT_CACHE_KIB = 8000


def _driver(conn: Connection) -> sqlite3.Connection:
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


# ---------------------------------------------------------------------------------------------
# The run log and the connection's settings for an import


def lean_memory(conn: Connection) -> list[tuple[str, int]]:
    """Staged rows go to a temporary file, not memory, and the page cache stays small: memory
    is flat however many rows a file has. Returns what `restore_memory` puts back. (On the
    driver's connection: these pragmas refuse to run inside a transaction.)"""
    driver = _driver(conn)
    restore = [
        (name, int(driver.execute(f"PRAGMA {name}").fetchone()[0]))
        for name in ("temp_store", "cache_size")
    ]
    driver.execute("PRAGMA temp_store = FILE")
    driver.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    return restore


def restore_memory(conn: Connection, restore: Sequence[tuple[str, int]]) -> None:
    """Put back what `lean_memory` changed (this also drops the temporary tables)."""
    driver = _driver(conn)
    for name, value in restore:
        driver.execute(f"PRAGMA {name} = {int(value)}")


def seen_before(conn: Connection, digest: str) -> bool:
    """Was a file with this fingerprint imported before?"""
    found = conn.exec_driver_sql(
        "SELECT 1 FROM import_runs WHERE sha256 = ? LIMIT 1", (digest,)
    ).first()
    return found is not None


def start_run(conn: Connection, file_name: str, digest: str, kind: str, now: str) -> int:
    """Log an import (its counts follow in `finish_run`); returns its id."""
    run_id: int = conn.exec_driver_sql(
        "INSERT INTO import_runs (file_name, sha256, kind, imported_at, counts) "
        "VALUES (?, ?, ?, ?, '{}') RETURNING id",
        (file_name, digest, kind, now),
    ).scalar_one()
    return run_id


def finish_run(conn: Connection, run_id: int, counts_json: str) -> None:
    conn.exec_driver_sql("UPDATE import_runs SET counts = ? WHERE id = ?", (counts_json, run_id))


def no_connections(conn: Connection) -> bool:
    return bool(conn.exec_driver_sql("SELECT NOT EXISTS (SELECT 1 FROM connections)").scalar_one())


# ---------------------------------------------------------------------------------------------
# Staging: temp.incoming

_INCOMING = """
CREATE TEMP TABLE incoming (
    key TEXT NOT NULL, slug TEXT, first_name TEXT NOT NULL, last_name TEXT NOT NULL,
    name_key TEXT NOT NULL, url TEXT NOT NULL, email TEXT NOT NULL, company TEXT NOT NULL,
    position TEXT NOT NULL, connected_on TEXT,
    fallback TEXT GENERATED ALWAYS AS ('name:' || name_key || '|' || coalesce(connected_on, ''))
)
"""

# The staged rows are appended as they stream in (no index to grow row by row); the key index
# is built once, when needed: for a repeated row, or to match a re-import against the database.
_STAGE = f"INSERT INTO incoming ({STORED_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)"
_KEY_INDEX = "CREATE UNIQUE INDEX IF NOT EXISTS temp.incoming_key ON incoming (key)"
# Repeated rows merge: rows are newest first, so the first one wins and later ones only fill
# its gaps (the name key stays the first row's).
_MERGE = f"""
INSERT INTO incoming ({STORED_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)
ON CONFLICT (key) DO UPDATE SET
    first_name = iif(first_name = '', excluded.first_name, first_name),
    last_name = iif(last_name = '', excluded.last_name, last_name),
    url = iif(url = '', excluded.url, url),
    email = iif(email = '', excluded.email, email),
    company = iif(company = '', excluded.company, company),
    position = iif(position = '', excluded.position, position),
    connected_on = coalesce(connected_on, excluded.connected_on)
"""


def new_staging(conn: Connection) -> None:
    """An empty temp.incoming (any earlier one dropped)."""
    conn.exec_driver_sql("DROP TABLE IF EXISTS temp.incoming")
    conn.exec_driver_sql(_INCOMING)


def stage_rows(conn: Connection, rows: Iterable[Sequence[object]]) -> None:
    """Append rows (StoredRow order, each key once) to temp.incoming, as they stream in."""
    _driver(conn).executemany(_STAGE, rows)


def merge_staged(conn: Connection, repeated: Sequence[Sequence[object]]) -> None:
    """Fold rows repeating a staged key into it (the first row wins; later ones fill gaps)."""
    conn.exec_driver_sql(_KEY_INDEX)
    _driver(conn).executemany(_MERGE, repeated)


def has_staging(conn: Connection) -> bool:
    """Does temp.incoming hold this import's Connections.csv?"""
    found = conn.exec_driver_sql("SELECT 1 FROM temp.sqlite_master WHERE name = 'incoming'").first()
    return found is not None


def newest_staged(conn: Connection) -> str | None:
    newest: str | None = conn.exec_driver_sql("SELECT max(connected_on) FROM incoming").scalar_one()
    return newest


def staged_or_known_slugs(conn: Connection, slugs: Sequence[str], staged: bool) -> set[str]:
    """Which of `slugs` are connections (known, or in temp.incoming when `staged`)."""
    marks = ", ".join("?" * len(slugs))
    query = f"SELECT slug FROM connections WHERE slug IN ({marks})"
    params = tuple(slugs)
    if staged:
        query += f" UNION SELECT slug FROM temp.incoming WHERE slug IN ({marks})"
        params += tuple(slugs)
    return {row[0] for row in conn.exec_driver_sql(query, params)}


# ---------------------------------------------------------------------------------------------
# A first import: straight into `connections`, its indexes built once at the end


# The indexes store/schema.py declares on `connections`: (name, CREATE statement).
_CONNECTION_INDEXES = [
    (found[1], sql)
    for sql in STATEMENTS
    if (found := re.match(r"CREATE (?:UNIQUE )?INDEX (\w+) ON connections ", sql))
]


def drop_connection_indexes(conn: Connection) -> None:
    """Building the indexes once after the bulk insert is faster than growing them row by
    row (a first import: the table is empty)."""
    for name, _sql in _CONNECTION_INDEXES:
        conn.exec_driver_sql(f"DROP INDEX {name}")


def build_connection_indexes(conn: Connection) -> None:
    for _name, sql in _CONNECTION_INDEXES:
        conn.exec_driver_sql(sql)


def fill_rows(conn: Connection, rows: Iterable[Sequence[object]], run_id: int) -> None:
    """Append rows (StoredRow order, each key once) to the empty `connections`, as new."""
    _driver(conn).executemany(
        f"INSERT INTO connections ({STORED_COLUMNS}, first_import_id, last_import_id) "
        f"VALUES (?,?,?,?,?,?,?,?,?,?,{int(run_id)},{int(run_id)})",
        rows,
    )


def merge_filled(conn: Connection, repeated: Sequence[Sequence[object]]) -> None:
    """`merge_staged` for rows written straight into `connections` (its key index built)."""
    _driver(conn).executemany(
        """
        UPDATE connections SET
            first_name = iif(first_name = '', ?3, first_name),
            last_name = iif(last_name = '', ?4, last_name),
            url = iif(url = '', ?6, url),
            email = iif(email = '', ?7, email),
            company = iif(company = '', ?8, company),
            position = iif(position = '', ?9, position),
            connected_on = coalesce(connected_on, ?10)
        WHERE key = ?1
        """,
        repeated,
    )


def clear_filled(conn: Connection) -> None:
    """Take back the rows a first import wrote (to read the file again, day-first)."""
    conn.exec_driver_sql("DELETE FROM connections")


def newest_filled(conn: Connection) -> str | None:
    newest: str | None = conn.exec_driver_sql(
        "SELECT max(connected_on) FROM connections"
    ).scalar_one()
    return newest


def insert_all_staged(conn: Connection, run_id: int) -> int:
    """A first import from temp.incoming: everyone is new. Returns how many. (Its words are
    folded once after the rows, as repeated rows left them: store/search.py.)"""
    drop_connection_indexes(conn)
    search.pause_words(conn)
    count = conn.exec_driver_sql(
        f"INSERT INTO connections ({STORED_COLUMNS}, first_import_id, last_import_id) "
        f"SELECT {STORED_COLUMNS}, ?, ? FROM incoming ORDER BY rowid",
        (run_id, run_id),
    ).rowcount
    build_connection_indexes(conn)
    search.fold_new_rows(conn, as_read=False)
    return int(count)


# ---------------------------------------------------------------------------------------------
# A newer export over the connections known


def match_staged(conn: Connection, *, has_urls: bool) -> None:
    """Tie temp.incoming's rows to the records they continue: a later export with URLs adopts
    the records made from an export without them; an older export without URLs, imported after
    a newer one, finds the adopted records."""
    sql = conn.exec_driver_sql
    sql(_KEY_INDEX)
    sql(
        """
        UPDATE connections SET key = i.key, slug = i.slug
        FROM incoming i
        WHERE i.slug IS NOT NULL AND connections.slug IS NULL AND connections.key = i.fallback
          AND NOT EXISTS (SELECT 1 FROM connections c2 WHERE c2.key = i.key)
        """
    )
    if not has_urls:
        sql(NAME_INDEX)
    sql(
        """
        UPDATE incoming SET key = (
            SELECT c.key FROM connections c
            WHERE c.name_key = incoming.name_key
              AND coalesce(c.connected_on, '') = coalesce(incoming.connected_on, '')
            ORDER BY c.id LIMIT 1)
        WHERE slug IS NULL
          AND NOT EXISTS (SELECT 1 FROM connections c WHERE c.key = incoming.key)
          AND EXISTS (
            SELECT 1 FROM connections c
            WHERE c.name_key = incoming.name_key
              AND coalesce(c.connected_on, '') = coalesce(incoming.connected_on, '')
              AND NOT EXISTS (SELECT 1 FROM incoming i2 WHERE i2.key = c.key))
        """
    )


def active_and_going(conn: Connection) -> tuple[int, int]:
    """(active connections, how many of them temp.incoming lacks)."""
    active = conn.exec_driver_sql(
        "SELECT count(*) FROM connections WHERE status = 'active'"
    ).scalar_one()
    going = conn.exec_driver_sql(
        "SELECT count(*) FROM connections c WHERE c.status = 'active' "
        "AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.key = c.key)"
    ).scalar_one()
    return int(active), int(going)


_CHANGED = """
    (c.first_name != i.first_name OR c.last_name != i.last_name OR c.company != i.company
     OR c.position != i.position OR (i.url != '' AND c.url != i.url)
     OR (i.email != '' AND c.email != i.email)
     OR (i.connected_on IS NOT NULL AND c.connected_on IS NOT i.connected_on))
"""


def matched_counts(conn: Connection) -> tuple[int, int, int, int]:
    """(back again, changed, matched, ticked off as removed but still listed) of the staged
    rows against the known connections."""
    returned, updated, matched = conn.exec_driver_sql(
        f"""
        SELECT coalesce(sum(c.status = 'gone'), 0), coalesce(sum({_CHANGED}), 0), count(*)
        FROM incoming i JOIN connections c ON c.key = i.key
        """
    ).one()
    still = conn.exec_driver_sql(
        """
        SELECT count(*) FROM removals r JOIN connections c ON c.id = r.connection_id
        JOIN incoming i ON i.key = c.key
        WHERE r.marked_at IS NOT NULL AND c.status = 'active'
        """
    ).scalar_one()
    return int(returned), int(updated), int(matched), int(still)


def apply_staged(conn: Connection, run_id: int) -> int:
    """Refresh the known connections from temp.incoming and add the new ones (returns how
    many). Someone who comes back is connected again: an earlier confirmation of their
    removal no longer holds."""
    sql = conn.exec_driver_sql
    sql(
        """
        UPDATE removals SET confirmed_at = NULL, confirmed_import_id = NULL
        WHERE connection_id IN (
            SELECT c.id FROM connections c JOIN incoming i ON i.key = c.key
            WHERE c.status = 'gone')
        """
    )
    sql(
        """
        UPDATE connections SET
            was_name = CASE
                WHEN connections.first_name != i.first_name OR connections.last_name != i.last_name
                THEN trim(connections.first_name || ' ' || connections.last_name)
                ELSE was_name END,
            was_company = CASE WHEN connections.company != i.company
                               THEN connections.company ELSE was_company END,
            was_position = CASE WHEN connections.position != i.position
                                THEN connections.position ELSE was_position END,
            first_name = i.first_name,
            last_name = i.last_name,
            name_key = i.name_key,
            url = CASE WHEN i.url != '' THEN i.url ELSE connections.url END,
            email = CASE WHEN i.email != '' THEN i.email ELSE connections.email END,
            company = i.company,
            position = i.position,
            connected_on = coalesce(i.connected_on, connections.connected_on),
            status = 'active',
            gone_since = NULL,
            last_import_id = ?
        FROM incoming i
        WHERE connections.key = i.key
        """,
        (run_id,),
    )
    return int(
        sql(
            f"""
            INSERT INTO connections ({STORED_COLUMNS}, first_import_id, last_import_id)
            SELECT {STORED_COLUMNS}, ?, ?
            FROM incoming i
            WHERE NOT EXISTS (SELECT 1 FROM connections c WHERE c.key = i.key)
            ORDER BY i.rowid
            """,
            (run_id, run_id),
        ).rowcount
    )


def mark_gone(conn: Connection, run_id: int, now: str) -> tuple[int, int, int]:
    """Mark gone whoever temp.incoming lacks, confirm the removals that were decided, and
    count those kept or nurtured who are gone: (gone, confirmed, flagged)."""
    sql = conn.exec_driver_sql
    gone = sql(
        """
        UPDATE connections SET status = 'gone', gone_since = ?
        WHERE status = 'active'
          AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.key = connections.key)
        """,
        (now,),
    ).rowcount
    confirmed = sql(
        """
        INSERT INTO removals (connection_id, confirmed_at, confirmed_import_id)
        SELECT id, ?, ? FROM connections
        WHERE status = 'gone' AND gone_since = ? AND decision = 'remove'
        ON CONFLICT (connection_id) DO UPDATE SET
            confirmed_at = excluded.confirmed_at,
            confirmed_import_id = excluded.confirmed_import_id
        """,
        (now, run_id, now),
    ).rowcount
    flagged = sql(
        "SELECT count(*) FROM connections WHERE status = 'gone' AND gone_since = ? "
        "AND decision IN ('keep', 'nurture')",
        (now,),
    ).scalar_one()
    return int(gone), int(confirmed), int(flagged)
