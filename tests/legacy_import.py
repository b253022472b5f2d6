"""The import as it was before it streamed (issue 17): the whole Connections.csv read into a
list, written with one statement per step, and evidence replaced whole for everyone. Kept as the
oracle the property tests compare the streaming, two-step import against."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Connection

from prune_tui.errors import ImportRefused
from prune_tui.formats.connections import STORED_COLUMNS, ConnectionsFile, read_connections
from prune_tui.formats.tables import Source
from prune_tui.services import evidence
from prune_tui.store.database import Database, utc_now
from prune_tui.store.schema import connections as connections_table
from prune_tui.text.summary import ImportSummary

SHRINK_LIMIT = 0.2


def legacy_replace(
    conn: Connection, resets: dict[str, str], rows: list[tuple[object, ...]]
) -> None:
    """Evidence as it was written: every row reset, then every row written again."""
    columns = list(resets)
    conn.exec_driver_sql(
        "UPDATE evidence SET "
        + ", ".join(f"{c} = {v}" for c, v in resets.items())
        + " WHERE "
        + " OR ".join(f"{c} IS NOT {v}" for c, v in resets.items())
    )
    if rows:
        conn.exec_driver_sql(
            f"INSERT INTO evidence (person, {', '.join(columns)}) "
            f"VALUES ({', '.join('?' * (len(columns) + 1))}) "
            "ON CONFLICT(person) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in columns),
            list(rows),
        )
    conn.exec_driver_sql(
        "DELETE FROM evidence WHERE message_count = 0 AND first_message_at IS NULL "
        "AND last_message_at IS NULL AND last_message_from IS NULL AND invited_by IS NULL "
        "AND invited_at IS NULL AND invitation_message IS NULL AND endorsements_given = 0 "
        "AND endorsements_received = 0 AND recommendations_given = 0 "
        "AND recommendations_received = 0"
    )


def legacy_import(
    db: Database,
    connections: Path | None,
    evidence_files: dict[str, list[Path]] | None = None,
    *,
    allow_shrink: bool = True,
) -> ImportSummary:
    """Import a Connections.csv and evidence files the old way, in one transaction."""
    summary = ImportSummary(file_name="legacy")
    parsed = None
    if connections is not None:
        parsed = read_connections(
            Source(str(connections), connections, size=connections.stat().st_size)
        )
    real_replace = evidence._replace
    evidence._replace = legacy_replace  # type: ignore[assignment]
    try:
        with db.write() as conn:
            now = utc_now()
            run_id = conn.exec_driver_sql(
                "INSERT INTO import_runs (file_name, sha256, kind, imported_at, counts) "
                "VALUES ('legacy', 'legacy', 'legacy', ?, '{}') RETURNING id",
                (now,),
            ).scalar_one()
            if parsed is not None:
                apply_connections(conn, parsed, run_id, now, summary, allow_shrink=allow_shrink)
            if evidence_files:
                sources = {
                    kind: [Source(str(p), p, size=p.stat().st_size) for p in paths]
                    for kind, paths in evidence_files.items()
                }
                evidence.import_evidence(conn, sources, summary)
            conn.exec_driver_sql(
                "UPDATE import_runs SET counts = ? WHERE id = ?",
                (json.dumps(summary.counts()), run_id),
            )
    finally:
        evidence._replace = real_replace  # type: ignore[assignment]
    return summary


NAME_INDEX = "CREATE INDEX IF NOT EXISTS ix_connections_name_order ON connections (name_key, id)"

_INCOMING = """
CREATE TEMP TABLE incoming (
    key TEXT PRIMARY KEY, slug TEXT, first_name TEXT NOT NULL, last_name TEXT NOT NULL,
    name_key TEXT NOT NULL, url TEXT NOT NULL, email TEXT NOT NULL, company TEXT NOT NULL,
    position TEXT NOT NULL, connected_on TEXT,
    fallback TEXT GENERATED ALWAYS AS ('name:' || name_key || '|' || coalesce(connected_on, ''))
)
"""

_CHANGED = """
    (c.first_name != i.first_name OR c.last_name != i.last_name OR c.company != i.company
     OR c.position != i.position OR (i.url != '' AND c.url != i.url)
     OR (i.email != '' AND c.email != i.email)
     OR (i.connected_on IS NOT NULL AND c.connected_on IS NOT i.connected_on))
"""


def apply_connections(
    conn: Connection,
    parsed: ConnectionsFile,
    run_id: int,
    now: str,
    summary: ImportSummary,
    *,
    allow_shrink: bool,
) -> None:
    """Refresh, add, mark gone and confirm removals with set-based statements over a temp
    table of the incoming rows (never one statement per row for the whole file)."""
    sql = conn.exec_driver_sql
    summary.rows = len(parsed.rows)
    summary.hidden_skipped = parsed.hidden_skipped
    summary.undated = parsed.undated
    summary.duplicates_merged = parsed.duplicates_merged

    if sql("SELECT NOT EXISTS (SELECT 1 FROM connections)").scalar_one():
        # A first import: everyone is new, nothing to match, nothing gone. Building the
        # indexes once after the bulk insert is faster than growing them row by row.
        for index in connections_table.indexes:
            index.drop(conn)
        summary.new = sql(
            f"INSERT INTO connections ({STORED_COLUMNS}, first_import_id, last_import_id) "
            f"VALUES (?,?,?,?,?,?,?,?,?,?, {int(run_id)}, {int(run_id)})",
            parsed.rows,
        ).rowcount
        for index in connections_table.indexes:
            index.create(conn)
        return

    sql("DROP TABLE IF EXISTS temp.incoming")
    sql(_INCOMING)
    sql(
        f"INSERT INTO incoming ({STORED_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
        parsed.rows,
    )
    # A later export with URLs adopts the records made from an export without them.
    sql(
        """
        UPDATE connections SET key = i.key, slug = i.slug
        FROM incoming i
        WHERE i.slug IS NOT NULL AND connections.slug IS NULL AND connections.key = i.fallback
          AND NOT EXISTS (SELECT 1 FROM connections c2 WHERE c2.key = i.key)
        """
    )
    # An older export without URLs, imported after a newer one, finds the adopted records.
    if not parsed.has_urls:
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

    active_before = sql("SELECT count(*) FROM connections WHERE status = 'active'").scalar_one()
    would_go = sql(
        "SELECT count(*) FROM connections c WHERE c.status = 'active' "
        "AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.key = c.key)"
    ).scalar_one()
    if active_before and would_go > active_before * SHRINK_LIMIT and not allow_shrink:
        raise ImportRefused(
            f"{parsed.source.display}: this file would mark {would_go} of your {active_before} "
            "connections as no longer connected (more than a fifth), so nothing was imported. "
            "If it really is your complete, newer export, import it again with --allow-shrink"
        )

    counts = sql(
        f"""
        SELECT coalesce(sum(c.status = 'gone'), 0), coalesce(sum({_CHANGED}), 0), count(*)
        FROM incoming i JOIN connections c ON c.key = i.key
        """
    ).one()
    summary.returned, summary.updated, matched = (int(v) for v in counts)
    summary.unchanged = matched - summary.updated
    summary.still_connected = sql(
        """
        SELECT count(*) FROM removals r JOIN connections c ON c.id = r.connection_id
        JOIN incoming i ON i.key = c.key
        WHERE r.marked_at IS NOT NULL AND c.status = 'active'
        """
    ).scalar_one()

    # Someone who comes back is connected again: an earlier confirmation no longer holds.
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
    summary.new = sql(
        f"""
        INSERT INTO connections ({STORED_COLUMNS}, first_import_id, last_import_id)
        SELECT {STORED_COLUMNS}, ?, ?
        FROM incoming i
        WHERE NOT EXISTS (SELECT 1 FROM connections c WHERE c.key = i.key)
        """,
        (run_id, run_id),
    ).rowcount

    if active_before:
        summary.gone = sql(
            """
            UPDATE connections SET status = 'gone', gone_since = ?
            WHERE status = 'active'
              AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.key = connections.key)
            """,
            (now,),
        ).rowcount
        summary.confirmed_removals = sql(
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
        summary.flagged = sql(
            "SELECT count(*) FROM connections WHERE status = 'gone' AND gone_since = ? "
            "AND decision IN ('keep', 'nurture')",
            (now,),
        ).scalar_one()
    sql("DROP TABLE temp.incoming")
