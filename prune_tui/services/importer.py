"""Importing: read what a path holds (`discovery` finds out what that is) and apply it to the
database in one transaction (docs/PRODUCT.md §5). A failing import changes nothing; the same
file twice changes nothing.

An import runs in two steps on one database connection. First every file is read, as a stream,
into temporary tables and small tallies (memory stays flat however many rows a file has), with
no lock on the database: another window can decide cards meanwhile. Then one short transaction
holds the write lock and only writes. An archive is opened once, and each file in it is
decompressed once; an archive imported before is recognised from its directory, before any
file in it is read. Every file is read within `prune_tui.formats.limits`."""

from __future__ import annotations

import gc
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from prune_tui.errors import ImportRefused
from prune_tui.formats import limits
from prune_tui.formats.connections import (
    ConnectionsFile,
    StoredRow,
    check_read,
    stream_connections,
)
from prune_tui.formats.tables import (
    ProgressCallback,
    ReadNotes,
    Source,
    collecting_notes,
)
from prune_tui.services.discovery import ZIP_DAMAGE, Plan, damaged_archive, discover
from prune_tui.services.export_dates import (
    ExportAge,
    date_in_name,
    refuse_older,
    refuse_older_evidence,
    remember_newest,
)
from prune_tui.store import importing as store
from prune_tui.store import invitations as invitation_store
from prune_tui.store import search
from prune_tui.store.attribution import match_names
from prune_tui.store.database import Database, utc_now
from prune_tui.store.readdress import readdress_staged
from prune_tui.text.summary import ImportSummary, summary_words

if TYPE_CHECKING:
    from prune_tui.store.nurture import ContactWatch

# A newer Connections.csv may not mark more than this share of active connections gone
# without --allow-shrink: an edited or partial file must not wipe a network.
SHRINK_LIMIT = 0.2


def import_path(
    db: Database,
    path: Path | str,
    *,
    allow_shrink: bool = False,
    allow_older: bool = False,
    again: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportSummary:
    """Import a Connections.csv, messages.csv, Invitations.csv, a whole export (zip or folder) or
    a JSON backup. Raises BadInputFile / ImportRefused with the database untouched.

    `allow_older` applies an export older than one already imported (export_dates.py);
    `again` applies a file imported before (after an older one was allowed, say)."""
    path = Path(path).expanduser()
    summary = ImportSummary(file_name=path.name)

    def seen(digest: str) -> bool:
        with db.read() as conn:
            return store.seen_before(conn, digest)

    # `--again` applies a file imported before: nothing counts as seen.
    plan = discover(path, (lambda _digest: False) if again else seen)
    try:
        summary.file_name = plan.display or path.name
        if plan.kind == "seen":
            summary.already_imported = True
            return summary
        if plan.kind == "backup":
            from prune_tui.services.backup import restore_backup

            return restore_backup(db, path, summary, digest=plan.digest)
        with db.engine.connect() as conn:
            restore = store.lean_memory(conn)  # memory flat however many rows a file has
            try:
                return _import_plan(
                    conn,
                    plan,
                    summary,
                    allow_shrink,
                    progress,
                    allow_older=allow_older,
                    again=again,
                )
            finally:
                if conn.in_transaction():
                    conn.rollback()
                store.restore_memory(conn, restore)
    finally:
        plan.close()


def _import_plan(
    conn: Connection,
    plan: Plan,
    summary: ImportSummary,
    allow_shrink: bool,
    progress: ProgressCallback | None,
    *,
    allow_older: bool = False,
    again: bool = False,
) -> ImportSummary:
    path = plan.path
    seen = store.seen_before(conn, plan.digest)
    conn.rollback()
    if seen and not again:
        summary.already_imported = True
        return summary
    empty = plan.connections is not None and not plan.evidence and store.no_connections(conn)
    conn.rollback()
    if empty and _first_import(conn, plan, summary, progress, allow_older=allow_older):
        return summary

    parsed, writes, newest = _read_files(conn, plan, summary, progress)

    # Step 2: one transaction under the write lock, writes only.
    conn.execution_options(prune_write=True)
    with conn.begin():
        now = utc_now()
        run_id = store.start_run(conn, path.name, plan.digest, plan.kind, now)
        if parsed is not None:
            # Without repeated rows temp.incoming holds every date the reader yielded; a merged
            # row keeps its first row's date, so then ask the table.
            newest_on = store.newest_staged(conn) if parsed.duplicates_merged else parsed.newest
            first_fill = store.no_connections(conn)
            _check_age(conn, plan, summary, newest_on, allow_older)
            apply_connections(conn, parsed, run_id, now, summary, allow_shrink=allow_shrink)
            remember_newest(conn, _age(plan, summary, newest_on), first_fill=first_fill)
        if parsed is None:  # evidence on its own: judged by its messages and invitations
            refuse_older_evidence(conn, summary.file_name, newest, allow_older=allow_older)
        watch = None
        if plan.evidence:
            summary.kinds.extend(sorted(plan.evidence))
            from prune_tui.store.nurture import ContactWatch

            watch = ContactWatch(conn) if "messages" in plan.evidence else None
            for write in writes:
                write(conn, summary)
        _finish(conn, plan, run_id, now, summary, watch)
    conn.execution_options(prune_write=False)
    return summary


def _read_files(
    conn: Connection, plan: Plan, summary: ImportSummary, progress: ProgressCallback | None
) -> tuple[
    ConnectionsFile | None, list[Callable[[Connection, ImportSummary], None]], dict[str, str]
]:
    """Step 1 of an import, with no write lock: every file read into temp.incoming and the
    evidence tallies. Returns the Connections.csv read (if any), the evidence's writes and
    when the newest message and invitation read were written (`Reading.newest`)."""
    with conn.begin(), collecting_notes() as notes:
        try:
            parsed = (
                stage_connections(conn, plan.connections, notes, progress)
                if plan.connections
                else None
            )
            writes: list[Callable[[Connection, ImportSummary], None]] = []
            newest: dict[str, str] = {}
            if plan.evidence:
                from prune_tui.services.evidence import read_evidence_files

                reading = read_evidence_files(conn, plan.evidence, progress)
                writes = reading.writes
                if plan.connections is None:  # evidence on its own: judged by its dates
                    newest = reading.newest()
        except ZIP_DAMAGE as exc:
            raise damaged_archive(plan.path) from exc
    summary.replaced_bytes = notes.replaced
    summary.truncated_fields = notes.truncated
    return parsed, writes, newest


def _first_import(
    conn: Connection,
    plan: Plan,
    summary: ImportSummary,
    progress: ProgressCallback | None,
    *,
    allow_older: bool,
) -> bool:
    """A Connections.csv into a database with no connections: read and written in one go,
    under the write lock, the rows straight into `connections` (no staging table to copy
    from). Nobody can be deciding cards meanwhile, and reading one file takes a moment. False
    when someone else filled the database first: then import it as a newer export."""
    assert plan.connections is not None
    conn.execution_options(prune_write=True)
    try:
        with conn.begin():
            if not store.no_connections(conn):
                return False  # (nothing written: the empty transaction commits)
            now = utc_now()
            run_id = store.start_run(conn, plan.path.name, plan.digest, plan.kind, now)
            with collecting_notes() as notes:
                try:
                    parsed = stage_connections(
                        conn, plan.connections, notes, progress, run_id=run_id
                    )
                except ZIP_DAMAGE as exc:
                    raise damaged_archive(plan.path) from exc
            summary.replaced_bytes = notes.replaced
            summary.truncated_fields = notes.truncated
            newest_on = store.newest_filled(conn) if parsed.duplicates_merged else parsed.newest
            _check_age(conn, plan, summary, newest_on, allow_older, first_fill=True)
            apply_connections(conn, parsed, run_id, now, summary, allow_shrink=True, filled=True)
            remember_newest(conn, _age(plan, summary, newest_on), first_fill=True)
            _finish(conn, plan, run_id, now, summary, None)
    finally:
        conn.execution_options(prune_write=False)
    return True


def _age(plan: Plan, summary: ImportSummary, newest_on: str | None) -> ExportAge:
    return ExportAge(
        date_in_name(plan.path.name if plan.kind != "connections" else ""),
        newest_on,
        summary.file_name,
    )


def _check_age(
    conn: Connection,
    plan: Plan,
    summary: ImportSummary,
    newest_on: str | None,
    allow_older: bool,
    *,
    first_fill: bool = False,
) -> None:
    refuse_older(
        conn, _age(plan, summary, newest_on), allow_older=allow_older, first_fill=first_fill
    )
    summary.kinds.append("connections")


def _finish(
    conn: Connection,
    plan: Plan,
    run_id: int,
    now: str,
    summary: ImportSummary,
    watch: ContactWatch | None,
) -> None:
    """The end of every import's write: who takes name-keyed evidence, last contact,
    pending invitations, and the counts logged with the run."""
    match_names(conn)  # who takes name-keyed evidence may change with either file
    if watch is not None:  # after match_names: last contact follows whose messages are whose
        summary.in_touch = watch.finish(conn)
    # Pending invitations; accepts confirmed. With none staged and none known, after_import
    # has nothing to look at: the usual first import does not even load it.
    if invitation_store.has_staged(conn) or invitation_store.has_invitations(conn):
        from prune_tui.services.invitation_import import after_import

        after_import(conn, plan, run_id, now, summary)
    store.finish_run(conn, run_id, json.dumps(summary.counts()))


# ---------------------------------------------------------------------------------------------
# Applying a Connections.csv


def stage_connections(
    conn: Connection,
    source: Source,
    notes: ReadNotes,
    progress: ProgressCallback | None = None,
    *,
    run_id: int | None = None,
) -> ConnectionsFile:
    """Stream a Connections.csv into temp.incoming (never a list of every row in memory), or
    with `run_id` (a first import, under the write lock) straight into the empty
    `connections`, its indexes built after.

    A file that turns out to hold a day-first slashed date is read again, day-first."""
    direct = run_id is not None
    if direct:
        store.drop_connection_indexes(conn)
        search.pause_words(conn)  # folded at once after the rows (fold_new_rows)
    else:
        store.new_staging(conn)
    truncated, replaced = notes.truncated, notes.replaced
    collecting = gc.isenabled()
    gc.disable()  # many small acyclic objects: the cyclic collector would only rescan them
    try:
        for day_first in (False, True):
            parsed = ConnectionsFile(source)
            notes.truncated, notes.replaced = truncated, replaced
            repeated: list[StoredRow] = []
            rows = stream_connections(
                source, parsed, progress, day_first=day_first, repeated=repeated
            )
            if run_id is not None:
                store.fill_rows(conn, rows, run_id)
            else:
                store.stage_rows(conn, rows)
            final = not parsed.day_first_seen
            if direct:
                store.build_connection_indexes(conn)
                if final:  # before the merges: the trigger folds a merged row again
                    search.fold_new_rows(conn, as_read=True)
            if repeated:
                if direct:
                    store.merge_filled(conn, repeated)
                else:
                    store.merge_staged(conn, repeated)
            if final:
                break
            if direct:
                store.clear_filled(conn)
                store.drop_connection_indexes(conn)
            else:
                store.new_staging(conn)
    finally:
        if collecting:
            gc.enable()
    check_read(parsed)
    parsed.duplicates_merged = len(repeated)
    return parsed


def apply_connections(
    conn: Connection,
    parsed: ConnectionsFile,
    run_id: int,
    now: str,
    summary: ImportSummary,
    *,
    allow_shrink: bool,
    filled: bool = False,
) -> None:
    """Refresh, add, mark gone and confirm removals with set-based statements over a temp
    table of the incoming rows (never one statement per row for the whole file). `filled`:
    a first import already wrote its rows (stage_connections with a run id)."""
    summary.rows = parsed.read - parsed.duplicates_merged
    summary.hidden_skipped = parsed.hidden_skipped
    summary.undated = parsed.undated
    summary.duplicates_merged = parsed.duplicates_merged
    if filled:
        summary.new = summary.rows
        return
    if store.no_connections(conn):
        # A first import: everyone is new, nothing to match, nothing gone.
        summary.new = store.insert_all_staged(conn, run_id)
        return

    store.match_staged(conn, has_urls=parsed.has_urls)
    active_before, would_go = store.active_and_going(conn)
    if would_go and parsed.has_urls:  # some of them may have chosen a new profile address
        summary.readdressed = readdress_staged(conn)
        if summary.readdressed:
            active_before, would_go = store.active_and_going(conn)
    if active_before and would_go > active_before * SHRINK_LIMIT and not allow_shrink:
        raise ImportRefused(
            f"{parsed.source.display}: this file would mark {would_go} of your {active_before} "
            "connections as no longer connected (more than a fifth), so nothing was imported. "
            "If it really is your complete, newer export, import it again with --allow-shrink"
        )
    summary.returned, summary.updated, matched, summary.still_connected = store.matched_counts(conn)
    summary.unchanged = matched - summary.updated
    summary.new = store.apply_staged(conn, run_id)
    if active_before:
        summary.gone, summary.confirmed_removals, summary.flagged = store.mark_gone(
            conn, run_id, now
        )


# ---------------------------------------------------------------------------------------------
# Telling the user


def describe_summary(summary: ImportSummary) -> str:
    """The import summary in plain words, a few lines (the wording is `text.summary`'s)."""
    return summary_words(summary, kept_chars=limits.KEPT_CHARS)
