"""What a path holds, before anything is imported: a Connections.csv, an evidence file, a whole
export (zip or folder), a folder of exports or a JSON backup. File names, headers and an
archive's directory decide; no file is read through, and an archive seen before is recognised
from its directory alone. Every size is checked against `prune_tui.formats.limits`."""

from __future__ import annotations

import hashlib
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from prune_tui.errors import BadInputFile
from prune_tui.formats import limits
from prune_tui.formats.connections import (
    is_connections_header,
)
from prune_tui.formats.tables import (
    Source,
    normalize_file_name,
    open_table,
)

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
        return _discover_folder(path, seen)
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
        return _discover_archive(path, seen)
    if path.suffix.lower() == ".json" or head.lstrip()[:1] in (b"[", b"{"):
        return Plan(path, "backup", digest=_digest_file(path))
    return _classify_single_csv(path)


def _discover_folder(path: Path, seen: Callable[[str], bool] | None) -> Plan:
    """A folder: the one export inside it (a folder or a .zip), or the export it is."""
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


def _discover_archive(path: Path, seen: Callable[[str], bool] | None) -> Plan:
    """A .zip, opened once and held open in the plan (closed here if it cannot be used)."""
    plan = Plan(path, "archive")
    try:
        plan.archive, sources, plan.digest = _open_archive(path)
        if seen is not None and seen(plan.digest):
            plan.kind = "seen"
            return plan
        _classify_members(plan, sources)
        if plan.connections is None and not plan.evidence:
            raise BadInputFile(path, f"this archive holds no file prune-tui reads ({KNOWN_FILES})")
        _check_members(path, [plan.connections, *_flatten(plan.evidence)])
    except BaseException:
        plan.close()
        raise
    return plan


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


def damaged_archive(path: Path) -> BadInputFile:
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
