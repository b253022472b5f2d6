"""Read-side queries shared by the command line and the app."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

from prune_tui.model import Stats
from prune_tui.store.attribution import EVIDENCE_JOIN as EVIDENCE_JOIN
from prune_tui.store.attribution import evidence_column as evidence_column
from prune_tui.store.database import Database

# Ticked off as removed, yet still present in an export imported after the tick.
FLAGGED_SQL = (
    "(c.status = 'active' AND r.marked_at IS NOT NULL AND i.imported_at IS NOT NULL "
    "AND i.imported_at > r.marked_at)"
)
# `i`: the export that last listed the connection. A backup restored is no export, and its
# ticks stand. (A backup does not hold when an export last listed each person, so a tick that
# a newer export had contradicted before the backup was made comes back as a plain tick.)
REMOVAL_JOINS = (
    "FROM connections c "
    "LEFT JOIN removals r ON r.connection_id = c.id "
    "LEFT JOIN import_runs i ON i.id = c.last_import_id AND i.kind != 'backup' "
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


@contextmanager
def stopping_when(conn: Connection, stop: Callable[[], bool], steps: int) -> Iterator[None]:
    """Statements on `conn` inside this block end with an OperationalError ("interrupted")
    once `stop()` is true: SQLite asks every `steps` steps whether to go on, so a stop takes
    effect at once, even when the statement has not reached SQLite yet."""
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.set_progress_handler(stop, steps)
    try:
        yield
    finally:
        driver.set_progress_handler(None, 0)


# `--only` of the exports, as a condition on `connections c`.
ONLY_CONDITIONS: dict[str, str] = {
    "all": "1",
    "keep": "c.decision = 'keep'",
    "nurture": "c.decision = 'nurture'",
    "remove": "c.decision = 'remove'",
    "undecided": "c.decision IS NULL AND c.status = 'active'",
}
