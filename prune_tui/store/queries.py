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
