"""Importing: find what a path holds, read it, and apply it to the database in one transaction
(docs/PRODUCT.md §5). A failing import changes nothing; the same file twice changes nothing.

An import runs in two steps on one database connection. First every file is read, as a stream,
into temporary tables and small tallies (memory stays flat however many rows a file has), with
no lock on the database: another window can decide cards meanwhile. Then one short transaction
holds the write lock and only writes. An archive is opened once, and each file in it is
decompressed once; an archive imported before is recognised from its directory, before any
file in it is read. Every file is read within `prune_tui.formats.limits`."""

from __future__ import annotations

import gc
import hashlib
import json
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from prune_tui.errors import BadInputFile, ImportRefused
from prune_tui.formats import limits
from prune_tui.formats.connections import (
    ConnectionsFile,
    StoredRow,
    check_read,
    is_connections_header,
    stream_connections,
)
from prune_tui.formats.tables import (
    ProgressCallback,
    ReadNotes,
    Source,
    collecting_notes,
    normalize_file_name,
    open_table,
)
from prune_tui.services.export_dates import ExportAge, date_in_name, refuse_older, remember_newest
from prune_tui.store import importing as store
from prune_tui.store import invitations as invitation_store
from prune_tui.store.attribution import match_names
from prune_tui.store.database import Database, utc_now
from prune_tui.text.summary import ImportSummary
from prune_tui.text.words import n, plural

if TYPE_CHECKING:
    from prune_tui.store.nurture import ContactWatch

# A newer Connections.csv may not mark more than this share of active connections gone
# without --allow-shrink: an edited or partial file must not wipe a network.
SHRINK_LIMIT = 0.2
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
KNOWN_FILES = "Connections.csv, messages.csv or Invitations.csv"
# What reading a damaged zip member raises (its checksum is checked as it is read).
ZIP_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError)
# The compression methods Python's zipfile reads (Windows' "Deflate64" is not one of them).
READABLE_METHODS = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
DEFLATE64 = 9


@dataclass
class Plan:
    """What a path holds, ready to import."""

    path: Path
    kind: str  # "connections", "archive", "folder", "evidence", "backup"; "seen" (imported before)
    connections: Source | None = None
    display: str = ""  # the file used, when it is not `path` itself (one export in a folder)
    evidence: dict[str, list[Source]] = field(default_factory=dict)
    digest: str = ""
    archive: zipfile.ZipFile | None = None  # open for the whole import

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()
            self.archive = None


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

    # Step 1, no write lock: read every file into temp.incoming and the evidence tallies.
    with conn.begin(), collecting_notes() as notes:
        try:
            parsed = (
                stage_connections(conn, plan.connections, notes, progress)
                if plan.connections
                else None
            )
            writes: list[Callable[[Connection, ImportSummary], None]] = []
            if plan.evidence:
                from prune_tui.services.evidence import read_evidence_files

                writes = read_evidence_files(conn, plan.evidence, progress)
        except ZIP_DAMAGE as exc:
            raise _damaged_archive(path) from exc
    summary.replaced_bytes = notes.replaced
    summary.truncated_fields = notes.truncated

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
                    raise _damaged_archive(plan.path) from exc
            summary.replaced_bytes = notes.replaced
            summary.truncated_fields = notes.truncated
            newest_on = store.newest_filled(conn) if parsed.duplicates_merged else parsed.newest
            _check_age(conn, plan, summary, newest_on, allow_older)
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
) -> None:
    refuse_older(conn, _age(plan, summary, newest_on), allow_older=allow_older)
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
# What does this path hold?


def discover(path: Path, seen: Callable[[str], bool] | None = None) -> Plan:
    """What `path` holds, from file names, headers and an archive's directory: no file is
    read through yet. The caller closes the plan (it may hold the archive open).

    An archive whose fingerprint `seen` knows is kind "seen", its files not even sorted out."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise BadInputFile(path, f"cannot be read ({exc.strerror})") from exc
    if mode is None:
        raise BadInputFile(
            path,
            "no such file or folder; check the path (LinkedIn's export is a .zip named like "
            "Basic_LinkedInDataExport_MM-DD-YYYY.zip, usually in your downloads)",
        )
    if stat.S_ISDIR(mode):
        exports = exports_in_folder(path)
        if len(exports) > 1:
            names = ", ".join(str(e.relative_to(path)) for e in exports)
            raise BadInputFile(
                path,
                f"this folder holds {len(exports)} LinkedIn exports ({names}); import one of "
                "them by its own path, newest first",
            )
        if exports and exports[0] != path:
            used = exports[0]
            plan = discover(used, seen)
            plan.display = f"{path.name}/{used.relative_to(path)}"
            if used.is_dir() and plan.connections is not None:
                plan.display = f"{plan.display}/{plan.connections.name}"
            return plan
        plan = Plan(path, "folder")
        _classify_members(plan, _folder_sources(path))
        if plan.connections is None and not plan.evidence:
            raise BadInputFile(
                path,
                f"this folder holds no file prune-tui reads ({KNOWN_FILES}); "
                "give the folder you unzipped LinkedIn's export into, or the .zip itself",
            )
        _check_total(path, [plan.connections, *_flatten(plan.evidence)])
        plan.digest = _digest_sources([plan.connections, *_flatten(plan.evidence)])
        return plan
    if not stat.S_ISREG(mode):
        # A device (/dev/zero), a pipe or a socket never ends, or never starts.
        raise BadInputFile(
            path,
            "this is not a regular file or folder (a device, pipe or socket); give the .zip "
            "LinkedIn sent you, its unzipped folder, or a file from it",
        )
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise BadInputFile(path, f"cannot be read ({exc.strerror})") from exc
    if not head:
        raise BadInputFile(path, "the file is empty")
    if head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)) or path.suffix.lower() == ".zip":
        plan = Plan(path, "archive")
        try:
            plan.archive, sources, plan.digest = _open_archive(path)
            if seen is not None and seen(plan.digest):
                plan.kind = "seen"
                return plan
            _classify_members(plan, sources)
            if plan.connections is None and not plan.evidence:
                raise BadInputFile(
                    path, f"this archive holds no file prune-tui reads ({KNOWN_FILES})"
                )
            _check_members(path, [plan.connections, *_flatten(plan.evidence)])
        except BaseException:
            plan.close()
            raise
        return plan
    if path.suffix.lower() == ".json" or head.lstrip()[:1] in (b"[", b"{"):
        return Plan(path, "backup", digest=_digest_file(path))
    return _classify_single_csv(path)


def exports_in_folder(folder: Path) -> list[Path]:
    """The LinkedIn exports in a folder: each folder holding a Connections.csv (at any depth;
    `folder` itself when it holds one) and each .zip directly inside that holds one."""
    found = {
        p.parent
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix.lower() == ".csv"
        and normalize_file_name(p.name) == "connections"
    }
    # Keep the shallowest: a re-zipped export holds its files under one more folder.
    exports = [f for f in found if not any(o != f and o in f.parents for o in found)]
    for zipped in sorted(folder.glob("*")):
        if zipped.suffix.lower() != ".zip" and not zipped.name.lower().endswith(".zip"):
            continue
        try:
            with zipfile.ZipFile(zipped) as archive:
                names = archive.namelist()
        except (*ZIP_DAMAGE, zipfile.LargeZipFile, OSError):
            continue
        if any(normalize_file_name(n.rsplit("/", 1)[-1]) == "connections" for n in names):
            exports.append(zipped)
    return sorted(exports, key=lambda p: (p != folder, str(p).casefold()))


def _classify_single_csv(path: Path) -> Plan:
    source = Source(str(path), path, size=path.stat().st_size)
    _check_total(path, [source])
    plan = Plan(path, "connections", digest=_digest_file(path))
    if normalize_file_name(path.name) == "connections":
        # The common case: read_connections checks the header (before anything is written),
        # and no evidence module is loaded at all (a faster start).
        plan.connections = source
        return plan

    from prune_tui.services import evidence

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
    from prune_tui.services import evidence

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
    found: list[Path] = []
    for p in folder.rglob("*"):
        if p.suffix.lower() == ".csv" and p.is_file():
            found.append(p)
            if len(found) > limits.MAX_MEMBERS:
                raise BadInputFile(
                    folder,
                    f"this folder holds more than {limits.MAX_MEMBERS:,} CSV files, prune-tui's "
                    "limit (an export holds a few dozen); give the folder of one export",
                )
    found.sort(key=lambda p: (len(p.relative_to(folder).parts), str(p).casefold()))
    return [Source(str(p), p, size=p.stat().st_size) for p in found]


def _declared_entries(path: Path) -> int | None:
    """How many entries the archive's end record declares, read before zipfile builds an
    object for each (a directory of a million entries would take minutes and gigabytes)."""
    end_record = getattr(zipfile, "_EndRecData", None)
    if end_record is None:
        return None
    with path.open("rb") as fh:
        record = end_record(fh)
    return None if not record else int(record[4])


def _open_archive(path: Path) -> tuple[zipfile.ZipFile, list[Source], str]:
    """The archive opened once (for the whole import), the CSV files in it, and its
    fingerprint: the archive's size and its central directory, which holds every member's
    name, size and CRC-32; the same export is recognised without reading any member."""
    not_readable = "this is not a readable zip archive (it may be damaged or still downloading)"
    try:
        entries = _declared_entries(path)
        if entries is not None and entries > limits.MAX_MEMBERS:
            raise BadInputFile(
                path,
                f"the archive holds {entries:,} files, more than prune-tui's limit of "
                f"{limits.MAX_MEMBERS:,} (a LinkedIn export holds a few dozen)",
            )
        archive = zipfile.ZipFile(path)
    except (*ZIP_DAMAGE, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise BadInputFile(path, not_readable) from exc
    try:
        infos = archive.infolist()
        if len(infos) > limits.MAX_MEMBERS:
            raise BadInputFile(
                path,
                f"the archive holds {len(infos):,} files, more than prune-tui's limit of "
                f"{limits.MAX_MEMBERS:,} (a LinkedIn export holds a few dozen)",
            )
        fingerprint = hashlib.sha256(b"zip-directory\x00")
        fingerprint.update(str(path.stat().st_size).encode())
        for info in infos:
            fingerprint.update(
                f"\x00{info.filename}\x00{info.CRC}\x00{info.file_size}\x00"
                f"{info.compress_size}\x00{info.header_offset}".encode("utf-8", "surrogatepass")
            )
        chosen = [
            info
            for info in infos
            if not info.is_dir()
            and info.filename.lower().endswith(".csv")
            and not info.filename.startswith("__MACOSX/")
        ]
        chosen.sort(key=lambda i: (i.filename.count("/"), i.filename.casefold()))
        sources = [
            Source(
                f"{path} › {info.filename}",
                path,
                member=info.filename,
                size=info.file_size,
                archive=archive,
            )
            for info in chosen
        ]
    except BaseException:
        archive.close()
        raise
    return archive, sources, fingerprint.hexdigest()


def _check_members(path: Path, sources: Sequence[Source | None]) -> None:
    """The members an import will read: readable methods, no password, sizes and compression
    within the limits (checked on the archive's directory, before anything is inflated; the
    zip reader never inflates a member past the size its directory declares)."""
    _check_total(path, sources)
    for source in sources:
        if source is None or source.archive is None or source.member is None:
            continue
        info = source.archive.getinfo(source.member)
        if info.flag_bits & 0x1:
            raise BadInputFile(
                path,
                "the archive is encrypted (password-protected), and prune-tui cannot read it; "
                "unzip it with its password and import the folder",
            )
        if info.compress_type == DEFLATE64:
            raise BadInputFile(
                path,
                f"{info.filename} is compressed with Deflate64 (as Windows re-zips large "
                "files), which prune-tui cannot read; unzip the archive and import the folder",
            )
        if info.compress_type not in READABLE_METHODS:
            raise BadInputFile(
                path,
                f"{info.filename} is compressed with a method prune-tui cannot read "
                f"(number {info.compress_type}); unzip the archive and import the folder",
            )
        if info.file_size > limits.RATIO_FLOOR and info.file_size > limits.MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise BadInputFile(
                path,
                f"{info.filename} would inflate more than {limits.MAX_RATIO:,} times "
                f"(prune-tui's limit; text compresses far less): the archive is damaged "
                "or not an export",
            )


def _check_total(path: Path, sources: Sequence[Source | None]) -> None:
    total = sum(s.size for s in sources if s is not None)
    if total > limits.MAX_TOTAL_BYTES:
        raise BadInputFile(
            path,
            f"the files to import hold more than {limits.size_words(limits.MAX_TOTAL_BYTES)}, "
            "prune-tui's limit (a LinkedIn export holds far less)",
        )


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
            rows = _first_rows(
                source, stream_connections(source, parsed, progress, day_first=day_first), repeated
            )
            if run_id is not None:
                store.fill_rows(conn, rows, run_id)
            else:
                store.stage_rows(conn, rows)
            if direct:
                store.build_connection_indexes(conn)
            if repeated:
                if direct:
                    store.merge_filled(conn, repeated)
                else:
                    store.merge_staged(conn, repeated)
            if not parsed.day_first_seen:
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


def _first_rows(
    source: Source, rows: Iterable[StoredRow], repeated: list[StoredRow]
) -> Iterator[StoredRow]:
    """Each key's first row; the rows repeating a key go to `repeated`, in order."""
    seen: set[str] = set()
    add = seen.add
    for row in rows:
        if row[0] in seen:
            repeated.append(row)
            if len(repeated) > limits.MAX_REPEATED_ROWS:
                raise source.over_limit(
                    f"more than {limits.MAX_REPEATED_ROWS:,} rows repeat a connection, "
                    "prune-tui's limit (an export repeats a few); nothing was imported"
                )
            continue
        add(row[0])
        yield row


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
    """The import summary in plain words, a few lines."""
    if summary.already_imported:
        return (
            f"{summary.file_name} was imported before; nothing changed. To apply it again "
            "(after importing an older export, say), add --again."
        )
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
    if summary.replaced_bytes:
        lines.append(
            f"  {plural(summary.replaced_bytes, 'byte')} that could not be read as text "
            "shown as \N{REPLACEMENT CHARACTER} (the rest is read as written)"
        )
    if summary.truncated_fields:
        lines.append(
            f"  {plural(summary.truncated_fields, 'very long field')} shortened to "
            f"{'its' if summary.truncated_fields == 1 else 'their'} first "
            f"{n(limits.KEPT_CHARS)} characters"
        )
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
    if (
        summary.invitations_pending
        or summary.invitations_to_withdraw
        or summary.accepts_confirmed
        or summary.invitations_flagged
    ):  # (describe_import has no line otherwise: an import without invitations skips loading it)
        from prune_tui.text.invitation_words import describe_import

        lines += describe_import(summary)
    return "\n".join(lines)
