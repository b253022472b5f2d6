"""messages.csv, every generation (PRODUCT.md §4), read as a stream.

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

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from prune_tui.formats.dates import parse_timestamp
from prune_tui.formats.identity import name_key, profile_slug
from prune_tui.formats.text import ProgressCallback, Source, kept, normalize_header, open_table

# The owner's side in files that say it themselves (2018's Direction column).
ME = "\x00me"
NAME_PREFIX = "name:"

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

    def read(self, source: Source, progress: ProgressCallback | None = None) -> None:
        with open_table(source, is_messages_header, "messages.csv header") as table:
            col = {name: table.column(*aliases) for name, aliases in COLUMNS.items()}
            draft = next((i for i, h in enumerate(table.header) if "draft" in h), None)
            self._fold(table.rows(progress), col, draft)

    def _fold(
        self,
        rows: Iterator[tuple[int, list[str]]],
        col: dict[str, int | None],
        draft: int | None,
    ) -> None:
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
