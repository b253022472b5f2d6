"""Reading back the evidence of one connection, for the review card.

Kept apart from `prune_tui.services.evidence` (which re-exports it) because that module loads every
export file reader: the app reads evidence for its first card and needs none of them. Which
evidence is whose is decided by prune_tui.store.attribution, as for every other reader.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Connection

from prune_tui.model import Evidence
from prune_tui.store.attribution import (
    COUNT_FACTS,
    EVIDENCE_JOIN,
    INVITATION_FACTS,
    MESSAGE_FACTS,
    by_name_column,
    evidence_column,
)
from prune_tui.store.settings import get_setting

# Set once a messages file has been read: from then on, no messages means "never messaged".
MESSAGES_READ = "evidence.messages"

EVIDENCE_COLUMNS = (
    "message_count, first_message_at, last_message_at, last_message_from, invited_by, "
    "invited_at, invitation_message, endorsements_given, endorsements_received, "
    "recommendations_given, recommendations_received"
)
FACTS = (*MESSAGE_FACTS, *INVITATION_FACTS, *COUNT_FACTS)
# The group of facts each "matched by name only" mark speaks for (Evidence.by_name).
BY_NAME_GROUPS = {
    "messages": "message_count",
    "invitation": "invited_by",
    "endorsements_given": "endorsements_given",
    "endorsements_received": "endorsements_received",
    "recommendations_given": "recommendations_given",
    "recommendations_received": "recommendations_received",
}

_CARD_EVIDENCE_SQL = (
    "SELECT "
    + ", ".join(f"{evidence_column(name)} AS {name}" for name in FACTS)
    + ", "
    + ", ".join(f"{by_name_column(col)} AS by_{group}" for group, col in BY_NAME_GROUPS.items())
    + ", e1.person IS NOT NULL OR e2.person IS NOT NULL AS found "
    + f"FROM connections c {EVIDENCE_JOIN} WHERE c.id = ?"
)


def read_evidence(conn: Connection, connection_id: int) -> Evidence | None:
    """The evidence for one connection (see store/attribution.py for whose is whose). None
    when nothing is known; once a messages file was read, a person without any evidence is
    known to have exchanged no messages."""
    row = conn.exec_driver_sql(_CARD_EVIDENCE_SQL, (connection_id,)).first()
    known = messages_read(conn)
    if row is None or not row.found:
        return Evidence(messages_known=True) if known else None
    values = row._mapping
    return Evidence(
        message_count=int(values["message_count"] or 0),
        first_message_at=values["first_message_at"],
        last_message_at=values["last_message_at"],
        last_message_from=values["last_message_from"],
        invited_by=values["invited_by"],
        invited_at=values["invited_at"],
        invitation_message=values["invitation_message"],
        endorsements_given=int(values["endorsements_given"] or 0),
        endorsements_received=int(values["endorsements_received"] or 0),
        recommendations_given=int(values["recommendations_given"] or 0),
        recommendations_received=int(values["recommendations_received"] or 0),
        messages_known=known,
        by_name=frozenset(group for group in BY_NAME_GROUPS if values[f"by_{group}"]),
    )


def messages_read(conn: Connection) -> bool:
    """Has a messages file been read? Then no messages means never messaged."""
    return get_setting(conn, MESSAGES_READ) is not None


def read_person_evidence(conn: Connection, slug: str | None, name_key: str) -> Evidence | None:
    """The evidence filed for someone who is not a connection (a pending invitation): under
    their profile slug when the file named one, else under their name."""
    person = slug or (f"name:{name_key}" if name_key else None)
    row = (
        conn.exec_driver_sql(
            f"SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE person = ?", (person,)
        ).first()
        if person
        else None
    )
    known = messages_read(conn)
    if row is None:
        return Evidence(messages_known=True) if known else None
    return replace(Evidence(*row), messages_known=known)
