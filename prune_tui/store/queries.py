"""Read-side queries shared by the command line and the app."""

from __future__ import annotations

from sqlalchemy import Connection

from prune_tui.model import Stats
from prune_tui.store.database import Database

# Ticked off as removed, yet still present in an export imported after the tick.
FLAGGED_SQL = (
    "(c.status = 'active' AND r.marked_at IS NOT NULL AND i.imported_at IS NOT NULL "
    "AND i.imported_at > r.marked_at)"
)
REMOVAL_JOINS = (
    "FROM connections c "
    "LEFT JOIN removals r ON r.connection_id = c.id "
    "LEFT JOIN import_runs i ON i.id = c.last_import_id "
)
# Removals done: gone from a later export, or ticked off and not contradicted by a newer one.
REMOVED_SQL = f"""
SELECT coalesce(sum(c.status = 'gone' OR (r.marked_at IS NOT NULL AND NOT {FLAGGED_SQL})), 0)
{REMOVAL_JOINS}
WHERE c.decision = 'remove'
"""

STATS_SQL = f"""
SELECT
  coalesce(sum(status = 'active'), 0),
  coalesce(sum(status = 'active' AND decision IS NULL), 0),
  coalesce(sum(status = 'active' AND decision = 'keep'), 0),
  coalesce(sum(status = 'active' AND decision = 'nurture'), 0),
  coalesce(sum(status = 'active' AND decision = 'remove'), 0),
  ({REMOVED_SQL}),
  coalesce(sum(status = 'gone'), 0)
FROM connections
"""


def stats(db: Database) -> Stats:
    with db.read() as conn:
        return stats_on(conn)


def stats_on(conn: Connection) -> Stats:
    row = conn.exec_driver_sql(STATS_SQL).one()
    return Stats(*(int(v) for v in row))


# `--only` of the exports, as a condition on `connections c`.
ONLY_CONDITIONS: dict[str, str] = {
    "all": "1",
    "keep": "c.decision = 'keep'",
    "nurture": "c.decision = 'nurture'",
    "remove": "c.decision = 'remove'",
    "undecided": "c.decision IS NULL AND c.status = 'active'",
}

# Evidence for a connection: what is filed under the profile slug (e1), each group of facts
# filled from what is filed under the name (e2: files without URLs, recommendations) when the
# slug has none — the same rule as `prune_tui.evidence.read_evidence`.
EVIDENCE_JOIN = """
LEFT JOIN evidence e1 ON e1.person = c.slug
LEFT JOIN evidence e2 ON e2.person = 'name:' || c.name_key
"""
_MESSAGE_FACTS = ("message_count", "first_message_at", "last_message_at", "last_message_from")
_INVITATION_FACTS = ("invited_by", "invited_at", "invitation_message")


def evidence_column(name: str) -> str:
    if name in _MESSAGE_FACTS:
        has = "coalesce(e1.message_count, 0) > 0"
    elif name in _INVITATION_FACTS:
        has = "e1.invited_by IS NOT NULL"
    else:
        has = f"coalesce(e1.{name}, 0) != 0"
    return f"(CASE WHEN {has} THEN e1.{name} ELSE e2.{name} END)"
