"""The words of the domain, shared by every layer (no Textual, no SQL here)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date


class Decision(str, enum.Enum):
    KEEP = "keep"
    NURTURE = "nurture"
    REMOVE = "remove"

    @property
    def label(self) -> str:
        return self.value


class Status(str, enum.Enum):
    ACTIVE = "active"
    GONE = "gone"


# The five questions behind a decision (keys 1–5 on the card).
CRITERIA: dict[int, str] = {
    1: "we have spoken",
    2: "I know what they do",
    3: "I know how I can help them",
    4: "I know how they can help me",
    5: "they would answer within 48 hours or make an introduction",
}

DUNBAR = 150


@dataclass(frozen=True)
class Stats:
    """The counts `prune-tui stats` reports (docs/PRODUCT.md §3)."""

    total: int  # in the latest export, not gone
    undecided: int
    keep: int
    nurture: int
    remove: int
    removed: int  # ticked off on the checklist or confirmed by a later export
    gone: int  # no longer in the latest export

    @property
    def decided(self) -> int:
        return self.keep + self.nurture + self.remove

    @property
    def dunbar(self) -> int:
        return self.keep + self.nurture

    def as_dict(self) -> dict[str, int]:
        return {
            "total": self.total,
            "undecided": self.undecided,
            "keep": self.keep,
            "nurture": self.nurture,
            "remove": self.remove,
            "removed": self.removed,
            "gone": self.gone,
            "decided": self.decided,
            "dunbar": self.dunbar,
        }


# Keys of the `criteria` object in the JSON backup.
CRITERIA_KEYS: dict[int, str] = {
    1: "spoken",
    2: "know_what_they_do",
    3: "can_help_them",
    4: "can_help_me",
    5: "would_answer",
}


@dataclass(frozen=True)
class Evidence:
    """What the export says about a relationship (messages, invitation, endorsements)."""

    message_count: int = 0
    first_message_at: str | None = None  # ISO 8601
    last_message_at: str | None = None
    last_message_from: str | None = None  # "me" | "them"
    invited_by: str | None = None  # "me" | "them"
    invited_at: str | None = None
    invitation_message: str | None = None
    endorsements_given: int = 0
    endorsements_received: int = 0
    recommendations_given: int = 0
    recommendations_received: int = 0
    # False when no messages file was ever imported: then 0 messages means "unknown", not "never".
    messages_known: bool = True
    # The groups of facts matched through the name only (no URL tied them to this person):
    # "messages", "invitation", "endorsements_given", "recommendations_received", …
    by_name: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Card:
    """Everything the review card shows about one connection."""

    id: int
    first_name: str
    last_name: str
    url: str
    email: str
    company: str
    position: str
    connected_on: str | None  # YYYY-MM-DD
    status: Status
    decision: Decision | None
    decided_at: str | None
    note: str
    criteria: dict[int, bool | None]  # 1..5 → answer, None when not answered
    evidence: Evidence | None = None
    was_name: str | None = None
    was_company: str | None = None
    was_position: str | None = None
    removed_at: str | None = None
    is_new: bool = False  # joined in the latest import (not the first)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class Suggestion:
    """A nudge with its reason; never a decision made for the user."""

    decision: Decision | None
    reason: str


def day_of(stamp: str | None) -> date | None:
    """The calendar day a stored date or timestamp (ISO, `YYYY-MM-DD…`) falls on; None when
    there is none, or it cannot be read."""
    if not stamp:
        return None
    try:
        return date.fromisoformat(stamp[:10])
    except ValueError:
        return None
