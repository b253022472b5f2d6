"""Decisions by rule (docs/PRODUCT.md §11): "everyone matching messages:0 connected:<2016 → remove",
previewed with its count and a few names, applied only when the user confirms, recorded as one
change with its query, and taken back in one step.

The service the command line (`prune-tui decide`) and the app share; the SQL lives in
`prune_tui.store.bulk`. A rule is the user's decision: it never runs without their say-so,
and it leaves people decided one by one alone unless they ask (`include_decided`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from prune_tui.model import Decision
from prune_tui.services.query import QueryError, Where, compile_query, parse
from prune_tui.store import bulk as store
from prune_tui.store.database import Database, utc_now
from prune_tui.text.evidence import MONTHS
from prune_tui.text.plain import one_line
from prune_tui.text.words import DECISION_VERBS, n

if TYPE_CHECKING:
    from prune_tui.services.review import Queue, Review

SAMPLE = 5

# "1,234 removed by rule …", "12 kept by rule …"
DONE_WORDS = {
    "keep": "kept",
    "nurture": "to nurture",
    "remove": "removed",
    None: "back to undecided",
}
# "Remove 1,234 people matching …?"
ASK_WORDS = DECISION_VERBS


@dataclass(frozen=True)
class Selection:
    """Who a rule is about: a condition and how to name it ("messages:0", "12 marked people")."""

    where: Where
    label: str
    is_query: bool = True
    marked: int = 0  # how many people were marked (a selection of marked rows)


@dataclass(frozen=True)
class Preview:
    """What a decision by rule would do, before it is applied."""

    selection: Selection
    decision: Decision | None
    include_decided: bool
    tally: store.Tally
    sample: list[str]

    @property
    def count(self) -> int:
        return self.tally.change

    def question(self) -> str:
        """ "Remove 1,234 people matching messages:0?" """
        who = "person" if self.count == 1 else "people"
        what = ASK_WORDS[_value(self.decision)]
        if self.selection.is_query:
            return f"{what} {n(self.count)} {who} matching {self.selection.label}?"
        if self.count == self.selection.marked:
            return f"{what} the {self.selection.label}?"
        return f"{what} {n(self.count)} of the {self.selection.label}?"

    def scope(self) -> str:
        """Who is left alone, in words ("undecided people only; 56 decided already …")."""
        parts = []
        if self.include_decided:
            parts.append("decided people included")
        else:
            parts.append("undecided people only")
            decided = self.tally.decided
            if decided == 1:
                parts.append("1 decided already is left as it is")
            elif decided:
                parts.append(f"{n(decided)} decided already are left as they are")
        already = self.tally.already
        if already and self.decision is None:
            verb = "is" if already == 1 else "are"
            parts.append(f"{n(already)} {verb} undecided already")
        elif already:
            verb = "has" if already == 1 else "have"
            parts.append(f"{n(already)} {verb} this decision already")
        return "; ".join(parts)


def _value(decision: Decision | None) -> str | None:
    return None if decision is None else decision.value


def query_selection(conn: Connection, text: str) -> Selection:
    """The people a typed query selects for a decision by rule. Raises QueryError for a query
    that cannot be read, and for an empty one (a rule never silently means everyone).

    People no longer connected are left out unless the query names a status: there is
    nothing to decide about them on LinkedIn."""
    query = parse(text)
    if query.is_empty:
        raise QueryError(
            "say who the decision is for, like messages:0 connected:<2016 "
            "(for everyone still undecided: decision:undecided)"
        )
    where = compile_query(query, store.query_context(conn))
    if not query.mentions("status"):
        where = store.still_connected(where)
    return Selection(where, query.text)


def ids_selection(ids: Iterable[int]) -> Selection:
    chosen = set(ids)
    label = "1 marked person" if len(chosen) == 1 else f"{n(len(chosen))} marked people"
    return Selection(store.ids_where(chosen), label, is_query=False, marked=len(chosen))


def preview(
    db: Database,
    selection: Selection | str,
    decision: Decision | None,
    *,
    include_decided: bool = False,
    sample: int = SAMPLE,
) -> Preview:
    with db.read() as conn:
        if isinstance(selection, str):
            selection = query_selection(conn, selection)
        value = _value(decision)
        figures = store.tally(conn, selection.where, value, include_decided)
        names = store.sample_names(conn, selection.where, value, include_decided, sample)
    return Preview(selection, decision, include_decided, figures, names)


def apply(
    db: Database,
    selection: Selection | str,
    decision: Decision | None,
    *,
    include_decided: bool = False,
    at: str | None = None,
) -> store.Batch | None:
    """Apply a decision by rule in one transaction; None when nobody was changed."""
    with db.write() as conn:
        if isinstance(selection, str):
            selection = query_selection(conn, selection)
        return store.decide_matching(
            conn,
            selection.where,
            decision=_value(decision),
            include_decided=include_decided,
            query=selection.label,
            at=at or utc_now(),
        )


def short_day(stamp: str, today: date | None = None) -> str:
    """ "27 Nov" this year, "27 Nov 2025" before."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp[:10]
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    day = moment.date()
    this_year = (today or date.today()).year
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return text if day.year == this_year else f"{text} {day.year}"


def describe_batch(batch: store.Batch, today: date | None = None) -> str:
    """ "1,234 removed by rule messages:0 on 27 Nov" """
    done = DONE_WORDS[batch.decision]
    marked = batch.query.endswith(("marked people", "marked person"))
    how = "as marked" if marked else f"by rule {batch.query}"
    return f"{n(batch.count)} {done} {how} on {short_day(batch.at, today)}"


def describe_undo(result: store.BatchUndo, today: date | None = None) -> str:
    """ "took back: 1,234 removed by rule messages:0 on 27 Nov" (and who was left alone)."""
    text = f"took back: {describe_batch(result.batch, today)}"
    if result.changed_since:
        text += f" ({n(result.changed_since)} decided again since were left as they are now)"
    return text


def describe_rules(db: Database, limit: int = 10) -> str:
    """The decisions by rule still in force, newest first, for `prune-tui stats`."""
    with db.read() as conn:
        found = store.batches(conn)
    if not found:
        return ""
    lines = ["Decisions by rule (prune-tui undo takes back the newest change)"]
    lines += [f"  {one_line(describe_batch(b))}" for b in found[:limit]]
    if len(found) > limit:
        lines.append(f"  and {n(len(found) - limit)} earlier")
    return "\n".join(lines)


class Marks:
    """The rows marked in browse: ids, plus the queue they all came from when `M` marked
    every row of it (then a decision for them is recorded by that query; a row toggled
    since makes them a plain set of marked people)."""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.queue: Queue | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, connection_id: object) -> bool:
        return connection_id in self.ids

    def toggle(self, connection_id: int) -> bool:
        """Mark or unmark one row; returns whether it is marked now."""
        self.queue = None
        if connection_id in self.ids:
            self.ids.discard(connection_id)
            return False
        self.ids.add(connection_id)
        return True

    def mark_all(self, ids: Iterable[int], queue: Queue) -> None:
        self.ids = set(ids)
        self.queue = queue

    def clear(self) -> None:
        self.ids = set()
        self.queue = None

    def selection(self, review: Review) -> Selection:
        if self.queue is not None:
            return review.selection(self.queue)
        return ids_selection(self.ids)
