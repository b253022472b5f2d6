"""Importing: find what a path holds, read it, and apply it to the database in one transaction
(PRODUCT.md §5). A failing import changes nothing; the same file twice changes nothing."""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection

from prune_tui.errors import BadInputFile, ImportRefused
from prune_tui.formats.connections import (
    STORED_COLUMNS,
    ConnectionsFile,
    is_connections_header,
    read_connections,
)
from prune_tui.formats.text import ProgressCallback, Source, normalize_file_name, open_table
from prune_tui.store.database import Database, utc_now
from prune_tui.store.schema import connections as connections_table
from prune_tui.summary import ImportSummary
from prune_tui.words import n, plural

# A newer Connections.csv may not mark more than this share of active connections gone
# without --allow-shrink: an edited or partial file must not wipe a network.
SHRINK_LIMIT = 0.2
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
KNOWN_FILES = "Connections.csv, messages.csv or Invitations.csv"
# What reading a damaged zip member raises (testzip is skipped for large archives).
ZIP_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError)


@dataclass
class Plan:
    """What a path holds, ready to import."""

    path: Path
    kind: str  # "connections", "archive", "folder", "evidence", "backup"
    connections: Source | None = None
    evidence: dict[str, list[Source]] = field(default_factory=dict)
    digest: str = ""


def import_path(
    db: Database,
    path: Path | str,
    *,
    allow_shrink: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportSummary:
    """Import a Connections.csv, messages.csv, Invitations.csv, a whole export (zip or folder) or
    a JSON backup. Raises BadInputFile / ImportRefused with the database untouched."""
    path = Path(path).expanduser()
    plan = discover(path)
    summary = ImportSummary(file_name=path.name)
    if plan.kind == "backup":
        from prune_tui.backup import restore_backup

        return restore_backup(db, path, summary, digest=plan.digest)

    with db.read() as conn:
        seen = conn.exec_driver_sql(
            "SELECT imported_at FROM import_runs WHERE sha256 = ? LIMIT 1", (plan.digest,)
        ).first()
    if seen is not None:
        summary.already_imported = True
        return summary

    try:
        parsed = read_connections(plan.connections, progress) if plan.connections else None
    except ZIP_DAMAGE as exc:
        raise _damaged_archive(path) from exc
    with db.write() as conn:
        now = utc_now()
        run_id = conn.exec_driver_sql(
            "INSERT INTO import_runs (file_name, sha256, kind, imported_at, counts) "
            "VALUES (?, ?, ?, ?, '{}') RETURNING id",
            (path.name, plan.digest, plan.kind, now),
        ).scalar_one()
        if parsed is not None:
            summary.kinds.append("connections")
            apply_connections(conn, parsed, run_id, now, summary, allow_shrink=allow_shrink)
        if plan.evidence:
            summary.kinds.extend(sorted(plan.evidence))
            try:
                from prune_tui.evidence import import_evidence
                from prune_tui.store.nurture import ContactWatch

                watch = ContactWatch(conn) if "messages" in plan.evidence else None
                import_evidence(conn, plan.evidence, summary, progress)
                if watch is not None:
                    summary.in_touch = watch.finish(conn)
            except ZIP_DAMAGE as exc:
                raise _damaged_archive(path) from exc
        conn.exec_driver_sql(
            "UPDATE import_runs SET counts = ? WHERE id = ?",
            (json.dumps(summary.counts()), run_id),
        )
    return summary


# ---------------------------------------------------------------------------------------------
# What does this path hold?


def discover(path: Path) -> Plan:
    if not path.exists():
        raise BadInputFile(
            path,
            "no such file or folder; check the path (LinkedIn's export is a .zip named like "
            "Basic_LinkedInDataExport_MM-DD-YYYY.zip, usually in your downloads)",
        )
    if path.is_dir():
        plan = Plan(path, "folder")
        _classify_members(plan, _folder_sources(path))
        if plan.connections is None and not plan.evidence:
            raise BadInputFile(
                path,
                f"this folder holds no file prune-tui reads ({KNOWN_FILES}); "
                "give the folder you unzipped LinkedIn's export into, or the .zip itself",
            )
        plan.digest = _digest_sources([plan.connections, *_flatten(plan.evidence)])
        return plan
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise BadInputFile(path, f"cannot be read ({exc.strerror})") from exc
    if not head:
        raise BadInputFile(path, "the file is empty")
    if head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)) or path.suffix.lower() == ".zip":
        plan = Plan(path, "archive")
        _classify_members(plan, _zip_sources(path))
        if plan.connections is None and not plan.evidence:
            raise BadInputFile(path, f"this archive holds no file prune-tui reads ({KNOWN_FILES})")
        plan.digest = _digest_file(path)
        return plan
    if path.suffix.lower() == ".json" or head.lstrip()[:1] in (b"[", b"{"):
        return Plan(path, "backup", digest=_digest_file(path))
    return _classify_single_csv(path)


def _classify_single_csv(path: Path) -> Plan:
    source = Source(str(path), path, size=path.stat().st_size)
    plan = Plan(path, "connections", digest=_digest_file(path))
    if normalize_file_name(path.name) == "connections":
        # The common case: read_connections checks the header (before anything is written),
        # and no evidence module is loaded at all (a faster start).
        plan.connections = source
        return plan

    from prune_tui import evidence

    def recognised(cells: Sequence[str]) -> bool:
        return is_connections_header(cells) or evidence.kind_for_header(cells) is not None

    with open_table(source, recognised, "LinkedIn export header") as table:
        header = table.header
    # Some evidence files (Profile.csv, Recommendations_*.csv) have First/Last Name headers
    # too: a known file name decides before the header does.
    named = evidence.kind_for_file_name(path.name)
    if named is not None:
        plan.kind = "evidence"
        plan.evidence[named] = [source]
    elif is_connections_header(header):
        plan.connections = source
    else:
        kind = evidence.kind_for_header(header)
        assert kind is not None
        plan.kind = "evidence"
        plan.evidence[kind] = [source]
    return plan


def _classify_members(plan: Plan, sources: Iterable[Source]) -> None:
    from prune_tui import evidence

    for source in sources:
        normalized = normalize_file_name(source.name)
        if normalized == "connections":
            # Re-zipped exports can hold the file twice; the shallowest one wins.
            if plan.connections is None:
                plan.connections = source
            continue
        kind = evidence.kind_for_file_name(source.name)
        if kind is not None:
            plan.evidence.setdefault(kind, []).append(source)


def _folder_sources(folder: Path) -> list[Source]:
    files = sorted(
        (p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() == ".csv"),
        key=lambda p: (len(p.relative_to(folder).parts), str(p).casefold()),
    )
    return [Source(str(p), p, size=p.stat().st_size) for p in files]


def _zip_sources(path: Path) -> list[Source]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [
                info
                for info in archive.infolist()
                if not info.is_dir()
                and info.filename.lower().endswith(".csv")
                and not info.filename.startswith("__MACOSX/")
            ]
            bad = archive.testzip() if len(infos) < 50 else None
    except (*ZIP_DAMAGE, zipfile.LargeZipFile, OSError) as exc:
        raise BadInputFile(
            path, "this is not a readable zip archive (it may be damaged or still downloading)"
        ) from exc
    if bad is not None:
        raise BadInputFile(path, f"the archive is damaged ({bad} cannot be read)")
    infos.sort(key=lambda i: (i.filename.count("/"), i.filename.casefold()))
    return [
        Source(f"{path} › {info.filename}", path, member=info.filename, size=info.file_size)
        for info in infos
    ]


def _damaged_archive(path: Path) -> BadInputFile:
    return BadInputFile(
        path, "the archive is damaged (a file inside cannot be read); download it again"
    )


def _flatten(groups: dict[str, list[Source]]) -> list[Source]:
    return [s for sources in groups.values() for s in sources]


def _digest_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _digest_sources(sources: Iterable[Source | None]) -> str:
    h = hashlib.sha256()
    for source in sources:
        if source is not None:
            h.update(source.display.encode())
            h.update(_digest_file(source.path).encode())
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------
# Applying a Connections.csv

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


# ---------------------------------------------------------------------------------------------
# Telling the user


def describe_summary(summary: ImportSummary) -> str:
    """The import summary in plain words, a few lines."""
    if summary.already_imported:
        return f"{summary.file_name} was imported before; nothing changed."
    lines: list[str] = []
    if summary.restored:
        lines.append(f"Restored {plural(summary.restored, 'connection')} from {summary.file_name}.")
    elif "connections" in summary.kinds:
        lines.append(f"Imported {plural(summary.rows, 'connection')} from {summary.file_name}.")
        parts = [
            f"{n(summary.new)} new",
            f"{n(summary.updated)} updated",
            f"{n(summary.unchanged)} unchanged",
        ]
        if summary.gone:
            parts.append(f"{n(summary.gone)} no longer connected")
        if summary.returned:
            parts.append(f"{n(summary.returned)} back again")
        lines.append("  " + " · ".join(parts))
    else:
        lines.append(f"Imported {summary.file_name}.")
    if summary.confirmed_removals:
        lines.append(f"  {plural(summary.confirmed_removals, 'removal')} confirmed")
    if summary.flagged:
        lines.append(
            f"  {plural(summary.flagged, 'person', 'people')} you chose to keep or nurture "
            f"{'is' if summary.flagged == 1 else 'are'} no longer connected"
        )
    if summary.in_touch:
        lines.append(
            f"  {plural(summary.in_touch, 'nurtured person', 'nurtured people')} "
            f"{'was' if summary.in_touch == 1 else 'were'} in touch since the last export"
        )
    if summary.linkedin_notes:
        lines.append(
            f"  {plural(summary.linkedin_notes, 'note')} from LinkedIn added to people's notes"
        )
    if summary.still_connected:
        lines.append(
            f"  {plural(summary.still_connected, 'person', 'people')} you ticked off as removed "
            f"{'is' if summary.still_connected == 1 else 'are'} still connected"
        )
    if summary.hidden_skipped:
        lines.append(
            f"  skipped {plural(summary.hidden_skipped, 'hidden or closed account')} "
            "(rows with only a date)"
        )
    if summary.undated:
        lines.append(
            f"  {plural(summary.undated, 'date')} could not be read (imported without a date)"
        )
    if summary.duplicates_merged:
        lines.append(f"  merged {plural(summary.duplicates_merged, 'repeated row')}")
    evidence_parts = [
        plural(count, one)
        for count, one in (
            (summary.messages, "message"),
            (summary.invitations, "invitation"),
            (summary.endorsements, "endorsement"),
            (summary.recommendations, "recommendation"),
        )
        if count
    ]
    if evidence_parts:
        lines.append("  evidence: " + " · ".join(evidence_parts))
    return "\n".join(lines)
