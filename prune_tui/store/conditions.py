"""A condition on `connections c` as storage takes it, and what a query needs to know about the
database. The query language (`prune_tui.query`) builds them; the storage functions that read
or change the rows they match (`store/bulk.py`) take them as they are."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
