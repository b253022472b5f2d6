"""Screening invitations (docs/PRODUCT.md §13): accept the few, ignore the pitches, withdraw what
went stale.

An invitation in Invitations.csv whose other side is not in Connections.csv was pending when the
export was made. Matching is by profile URL; for files without URLs (before 2023) by name, and
only where the name belongs to one connection. Incoming ones are screened like cards (accept,
ignore, later; criteria 1–5 per invitation); the user's own outgoing ones sent more than 21 days
before the export's date are stale, to withdraw by hand.

A newer export closes the loop: an accept that shows up in Connections.csv is confirmed and the
person joins the review as kept ("accepted on screening"); an ignore or a withdrawal that is gone
is done; a decision still pending in the newer export is flagged. Decisions are committed at
once, logged in `invitation_history` for undo, kept across re-imports and carried by the JSON
backup (see `backup_part`).

No Textual here; storage is behind the functions of `prune_tui.store.invitations`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Connection

from prune_tui.model import CRITERIA, CRITERIA_KEYS, DUNBAR
from prune_tui.store import invitations as store
from prune_tui.store.database import Database
from prune_tui.store.invitations import Staged

if TYPE_CHECKING:
    from prune_tui.formats.invitations import Invitation
    from prune_tui.formats.tables import Source
    from prune_tui.text.summary import ImportSummary

Clock = Callable[[], datetime]

# Outgoing invitations sent more than this many days before the export are stale.
STALE_DAYS = 21
# What the argument suggests a careful networker accepts: about 2 in 5.
ACCEPT_AIM = (2, 5)
ACCEPTED_NOTE = "accepted on screening"
NOTE_KINDS = ("personal", "pitch", "none")

# LinkedIn's own words when someone writes no note of their own: as good as no note.
STOCK_NOTES = (
    "i'd like to add you to my professional network",
    "i'd like to join your linkedin network",
    "i would like to add you to my professional network",
    "i’d like to add you to my professional network",
    "i’d like to join your linkedin network",
)


class Direction(str, enum.Enum):
    INCOMING = "incoming"  # they invited me
    OUTGOING = "outgoing"  # I invited them


class Answer(str, enum.Enum):
    """A decision on an invitation: accept or ignore theirs, withdraw mine."""

    ACCEPT = "accept"
    IGNORE = "ignore"
    WITHDRAW = "withdraw"


def note_kind_of(message: str | None) -> str:
    """ "personal", "pitch" or "none", by the same detection the card's suggestion uses
    (`prune_tui.text.notes.note_kind`). LinkedIn's stock sentence counts as no note; a note of
    their own with no pitch in it counts as personal."""
    from prune_tui.text.notes import note_kind

    text = " ".join((message or "").casefold().split())
    if not text or (len(text) < 90 and any(stock in text for stock in STOCK_NOTES)):
        return "none"
    kind = note_kind(message)
    return kind if kind in NOTE_KINDS else "personal"


# ---------------------------------------------------------------------------------------------
# The export's date

# LinkedIn names its archive Basic_LinkedInDataExport_MM-DD-YYYY.zip (the folder inside too).
_NAME_DATE = re.compile(r"(?<!\d)(\d{1,2})-(\d{1,2})-(\d{4})(?!\d)")


def export_date_from_name(name: str) -> str | None:
    """'Basic_LinkedInDataExport_11-20-2026.zip (1).zip' → '2026-11-20'."""
    for found in _NAME_DATE.finditer(name):
        month, day, year = (int(g) for g in found.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            continue
    return None


def day_of(stamp: str | None) -> date | None:
    if not stamp:
        return None
    try:
        return date.fromisoformat(stamp[:10])
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# One invitation as the screens and the command line see it


@dataclass(frozen=True)
class PendingInvitation:
    id: int
    key: str
    direction: Direction
    name: str
    name_key: str
    slug: str | None
    url: str
    sent_at: str | None
    message: str | None
    export_date: str | None
    status: str  # pending | accepted | gone
    decision: Answer | None
    decided_at: str | None
    closed_at: str | None
    # Decided, yet an export imported since still lists it as pending: not done on LinkedIn.
    flagged: bool = False
    criteria: dict[int, bool | None] = field(default_factory=dict)

    @property
    def note_kind(self) -> str:
        return note_kind_of(self.message)

    @property
    def days_before_export(self) -> int | None:
        sent, exported = day_of(self.sent_at), day_of(self.export_date)
        if sent is None or exported is None:
            return None
        return (exported - sent).days

    @property
    def stale(self) -> bool:
        """An outgoing invitation sent more than 21 days before the export's date."""
        days = self.days_before_export
        return self.direction is Direction.OUTGOING and days is not None and days > STALE_DAYS

    def as_json(self) -> dict[str, Any]:
        """The `prune-tui invitations --json` object (docs/PRODUCT.md §13)."""
        return {
            "direction": self.direction.value,
            "name": self.name,
            "url": self.url,
            "sent_at": self.sent_at,
            "message": self.message,
            "note_kind": self.note_kind,
            "decision": self.decision.value if self.decision else None,
            "stale": self.stale,
        }


def _invitation(row: Any, answers: dict[int, bool]) -> PendingInvitation:
    return PendingInvitation(
        id=int(row.id),
        key=row.key,
        direction=Direction(row.direction),
        name=row.name,
        name_key=row.name_key,
        slug=row.slug,
        url=row.url,
        sent_at=row.sent_at,
        message=row.message,
        export_date=row.export_date,
        status=row.status,
        decision=Answer(row.decision) if row.decision else None,
        decided_at=row.decided_at,
        closed_at=row.closed_at,
        flagged=bool(row.flagged),
        criteria={n: answers.get(n) for n in CRITERIA},
    )


def _read(conn: Connection, rows: Sequence[Any]) -> list[PendingInvitation]:
    """The invitations of these rows (`store.invitation_rows` and its kin), with their answers."""
    found = store.answers(conn, (int(r.id) for r in rows))
    return [_invitation(r, found.get(int(r.id), {})) for r in rows]


def pending_invitations(db: Database) -> list[PendingInvitation]:
    """Every invitation pending at the latest export: incoming first, newest first."""
    with db.read() as conn:
        found = _read(conn, store.pending_rows(conn))
    return sorted(found, key=lambda i: i.direction is Direction.OUTGOING)


# ---------------------------------------------------------------------------------------------
# The import: the pending rule, and closing the loop


def stage_from_file(conn: Connection, found: Sequence[Invitation]) -> None:
    """Called by the evidence loader with every invitation of this import's Invitations.csv
    (connections are already up to date in this transaction): kept for `after_import`, one per
    person and direction (the newest), unless it was accepted long ago (the file keeps every
    accepted invitation, and there is nothing to screen in them)."""
    newest: dict[tuple[str, str], Invitation] = {}
    for inv in found:
        key = inv.slug or inv.name
        if key is None:
            continue
        direction = "outgoing" if inv.invited_by == "me" else "incoming"
        earlier = newest.get((key, direction))
        if earlier is None or (
            inv.sent_at is not None and (earlier.sent_at is None or inv.sent_at > earlier.sent_at)
        ):
            newest[(key, direction)] = inv
    known = store.invitation_keys(conn)
    people = People(store.active_people(conn))
    staged = []
    for (key, direction), inv in newest.items():
        name_key = (inv.name or "name:")[len("name:") :]
        if (key, direction) not in known and people.match(inv.slug, name_key) is not None:
            continue
        staged.append(
            Staged(
                direction=direction,
                key=key,
                slug=inv.slug,
                name_key=name_key,
                name=" ".join(inv.display_name.split()),
                url=inv.url.strip(),
                sent_at=inv.sent_at,
                message=inv.message,
            )
        )
    store.stage_invitations(conn, staged)


class ImportPlan(Protocol):
    """What `after_import` needs of the importer's plan."""

    path: Path
    evidence: dict[str, list[Source]]


class People:
    """Everyone connected at the latest export, to match invitations against."""

    def __init__(self, people: Sequence[tuple[int, str | None, str]]) -> None:
        self.by_slug: dict[str, int] = {slug: id_ for id_, slug, _ in people if slug}
        # name key → (id, slug) of the one connection with that name; None when several have it
        self.by_name: dict[str, tuple[int, str | None] | None] = {}
        for id_, slug, name in people:
            if name:
                self.by_name[name] = None if name in self.by_name else (id_, slug)

    def match(self, slug: str | None, name_key: str) -> int | None:
        """The connection this invitation's other side is: by profile URL, else by name where
        the name belongs to one connection only (and one of the two has no URL to compare)."""
        if slug and slug in self.by_slug:
            return self.by_slug[slug]
        one = self.by_name.get(name_key)
        if one is not None and (slug is None or one[1] is None):
            return one[0]
        return None


def after_import(
    conn: Connection, plan: ImportPlan, run_id: int, now: str, summary: ImportSummary
) -> None:
    """The screening step of an import, in its transaction: the pending rule over this
    import's Invitations.csv (if it had one), then the loop closed for earlier decisions."""
    staged = store.take_staged(conn)
    if staged is None and not store.has_invitations(conn):
        return  # the usual first import of a Connections.csv: nothing to look at
    people = People(store.active_people(conn))
    if staged is not None:
        exported = _export_date(conn, plan, run_id, summary)
        latest = store.latest_export_date(conn)
        # An older export than one already seen says nothing new about what is pending now.
        if latest is None or exported is None or exported >= latest:
            _sync(conn, staged, people, exported, run_id)
    _settle(conn, people, now, summary)


def _export_date(conn: Connection, plan: ImportPlan, run_id: int, summary: Any) -> str | None:
    """The date in the archive's (or its folder's) name where there is one, else the newest
    date in the files."""
    names = [plan.path.name, plan.path.parent.name]
    names += [s.member or "" for s in plan.evidence.get("invitations", [])]
    for name in names:
        found = export_date_from_name(name)
        if found:
            return found
    dates = store.newest_dates(conn, run_id, messages="messages" in summary.kinds)
    return max(dates) if dates else None


def _sync(
    conn: Connection,
    staged: Sequence[Staged],
    people: People,
    exported: str | None,
    run_id: int,
) -> None:
    existing = {(r.key, r.direction): r for r in store.all_invitations(conn)}
    without_url: dict[tuple[str, str], list[Any]] = {}
    for row in existing.values():
        if row.slug is None:
            without_url.setdefault((row.direction, row.name_key), []).append(row)
    for s in staged:
        if s.slug is None or (s.key, s.direction) in existing:
            continue
        # A record from a file without URLs, adopted by this one (as connections are).
        older = without_url.get((s.direction, s.name_key), [])
        if len(older) == 1:
            store.adopt_key(conn, int(older[0].id), s.key, s.slug)
            existing[(s.key, s.direction)] = existing.pop((older[0].key, s.direction))
            older.clear()
    listed = set()
    seen: list[tuple[Staged, str]] = []
    for s in staged:
        connected = people.match(s.slug, s.name_key) is not None
        listed.add((s.key, s.direction))
        if connected and (s.key, s.direction) not in existing:
            continue  # accepted long ago: nothing to screen, nothing to remember
        seen.append((s, "accepted" if connected else "pending"))
    store.upsert_seen(conn, seen, export_date=exported, run_id=run_id)
    for key, row in existing.items():
        if key not in listed and row.status == "pending":
            connected = people.match(row.slug, row.name_key) is not None
            store.set_status(conn, int(row.id), "accepted" if connected else "gone")


def _settle(conn: Connection, people: People, now: str, summary: Any) -> None:
    pending = []
    for inv in _read(conn, store.open_rows(conn)):
        connection_id = people.match(inv.slug, inv.name_key)
        status = inv.status
        if status == "pending" and connection_id is None:
            pending.append(inv)
        if status != "accepted" and connection_id is not None:
            status = "accepted"  # accepted on LinkedIn, by them or by you, since
            store.set_status(conn, inv.id, status)
        if inv.closed_at is None and inv.decision is not None:
            if inv.decision is Answer.ACCEPT and status == "accepted":
                if connection_id is not None and inv.direction is Direction.INCOMING:
                    store.keep_accepted(conn, connection_id, ACCEPTED_NOTE, now)
                    store.copy_answers(conn, inv.id, connection_id)
                    summary.accepts_confirmed += 1
                store.close(conn, inv.id, now)
            elif inv.decision is not Answer.ACCEPT and status != "pending":
                store.close(conn, inv.id, now)
    summary.invitations_pending = sum(
        1 for i in pending if i.direction is Direction.INCOMING and i.decision is None
    )
    summary.invitations_to_withdraw = sum(1 for i in pending if i.stale and i.decision is None)
    summary.invitations_flagged = sum(1 for i in pending if i.flagged)


def describe_import(summary: ImportSummary) -> list[str]:
    """The import summary's lines about invitations."""
    from prune_tui.text.words import plural

    lines = []
    parts = []
    if summary.invitations_pending:
        parts.append(f"{plural(summary.invitations_pending, 'invitation')} to screen")
    if summary.invitations_to_withdraw:
        parts.append(f"{summary.invitations_to_withdraw:,} of yours to withdraw")
    if parts:
        lines.append("  pending: " + " · ".join(parts) + " (press i in the app)")
    if summary.accepts_confirmed:
        lines.append(
            f"  {plural(summary.accepts_confirmed, 'invitation')} you accepted on screening "
            "now connected: kept, with a note"
        )
    if summary.invitations_flagged:
        lines.append(
            f"  {plural(summary.invitations_flagged, 'invitation')} you screened "
            f"{'is' if summary.invitations_flagged == 1 else 'are'} still pending on LinkedIn"
        )
    return lines


# ---------------------------------------------------------------------------------------------
# Screening: the service the invitations screen calls


class InvitationChanged(Exception):
    """Another window changed this invitation since it was shown here: nothing was written."""

    def __init__(self, invitation_id: int, now: str | None) -> None:
        super().__init__(f"invitation {invitation_id} changed elsewhere")
        self.invitation_id = invitation_id
        self.now = now


@dataclass(frozen=True)
class InvitationUndo:
    invitation_id: int
    field: str
    old: str | None  # the value restored
    new: str | None  # the value taken back

    def describe(self, name: str) -> str:
        if self.field == "decision":
            taken = self.new or self.old or "change"
            if taken == "withdraw":
                return f"Undid the withdrawal tick for {name}"
            return f"Undid “{taken}” for {name}"
        return f"Undid criterion {self.field.split(':', 1)[1]} for {name}"


@dataclass(frozen=True)
class ScreeningProgress:
    """The header of the invitations screen."""

    to_screen: int  # incoming, pending, not screened yet
    incoming: int  # incoming, pending (screened or not)
    screened: int  # incoming invitations accepted or ignored, ever
    accepted: int
    to_withdraw: int  # stale outgoing, not ticked as withdrawn
    dunbar: int  # keep + nurture + accepts not yet connected
    export_date: str | None

    @property
    def accept_share(self) -> int | None:
        return None if not self.screened else round(100 * self.accepted / self.screened)

    @property
    def over_aim(self) -> bool:
        """Accepting more than the argument's about 2 in 5 (with some room)."""
        return self.screened >= 5 and self.accepted * ACCEPT_AIM[1] > self.screened * 2.5

    @property
    def over_dunbar(self) -> bool:
        return self.dunbar > DUNBAR

    def accepted_words(self) -> str:
        """ "accepted 6 of 15 screened (40%)" """
        if not self.screened:
            return "none screened yet"
        return f"accepted {self.accepted:,} of {self.screened:,} screened ({self.accept_share}%)"


@dataclass(frozen=True)
class Checklist:
    """What to do on LinkedIn: accept these, ignore these, withdraw these."""

    accept: list[PendingInvitation]
    ignore: list[PendingInvitation]
    withdraw: list[PendingInvitation]
    flagged: int

    @property
    def total(self) -> int:
        return len(self.accept) + len(self.ignore) + len(self.withdraw)


def checklist_from(pending: Sequence[PendingInvitation]) -> Checklist:
    incoming = [i for i in pending if i.direction is Direction.INCOMING]
    return Checklist(
        accept=[i for i in incoming if i.decision is Answer.ACCEPT],
        ignore=[i for i in incoming if i.decision is Answer.IGNORE],
        withdraw=sorted(
            (
                i
                for i in pending
                if i.direction is Direction.OUTGOING and i.stale and i.decision is None
            ),
            key=lambda i: (i.sent_at or "", i.id),
        ),
        flagged=sum(1 for i in pending if i.flagged),
    )


_UNSET: Any = object()


class Screening:
    """Screening over one database. `clock` fixes time in tests and screenshots."""

    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self.db = db
        self._clock: Clock = clock or (lambda: datetime.now(timezone.utc))

    def _stamp(self) -> str:
        moment = self._clock()
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()

    def today(self) -> date:
        return self._clock().date()

    # -- reading ------------------------------------------------------------------------------

    def pending(self) -> list[PendingInvitation]:
        return pending_invitations(self.db)

    def incoming(self) -> list[PendingInvitation]:
        """Pending incoming invitations, newest first: the cards."""
        return [i for i in self.pending() if i.direction is Direction.INCOMING]

    def get(self, invitation_id: int) -> PendingInvitation | None:
        with self.db.read() as conn:
            row = store.invitation_row(conn, invitation_id)
            return _read(conn, [row])[0] if row is not None else None

    def checklist(self) -> Checklist:
        return checklist_from(self.pending())

    def progress(self, pending: Sequence[PendingInvitation] | None = None) -> ScreeningProgress:
        """The header's figures; `pending` when the caller has just read them."""
        if pending is None:
            pending = self.pending()
        with self.db.read() as conn:
            screened, accepted, joining = store.screening_counts(conn)
            kept = store.kept_count(conn)
            exported = store.latest_export_date(conn)
        incoming = [i for i in pending if i.direction is Direction.INCOMING]
        return ScreeningProgress(
            to_screen=sum(1 for i in incoming if i.decision is None),
            incoming=len(incoming),
            screened=screened,
            accepted=accepted,
            to_withdraw=sum(1 for i in pending if i.stale and i.decision is None),
            dunbar=kept + joining,
            export_date=exported,
        )

    def context(self, invitation: PendingInvitation) -> list[str]:
        """What else the export knows about them, in words (plain text, shown as data)."""
        from prune_tui.store.evidence_read import read_person_evidence
        from prune_tui.text.evidence import describe_endorsements, describe_messages
        from prune_tui.text.folding import fold
        from prune_tui.text.plain import one_line

        lines: list[str] = []
        with self.db.read() as conn:
            ev = read_person_evidence(conn, invitation.slug, invitation.name_key)
            earlier = store.earlier_record(conn, invitation.slug, invitation.name_key)
            kept = store.kept_companies(conn)
        if ev is not None:
            messages = describe_messages(ev, self.today())
            if messages:
                lines.append(messages)
            endorsements = describe_endorsements(ev)
            if endorsements:
                lines.append(endorsements)
        companies: list[tuple[str, str]] = []
        if earlier is not None:
            role = " at ".join(
                p for p in (one_line(earlier.position), one_line(earlier.company)) if p
            )
            was = f"Connected before{': ' + role if role else ''}"
            if earlier.decision:
                was += f" · you decided {earlier.decision}"
            lines.append(was + (" · no longer connected" if earlier.status == "gone" else ""))
            if earlier.company:
                companies.append((str(earlier.company), "Worked at"))
        note = fold(invitation.message or "")
        if note:
            for company in kept:
                folded = fold(company).strip()
                if len(folded) >= 3 and re.search(r"(?<!\w)" + re.escape(folded) + r"(?!\w)", note):
                    companies.append((company, "Their note mentions"))
        shown: set[str] = set()
        for company, lead in companies:
            names = kept.get(company)
            if not names or company in shown:
                continue
            shown.add(company)
            who = ", ".join(names[:2]) + (f" and {len(names) - 2:,} more" if len(names) > 2 else "")
            lines.append(f"{lead} {one_line(company)}, like {one_line(who)}, whom you keep")
            if len(shown) >= 2:
                break
        return lines

    # -- changes ------------------------------------------------------------------------------

    def decide(self, invitation_id: int, answer: Answer | None, *, expected: Any = _UNSET) -> None:
        """Record (or clear) a decision; `expected` is the decision the window showed."""
        new = answer.value if answer else None
        stamp = self._stamp()
        with self.db.write() as conn:
            direction = store.direction_of(conn, invitation_id)
            if answer is not None and (answer is Answer.WITHDRAW) != (direction == "outgoing"):
                raise ValueError(f"an {direction} invitation cannot be given “{new}”")
            now = store.current_value(conn, invitation_id, "decision")
            old = now if expected is _UNSET else (expected.value if expected else None)
            if now != old:
                raise InvitationChanged(invitation_id, now)
            if old == new:
                if new is not None:
                    store.confirm_decision(conn, invitation_id)  # a flag answered
                return
            if not store.write_decision(conn, invitation_id, old, new, stamp):
                raise InvitationChanged(
                    invitation_id, store.current_value(conn, invitation_id, "decision")
                )
            store.log_change(conn, invitation_id, "decision", old, new, stamp)

    def set_withdrawn(self, invitation_id: int, withdrawn: bool) -> None:
        """Tick (or untick) one of my invitations as withdrawn on LinkedIn."""
        self.decide(invitation_id, Answer.WITHDRAW if withdrawn else None)

    def toggle_criterion(self, invitation_id: int, criterion: int) -> bool | None:
        """Not answered → yes → no → not answered. Returns the new answer."""
        if criterion not in CRITERIA:
            raise ValueError(f"there is no criterion {criterion}")
        name = f"criterion:{criterion}"
        stamp = self._stamp()
        with self.db.write() as conn:
            old = store.current_value(conn, invitation_id, name)
            new = {None: "1", "1": "0", "0": None}[old]
            store.write_criterion(conn, invitation_id, criterion, new)
            store.log_change(conn, invitation_id, name, old, new, stamp)
        return None if new is None else new == "1"

    def undo(self) -> InvitationUndo | None:
        """Take back the newest change on the invitations screen (many levels, also after a
        restart)."""
        with self.db.write() as conn:
            row = store.last_change(conn)
            if row is None:
                return None
            history_id, invitation_id, name, old, new = row
            store.mark_undone(conn, history_id)
            if name == "decision":
                at = store.decided_before(conn, invitation_id, history_id) if old else None
                current = store.current_value(conn, invitation_id, "decision")
                store.write_decision(conn, invitation_id, current, old, at)
            else:
                store.write_criterion(conn, invitation_id, int(name.split(":", 1)[1]), old)
        return InvitationUndo(int(invitation_id), str(name), old, new)


# ---------------------------------------------------------------------------------------------
# The command line: `prune-tui invitations [--json]`


def openable_profile(url: str | None) -> str | None:
    """The profile address to hand to a browser: an https LinkedIn address (the check the
    checklist uses) whose path is /in/<slug>; None for anything else."""
    from urllib.parse import urlsplit

    from prune_tui.formats.identity import profile_link

    link = profile_link(url)
    if link is None:
        return None
    path = urlsplit(link).path
    return link if path.startswith("/in/") and path.strip("/") != "in" else None


def long_date(stamp: str | None) -> str:
    day = day_of(stamp)
    return day.strftime("%d %b %Y").lstrip("0") if day else "date unknown"


def describe_checklist(db: Database) -> str:
    """`prune-tui invitations`: what to do on LinkedIn, then what is left to screen."""
    from prune_tui.text.plain import one_line
    from prune_tui.text.words import plural

    screening = Screening(db)
    pending = screening.pending()
    progress = screening.progress()
    if not pending:
        if progress.export_date is None:
            return (
                "No invitations imported yet. Import your whole LinkedIn export (the .zip, "
                "which holds Invitations.csv) with `prune-tui import FILE`."
            )
        return f"No invitations were pending at your export of {long_date(progress.export_date)}."
    todo = checklist_from(pending)
    lines = [
        f"Invitations pending at your export of {long_date(progress.export_date)}: "
        f"{plural(progress.incoming, 'invitation')} to you, "
        f"{sum(1 for i in pending if i.direction is Direction.OUTGOING):,} of yours.",
        f"Screening: {progress.accepted_words()}; the argument suggests about "
        f"{ACCEPT_AIM[0]} in {ACCEPT_AIM[1]}. Dunbar: {progress.dunbar:,} of {DUNBAR}.",
    ]

    def item(inv: PendingInvitation, extra: str) -> str:
        link = openable_profile(inv.url) or "(no profile URL in the export)"
        flag = "  (! still pending in your newer export)" if inv.flagged else ""
        return f"- [ ] {one_line(inv.name) or '(no name)'}  {link}  {extra}{flag}"

    def sent(inv: PendingInvitation) -> str:
        return f"sent {long_date(inv.sent_at)}"

    def sent_before(inv: PendingInvitation) -> str:
        waited = plural(inv.days_before_export or 0, "day")
        return f"sent {long_date(inv.sent_at)}, {waited} before the export"

    sections: list[tuple[str, list[PendingInvitation], Callable[[PendingInvitation], str]]] = [
        ("Accept on LinkedIn", todo.accept, sent),
        ("Ignore on LinkedIn", todo.ignore, sent),
        ("Withdraw on LinkedIn", todo.withdraw, sent_before),
    ]
    for title, items, extra in sections:
        if items:
            lines += ["", f"{title} ({len(items):,})"]
            if items is todo.withdraw:
                lines[-1] += ": yours, pending over 3 weeks at the export"
            lines += [item(i, extra(i)) for i in items]
    unscreened = [i for i in pending if i.direction is Direction.INCOMING and i.decision is None]
    if unscreened:
        lines += ["", f"Still to screen ({len(unscreened):,}): open prune-tui and press i"]
        lines += [item(i, f"sent {long_date(i.sent_at)} · {_kind_words(i)}") for i in unscreened]
    if todo.total == 0 and not unscreened:
        lines += ["", "Nothing to do on LinkedIn."]
    return "\n".join(lines)


KIND_WORDS = {"personal": "personal note", "pitch": "a pitch", "none": "no note"}


def _kind_words(inv: PendingInvitation) -> str:
    return KIND_WORDS[inv.note_kind]


def run_command(db: Database, *, as_json: bool) -> str:
    """The text `prune-tui invitations` prints."""
    if as_json:
        import json

        return json.dumps([i.as_json() for i in pending_invitations(db)])
    return describe_checklist(db)


# ---------------------------------------------------------------------------------------------
# The JSON backup. The backup stays what docs/PRODUCT.md §3 says it is, a list of connection
# objects; the invitations ride on the first of them under the key "invitations" (an extra key,
# like the backup's other extras), and a restore takes them from any entry that has it.

BACKUP_KEY = "invitations"
_BACKUP_TEXT = ("name", "url", "sent_at", "message", "export_date", "decided_at", "closed_at")


def backup_part(conn: Connection) -> list[dict[str, Any]]:
    """Every invitation (pending or not, with its decision and answers), for the backup."""
    found = _read(conn, store.invitation_rows(conn))
    found.sort(key=lambda i: (i.direction.value, i.key))
    return [
        {
            "direction": i.direction.value,
            "name": i.name,
            "url": i.url,
            "slug": i.slug,
            "key": i.key,
            "sent_at": i.sent_at,
            "message": i.message,
            "export_date": i.export_date,
            "status": i.status,
            "decision": i.decision.value if i.decision else None,
            "decided_at": i.decided_at,
            "closed_at": i.closed_at,
            "criteria": {CRITERIA_KEYS[n]: v for n, v in i.criteria.items()},
        }
        for i in found
    ]


def read_backup_part(value: Any, entry: int) -> list[dict[str, Any]]:
    """The invitations of one backup entry, checked; ValueError says what is wrong."""
    from prune_tui.formats.identity import name_key as make_name_key
    from prune_tui.formats.identity import profile_slug

    if not isinstance(value, list):
        raise ValueError(f"entry {entry}: '{BACKUP_KEY}' should be a list")
    numbers = {key: number for number, key in CRITERIA_KEYS.items()}
    items = []
    for n, raw in enumerate(value, start=1):
        where = f"entry {entry}, invitation {n}"
        if not isinstance(raw, dict):
            raise ValueError(f"{where} is not an object")
        if raw.get("direction") not in ("incoming", "outgoing"):
            raise ValueError(f"{where}: unknown direction {raw.get('direction')!r}")
        if raw.get("decision") not in (None, "accept", "ignore", "withdraw"):
            raise ValueError(f"{where}: unknown decision {raw.get('decision')!r}")
        if raw.get("status", "pending") not in ("pending", "accepted", "gone"):
            raise ValueError(f"{where}: unknown status {raw.get('status')!r}")
        for key in _BACKUP_TEXT:
            if raw.get(key) is not None and not isinstance(raw.get(key), str):
                raise ValueError(f"{where}: '{key}' should be text")
        criteria = raw.get("criteria") or {}
        if not isinstance(criteria, dict) or any(
            v not in (True, False, None) for v in criteria.values()
        ):
            raise ValueError(f"{where}: 'criteria' should map names to true, false or null")
        name = raw.get("name") or ""
        url = raw.get("url") or ""
        slug = profile_slug(url) if url else None
        nkey = make_name_key(name, "")
        given = raw.get("key")
        key = str(given) if isinstance(given, str) and given else (slug or f"name:{nkey}")
        if not key or key == "name:":
            raise ValueError(f"{where} has neither a name nor a profile URL")
        items.append(
            {
                "key": key,
                "direction": raw["direction"],
                "name": name,
                "name_key": nkey,
                "slug": slug,
                "url": url,
                "sent_at": raw.get("sent_at"),
                "message": raw.get("message"),
                "export_date": raw.get("export_date"),
                "status": raw.get("status") or "pending",
                "decision": raw.get("decision"),
                "decided_at": raw.get("decided_at"),
                "closed_at": raw.get("closed_at"),
                "criteria": {numbers[k]: v for k, v in criteria.items() if k in numbers},
            }
        )
    return items


def restore_backup_part(conn: Connection, items: Sequence[dict[str, Any]], run_id: int) -> int:
    return store.restore_rows(conn, items, run_id)
