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
backup (see `services.invitation_backup`).

No Textual here; storage is behind the functions of `prune_tui.store.invitations`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from prune_tui.model import CRITERIA, day_of
from prune_tui.store import invitations as store
from prune_tui.store.database import Database

if TYPE_CHECKING:
    pass

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


def invitations_from_rows(conn: Connection, rows: Sequence[Any]) -> list[PendingInvitation]:
    """The invitations of these rows (`store.invitation_rows` and its kin), with their answers."""
    found = store.answers(conn, (int(r.id) for r in rows))
    return [_invitation(r, found.get(int(r.id), {})) for r in rows]


def pending_invitations(db: Database) -> list[PendingInvitation]:
    """Every invitation pending at the latest export: incoming first, newest first."""
    with db.read() as conn:
        found = invitations_from_rows(conn, store.pending_rows(conn))
    return sorted(found, key=lambda i: i.direction is Direction.OUTGOING)
