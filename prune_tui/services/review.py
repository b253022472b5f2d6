"""The review queue: which card comes next, decisions, criteria, notes, undo and progress.

Pure service code for the screens (no Textual). Every change is one `db.write()` transaction
that updates `connections` and logs the change in `history`, so undo survives a restart and a
killed process loses nothing. Navigation is keyset pagination on indexed columns: the queue is
never loaded whole.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, OperationalError

from prune_tui.model import CRITERIA, DUNBAR, Card, Decision, Stats, Status
from prune_tui.services.query import Context, QueryError, compile_query, parse
from prune_tui.store import cards, changes
from prune_tui.store import queue as store_queue
from prune_tui.store.bulk import BatchUndo, batch_of_history, invitations_known, undo_batch
from prune_tui.store.database import Database
from prune_tui.store.evidence_read import messages_read, read_evidence
from prune_tui.store.indexes import ensure_order_index
from prune_tui.store.problems import Kind, StorageFailed, classify
from prune_tui.store.queries import stats_on, stopping_when
from prune_tui.store.queue import OrderPlan
from prune_tui.store.search import words_stored
from prune_tui.store.settings import put_setting
from prune_tui.text.queue_words import (
    FILTER_WORDS,
    ORDER_WORDS,
    capitalised,
    describe_queue,
    undo_sentence,
)

if TYPE_CHECKING:
    from prune_tui.services.bulk import Selection
    from prune_tui.store.bulk import Batch

Clock = Callable[[], datetime]

ORDER_SETTING = "review.order"
FILTER_SETTING = "review.filter"
SEARCH_SETTING = "review.search"
CURRENT_SETTING = "review.current"

# A pause longer than this between two decisions is a break, not part of the pace.
PACE_BREAK_SECONDS = 300
PACE_WINDOW = 60
# How often (in SQLite VM steps, well under a millisecond) a count checks whether to stop.
COUNT_CHECK_STEPS = 20_000


class Order(str, enum.Enum):
    OLDEST = "oldest"
    NEWEST = "newest"
    NEVER_MESSAGED = "never-messaged"
    COMPANY = "company"
    NAME = "name"

    @property
    def label(self) -> str:
        return ORDER_LABELS[self]


ORDER_LABELS: dict[Order, str] = {order: ORDER_WORDS[order.value] for order in Order}


class Filter(str, enum.Enum):
    UNDECIDED = "undecided"
    KEEP = "keep"
    NURTURE = "nurture"
    REMOVE = "remove"
    NEW = "new"
    GONE = "gone"
    ALL = "all"

    @property
    def label(self) -> str:
        return FILTER_LABELS[self]


FILTER_LABELS: dict[Filter, str] = {filt: FILTER_WORDS[filt.value] for filt in Filter}


@dataclass(frozen=True)
class Queue:
    """How the cards are lined up: an order, a filter and an optional text search."""

    order: Order = Order.OLDEST
    filter: Filter = Filter.UNDECIDED
    search: str = ""

    def describe(self) -> str:
        return describe_queue(self.filter.label, self.order.label, self.search)


class CountStopped(Exception):
    """A count was cut short by `Review.stop_counting`."""


class ChangedElsewhere(Exception):
    """Another window (or process) changed this since it was shown here: nothing was written.

    `now` is the value it has now, as stored ("keep", "1", the note text…)."""

    def __init__(self, connection_id: int, field: str, now: str | None) -> None:
        super().__init__(f"{field} of connection {connection_id} changed elsewhere")
        self.connection_id = connection_id
        self.field = field
        self.now = now


class _Unset(enum.Enum):
    TOKEN = 0


# "Write whatever the value is now": the default for scripts and tests. A window passes the
# value it showed instead, so it never overwrites a change made in another window unseen.
UNSET = _Unset.TOKEN


@dataclass(frozen=True)
class UndoResult:
    connection_id: int
    field: str
    old: str | None  # the value restored
    new: str | None  # the value taken back
    # Changed again since, in another window: left as it is now (`now`), not undone.
    superseded: bool = False
    now: str | None = None
    # A decision by rule, taken back whole (connection_id is then the first person in it).
    batch: BatchUndo | None = None

    def describe(self, name: str) -> str:
        if self.batch is not None:
            from prune_tui.services.bulk import describe_undo

            return capitalised(describe_undo(self.batch))
        return undo_sentence(
            self.field, name, new=self.new, superseded=self.superseded, now=self.now
        )


@dataclass(frozen=True)
class SessionPace:
    """How fast this sitting goes: decisions a minute (breaks left out), and the minutes left."""

    per_minute: float
    minutes_left: float | None


@dataclass(frozen=True)
class Progress:
    stats: Stats
    pace: SessionPace | None

    @property
    def dunbar(self) -> int:
        return self.stats.dunbar

    @property
    def over_dunbar(self) -> bool:
        return self.stats.dunbar > DUNBAR


@dataclass(frozen=True)
class Row:
    """One line of the browse table."""

    id: int
    name: str
    company: str
    position: str
    connected_on: str | None
    decision: Decision | None
    gone: bool = False  # no longer connected (missing from the latest export)
    message_count: int = 0
    last_message_at: str | None = None
    invited_by: str | None = None  # "me" | "them"
    messages_known: bool = False  # a messages file was read: 0 means never messaged
    messages_by_name: bool = False  # the messages were matched by name only


# -- ordering -----------------------------------------------------------------------------------


def _plan(queue: Queue) -> OrderPlan:
    if queue.filter is Filter.ALL:
        return store_queue.EVERYONE_PLANS[queue.order]
    return store_queue.ORDER_PLANS[queue.order]


P = ParamSpec("P")
R = TypeVar("R")


def _storage(unsaved: str | None = None) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """The service boundary for storage errors: SQLite's (a full disk, a lock held past the
    busy timeout by an import in another window, a damaged page) become StorageFailed, which
    says what was not saved. The transaction was rolled back, so nothing is half-written."""

    def wrap(method: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(method)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return method(*args, **kwargs)
            except DBAPIError as exc:
                review = args[0]
                path = review.db.path if isinstance(review, Review) else None
                raise StorageFailed(classify(exc, path) or Kind.DISK, unsaved) from exc

        return guarded

    return wrap


class Review:
    """The review service over one database. `clock` fixes time in tests and screenshots."""

    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self.db = db
        self._clock: Clock = clock or (lambda: datetime.now(timezone.utc))
        self._latest_import_cache: tuple[int | None, tuple[int | None, int | None]] | None = None
        # (latest import, invitations known, words stored): only an import changes them.
        self._known_cache: tuple[int | None, bool, bool] | None = None
        self._prepared: set[Order] = set()
        self._stopped = False  # see stop_counting
        # Undo takes back this window's own changes (their history ids, oldest first), then
        # what was done before it opened: never what another open window does meanwhile.
        self._own_changes: list[int] = []
        with db.read() as conn:
            self._history_mark = changes.latest_history_id(conn)

    # -- time ---------------------------------------------------------------------------------

    def now(self) -> datetime:
        moment = self._clock()
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment

    def _stamp(self) -> str:
        return self.now().astimezone(timezone.utc).replace(microsecond=0).isoformat()

    def today(self) -> date:
        return self.now().date()

    # -- queue settings -----------------------------------------------------------------------

    @_storage()
    def load_queue(self) -> Queue:
        order = self.db.get_setting(ORDER_SETTING, Order.OLDEST.value)
        filt = self.db.get_setting(FILTER_SETTING, Filter.UNDECIDED.value)
        search = self.db.get_setting(SEARCH_SETTING, "")
        try:
            queue = Queue(Order(order), Filter(filt), str(search or ""))
        except ValueError:
            queue = Queue()
        if queue.search and self.check_query(queue.search) is not None:
            # Saved before the query language, or no longer answerable: start without it.
            queue = dataclasses.replace(queue, search="")
        self.prepare_order(queue.order)
        return queue

    @_storage("the order and filter")
    def save_queue(self, queue: Queue) -> None:
        self.prepare_order(queue.order)
        with self.db.write() as conn:
            for key, value in (
                (ORDER_SETTING, queue.order.value),
                (FILTER_SETTING, queue.filter.value),
                (SEARCH_SETTING, queue.search),
            ):
                put_setting(conn, key, value)

    def prepare_order(self, order: Order) -> None:
        """Build the index an order walks, the first time the order is used (orders by
        company and by name have none from the import, which they would slow down)."""
        if order in self._prepared:
            return
        ensure_order_index(self.db, order.value)
        self._prepared.add(order)

    def remember_current(self, connection_id: int | None) -> None:
        """Where to resume next time: a bookmark, so a lock or a full disk only skips it."""
        try:
            with self.db.write() as conn:
                put_setting(conn, CURRENT_SETTING, connection_id)
        except DBAPIError:
            pass

    @_storage()
    def resume(self, queue: Queue) -> Card | None:
        """The card to open on: the one that was on screen if it still belongs in the queue;
        when it left the queue (decided in another window, say), the card that followed it in
        the queue's order; at the end of the queue, its first card."""
        current = self.db.get_setting(CURRENT_SETTING)
        if isinstance(current, int):
            with self.db.read() as conn:
                if self._matches(conn, current, queue):
                    return self._card(conn, current)
            following = self.next_card(queue, current)
            if following is not None:
                return following
        return self.first_card(queue)

    @_storage()
    def is_empty(self) -> bool:
        with self.db.read() as conn:
            return cards.has_no_connections(conn)

    # -- reading cards ------------------------------------------------------------------------

    @_storage()
    def card(self, connection_id: int) -> Card | None:
        with self.db.read() as conn:
            return self._card(conn, connection_id)

    def _card(self, conn: Connection, connection_id: int) -> Card | None:
        row = cards.card_row(conn, connection_id)
        if row is None:
            return None
        answers = cards.answers_of(conn, connection_id)
        evidence = read_evidence(conn, row.id)
        is_new = self._is_new(conn, row.first_import_id)
        return Card(
            id=row.id,
            first_name=row.first_name,
            last_name=row.last_name,
            url=row.url,
            email=row.email,
            company=row.company,
            position=row.position,
            connected_on=row.connected_on,
            status=Status(row.status),
            decision=Decision(row.decision) if row.decision else None,
            decided_at=row.decided_at,
            note=row.note,
            criteria=answers,
            evidence=evidence,
            was_name=row.was_name,
            was_company=row.was_company,
            was_position=row.was_position,
            removed_at=row.marked_at or row.confirmed_at,
            is_new=bool(is_new),
        )

    def _is_new(self, conn: Connection, first_import_id: int | None) -> bool:
        """Did this connection join in the latest import (that was not the first)?"""
        if first_import_id is None:
            return False
        # Whoever came with the very first import is not new, whatever came after: known
        # from the small import_runs table, without the scan of every connection below.
        earliest = cards.earliest_import(conn)
        if earliest is None or first_import_id <= earliest:
            return False
        latest, first = self._import_bounds(conn)
        return first_import_id == latest and latest != first

    def _import_bounds(self, conn: Connection) -> tuple[int | None, int | None]:
        """(latest, first) import that brought connections; cached until another import runs."""
        marker = cards.latest_import(conn)
        cached = self._latest_import_cache
        if cached is not None and cached[0] == marker:
            return cached[1]
        bounds = cards.import_bounds(conn)
        self._latest_import_cache = (marker, bounds)
        return bounds

    # -- the queue ----------------------------------------------------------------------------

    def _query_context(self, conn: Connection) -> Context:
        """What a query needs to know (`store.bulk.query_context`), from the import bounds
        cached here: no scan of every connection each time a card with a query is found."""
        earliest = cards.earliest_import(conn)
        latest, first = self._import_bounds(conn)
        new_import = None
        if latest is not None and latest != first and (earliest is None or latest > earliest):
            new_import = int(latest)
        marker = cards.latest_import(conn)
        known = self._known_cache
        if known is None or known[0] != marker:
            # Without any invitation, finding none is a scan of the evidence (a millisecond
            # at 30,000 people, three times a search): asked again after an import only.
            known = (marker, invitations_known(conn), words_stored(conn))
            self._known_cache = known
        return Context(
            new_import=new_import,
            messages_known=messages_read(conn),
            invitations_known=known[1],
            words_stored=known[2],
        )

    def _where(self, conn: Connection, queue: Queue) -> tuple[list[str], list[Any]]:
        new_import = None
        if queue.filter is Filter.NEW:
            latest, first = self._import_bounds(conn)
            new_import = None if latest is None or latest == first else latest
        plan = store_queue.ORDER_PLANS[queue.order]
        clauses, params = store_queue.filter_clauses(plan, queue.filter.value, new_import)
        if queue.search.strip():
            # The query language (prune_tui.services.query); a query that cannot be read matches
            # nobody here: the dialogs check the text before it becomes the queue's.
            try:
                where = compile_query(parse(queue.search), self._query_context(conn))
            except QueryError:
                where = store_queue.MATCH_NOBODY
            store_queue.add_condition(clauses, params, where)
        return clauses, params

    def _matches(self, conn: Connection, connection_id: int, queue: Queue) -> bool:
        clauses, params = self._where(conn, queue)
        return store_queue.matches(conn, connection_id, clauses, params)

    @_storage()
    def in_queue(self, connection_id: int, queue: Queue) -> bool:
        with self.db.read() as conn:
            return self._matches(conn, connection_id, queue)

    @_storage()
    def first_card(self, queue: Queue) -> Card | None:
        return self._walk(queue, None, forward=True)

    @_storage()
    def last_card(self, queue: Queue) -> Card | None:
        return self._walk(queue, None, forward=False)

    @_storage()
    def next_card(self, queue: Queue, after_id: int | None) -> Card | None:
        """The card after `after_id` in the queue (None at the end)."""
        return self._walk(queue, after_id, forward=True)

    @_storage()
    def previous_card(self, queue: Queue, before_id: int | None) -> Card | None:
        return self._walk(queue, before_id, forward=False)

    @_storage()
    def next_or_wrap(self, queue: Queue, after_id: int | None) -> Card | None:
        """The next card, or back to the start of the queue (cards left for later)."""
        card = self.next_card(queue, after_id)
        if card is None:
            card = self.first_card(queue)
        return card

    def _walk(self, queue: Queue, from_id: int | None, *, forward: bool) -> Card | None:
        self.prepare_order(queue.order)
        with self.db.read() as conn:
            return self._walk_on(conn, queue, from_id, forward=forward)

    def _walk_on(
        self, conn: Connection, queue: Queue, from_id: int | None, *, forward: bool
    ) -> Card | None:
        plan = _plan(queue)
        base, params = self._where(conn, queue)
        position: tuple[int, Any, int] | None = None
        if from_id is not None:
            position = store_queue.position_of(conn, plan, from_id)
        found = store_queue.first_id(conn, plan, base, params, position, forward)
        return None if found is None else self._card(conn, found)

    @_storage()
    def count(self, queue: Queue) -> int:
        with self.db.read() as conn:
            clauses, params = self._where(conn, queue)
            return store_queue.count_where(conn, clauses, params)

    @_storage()
    def find(self, text: str, limit: int = 50) -> list[Row]:
        """People the query matches (active and gone), by name. Raises QueryError for a
        query that cannot be read; an empty one finds nobody."""
        query = parse(text)
        if query.is_empty:
            return []
        with self.db.read() as conn:
            known = messages_read(conn)
            where = compile_query(query, self._query_context(conn))
            rows = store_queue.rows_by_name(conn, where.sql, where.params, limit)
        return [_row(r, known) for r in rows]

    def check_query(self, text: str) -> str | None:
        """What is wrong with a typed query, in words (None when it can be used here)."""
        try:
            query = parse(text)
            with self.db.read() as conn:
                compile_query(query, self._query_context(conn))
        except QueryError as exc:
            return str(exc)
        return None

    @_storage()
    def queue_count(self, queue: Queue) -> tuple[int, int]:
        """(in the queue, of how many): for the undecided, those left of everyone still
        connected who match the queue's query; otherwise the queue's own count twice."""
        if queue.filter is not Filter.UNDECIDED:
            count = self.count(queue)
            return count, count
        with self.db.read() as conn:
            clauses, params = self._where(conn, dataclasses.replace(queue, filter=Filter.ALL))
            clauses.append(store_queue.STILL_CONNECTED)
            return store_queue.left_and_total(conn, clauses, params)

    def rows(self, queue: Queue, *, after: int | None = None, limit: int = 200) -> list[Row]:
        """A page of the browse table in queue order, after the row with id `after`."""
        self.prepare_order(queue.order)
        plan = _plan(queue)
        with self.db.read() as conn:
            known = messages_read(conn)
            base, params = self._where(conn, queue)
            position = store_queue.position_of(conn, plan, after) if after is not None else None
            found = store_queue.page(conn, plan, base, params, position, forward=True, limit=limit)
        return [_row(r, known) for r in found]

    def rows_before(
        self, queue: Queue, *, before: int | None = None, limit: int = 200
    ) -> list[Row]:
        """A page of the browse table in queue order, just before the row with id `before`
        (the last page when None), in queue order."""
        self.prepare_order(queue.order)
        plan = _plan(queue)
        with self.db.read() as conn:
            known = messages_read(conn)
            base, params = self._where(conn, queue)
            position = store_queue.position_of(conn, plan, before) if before is not None else None
            found = store_queue.page(conn, plan, base, params, position, forward=False, limit=limit)
        out = [_row(r, known) for r in found]
        out.reverse()
        return out

    def index_of(self, queue: Queue, connection_id: int) -> int | None:
        """How many rows of the queue come before this one (None: not in the queue): each
        step a count over one index range, never a sort."""
        self.prepare_order(queue.order)
        plan = _plan(queue)
        with self.db.read() as conn:
            if not self._matches(conn, connection_id, queue):
                return None
            base, params = self._where(conn, queue)
            position = store_queue.position_of(conn, plan, connection_id)
            if position is None:
                return None
            return store_queue.count_before(conn, plan, base, params, position)

    def rows_by_id(self, ids: Sequence[int]) -> dict[int, Row]:
        """These rows as they are now (to redraw them after a change), by id; ids no longer
        in the database are left out."""
        if not ids:
            return {}
        with self.db.read() as conn:
            known = messages_read(conn)
            found = store_queue.rows_with_ids(conn, ids)
        return {int(r.id): _row(r, known) for r in found}

    # -- changes ------------------------------------------------------------------------------
    #
    # Two windows can be open on one database. A window passes `expected`, the value it
    # showed; a change is written only while that is still the value stored, so one window
    # never overwrites what another decided unseen (ChangedElsewhere says what is there now).

    @_storage("your decision")
    def record_decision(
        self,
        connection_id: int,
        decision: Decision | None,
        *,
        expected: Decision | _Unset | None = UNSET,
    ) -> None:
        with self.db.write() as conn:
            self._record_on(conn, connection_id, decision, expected)
            put_setting(conn, CURRENT_SETTING, connection_id)

    @_storage("your decision")
    def decide_and_advance(
        self,
        queue: Queue,
        connection_id: int,
        decision: Decision | None,
        *,
        expected: Decision | _Unset | None = UNSET,
    ) -> Card | None:
        """Record a decision and return the card to show next: the next one in the queue
        from this card's place (wherever the card came from: find, browse), or back to the
        start of the queue. The next card is saved as the one on screen in the same
        transaction, so a restart opens on it."""
        self.prepare_order(queue.order)
        with self.db.write() as conn:
            self._record_on(conn, connection_id, decision, expected)
            following = self._walk_on(conn, queue, connection_id, forward=True)
            if following is None:
                following = self._walk_on(conn, queue, None, forward=True)
            put_setting(conn, CURRENT_SETTING, following.id if following else connection_id)
        return following

    def _record_on(
        self,
        conn: Connection,
        connection_id: int,
        decision: Decision | None,
        expected: Decision | _Unset | None,
    ) -> None:
        new = decision.value if decision else None
        stamp = self._stamp()
        if expected is UNSET:
            old = changes.current_value(conn, connection_id, "decision")
        else:
            old = expected.value if expected else None
        if old == new:
            if expected is not UNSET:
                now = changes.current_value(conn, connection_id, "decision")
                if now != new:
                    raise ChangedElsewhere(connection_id, "decision", now)
            return
        if not changes.write_decision_if(conn, connection_id, new, stamp if new else None, old):
            now = changes.current_value(conn, connection_id, "decision")
            if now == new:  # the other window made the same decision
                return
            raise ChangedElsewhere(connection_id, "decision", now)
        change = changes.log_change(conn, connection_id, "decision", old, new, stamp)
        self._own_changes.append(change)

    def selection(self, queue: Queue) -> Selection:
        """Everyone a queue (its filter and query) holds, as the subject of a decision by
        rule, named by its query and filter ("messages:0, still to decide"). Like a typed
        rule, it leaves people no longer connected alone unless the queue is about them."""
        from prune_tui.services.bulk import Selection

        with self.db.read() as conn:
            clauses, params = self._where(conn, queue)
        if queue.filter is Filter.ALL and not _mentions_status(queue.search):
            clauses.append(store_queue.STILL_CONNECTED)
        parts = [queue.search.strip()] if queue.search.strip() else []
        if queue.filter is not Filter.ALL:
            parts.append(queue.filter.label)
        label = ", ".join(parts) or "everyone still connected"
        return Selection(store_queue.as_where(clauses, params), label)

    @_storage()
    def matching_ids(self, queue: Queue) -> list[int]:
        """The ids of everyone in a queue (to mark them all), in id order."""
        from prune_tui.store.bulk import matching_ids

        with self.db.read() as conn:
            clauses, params = self._where(conn, queue)
            return matching_ids(conn, store_queue.as_where(clauses, params))

    @_storage("the decision by rule")
    def decide_matching(
        self, selection: Selection | str, decision: Decision | None, *, include_decided: bool
    ) -> Batch | None:
        """A decision by rule (see `services.bulk`), which this window's undo takes back."""
        from prune_tui.services.bulk import apply

        batch = apply(
            self.db, selection, decision, include_decided=include_decided, at=self._stamp()
        )
        if batch is not None and batch.last_history_id is not None:
            self._own_changes.append(batch.last_history_id)
        return batch

    @_storage("your answer")
    def toggle_criterion(
        self, connection_id: int, criterion: int, *, expected: bool | _Unset | None = UNSET
    ) -> bool | None:
        """Not answered → yes → no → not answered. Returns the new answer."""
        if criterion not in CRITERIA:
            raise ValueError(f"there is no criterion {criterion}")
        field = f"criterion:{criterion}"
        stamp = self._stamp()
        with self.db.write() as conn:
            old = changes.current_value(conn, connection_id, field)
            if expected is not UNSET and old != _answer_value(expected):
                raise ChangedElsewhere(connection_id, field, old)
            new = {None: "1", "1": "0", "0": None}[old]
            changes.set_criterion(conn, connection_id, criterion, new)
            change = changes.log_change(conn, connection_id, field, old, new, stamp)
        self._own_changes.append(change)
        return None if new is None else new == "1"

    @_storage("your note")
    def set_note(self, connection_id: int, text: str, *, expected: str | _Unset = UNSET) -> None:
        stamp = self._stamp()
        with self.db.write() as conn:
            old = changes.current_value(conn, connection_id, "note")
            if (old or "") == text:
                return
            if expected is not UNSET and (old or "") != expected:
                raise ChangedElsewhere(connection_id, "note", old)
            changes.write_note(conn, connection_id, text)
            change = changes.log_change(conn, connection_id, "note", old, text, stamp)
        self._own_changes.append(change)

    @_storage("the tick")
    def set_removed(self, connection_id: int, removed: bool) -> None:
        """Tick (or untick) a connection as removed on LinkedIn (the checklist)."""
        stamp = self._stamp()
        with self.db.write() as conn:
            old = changes.current_value(conn, connection_id, "removed")
            if bool(old) == removed:
                return
            new = stamp if removed else None
            changes.set_marked(conn, connection_id, new)
            change = changes.log_change(conn, connection_id, "removed", old, new, stamp)
        self._own_changes.append(change)

    def track_change(self, history_id: int) -> None:
        """A change another service logged in `history` (nurture): this window's undo takes
        it back in turn with the rest."""
        self._own_changes.append(history_id)

    @_storage("the undo")
    def undo(self) -> UndoResult | None:
        """Revert this window's newest change not yet undone; once there is none, the newest
        change made before this window opened (so undo goes on across a restart). Changes
        another open window made since are never undone from here.

        A change that was changed again since (in another window) is not reverted: it is set
        aside, and the result says so (`superseded`)."""
        with self.db.write() as conn:
            row = None
            while self._own_changes and row is None:
                row = changes.change_not_undone(conn, self._own_changes[-1])
                if row is None:
                    self._own_changes.pop()  # undone from elsewhere already
            if row is None:
                row = changes.newest_change_up_to(conn, self._history_mark)
            if row is None:
                return None
            history_id, connection_id, field, old, new = row
            if self._own_changes and self._own_changes[-1] == history_id:
                self._own_changes.pop()
            batch_id = batch_of_history(conn, history_id)
            if batch_id is not None:  # a decision by rule: one undo takes all of it back
                taken = undo_batch(conn, batch_id)
                if taken is not None:
                    return UndoResult(int(connection_id), "decision", old, new, batch=taken)
            changes.mark_undone(conn, history_id)
            put_setting(conn, CURRENT_SETTING, connection_id)
            now = changes.current_value(conn, connection_id, field)
            if (now or "") != (new or ""):
                return UndoResult(
                    int(connection_id), str(field), old, new, superseded=True, now=now
                )
            changes.put_back(conn, history_id, connection_id, field, old, new)
        return UndoResult(int(connection_id), str(field), old, new)

    # -- progress -----------------------------------------------------------------------------

    @_storage()
    def progress(self) -> Progress:
        """The counts (a scan of every connection, some 20 ms at 30,000) and the pace.

        Raises CountStopped when `stop_counting` (from another thread) cut it short."""
        if self._stopped:
            raise CountStopped
        with self.db.read() as conn:
            try:
                with stopping_when(conn, lambda: self._stopped, COUNT_CHECK_STEPS):
                    figures = stats_on(conn)
            except OperationalError as exc:
                if self._stopped:
                    raise CountStopped from exc
                raise
        return Progress(figures, self.pace(figures.undecided))

    def stop_counting(self) -> None:
        """Stop the counts in progress, and any to come: the app is closing, and quitting
        should not wait for a count no one will see."""
        self._stopped = True

    def pace(self, undecided: int) -> SessionPace | None:
        """Decisions per minute over the recent run of decisions made one by one (breaks
        left out)."""
        with self.db.read() as conn:
            stamps = changes.recent_decision_stamps(conn, PACE_WINDOW)
        return pace_from(stamps, undecided)


def _mentions_status(text: str) -> bool:
    try:
        return parse(text).mentions("status")
    except QueryError:
        return False


def pace_from(stamps: Sequence[str], undecided: int) -> SessionPace | None:
    """`stamps` newest first. Needs a few decisions before it says anything."""
    times = [datetime.fromisoformat(s) for s in stamps]
    seconds = 0.0
    steps = 0
    for newer, older in itertools.pairwise(times):
        gap = (newer - older).total_seconds()
        if gap < 0 or gap > PACE_BREAK_SECONDS:
            continue
        seconds += gap
        steps += 1
    if steps < 3:
        return None
    per_minute = steps / max(seconds, 1.0) * 60
    return SessionPace(per_minute, undecided / per_minute if per_minute > 0 else None)


# -- helpers ------------------------------------------------------------------------------------


def _row(r: Any, messages_known: bool) -> Row:
    return Row(
        id=int(r.id),
        name=f"{r.first_name} {r.last_name}".strip(),
        company=r.company,
        position=r.position,
        connected_on=r.connected_on,
        decision=Decision(r.decision) if r.decision else None,
        gone=r.status == Status.GONE.value,
        message_count=int(r.message_count or 0),
        last_message_at=r.last_message_at,
        invited_by=r.invited_by,
        messages_known=messages_known,
        messages_by_name=bool(r.messages_by_name),
    )


def _answer_value(answer: bool | None) -> str | None:
    """A criterion's answer as stored in history: "1" yes, "0" no, None not answered."""
    return None if answer is None else str(int(answer))
