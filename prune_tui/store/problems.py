"""What really went wrong with the database, in words a person can act on.

SQLite's error (a code since Python 3.11, its message before) is sorted into one of a few
kinds: the disk is full, the file or its folder is read-only, another prune-tui holds the
lock, the file is damaged, or the disk failed. A healthy database is never called damaged:
only SQLite's own "corrupt" and "not a database" codes (and a failed quick_check) say so.
No message ever carries SQL or values from the data.
"""

from __future__ import annotations

import enum
import os
from pathlib import Path


class Kind(str, enum.Enum):
    FULL = "full"
    READ_ONLY = "read-only"
    LOCKED = "locked"
    DAMAGED = "damaged"
    DISK = "disk"  # an I/O error or a file that cannot be opened: not the database's fault


_BY_CODE = {
    "SQLITE_FULL": Kind.FULL,
    "SQLITE_READONLY": Kind.READ_ONLY,
    "SQLITE_PERM": Kind.READ_ONLY,
    "SQLITE_BUSY": Kind.LOCKED,
    "SQLITE_LOCKED": Kind.LOCKED,
    "SQLITE_CORRUPT": Kind.DAMAGED,
    "SQLITE_NOTADB": Kind.DAMAGED,
    "SQLITE_IOERR": Kind.DISK,
    "SQLITE_CANTOPEN": Kind.DISK,
}
_BY_TEXT = (
    ("database or disk is full", Kind.FULL),
    ("readonly database", Kind.READ_ONLY),
    ("database is locked", Kind.LOCKED),
    ("database table is locked", Kind.LOCKED),
    ("malformed", Kind.DAMAGED),
    ("file is not a database", Kind.DAMAGED),
    ("disk i/o error", Kind.DISK),
    ("unable to open database file", Kind.DISK),
)
# Below this much free space an I/O error is a full disk (SQLite reports some as I/O errors).
_NEARLY_FULL = 1 << 20


def classify(exc: BaseException, path: Path | None = None) -> Kind | None:
    """The kind of a storage error (SQLite's, or SQLAlchemy's wrapping of it), else None."""
    error = getattr(exc, "orig", None) or exc
    name = getattr(error, "sqlite_errorname", None)
    kind: Kind | None = None
    if isinstance(name, str):
        kind = _BY_CODE.get("_".join(name.split("_")[:2]))  # SQLITE_IOERR_WRITE → SQLITE_IOERR
    if kind is None:
        if not _is_storage_error(error):
            return None
        text = str(error).lower()
        kind = next((k for marker, k in _BY_TEXT if marker in text), None)
    if kind is Kind.DISK and path is not None and _nearly_full(path):
        return Kind.FULL
    if kind is Kind.DISK and path is not None and not writable(path):
        return Kind.READ_ONLY
    return kind


def _is_storage_error(error: BaseException) -> bool:
    import sqlite3

    return isinstance(error, sqlite3.Error)


def _nearly_full(path: Path) -> bool:
    try:
        info = os.statvfs(path.parent)
    except (OSError, AttributeError):
        return False
    return info.f_bavail * info.f_frsize < _NEARLY_FULL


def writable(path: Path) -> bool:
    """Can this process write the database (and the journal files beside it)?"""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # a folder still to be made: where it would be made
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    return not path.exists() or os.access(path, os.W_OK)


def describe(kind: Kind, path: Path | None = None) -> str:
    """What happened and what to do, for the command line (one line, nothing changed)."""
    where = f"the database {path}" if path else "the database"
    if kind is Kind.FULL:
        return "the disk is full: nothing was changed; free some space and try again"
    if kind is Kind.READ_ONLY:
        return (
            f"{where} cannot be written: the file or its folder is read-only; nothing was "
            "changed. `stats`, `export` and `where` still work"
        )
    if kind is Kind.LOCKED:
        return f"another prune-tui is busy with {where}; nothing was changed, try again in a moment"
    if kind is Kind.DAMAGED:
        return damaged(path)
    return (
        f"{where} could not be read or written (a disk error); nothing was changed. "
        "Check the disk and try again"
    )


def damaged(path: Path | None) -> str:
    where = str(path) if path else "the database"
    db = f" --db {path}" if path else ""
    return (
        f"{where} is damaged; it was left untouched. Save what can still be read with "
        f"`prune-tui export --only all --format json -o rescue.json{db}`, then restore that "
        "or an earlier backup into a new database: `prune-tui import backup.json --db new.db`"
    )


class StorageFailed(Exception):
    """A read or write the database refused (the review service raises it in place of the
    driver's error): `kind` says why, `unsaved` what was not saved (None for a read). The
    transaction was rolled back whole: nothing is half-written."""

    def __init__(self, kind: Kind, unsaved: str | None = None) -> None:
        super().__init__(kind.value)
        self.kind = kind
        self.unsaved = unsaved

    def in_the_app(self, again: str = "Try again", lost: str | None = None) -> str:
        return in_the_app(self.kind, self.unsaved, again, lost)


def in_the_app(
    kind: Kind, unsaved: str | None, again: str = "Try again", lost: str | None = None
) -> str:
    """For a notification in the app: what happened, what was not saved (nothing is
    half-written), and what to do (`again`: how to try once more, "Press r again"). `lost`
    replaces the words on what was (not) saved."""
    if lost is None:
        lost = f"{unsaved} was not saved" if unsaved else "nothing was changed"
    if kind is Kind.LOCKED:
        return f"Another prune-tui is importing or saving; {lost}. {again} in a moment."
    if kind is Kind.FULL:
        return f"The disk is full; {lost}. Free some space, then {_lower(again)}."
    if kind is Kind.READ_ONLY:
        return (
            f"The database file or its folder is read-only; {lost}. Make it writable, then "
            f"{_lower(again)}."
        )
    if kind is Kind.DAMAGED:
        return (
            f"The database is damaged; {lost}. Quit (q), save what can be read with "
            "`prune-tui export --only all --format json -o rescue.json` and restore it into a "
            "new database with `prune-tui import rescue.json --db new.db`."
        )
    return f"A disk error stopped prune-tui; {lost}. {again} in a moment."


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]
