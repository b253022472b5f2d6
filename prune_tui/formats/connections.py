"""Connections.csv, every generation from 2016 on (PRODUCT.md §4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from prune_tui.formats.dates import parse_date, slashed_day_first
from prune_tui.formats.identity import fallback_key, name_key, profile_slug
from prune_tui.formats.text import ProgressCallback, Source, open_table

FIELDS = ("first_name", "last_name", "url", "email", "company", "position", "connected_on")

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


@dataclass(slots=True)
class ConnectionRow:
    first_name: str
    last_name: str
    url: str
    email: str
    company: str
    position: str
    connected_on: str | None
    slug: str | None
    name_key: str
    key: str  # identity: the slug, or the name/date fallback
    fallback: str  # the name/date key, for adopting records from exports without URLs
    line: int

    def incoming(self) -> tuple[str | None, ...]:
        """The row in the column order of the importer's `incoming` table."""
        return (
            self.key,
            self.fallback,
            self.slug,
            self.first_name,
            self.last_name,
            self.name_key,
            self.url,
            self.email,
            self.company,
            self.position,
            self.connected_on,
        )


@dataclass
class ConnectionsFile:
    source: Source
    rows: list[ConnectionRow] = field(default_factory=list)
    has_urls: bool = False
    hidden_skipped: int = 0
    undated: int = 0
    duplicates_merged: int = 0


def _clean(value: str) -> str:
    return value.strip()


def read_connections(source: Source, progress: ProgressCallback | None = None) -> ConnectionsFile:
    """Read every connection; date-only rows (hidden or closed accounts) are skipped and
    counted, unreadable dates are kept as None and counted, repeated rows are merged."""
    result = ConnectionsFile(source)
    with open_table(source, is_connections_header, "Connections.csv header") as table:
        cols = {name: table.column(*aliases) for name, aliases in COLUMNS.items()}
        result.has_urls = cols["url"] is not None
        raw: list[tuple[int, list[str]]] = []
        for line, cells in table.rows(progress):
            values = [cells[i] if i is not None else "" for i in cols.values()]
            raw.append((line, values))
    if not raw:
        raise source.error("the file has a header but no connections")

    day_first = slashed_day_first(v[6] for _, v in raw)
    by_key: dict[str, ConnectionRow] = {}
    for line, values in raw:
        first, last, url, email, company, position, when = (_clean(v) for v in values)
        if not (first or last or url or email or company or position):
            if when:
                result.hidden_skipped += 1
            continue
        connected_on = parse_date(when, day_first=day_first)
        if connected_on is None:
            result.undated += 1
        slug = profile_slug(url)
        nkey = name_key(first, last)
        fallback = fallback_key(nkey, connected_on)
        key = slug or fallback
        row = ConnectionRow(
            first,
            last,
            url,
            email,
            company,
            position,
            connected_on,
            slug,
            nkey,
            key,
            fallback,
            line,
        )
        earlier = by_key.get(key)
        if earlier is None:
            by_key[key] = row
        else:
            result.duplicates_merged += 1
            _merge_into(earlier, row)
    result.rows = list(by_key.values())
    if not result.rows:
        raise source.error(
            f"no connections could be read ({result.hidden_skipped} rows hold only a date, "
            "from hidden or closed accounts)"
        )
    return result


def _merge_into(kept: ConnectionRow, other: ConnectionRow) -> None:
    """Rows are newest first: the first one wins, later ones only fill its gaps."""
    for name in ("first_name", "last_name", "url", "email", "company", "position"):
        if not getattr(kept, name) and getattr(other, name):
            setattr(kept, name, getattr(other, name))
    if kept.connected_on is None:
        kept.connected_on = other.connected_on
