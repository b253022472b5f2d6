"""A condition on `connections c` as storage takes it, and what a query needs to know about the
database. The query language (`services.query`) builds them; the storage functions that read
or change the rows they match (`store/bulk.py`) take them as they are."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The criteria by the short names a query uses for them (`spoken:yes`), and their numbers.
CRITERION_KEYS: dict[str, int] = {
    "spoken": 1,  # we have spoken
    "know-what": 2,  # I know what they do
    "can-help": 3,  # I know how I can help them
    "they-help": 4,  # I know how they can help me
    "answer": 5,  # they would answer within 48 hours or make an introduction
}


@dataclass(frozen=True)
class Context:
    """What a query needs to know about the database it runs on."""

    # The import whose newcomers are "new" (None: no import brought anyone new yet).
    new_import: int | None = None
    # A messages file has been read: without one, nobody is known to have 0 messages.
    messages_known: bool = True
    # Some invitation is known: without any, "invited:none" would be everyone.
    invitations_known: bool = True
    # The folded words are stored (`search_texts`): typed words are looked up there. A database
    # from before them, opened read-only (so not upgraded), is folded row by row instead.
    words_stored: bool = True


@dataclass(frozen=True)
class Where:
    """A condition on `connections c`: `sql` with `?` placeholders, and their `params`."""

    sql: str
    params: tuple[Any, ...] = field(default=())


# -- a query as read (services.query parses the text into these) ----------------------------


class QueryError(ValueError):
    """A query that cannot be read; the message names the term and says what would work."""

    def __init__(self, message: str, term: str = "") -> None:
        super().__init__(f"“{term}”: {message}" if term else message)
        self.term = term


@dataclass(frozen=True)
class Term:
    """One term as typed (`source`), what it asks (`key`, `value`), and whether it is negated.

    `value` by key: free text and text keys a folded needle (str); dates a `Span`; messages
    a `(low, high)` pair of ints (high None: no upper bound); choices a frozenset of the
    chosen values."""

    key: str  # "text" for free words and phrases
    value: Any
    source: str
    negated: bool = False


@dataclass(frozen=True)
class Span:
    """A date range [start, end) as ISO dates (either end open when None); `none`: no date."""

    start: str | None = None
    end: str | None = None
    none: bool = False


@dataclass(frozen=True)
class Query:
    """Every group must hold (AND); within a group, any term may (OR)."""

    text: str
    groups: tuple[tuple[Term, ...], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def terms(self) -> list[Term]:
        return [t for group in self.groups for t in group]

    def mentions(self, key: str) -> bool:
        return any(t.key == key for t in self.terms())
