"""Screening invitations: the service the invitations screen calls (decisions, criteria, undo,
progress and the checklist of what to do on LinkedIn)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from prune_tui.model import CRITERIA, DUNBAR
from prune_tui.services.invitations import (
    ACCEPT_AIM,
    Answer,
    Direction,
    PendingInvitation,
    invitations_from_rows,
    pending_invitations,
)
from prune_tui.store import invitations as store
from prune_tui.store.database import Database
from prune_tui.text.invitation_words import accepted_words, invitation_undo_sentence

Clock = Callable[[], datetime]

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
        return invitation_undo_sentence(self.field, name, old=self.old, new=self.new)


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
        return accepted_words(self.accepted, self.screened, self.accept_share)


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
            return invitations_from_rows(conn, [row])[0] if row is not None else None

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
