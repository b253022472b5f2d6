"""The removal work (docs/PRODUCT.md §7): a paced checklist of the removals to make on LinkedIn.

Deciding is half the job; removing people by hand (20–30 seconds each) is the other half,
done a few a day over weeks. So the checklist has a daily pace the user chooses (stored in
the database's settings) and says how today and the whole job stand:
"today 12 of 25 · 212 of 3,040 removed · about 113 days at this pace".

The checklist is read a page at a time (`ChecklistPager`, keyset pagination on the sort
tuple each row carries), in three parts: removals marked done but still in a newer export
(flagged), the removals still to make (with those ticked during this session, in place, so
the list does not move under the cursor), and those ticked in an earlier session (greyed,
at the end, so a tick can be taken back). No Textual here.
"""

from __future__ import annotations

import bisect
import enum
import math
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection

from prune_tui.store.database import Database
from prune_tui.store.removals import (
    ChecklistReads,
    checklist_version,
    longest_url,
    removal_figures,
    removal_row,
    removal_rows,
)
from prune_tui.store.removals import ensure_removals_index as ensure_removals_index

PER_DAY_SETTING = "removals.per_day"
ORDER_SETTING = "removals.order"
DEFAULT_PER_DAY = 25
MOST_PER_DAY = 1000


class RemovalOrder(str, enum.Enum):
    OLDEST = "oldest"
    NEVER_MESSAGED = "never-messaged"
    COMPANY = "company"

    @property
    def label(self) -> str:
        return REMOVAL_ORDER_LABELS[self]


REMOVAL_ORDER_LABELS = {
    RemovalOrder.OLDEST: "oldest connection first",
    RemovalOrder.NEVER_MESSAGED: "never messaged first",
    RemovalOrder.COMPANY: "by company",
}


@dataclass(frozen=True)
class RemovalRow:
    """One removal on the checklist. `sort` is its place in the order it was read in (so a
    row ticked or unticked keeps its place until the list is read again)."""

    id: int
    first_name: str
    last_name: str
    position: str
    company: str
    url: str
    connected_on: str | None
    marked_at: str | None  # ticked off on the checklist at
    flagged: bool  # ticked, yet a newer export still had them
    seen_at: str | None  # when that export was imported
    sort: tuple[Any, ...]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def ticked(self) -> bool:
        return self.marked_at is not None and not self.flagged

    @property
    def earlier(self) -> bool:
        """In the part of those ticked in an earlier session."""
        return bool(self.sort and self.sort[0] == 2)


def _row(r: Any, sort: tuple[Any, ...]) -> RemovalRow:
    return RemovalRow(
        id=int(r[0]),
        first_name=r[1],
        last_name=r[2],
        position=r[3],
        company=r[4],
        url=r[5],
        connected_on=r[6],
        marked_at=r[7],
        flagged=bool(r[8]),
        seen_at=r[9] if r[8] else None,
        sort=sort,
    )


class ChecklistPager:
    """The checklist in `order`, a page at a time. `session` (an ISO UTC stamp) is when this
    session began: ticks since then stay in place among the removals to make.

    The order is kept as the sorted keys of every removal (10,000 small tuples, read in one
    query when the list is counted); a page is a slice of them and one lookup of its rows by
    id. So a page, the last page and a row's place cost the same at any size, where a sort
    of every removal per page would not. `count()` reads the keys again only when the set of
    removals or an import changed them (a tick does not: a row keeps its place all session).
    """

    def __init__(self, db: Database, order: RemovalOrder, session: str) -> None:
        self.db = db
        self.order = order
        self.session = session
        self._reads = ChecklistReads(order, session)
        self._lock = threading.Lock()
        self._version: tuple[Any, ...] | None = None
        self._sorted: list[tuple[Any, ...]] = []
        self._place: dict[int, int] = {}  # id → index in _sorted
        # The longest profile address on the checklist (so every row is cut alike).
        self.longest_url = ""

    def _read_keys(self, *, again: bool) -> list[tuple[Any, ...]]:
        """The sorted keys, read again when `again` and the removals changed."""
        with self._lock:
            if self._version is not None and not again:
                return self._sorted
            with self.db.read() as conn:
                version = checklist_version(conn)
                if version != self._version:
                    found = self._reads.sort_keys(conn)
                    found.sort()
                    self.longest_url = longest_url(conn)
                    self._sorted = found
                    self._place = {int(key[-1]): n for n, key in enumerate(found)}
                    self._version = version
            return self._sorted

    def changed(self) -> bool:
        """Have the removals (or an import) changed since the keys were read?"""
        with self.db.read() as conn:
            version = checklist_version(conn)
        return version != self._version

    def _rows(self, keys: list[tuple[Any, ...]]) -> list[RemovalRow]:
        """The rows of these keys, in their order (any no longer a removal left out)."""
        if not keys:
            return []
        ids = [int(key[-1]) for key in keys]
        with self.db.read() as conn:
            found = removal_rows(conn, ids)
        return [_row(found[int(key[-1])], key) for key in keys if int(key[-1]) in found]

    def _index(self, item: RemovalRow) -> int | None:
        keys = self._read_keys(again=False)
        at = self._place.get(item.id)
        if at is not None:
            return at
        at = bisect.bisect_left(keys, item.sort)
        return at if at < len(keys) and keys[at] == item.sort else None

    def count(self) -> int:
        return len(self._read_keys(again=True))

    def first(self, limit: int) -> list[RemovalRow]:
        return self._rows(self._read_keys(again=False)[:limit])

    def last(self, limit: int) -> list[RemovalRow]:
        keys = self._read_keys(again=False)
        return self._rows(keys[max(len(keys) - limit, 0) :])

    def after(self, item: RemovalRow, limit: int) -> list[RemovalRow]:
        keys = self._read_keys(again=False)
        at = self._index(item)
        start = at + 1 if at is not None else bisect.bisect_right(keys, item.sort)
        return self._rows(keys[start : start + limit])

    def before(self, item: RemovalRow, limit: int) -> list[RemovalRow]:
        keys = self._read_keys(again=False)
        at = self._index(item)
        end = at if at is not None else bisect.bisect_left(keys, item.sort)
        return self._rows(keys[max(end - limit, 0) : end])

    def index_of(self, item: RemovalRow) -> int | None:
        return self._index(item)

    def fresh(self, item: RemovalRow) -> RemovalRow | None:
        """`item` as stored now, in its place (None: no longer a removal to make)."""
        with self.db.read() as conn:
            row = removal_row(conn, item.id)
        return None if row is None else _row(row, item.sort)

    def find(self, connection_id: int) -> RemovalRow | None:
        """A removal by id, with its place in this order."""
        with self.db.read() as conn:
            found = self._reads.find(conn, connection_id)
        return None if found is None else _row(*found)

    def parts(self) -> tuple[int, int]:
        """(rows before the part ticked in an earlier session, rows in it)."""
        keys = self._read_keys(again=True)
        earlier = sum(1 for key in keys if key[0] == 2)
        return len(keys) - earlier, earlier


# -- the pace -------------------------------------------------------------------------------------


def local_midnight(now: datetime) -> datetime:
    """The start of `now`'s day in local time."""
    local = now.astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def stamp(moment: datetime) -> str:
    """As history and the removals table store a moment (ISO 8601, UTC, to the second)."""
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class RemovalPace:
    """Where the removal work stands today, at the user's daily pace."""

    per_day: int
    to_remove: int  # decided "remove", all told
    ticked: int  # ticked off (and not contradicted by a newer export)
    confirmed: int  # gone from a later export
    flagged: int
    removed_today: int  # ticked since local midnight
    today_before_session: int = 0  # of those, ticked before this session began
    listed: int = 0  # on the checklist (still connected)
    earlier: int = 0  # of those, ticked before this session began (listed at the end)

    @property
    def done(self) -> int:
        return self.ticked + self.confirmed

    @property
    def left(self) -> int:
        return max(self.to_remove - self.done, 0)

    @property
    def days_left(self) -> int | None:
        """Days of removals left at this pace (a part day is a day); None when none is left."""
        if not self.left:
            return None
        return math.ceil(self.left / self.per_day)

    @property
    def met_today(self) -> bool:
        return self.removed_today >= self.per_day

    @property
    def todays_share(self) -> int:
        """How many of the removals still to make (as the session opened) are today's."""
        return max(self.per_day - self.today_before_session, 0)

    def ticked_by(
        self, change: int, today: int | None = None, *, unflagged: int = 0
    ) -> RemovalPace:
        """These figures after `change` ticks (+1) or unticks (−1), `today` of them among
        today's (all, by default), `unflagged` of them of flagged rows, without a recount."""
        return RemovalPace(
            self.per_day,
            self.to_remove,
            self.ticked + change,
            self.confirmed,
            self.flagged - unflagged,
            max(self.removed_today + (change if today is None else today), 0),
            self.today_before_session,
            self.listed,
            self.earlier,
        )

    def as_dict(self) -> dict[str, int | None]:
        return {
            "removals_per_day": self.per_day,
            "removed_today": self.removed_today,
            "removal_days_left": self.days_left,
        }


def per_day(db: Database) -> int:
    value = db.get_setting(PER_DAY_SETTING, DEFAULT_PER_DAY)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MOST_PER_DAY:
        return value
    return DEFAULT_PER_DAY


def set_per_day(db: Database, value: int) -> None:
    if not 1 <= value <= MOST_PER_DAY:
        raise ValueError(f"a daily pace is 1 to {MOST_PER_DAY:,} removals")
    db.set_setting(PER_DAY_SETTING, value)


def parse_per_day(text: str) -> int:
    """A pace typed by the user; ValueError says what to type instead."""
    cleaned = text.strip().replace(",", "").replace("_", "")
    if not cleaned.isdigit() or not 1 <= int(cleaned) <= MOST_PER_DAY:
        raise ValueError(f"Type a number of removals a day, from 1 to {MOST_PER_DAY:,}.")
    return int(cleaned)


def removal_order(db: Database) -> RemovalOrder:
    try:
        return RemovalOrder(db.get_setting(ORDER_SETTING, RemovalOrder.OLDEST.value))
    except ValueError:
        return RemovalOrder.OLDEST


def set_removal_order(db: Database, order: RemovalOrder) -> None:
    db.set_setting(ORDER_SETTING, order.value)


def removal_pace(db: Database, now: datetime, session: datetime | None = None) -> RemovalPace:
    """The figures at `now` (the app's clock); `session`: when this checklist session began."""
    with db.read() as conn:
        return pace_on(conn, per_day(db), now, session)


def pace_on(
    conn: Connection, pace: int, now: datetime, session: datetime | None = None
) -> RemovalPace:
    midnight = stamp(local_midnight(now))
    begun = stamp(session or now)
    figures = removal_figures(conn, midnight, begun)
    to_remove, ticked, confirmed, flagged, today, before, listed, earlier = figures
    return RemovalPace(pace, to_remove, ticked, confirmed, flagged, today, before, listed, earlier)


def removal_stats(db: Database, now: datetime | None = None) -> dict[str, int | None]:
    """The pace figures `stats --json` gives."""
    return removal_pace(db, now or datetime.now(timezone.utc)).as_dict()
