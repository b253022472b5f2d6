"""The removal checklist's reads (`services.removals`): its sort keys, its rows, the version
that says when the keys must be read again, its index and the pace figures. Inside a
transaction the caller holds, but for `ensure_removals_index`, which takes its own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from prune_tui.store.attribution import MESSAGED
from prune_tui.store.database import Database
from prune_tui.store.indexes import has_index
from prune_tui.store.queries import FLAGGED_SQL, REMOVAL_JOINS

# The parts of the checklist, in order: 0 flagged, 1 to do (and ticked this session), 2 ticked
# in an earlier session.
PART_SQL = (
    f"(CASE WHEN {FLAGGED_SQL} THEN 0 "
    "WHEN r.marked_at IS NULL OR r.marked_at >= :session THEN 1 ELSE 2 END)"
)
DATE_KEYS = ("(c.connected_on IS NULL)", "coalesce(c.connected_on, '')")
# By the checklist's order (`prune_tui.services.removals.RemovalOrder`'s values).
ORDER_KEYS: dict[str, tuple[str, ...]] = {
    "oldest": DATE_KEYS,
    "never-messaged": (f"({MESSAGED})", *DATE_KEYS),
    "company": ("(c.company = '')", "c.company", *DATE_KEYS),
}
BASE_WHERE = "c.decision = 'remove' AND c.status = 'active'"
# What the checklist's order depends on, but for ticks: which removals there are (how many,
# and the sum of their ids) and the latest import (companies, messages, those gone).
VERSION_SQL = (
    f"SELECT count(*), total(c.id), (SELECT max(id) FROM import_runs) "
    f"FROM connections c WHERE {BASE_WHERE}"
)
# A row: id, first name, last name, position, company, url, connected on, ticked at,
# flagged, when the export that flagged it was imported.
ROW_COLUMNS = (
    "c.id, c.first_name, c.last_name, c.position, c.company, c.url, c.connected_on, "
    f"r.marked_at, {FLAGGED_SQL}, i.imported_at"
)


class ChecklistReads:
    """The checklist's reads in one order: each row's sort key is (part, the order's keys,
    id); `session` (an ISO UTC stamp) is when this session began."""

    def __init__(self, order: str, session: str) -> None:
        self.session = session
        keys = (PART_SQL, *ORDER_KEYS[order], "c.id")
        self.key_count = len(keys)
        sorts = ", ".join(f"{key} AS s{n}" for n, key in enumerate(keys))
        self._select = f"SELECT {ROW_COLUMNS}, {sorts} {REMOVAL_JOINS} WHERE {BASE_WHERE}"
        self._sorts = f"SELECT {sorts} {REMOVAL_JOINS} WHERE {BASE_WHERE}"

    def sort_keys(self, conn: Connection) -> list[tuple[Any, ...]]:
        """Every removal's sort key, unsorted."""
        # Straight from the driver: plain tuples, no row objects for 10,000 keys.
        driver = conn.connection.driver_connection
        assert driver is not None
        found: list[tuple[Any, ...]] = driver.execute(
            self._sorts, {"session": self.session}
        ).fetchall()
        return found

    def find(self, conn: Connection, connection_id: int) -> tuple[Any, tuple[Any, ...]] | None:
        """A removal's row (ROW_COLUMNS) and its sort key; None: not a removal to make."""
        row = conn.exec_driver_sql(
            f"{self._select} AND c.id = :id", {"session": self.session, "id": connection_id}
        ).first()
        return None if row is None else (row, tuple(row[-self.key_count :]))


def checklist_version(conn: Connection) -> tuple[Any, ...]:
    return tuple(conn.exec_driver_sql(VERSION_SQL).one())


def longest_url(conn: Connection) -> str:
    """The longest profile address among the removals to make ("" when none)."""
    url = conn.exec_driver_sql(
        f"SELECT c.url FROM connections c WHERE {BASE_WHERE} ORDER BY length(c.url) DESC LIMIT 1"
    ).scalar()
    return str(url or "")


def removal_rows(conn: Connection, ids: Sequence[int]) -> dict[int, Any]:
    """The rows (ROW_COLUMNS) of these ids that are still removals to make, by id."""
    marks = ", ".join("?" * len(ids))
    return {
        int(r[0]): r
        for r in conn.exec_driver_sql(
            f"SELECT {ROW_COLUMNS} {REMOVAL_JOINS} WHERE c.id IN ({marks}) AND {BASE_WHERE}",
            tuple(ids),
        )
    }


def removal_row(conn: Connection, connection_id: int) -> Any | None:
    """One row (ROW_COLUMNS), None when it is no longer a removal to make."""
    return conn.exec_driver_sql(
        f"SELECT {ROW_COLUMNS} {REMOVAL_JOINS} WHERE c.id = ? AND {BASE_WHERE}",
        (connection_id,),
    ).first()


# The removals alone, in date order: counting them and reading the checklist's pages visit
# 10,000 entries instead of every connection. Built the first time the checklist opens (some
# 30 ms at 30,000 connections), as the orders by company and name build theirs.
REMOVALS_INDEX = "ix_connections_to_remove"


def ensure_removals_index(db: Database) -> bool:
    """True when this call built the index."""
    if has_index(db, REMOVALS_INDEX):
        return False
    with db.write() as conn:
        conn.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS {REMOVALS_INDEX} "
            "ON connections (status, connected_on) WHERE decision = 'remove'"
        )
    return True


REMOVAL_FIGURES_SQL = f"""
SELECT count(*),
  coalesce(sum(c.status = 'active' AND r.marked_at IS NOT NULL AND NOT {FLAGGED_SQL}), 0),
  coalesce(sum(c.status = 'gone'), 0),
  coalesce(sum({FLAGGED_SQL}), 0),
  coalesce(sum(r.marked_at >= :midnight AND NOT {FLAGGED_SQL}), 0),
  coalesce(sum(r.marked_at >= :midnight AND r.marked_at < :session AND NOT {FLAGGED_SQL}), 0),
  coalesce(sum(c.status = 'active'), 0),
  coalesce(sum(c.status = 'active' AND r.marked_at < :session AND NOT {FLAGGED_SQL}), 0)
{REMOVAL_JOINS}
WHERE c.decision = 'remove'
"""


def removal_figures(conn: Connection, midnight: str, session: str) -> tuple[int, ...]:
    """(decided remove, ticked, confirmed gone, flagged, ticked since `midnight`, of those
    before `session`, still connected, of those ticked before `session`)."""
    row = conn.exec_driver_sql(REMOVAL_FIGURES_SQL, {"midnight": midnight, "session": session})
    return tuple(int(v) for v in row.one())
