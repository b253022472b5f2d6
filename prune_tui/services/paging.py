"""Lists read a page at a time (keyset pagination), never whole: what a paged table asks of
the list it shows. No Textual here: the service side of `tui/widgets/paged.py`.

A pager answers in the list's own order: the first or last `limit` items, the items just
after or just before a given one, and how many there are. Each answer is a few index range
lookups, so jumping to the end of 30,000 rows costs what the first page costs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TypeVar

from prune_tui.services.review import Queue, Review, Row

Item = TypeVar("Item")


class Pager(Protocol[Item]):
    def count(self) -> int:
        """How many items the list holds now."""
        ...

    def first(self, limit: int) -> list[Item]: ...

    def last(self, limit: int) -> list[Item]:
        """The last `limit` items, in the list's order."""
        ...

    def after(self, item: Item, limit: int) -> list[Item]: ...

    def before(self, item: Item, limit: int) -> list[Item]:
        """The `limit` items just before `item`, in the list's order."""
        ...

    def index_of(self, item: Item) -> int | None:
        """How many items come before `item` (None: it is no longer in the list)."""
        ...


@dataclass(frozen=True)
class BrowsePager:
    """Everyone (or a filter of them) in a queue order, for the browse table."""

    review: Review
    queue: Queue

    def count(self) -> int:
        return self.review.count(self.queue)

    def first(self, limit: int) -> list[Row]:
        return self.review.rows(self.queue, limit=limit)

    def last(self, limit: int) -> list[Row]:
        return self.review.rows_before(self.queue, limit=limit)

    def after(self, item: Row, limit: int) -> list[Row]:
        return self.review.rows(self.queue, after=item.id, limit=limit)

    def before(self, item: Row, limit: int) -> list[Row]:
        return self.review.rows_before(self.queue, before=item.id, limit=limit)

    def index_of(self, item: Row) -> int | None:
        return self.review.index_of(self.queue, item.id)
