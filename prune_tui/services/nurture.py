"""Nurture, the long game (docs/PRODUCT.md §12): how often to be in touch with whom, and who is due.

- A cadence is for people kept or nurtured and still connected: every 2 weeks, month, quarter,
  half-year or year. Nurture defaults to a quarter; keep has none unless the user sets one.
- Last contact is the latest of the last message with them in any imported export and the
  last touch the user logged ("I reached out today").
- Due = the day of last contact + the cadence, or today when never in touch; a snooze sets a
  day before which they are not due. Days are calendar days in the user's local time zone, and
  "today" comes from the app's clock (tests pin it).

Every change (cadence, touch, snooze) is written at once and logged in `history`, so the
review's undo takes it back like a decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from prune_tui.model import Decision
from prune_tui.services.review import ChangedElsewhere, Review
from prune_tui.store import nurture as store
from prune_tui.store.changes import log_change
from prune_tui.store.nurture import PersonRow

# Cadences in days, shortest first, with their words.
CADENCES: dict[int, str] = {
    14: "every 2 weeks",
    30: "every month",
    91: "every quarter",
    182: "every half-year",
    365: "every year",
}
NURTURE_DEFAULT = store.NURTURE_DEFAULT_DAYS  # a quarter
SNOOZE_DAYS = 7
NO_CADENCE = "no cadence"


def cadence_label(days: int | None) -> str:
    if not days:
        return NO_CADENCE
    return CADENCES.get(days, f"every {days} days")


def effective_cadence(decision: Decision | str | None, stored: int | None) -> int | None:
    """The cadence in days, or None: only kept and nurtured people have one."""
    value = decision.value if isinstance(decision, Decision) else decision
    if value not in ("keep", "nurture"):
        return None
    if stored is None:
        return NURTURE_DEFAULT if value == "nurture" else None
    return stored or None


def next_cadence(days: int | None) -> int | None:
    """The cadence the key moves to: none → 2 weeks → month → quarter → half-year → year → none."""
    choices = list(CADENCES)
    if not days:
        return choices[0]
    later = [c for c in choices if c > days]
    return later[0] if later else None


def local_day(moment: str | datetime) -> date:
    """The calendar day of an instant in the user's local time zone."""
    when = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone().date()


def latest(*moments: str | None) -> str | None:
    """The latest of some ISO 8601 instants (None when there are none)."""
    known = [m for m in moments if m]
    if not known:
        return None
    return max(known, key=lambda m: _instant(m))


def _instant(moment: str) -> datetime:
    when = datetime.fromisoformat(moment)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def due_on(
    last_contact_at: str | None, cadence_days: int, snoozed_until: date | None, today: date
) -> date:
    """The day someone falls due: last contact + cadence (today when never in touch), never
    before the end of a snooze."""
    base = (
        today
        if last_contact_at is None
        else local_day(last_contact_at) + timedelta(days=cadence_days)
    )
    return max(base, snoozed_until) if snoozed_until is not None else base


def _parse_day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def day_words(day: date) -> str:
    """'14 Mar 2026'."""
    return f"{day.day} {day.strftime('%b %Y')}"


def due_words(due: date, today: date) -> str:
    """'due in 12 days', 'due today', 'overdue by 40 days'."""
    days = (due - today).days
    if days == 1:
        return "due tomorrow"
    if days > 1:
        return f"due in {days} days"
    if days == 0:
        return "due today"
    return f"overdue by {-days} day{'s' if days != -1 else ''}"


@dataclass(frozen=True)
class Touch:
    at: str  # ISO 8601, UTC
    note: str


@dataclass(frozen=True)
class Person:
    """One connection's nurture state."""

    id: int
    first_name: str
    last_name: str
    url: str
    company: str
    position: str
    decision: Decision | None
    active: bool
    stored_cadence: int | None  # as stored (see effective_cadence)
    snoozed_until: date | None
    last_message_at: str | None
    last_touch: Touch | None
    key: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def cadence_days(self) -> int | None:
        if not self.active:
            return None
        return effective_cadence(self.decision, self.stored_cadence)

    @property
    def last_contact_at(self) -> str | None:
        return latest(self.last_message_at, self.last_touch.at if self.last_touch else None)

    def due_on(self, today: date) -> date | None:
        cadence = self.cadence_days
        if cadence is None:
            return None
        return due_on(self.last_contact_at, cadence, self.snoozed_until, today)

    def is_due(self, today: date) -> bool:
        due = self.due_on(today)
        return due is not None and due <= today

    def kept_warm(self, today: date) -> bool:
        """In touch within their cadence (a snooze does not count)."""
        cadence, last = self.cadence_days, self.last_contact_at
        if cadence is None or last is None:
            return False
        return local_day(last) + timedelta(days=cadence) >= today

    @property
    def what_they_do(self) -> str:
        if self.position and self.company:
            return f"{self.position} at {self.company}"
        return self.position or self.company

    def summary(self, today: date) -> str:
        """'every quarter · last contact 14 Mar 2026 · due in 12 days' (empty: no cadence)."""
        due = self.due_on(today)
        if due is None:
            return ""
        last = self.last_contact_at
        contact = f"last contact {day_words(local_day(last))}" if last else "never in touch"
        return f"{cadence_label(self.cadence_days)} · {contact} · {due_words(due, today)}"


def person_from(row: PersonRow) -> Person:
    touch = Touch(row.last_touch_at, row.last_touch_note or "") if row.last_touch_at else None
    return Person(
        id=row.id,
        first_name=row.first_name,
        last_name=row.last_name,
        url=row.url,
        company=row.company,
        position=row.position,
        decision=Decision(row.decision) if row.decision else None,
        active=row.status == "active",
        stored_cadence=row.cadence_days,
        snoozed_until=_parse_day(row.snoozed_until),
        last_message_at=row.last_message_at,
        last_touch=touch,
        key=row.key,
    )


@dataclass(frozen=True)
class Circle:
    """The circle as the argument frames it (stats)."""

    with_cadence: int  # kept or nurtured people with a cadence
    due: int  # of them, due or overdue today
    nurtured: int  # nurtured people with a cadence
    kept_warm: int  # of them, in touch within their cadence

    @property
    def warm_share(self) -> float | None:
        return self.kept_warm / self.nurtured if self.nurtured else None

    def as_dict(self) -> dict[str, int | float | None]:
        share = self.warm_share
        return {
            "with_cadence": self.with_cadence,
            "due": self.due,
            "nurtured_with_cadence": self.nurtured,
            "kept_warm": self.kept_warm,
            "kept_warm_share": None if share is None else round(share, 3),
        }


def circle_of(people: list[Person], today: date) -> Circle:
    nurtured = [p for p in people if p.decision is Decision.NURTURE]
    return Circle(
        with_cadence=len(people),
        due=sum(p.is_due(today) for p in people),
        nurtured=len(nurtured),
        kept_warm=sum(p.kept_warm(today) for p in nurtured),
    )


class Nurture:
    """The nurture service over a review (its database, its clock, its undo)."""

    def __init__(self, review: Review) -> None:
        self.review = review
        self.db = review.db

    def today(self) -> date:
        """Today in the user's local time zone, by the app's clock."""
        return self.review.now().astimezone().date()

    def _stamp(self) -> str:
        return self.review.now().astimezone(timezone.utc).replace(microsecond=0).isoformat()

    # -- reading ------------------------------------------------------------------------------

    def person(self, connection_id: int) -> Person | None:
        with self.db.read() as conn:
            row = store.read_person(conn, connection_id)
        return None if row is None else person_from(row)

    def touches(self, connection_id: int, limit: int = 50) -> list[Touch]:
        with self.db.read() as conn:
            return [Touch(at, note) for at, note in store.read_touches(conn, connection_id, limit)]

    def card_state(self, connection_id: int, touches: int) -> tuple[Person | None, list[Touch]]:
        """One person's state and their newest `touches`, in one read (for the card)."""
        with self.db.read() as conn:
            row = store.read_person(conn, connection_id)
            log = [Touch(at, note) for at, note in store.read_touches(conn, connection_id, touches)]
        return (None if row is None else person_from(row)), log

    def people(self) -> list[Person]:
        """Everyone with a cadence, sorted by due date (most overdue first), then by name."""
        with self.db.read() as conn:
            rows = store.people_with_cadence(conn, NURTURE_DEFAULT)
        today = self.today()
        people = [person_from(r) for r in rows]
        order = {p.id: i for i, p in enumerate(people)}  # by name, as read
        return sorted(people, key=lambda p: (p.due_on(today) or today, order[p.id]))

    def due_people(self) -> list[Person]:
        """Everyone due or overdue today, most overdue first."""
        today = self.today()
        return [p for p in self.people() if p.is_due(today)]

    def due_count(self) -> int:
        return len(self.due_people())

    def circle(self) -> Circle:
        return circle_of(self.people(), self.today())

    # -- changes ------------------------------------------------------------------------------

    def cycle_cadence(self, connection_id: int, *, expected: int | None = None) -> int | None:
        """Move to the next cadence (see `next_cadence`) from the one shown, `expected` (the
        effective cadence). Returns the new effective cadence. Raises ChangedElsewhere when
        another window changed the decision or cadence meanwhile, ValueError when the person
        is not kept or nurtured."""
        stamp = self._stamp()
        with self.db.write() as conn:
            row = store.read_person(conn, connection_id)
            if row is None or row.decision not in ("keep", "nurture"):
                raise ValueError("a cadence is for people you keep or nurture")
            now = effective_cadence(row.decision, row.cadence_days)
            if now != expected:
                raise ChangedElsewhere(connection_id, "cadence", None if now is None else str(now))
            new = next_cadence(now)
            default = effective_cadence(row.decision, None)
            stored = None if new == default else (new or 0)
            old_value = store.current_value(conn, connection_id, "cadence")
            store.put_cadence(conn, connection_id, stored)
            new_value = None if stored is None else str(stored)
            change = log_change(conn, connection_id, "cadence", old_value, new_value, stamp)
        self.review.track_change(change)
        return new

    def log_touch(self, connection_id: int, note: str = "") -> Touch:
        """The user reached out today: last contact moves to now."""
        stamp = self._stamp()
        text = " ".join(note.split())
        with self.db.write() as conn:
            touch_id = store.add_touch(conn, connection_id, stamp, text)
            change = log_change(conn, connection_id, "touch", None, str(touch_id), stamp)
        self.review.track_change(change)
        return Touch(stamp, text)

    def snooze(self, connection_id: int, days: int = SNOOZE_DAYS) -> date:
        """Not due before `days` from today (or from the due day, if that is later)."""
        stamp = self._stamp()
        today = self.today()
        with self.db.write() as conn:
            row = store.read_person(conn, connection_id)
            if row is None:
                raise ValueError("no such connection")
            person = person_from(row)
            due = person.due_on(today) or today
            until = max(due, today) + timedelta(days=days)
            old = store.current_value(conn, connection_id, "snooze")
            store.put_snooze(conn, connection_id, until.isoformat())
            change = log_change(conn, connection_id, "snooze", old, until.isoformat(), stamp)
        self.review.track_change(change)
        return until
