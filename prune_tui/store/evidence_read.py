"""Reading back the evidence filed for one connection, for the review card.

Kept apart from `prune_tui.evidence` (which re-exports it) because that module loads every
export file reader: the app reads evidence for its first card and needs none of them.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection

from prune_tui.model import Evidence

# Set once a messages file has been read: from then on, no messages means "never messaged".
MESSAGES_READ = "evidence.messages"


EVIDENCE_COLUMNS = (
    "message_count, first_message_at, last_message_at, last_message_from, invited_by, "
    "invited_at, invitation_message, endorsements_given, endorsements_received, "
    "recommendations_given, recommendations_received"
)


def read_evidence(conn: Connection, slug: str | None, name_key: str) -> Evidence | None:
    """The evidence for one connection: what is filed under their profile slug, with the gaps
    filled from what is filed under their name (files without URLs: old exports,
    recommendations). None when nothing is known; once a messages file was read, a person
    without any row is known to have exchanged no messages."""
    rows = [
        conn.exec_driver_sql(
            f"SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE person = ?", (person,)
        ).first()
        for person in (slug, f"name:{name_key}" if name_key else None)
        if person
    ]
    found = [Evidence(*row) for row in rows if row is not None]
    known = _messages_read(conn)
    if not found:
        return Evidence(messages_known=True) if known else None
    ev = found[0]
    for other in found[1:]:
        ev = _fill_gaps(ev, other)
    return replace(ev, messages_known=known)


def _fill_gaps(ev: Evidence, other: Evidence) -> Evidence:
    """Each group of facts (messages, invitation, each count) from `ev`, or else `other`."""
    changes: dict[str, Any] = {}
    if ev.message_count == 0 and other.message_count:
        for name in ("message_count", "first_message_at", "last_message_at", "last_message_from"):
            changes[name] = getattr(other, name)
    if ev.invited_by is None and other.invited_by is not None:
        for name in ("invited_by", "invited_at", "invitation_message"):
            changes[name] = getattr(other, name)
    for name in (
        "endorsements_given",
        "endorsements_received",
        "recommendations_given",
        "recommendations_received",
    ):
        if not getattr(ev, name) and getattr(other, name):
            changes[name] = getattr(other, name)
    return replace(ev, **changes)


def _messages_read(conn: Connection) -> bool:
    row = conn.exec_driver_sql("SELECT value FROM settings WHERE key = ?", (MESSAGES_READ,)).first()
    return row is not None and json.loads(row[0]) is not None
