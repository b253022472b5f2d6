"""What the md, csv, html and urls exports read (`prune_tui.exports.formats`): the people you are
still connected to, chosen by `--only` (and a query), in the exports' order.

Order, the same for every export and on every run: grouped by decision (remove, nurture, keep,
then undecided), and within a group by `name_key`, then by profile URL, then by the order of
import. Ticked off means ticked on the checklist and not seen again in a later export.

Each export reads only the columns it writes, as plain tuples from the driver (no row objects:
at 30,000 rows they cost more than the writing).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prune_tui.store.cards import has_no_connections
from prune_tui.store.conditions import Where
from prune_tui.store.database import Database
from prune_tui.store.queries import FLAGGED_SQL, REMOVAL_JOINS

# `--only`, as a condition on `connections c`.
_ONLY = {
    "remove": "c.decision = 'remove'",
    "nurture": "c.decision = 'nurture'",
    "keep": "c.decision = 'keep'",
    "undecided": "c.decision IS NULL",
    "all": "1",
}
_ORDER_SQL = """
ORDER BY CASE c.decision WHEN 'remove' THEN 0 WHEN 'nurture' THEN 1 WHEN 'keep' THEN 2
  ELSE 3 END, c.name_key, c.url, c.id
"""
_TICKED_SQL = f"(r.marked_at IS NOT NULL AND NOT {FLAGGED_SQL})"

_CRITERIA_SQL = """
SELECT k.connection_id, k.criterion, k.value FROM criteria k
JOIN connections c ON c.id = k.connection_id
WHERE c.status = 'active' AND {where}
"""

# Every column a row of the csv export holds (the general `ExportRow`).
_FULL_SQL = f"""
SELECT c.id, c.first_name, c.last_name, c.url, c.email, c.company, c.position,
  c.connected_on, c.decision, c.decided_at, c.note,
  CASE WHEN {_TICKED_SQL} THEN r.marked_at END
{REMOVAL_JOINS}
WHERE c.status = 'active' AND {{where}}
{_ORDER_SQL}
"""

# What a checklist item (md or html) shows.
_CHECKLIST_SQL = f"""
SELECT c.id, c.decision, c.first_name, c.last_name, c.position, c.company, c.note, c.url,
  c.connected_on, {_TICKED_SQL}
{REMOVAL_JOINS}
WHERE c.status = 'active' AND {{where}}
{_ORDER_SQL}
"""

# Answers given, by connection and criterion (connections without any are absent).
Answers = dict[int, dict[int, bool]]


def nothing_to_export(db: Database) -> bool:
    """No connection at all (none imported yet)."""
    with db.read() as conn:
        return has_no_connections(conn)


def _conditions(only: str, query: Where | None) -> tuple[str, tuple[Any, ...]]:
    if query is None:
        return _ONLY[only], ()
    return f"{_ONLY[only]} AND {query.sql}", query.params


def _answers(driver: Any, where: str, params: tuple[Any, ...]) -> Answers:
    answers: Answers = {}
    for cid, criterion, value in driver.execute(_CRITERIA_SQL.format(where=where), params):
        answers.setdefault(cid, {})[criterion] = bool(value)
    return answers


def full_rows(db: Database, only: str, query: Where | None = None) -> tuple[list[Any], Answers]:
    """Every column of the rows an export lists: (id, first name, last name, url, email,
    company, position, connected on, decision, decided at, note, ticked off at or None), and
    the criteria answered for them."""
    where, params = _conditions(only, query)
    with db.read() as conn:
        driver = conn.connection.driver_connection
        assert driver is not None
        answers = _answers(driver, where, params)
        return driver.execute(_FULL_SQL.format(where=where), params).fetchall(), answers


def checklist_rows(
    db: Database, only: str, query: Where | None = None
) -> tuple[list[Any], Answers]:
    """What a checklist (md or html) shows of the rows an export lists: (id, decision, first
    name, last name, position, company, note, url, connected on, ticked off 0 or 1), and the
    criteria answered for them."""
    where, params = _conditions(only, query)
    with db.read() as conn:
        driver = conn.connection.driver_connection
        assert driver is not None
        answers = _answers(driver, where, params)
        return driver.execute(_CHECKLIST_SQL.format(where=where), params).fetchall(), answers


def profile_urls(db: Database, only: str, query: Where | None = None) -> Iterator[str]:
    """The profile URLs as stored of the rows an export lists, in order; for `--only remove`
    (the to-do list) without those ticked off."""
    where, params = _conditions(only, query)
    if only == "remove":
        sql = (
            f"SELECT c.url {REMOVAL_JOINS} WHERE c.status = 'active' AND {where} "
            f"AND NOT {_TICKED_SQL} {_ORDER_SQL}"
        )
    else:  # no tick to read: the connections alone
        sql = f"SELECT c.url FROM connections c WHERE c.status = 'active' AND {where} {_ORDER_SQL}"
    with db.read() as conn:
        driver = conn.connection.driver_connection
        assert driver is not None
        for (url,) in driver.execute(sql, params):
            yield url
