"""Read-side queries shared by the command line and the app."""

from __future__ import annotations

from prune_tui.model import Stats
from prune_tui.store.database import Database

STATS_SQL = """
SELECT
  coalesce(sum(status = 'active'), 0),
  coalesce(sum(status = 'active' AND decision IS NULL), 0),
  coalesce(sum(status = 'active' AND decision = 'keep'), 0),
  coalesce(sum(status = 'active' AND decision = 'nurture'), 0),
  coalesce(sum(status = 'active' AND decision = 'remove'), 0),
  (SELECT count(*) FROM removals WHERE marked_at IS NOT NULL OR confirmed_at IS NOT NULL),
  coalesce(sum(status = 'gone'), 0)
FROM connections
"""


def stats(db: Database) -> Stats:
    with db.read() as conn:
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

# Evidence for a connection: by profile slug, else by name (old files without URLs).
EVIDENCE_JOIN = """
LEFT JOIN evidence e1 ON e1.person = c.slug
LEFT JOIN evidence e2 ON e1.person IS NULL AND e2.person = 'name:' || c.name_key
"""


def evidence_column(name: str) -> str:
    return f"coalesce(e1.{name}, e2.{name})"
