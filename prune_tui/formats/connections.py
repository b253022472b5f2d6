"""Connections.csv, every generation from 2016 on (docs/PRODUCT.md §4)."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, cast

from prune_tui.formats import limits
from prune_tui.formats.dates import parse_date, slashed_day_first
from prune_tui.formats.identity import (
    PLAIN_SLUG,
    USUAL_PROFILE_PREFIX,
    name_key,
    profile_slug,
    slug_from_path,
)
from prune_tui.formats.tables import ProgressCallback, Source, kept, open_table

# Header names by generation and by hand-edits (compared after normalize_header).
COLUMNS: dict[str, tuple[str, ...]] = {
    "first_name": ("first name", "firstname", "first"),
    "last_name": ("last name", "lastname", "last"),
    "url": ("url", "profile url", "linkedin url"),
    "email": ("email address", "email", "e-mail address"),
    "company": ("company", "organization"),
    "position": ("position", "title", "job title"),
    "connected_on": ("connected on", "connected", "connection date"),
}


def is_connections_header(cells: Sequence[str]) -> bool:
    names = set(cells)
    return bool(names & set(COLUMNS["first_name"])) and bool(names & set(COLUMNS["last_name"]))


# One connection as stored, in STORED_COLUMNS order. Plain tuples: sqlite3 binds those on its
# fast path (a NamedTuple goes through the sequence protocol, a third slower at 30,000 rows).
StoredRow = tuple[str, str | None, str, str, str, str, str, str, str, str | None]


class ConnectionRow(NamedTuple):
    """A StoredRow with names, for reading one."""

    key: str  # identity: the slug, or the name/date fallback
    slug: str | None
    first_name: str
    last_name: str
    name_key: str
    url: str
    email: str
    company: str
    position: str
    connected_on: str | None


# The stored columns, in ConnectionRow's order.
STORED_COLUMNS = ", ".join(ConnectionRow._fields)


@dataclass
class ConnectionsFile:
    source: Source
    rows: list[StoredRow] = field(default_factory=list)  # read_connections only
    has_urls: bool = False
    hidden_skipped: int = 0
    undated: int = 0
    duplicates_merged: int = 0
    day_first_seen: bool = False  # a slashed date that cannot be month-first
    read: int = 0  # rows yielded by stream_connections (repeated rows included)
    newest: str | None = None  # the latest Connected On yielded (repeated rows included)

    def people(self) -> list[ConnectionRow]:
        """The rows with their fields named."""
        return [ConnectionRow._make(row) for row in self.rows]


def read_connections(source: Source, progress: ProgressCallback | None = None) -> ConnectionsFile:
    """Read every connection into memory; date-only rows (hidden or closed accounts) are
    skipped and counted, unreadable dates are kept as None and counted, repeated rows are
    merged (the first wins, later ones fill its gaps).

    The importer streams instead (`stream_connections`) and merges inside SQLite; this is
    the same reading for tests and tools."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        result = ConnectionsFile(source)
        for day_first in (False, True):
            result = ConnectionsFile(source)
            by_key: dict[str, StoredRow] = {}
            for row in stream_connections(source, result, progress, day_first=day_first):
                earlier = by_key.setdefault(row[0], row)
                if earlier is not row:
                    result.duplicates_merged += 1
                    by_key[row[0]] = _merged(earlier, row)
            if not result.day_first_seen:
                break
    finally:
        if collecting:
            gc.enable()
    result.rows = list(by_key.values())
    check_read(result)
    return result


def check_read(result: ConnectionsFile) -> None:
    """Refuse a file from which no connection could be read."""
    if not result.read:
        raise result.source.error(
            f"no connections could be read ({result.hidden_skipped} rows hold only a date, "
            "from hidden or closed accounts)"
        )


def stream_connections(
    source: Source,
    result: ConnectionsFile,
    progress: ProgressCallback | None = None,
    *,
    day_first: bool,
    repeated: list[StoredRow] | None = None,
) -> Iterator[StoredRow]:
    """Every connection row in file order, with the counts kept in `result`. Slashed dates are
    read month-first, as LinkedIn writes them, unless `day_first`; `result.day_first_seen`
    tells the caller a file holds one that cannot be month-first (an Excel re-save, day
    first): then it is read again, day-first.

    Repeated rows (a key seen before) are yielded too, for the caller to merge; or, given
    `repeated`, only each key's first row is yielded and the rows repeating it go to
    `repeated`, in order (no more than limits.MAX_REPEATED_ROWS of them).

    One piece: the per-row loop of every import, tuned for speed (lookups hoisted into locals,
    cells read by index, counts kept in locals); a helper per step would cost a call per row."""
    dates: dict[str, str | None] = {}  # a network has far fewer distinct dates than people
    usual, skip = USUAL_PROFILE_PREFIX, len(USUAL_PROFILE_PREFIX)
    plain_slug = PLAIN_SLUG.fullmatch
    seen_any = False
    kept_chars = limits.KEPT_CHARS
    join = "".join
    keys: set[str] = set()
    add_key = keys.add
    most_repeated = limits.MAX_REPEATED_ROWS
    read = hidden = undated = 0
    try:
        with open_table(source, is_connections_header, "Connections.csv header") as table:
            width = len(table.header)
            # A missing column reads as the empty cell appended to every row (index `width`).
            i_first, i_last, i_url, i_email, i_company, i_position, i_when = (
                width if i is None else i
                for i in (table.column(*aliases) for aliases in COLUMNS.values())
            )
            result.has_urls = i_url != width
            pad = width in (i_first, i_last, i_url, i_email, i_company, i_position, i_when)
            # This loop runs 30,000 times on a full network: it reads cells by index, and the
            # usual URL and an ASCII name take a shortcut past the general functions (same
            # results).
            for cells in table.cells(progress):
                seen_any = True
                if pad:
                    cells.append("")
                # (A row no longer than the limit in all holds no field past it: one C call.)
                if len(join(cells)) > kept_chars and max(map(len, cells)) > kept_chars:
                    cells = [kept(cell) for cell in cells]
                first = cells[i_first].strip()
                last = cells[i_last].strip()
                url = cells[i_url].strip()
                email = cells[i_email].strip()
                company = cells[i_company].strip()
                position = cells[i_position].strip()
                when = cells[i_when].strip()
                if not (first or last or url or email or company or position):
                    if when:
                        hidden += 1
                    continue
                if when in dates:
                    connected_on = dates[when]
                else:
                    connected_on = dates[when] = parse_date(when, day_first=day_first)
                    if not day_first and "/" in when and slashed_day_first((when,)):
                        result.day_first_seen = True
                if connected_on is None:
                    undated += 1
                if url.startswith(usual) and plain_slug(url, skip):
                    # A fifth of a network may have a percent-encoded (non-ASCII) slug.
                    slug: str | None = (
                        slug_from_path(url[skip:]) if "%" in url else url[skip:].lower()
                    )
                else:
                    slug = profile_slug(url) if url else None
                joined = f"{first} {last}"
                if joined.isascii():
                    nkey = joined.lower()
                    # name_key's spacing, done only when there is spacing to tidy: a missing
                    # first or last name, a double space, or a tab or other control character.
                    if not (first and last and nkey.isprintable() and "  " not in nkey):
                        nkey = " ".join(nkey.split())
                else:
                    nkey = name_key(first, last)
                key = slug or f"name:{nkey}|{connected_on or ''}"
                read += 1
                row = (key, slug, first, last, nkey, url, email, company, position, connected_on)
                if repeated is not None:
                    if key in keys:
                        repeated.append(row)
                        if len(repeated) > most_repeated:
                            raise source.over_limit(
                                f"more than {most_repeated:,} rows repeat a connection, "
                                "prune-tui's limit (an export repeats a few); nothing was "
                                "imported"
                            )
                        continue
                    add_key(key)
                yield row
    finally:
        result.read += read
        result.hidden_skipped += hidden
        result.undated += undated
    if not seen_any:
        raise source.error("the file has a header but no connections")
    # Every row reaching the date cache was yielded: its newest date is the file's.
    result.newest = max(filter(None, dates.values()), default=None)


def _merged(first: StoredRow, later: StoredRow) -> StoredRow:
    """Rows are newest first: the first one wins, later ones only fill its gaps."""
    kept, other = ConnectionRow._make(first), ConnectionRow._make(later)
    gaps = {
        name: getattr(other, name)
        for name in ("first_name", "last_name", "url", "email", "company", "position",
                     "connected_on")
        if not getattr(kept, name) and getattr(other, name)
    }  # fmt: skip
    return cast(StoredRow, tuple(kept._replace(**gaps)))
