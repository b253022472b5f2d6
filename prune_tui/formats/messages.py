"""messages.csv, every generation (docs/PRODUCT.md §4), read as a stream.

Generations:
- 2018: `From,To,Date,Subject,Content,Direction,Folder` — no URLs; Direction says who is "me".
- until 2022: `CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,
  CONTENT,FOLDER` — the sender's URL only; recipients are names.
- 2023 on: `…,TO,RECIPIENT PROFILE URLS,DATE,…` (+ `ATTACHMENTS` or a draft flag).

A file can hold 200,000 messages, so nothing here keeps a message: each one is folded into a
tally per participant (a profile slug or a `name:` key) as it streams past. Who the owner is
("me") is decided afterwards, by the caller, from the tally.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from prune_tui.errors import BadInputFile
from prune_tui.formats import limits
from prune_tui.formats.dates import parse_timestamp
from prune_tui.formats.identity import name_key, profile_slug
from prune_tui.formats.tables import (
    ProgressCallback,
    Source,
    crc32_combine,
    current_notes,
    kept,
    normalize_header,
    open_table,
)

# The owner's side in files that say it themselves (2018's Direction column).
ME = "\x00me"
NAME_PREFIX = "name:"

# Bumped whenever reading a row changes: a tally kept by an earlier version is not reused.
TALLY_VERSION = 1

# What LinkedIn writes for ads, sponsored InMail and hidden members.
ANONYMOUS = frozenset({"linkedin member", "linkedin", "sponsored"})
SKIPPED_FOLDERS = frozenset({"draft", "drafts", "spam"})
TRUTHY = frozenset({"yes", "true", "1", "y"})

COLUMNS: dict[str, tuple[str, ...]] = {
    "from": ("from", "sender name", "sender"),
    "sender_url": ("sender profile url", "sender profile urls", "from profile url"),
    "to": ("to", "recipient names", "recipients"),
    "recipient_urls": ("recipient profile urls", "recipient profile url", "to profile urls"),
    "date": ("date", "sent at", "sent date"),
    "folder": ("folder",),
    "direction": ("direction",),
}

# Several recipient URLs are joined with commas; split only where a new URL starts, so a comma
# that were ever inside a URL stays put (names are never split: they hold commas).
_URL_SPLIT = re.compile(r"\s*,\s*(?=(?:https?://|www\.|[a-z]{2}\.linkedin\.|linkedin\.))", re.I)


def is_messages_header(cells: Sequence[str]) -> bool:
    names = {normalize_header(c) for c in cells}
    return (
        "from" in names
        and "to" in names
        and "date" in names
        and bool(names & {"content", "subject", "conversation id"})
    )


def name_token(name: str) -> str | None:
    """`name:<name key>` for a full name, or None for no name or an anonymous sender."""
    key = name_key(name, "")
    if not key or key in ANONYMOUS:
        return None
    return NAME_PREFIX + key


def split_urls(cell: str) -> list[str]:
    text = cell.strip()
    if "," not in text:  # one recipient: the common case
        return [text] if text else []
    return [part for part in _URL_SPLIT.split(text) if part]


def fast_timestamp(value: str) -> str | None:
    """LinkedIn's `2024-12-16 18:24:37 UTC` by slicing (the hot path), anything else parsed."""
    if len(value) == 23 and value[4] == "-" and value[10] == " " and value.endswith(" UTC"):
        return f"{value[:10]}T{value[11:19]}+00:00"
    return parse_timestamp(value)


@dataclass(slots=True)
class Exchange:
    """One participant's share of the messages: how many, first and last (ISO 8601), and the
    token of whoever wrote the last one."""

    count: int
    first: str | None
    last: str | None
    last_from: str

    def absorb(self, other: Exchange) -> Exchange:
        """Fold another tally of the same person into this one (ties keep this one's sender)."""
        self.count += other.count
        if other.first is not None and (self.first is None or other.first < self.first):
            self.first = other.first
        if other.last is not None and (self.last is None or other.last > self.last):
            self.last = other.last
            self.last_from = other.last_from
        return self


@dataclass(frozen=True)
class FileShape:
    """What reading a newer messages.csv needs to know of the one read before.

    A later export holds the earlier messages again, byte for byte, after the new ones (the
    file is newest first). So when a newer file has the same first line (the header) and ends
    with exactly the bytes that followed it in the earlier file, only its new rows are read
    and the earlier file's tally is added to theirs: the same tally as reading it all.

    That it ends with them is checked, in an archive, by the CRC-32 the archive's directory
    holds for the newer file: it must be the CRC of the new rows read followed by the earlier
    rows (as for an unchanged member, whose size and CRC are compared); the rest is then not
    even inflated. A file on disk is read to its end and its rest compared by SHA-256."""

    size: int  # bytes in the file
    crc: int | None  # its CRC-32 from the archive's directory (None for a file on disk)
    first_line: str  # SHA-256 of the first line's bytes: the header
    first_size: int
    first_crc: int  # CRC-32 of the first line
    body: str | None  # SHA-256 of every byte after the first line (None: known by CRC only)
    lines: int  # lines after the header (for limits.MAX_ROWS)
    truncated: int  # fields shortened while reading it
    version: int = TALLY_VERSION

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, value: object) -> FileShape | None:
        try:
            shape = cls(**value)  # type: ignore[arg-type]
        except TypeError:
            return None
        return shape if shape.version == TALLY_VERSION else None


@dataclass
class Earlier:
    """The messages file read before: its shape, and its tally when asked for (a read)."""

    shape: FileShape
    tally: Callable[[], MessageTally]


def _member_crc(source: Source) -> int | None:
    if source.archive is None or source.member is None:
        return None
    return source.archive.getinfo(source.member).CRC


class _NotNewer(Exception):
    """The file is not the earlier one with rows added before it: read it whole."""


@dataclass
class MessageTally:
    """Every participant's messages, folded as the files stream by."""

    # participant token (slug, `name:` key or ME) → their share
    people: dict[str, Exchange] = field(default_factory=dict)
    # `name:` key → slugs seen with that name (a sender's FROM and URL, a lone recipient's)
    names: dict[str, set[str]] = field(default_factory=dict)
    messages: int = 0  # counted
    ignored: int = 0  # ads, InMail without a sender, drafts, spam
    undated: int = 0
    has_direction: bool = False
    # The shape of the one file read whole into this tally (None after two files, or a file
    # that cannot be read in part later: a header after a preamble, not UTF-8, replaced bytes).
    shape: FileShape | None = None
    files: int = 0

    def read(
        self,
        source: Source,
        progress: ProgressCallback | None = None,
        earlier: Earlier | None = None,
    ) -> None:
        """Fold `source` in. With `earlier` (the file read by the last import), a newer
        version of that file is read only where it is new (see FileShape)."""
        self.files += 1
        if earlier is not None and self.files == 1 and self._read_newer(source, progress, earlier):
            return
        truncated = _truncated_so_far()
        with open_table(
            source, is_messages_header, "messages.csv header", fingerprint=True
        ) as table:
            col = {name: table.column(*aliases) for name, aliases in COLUMNS.items()}
            draft = next((i for i, h in enumerate(table.header) if "draft" in h), None)
            self._fold(table.rows(progress), col, draft)
            first_line, body = table.first_line, table.body_digest()
            self.shape = None
            if (
                self.files == 1
                and first_line is not None
                and body is not None
                and table.header_line == 1
                and table.read_as_utf8
            ):
                self.shape = FileShape(
                    size=source.size,
                    crc=_member_crc(source),
                    first_line=hashlib.sha256(first_line).hexdigest(),
                    first_size=len(first_line),
                    first_crc=zlib.crc32(first_line),
                    body=body,
                    lines=table.line - 1,
                    truncated=_truncated_so_far() - truncated,
                )

    def _read_newer(
        self, source: Source, progress: ProgressCallback | None, earlier: Earlier
    ) -> bool:
        """Read only the rows `source` has before the earlier file's (True), or nothing and
        say so (False: the caller reads it whole).

        One piece: the checks that the earlier rows are still there and the read of the newer
        ones share their offsets; the row loop is import-speed code."""
        shape = earlier.shape
        start = source.size - (shape.size - shape.first_size)  # where the earlier rows begin
        if start < shape.first_size:
            return False
        crc = _member_crc(source)
        if source.size == shape.size and crc is not None and crc == shape.crc:
            # The same bytes as last time (by the archive's own directory): nothing to read.
            if not _spend_unread(source.size):
                return False
            self._absorb(earlier.tally())
            self.shape = shape
            _add_truncated(shape.truncated)
            return True
        notes = current_notes()
        saved = None if notes is None else (notes.truncated, notes.replaced, notes.bytes_read)
        try:
            with open_table(
                source, is_messages_header, "messages.csv header", part=start, fingerprint=True
            ) as table:
                first_line = table.first_line
                if (
                    first_line is None
                    or hashlib.sha256(first_line).hexdigest() != shape.first_line
                    or table.header_line != 1
                ):
                    raise _NotNewer
                col = {name: table.column(*aliases) for name, aliases in COLUMNS.items()}
                draft = next((i for i, h in enumerate(table.header) if "draft" in h), None)
                new = MessageTally()
                new._fold(table.rows(progress), col, draft)
                lines = table.line - 2 + shape.lines  # (less the end-of-part line)
                if not table.clean_end or not table.read_as_utf8 or lines > limits.MAX_ROWS:
                    raise _NotNewer
                body: str | None = None
                if crc is not None and shape.crc is not None:
                    if not _spend_unread(source.size - start):
                        raise _NotNewer
                    # new rows + earlier rows must give the CRC the directory holds
                    rest_size = shape.size - shape.first_size
                    earlier_rows = shape.crc ^ crc32_combine(shape.first_crc, 0, rest_size)
                    if crc32_combine(table.part_crc, earlier_rows, rest_size) != crc:
                        raise _NotNewer
                elif shape.body is None or table.rest_digest() != shape.body:
                    raise _NotNewer
                else:
                    body = table.body_digest()
        except (_NotNewer, BadInputFile, zipfile.BadZipFile, zlib.error, EOFError):
            # Read whole instead, which says what is wrong with the file if anything is.
            if notes is not None and saved is not None:
                notes.truncated, notes.replaced, notes.bytes_read = saved
            return False
        truncated = 0 if notes is None or saved is None else notes.truncated - saved[0]
        new._absorb(earlier.tally())
        _add_truncated(shape.truncated)
        self._absorb(new)
        self.shape = FileShape(
            size=source.size,
            crc=crc,
            first_line=shape.first_line,
            first_size=shape.first_size,
            first_crc=shape.first_crc,
            body=body,
            lines=lines,
            truncated=truncated + shape.truncated,
        )
        return True

    def _absorb(self, later: MessageTally) -> None:
        """Fold in the tally of rows that come after this one's in a file (the order it names
        people in, and who wins a tie, are as if both had been read in one go)."""
        people = self.people
        for token, share in later.people.items():
            mine = people.get(token)
            if mine is None:
                people[token] = Exchange(share.count, share.first, share.last, share.last_from)
            else:
                mine.absorb(share)
        for name, slugs in later.names.items():
            self.names.setdefault(name, set()).update(slugs)
        self.messages += later.messages
        self.ignored += later.ignored
        self.undated += later.undated
        self.has_direction = self.has_direction or later.has_direction

    def _fold(
        self,
        rows: Iterator[tuple[int, list[str]]],
        col: dict[str, int | None],
        draft: int | None,
    ) -> None:
        # One piece: the per-row loop over every message, tuned for speed (column indexes and
        # lookups in locals); a helper per step would cost a call per row.
        from_i, surl_i, to_i = col["from"], col["sender_url"], col["to"]
        rurl_i, date_i, folder_i, dir_i = (
            col["recipient_urls"],
            col["date"],
            col["folder"],
            col["direction"],
        )
        if dir_i is not None:
            self.has_direction = True
        people = self.people
        names = self.names
        slugs: dict[str, str | None] = {}
        tokens: dict[str, str | None] = {}

        def slug_of(url: str) -> str | None:
            try:
                return slugs[url]
            except KeyError:
                slug = slugs[url] = profile_slug(kept(url))
                return slug

        def token_of(name: str) -> str | None:
            try:
                return tokens[name]
            except KeyError:
                token = tokens[name] = name_token(kept(name))
                return token

        for _line, cells in rows:
            if draft is not None and cells[draft].strip().lower() in TRUTHY:
                self.ignored += 1
                continue
            if folder_i is not None and cells[folder_i].strip().lower() in SKIPPED_FOLDERS:
                self.ignored += 1
                continue
            sender_name = cells[from_i].strip() if from_i is not None else ""
            sender_url = cells[surl_i].strip() if surl_i is not None else ""
            direction = cells[dir_i].strip().lower() if dir_i is not None else ""
            sender_token = token_of(sender_name) if sender_name else None
            sender = slug_of(sender_url) if sender_url else None
            if sender is None:
                sender = sender_token
            elif sender_token is not None:
                names.setdefault(sender_token, set()).add(sender)
            recipients: set[str] = set()
            if direction == "incoming":
                recipients.add(ME)
            else:
                urls = split_urls(cells[rurl_i]) if rurl_i is not None else []
                to_name = cells[to_i].strip() if to_i is not None else ""
                for url in urls:
                    slug = slug_of(url)
                    if slug is not None:
                        recipients.add(slug)
                if not recipients and to_name:
                    token = token_of(to_name)
                    if token is not None:
                        recipients.add(token)
                elif len(recipients) == 1 and len(urls) == 1 and to_name:
                    token = token_of(to_name)
                    if token is not None:
                        names.setdefault(token, set()).update(recipients)
            if direction == "outgoing":
                sender = ME
            if sender is None:
                # "LinkedIn Member" without a URL: an ad or InMail, not a relationship.
                self.ignored += 1
                continue
            raw = cells[date_i] if date_i is not None else ""
            stamp = fast_timestamp(raw) if raw else None
            if stamp is None:
                self.undated += 1
            self.messages += 1
            recipients.add(sender)
            for person in recipients:
                share = people.get(person)
                if share is None:
                    people[person] = Exchange(1, stamp, stamp, sender)
                    continue
                share.count += 1
                if stamp is not None:
                    if share.first is None or stamp < share.first:
                        share.first = stamp
                    if share.last is None or stamp > share.last:
                        share.last = stamp
                        share.last_from = sender


def _spend_unread(count: int) -> bool:
    """Count bytes taken as read against the import's budget, as reading them would; False
    (and nothing counted) past it: then the file is read, and the reading refuses it."""
    notes = current_notes()
    if notes is None:
        return True
    if notes.bytes_read + count > limits.MAX_TOTAL_BYTES:
        return False
    notes.bytes_read += count
    return True


def _truncated_so_far() -> int:
    notes = current_notes()
    return 0 if notes is None else notes.truncated


def _add_truncated(count: int) -> None:
    notes = current_notes()
    if notes is not None:
        notes.truncated += count
