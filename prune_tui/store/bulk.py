"""Storage verbs for queries and decisions by rule (docs/PRODUCT.md §11).

A decision by rule is one batch: a `batches` row, one history row per person changed (all
written by one INSERT … SELECT, so their ids are consecutive), and one UPDATE of
`connections`. Undo restores the batch with one UPDATE … FROM history. Never a row at a time.

Conditions come from `prune_tui.services.query` (a `Where` on `connections c`, store/conditions.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection

from prune_tui.store.conditions import Context, Where
from prune_tui.store.evidence_read import messages_read
from prune_tui.store.search import words_stored


@dataclass(frozen=True)
class Batch:
    """A decision by rule, as recorded."""

    id: int
    query: str
    decision: str | None  # keep | nurture | remove | None (back to undecided)
    count: int
    at: str
    include_decided: bool
    first_history_id: int | None
    last_history_id: int | None
    undone: bool


@dataclass(frozen=True)
class BatchUndo:
    batch: Batch
    restored: int  # people whose decision went back to what it was
    changed_since: int  # decided again since (elsewhere): left as they are now


BATCH_COLUMNS = (
    "id, query, decision, count, at, include_decided, first_history_id, last_history_id, undone"
)


def query_context(conn: Connection) -> Context:
    """What a query needs to know about this database: which import's people are new, and
    whether a messages file was ever read."""
    earliest, latest = conn.exec_driver_sql("SELECT min(id), max(id) FROM import_runs").one()
    new_import = None
    if latest is not None and latest != earliest:
        first, last = conn.exec_driver_sql(
            "SELECT min(first_import_id), max(last_import_id) FROM connections"
        ).one()
        # The same rule as the card's "new": joined in the latest import, which was not the
        # first to bring anyone.
        if last is not None and last != first and (earliest is None or last > earliest):
            new_import = int(last)
    return Context(
        new_import=new_import,
        messages_known=messages_read(conn),
        invitations_known=invitations_known(conn),
        words_stored=words_stored(conn),
    )


def invitations_known(conn: Connection) -> bool:
    """Is any invitation known (an Invitations.csv was imported)?"""
    found = conn.exec_driver_sql(
        "SELECT 1 FROM evidence WHERE invited_by IS NOT NULL LIMIT 1"
    ).first()
    return found is not None


def ids_where(ids: Iterable[int]) -> Where:
    """A condition selecting exactly these connections (marked rows), as one parameter."""
    return Where("c.id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(set(ids))),))


def still_connected(where: Where) -> Where:
    """`where`, among the people still connected only."""
    return Where(f"c.status = 'active' AND {where.sql}", where.params)


def matching_ids(conn: Connection, where: Where) -> list[int]:
    sql = f"SELECT c.id FROM connections c WHERE {where.sql} ORDER BY c.id"
    return [int(r[0]) for r in conn.exec_driver_sql(sql, where.params)]


def _change_condition(where: Where, decision: str | None, include_decided: bool) -> Where:
    """Who a decision by rule changes: everyone matching whose decision differs, and unless
    `include_decided`, only the undecided."""
    sql = f"({where.sql}) AND c.decision IS NOT ?"
    if not include_decided:
        sql += " AND c.decision IS NULL"
    return Where(sql, (*where.params, decision))


@dataclass(frozen=True)
class Tally:
    """How a decision by rule would fall: `change` people would change; `decided` others
    match but were decided differently (left alone unless decided people are included);
    `already` match and have that decision already."""

    change: int
    decided: int
    already: int


def tally(conn: Connection, where: Where, decision: str | None, include_decided: bool) -> Tally:
    sql = (
        "SELECT coalesce(sum(d IS NULL AND d IS NOT ?), 0), "
        "coalesce(sum(d IS NOT NULL AND d IS NOT ?), 0), coalesce(sum(d IS ?), 0) "
        f"FROM (SELECT c.decision AS d FROM connections c WHERE {where.sql})"
    )
    params = (decision, decision, decision, *where.params)
    undecided, decided, already = conn.exec_driver_sql(sql, params).one()
    if include_decided:
        return Tally(int(undecided) + int(decided), 0, int(already))
    return Tally(int(undecided), int(decided), int(already))


def sample_names(
    conn: Connection,
    where: Where,
    decision: str | None,
    include_decided: bool,
    limit: int = 5,
) -> list[str]:
    """A few of the people a decision by rule would change, oldest connection first."""
    cond = _change_condition(where, decision, include_decided)
    sql = (
        "SELECT c.first_name, c.last_name FROM connections c "
        f"WHERE {cond.sql} ORDER BY c.connected_on IS NULL, c.connected_on, c.id LIMIT ?"
    )
    return [
        f"{first} {last}".strip()
        for first, last in conn.exec_driver_sql(sql, (*cond.params, limit))
    ]


def decide_matching(
    conn: Connection,
    where: Where,
    *,
    decision: str | None,
    include_decided: bool,
    query: str,
    at: str,
) -> Batch | None:
    """Decide for everyone `where` selects (undecided only unless `include_decided`), as one
    batch. Call inside one `db.write()` transaction. None when nobody would change (then
    nothing is recorded: an undo never takes back an empty batch)."""
    cond = _change_condition(where, decision, include_decided)
    batch_id = int(
        conn.exec_driver_sql(
            "INSERT INTO batches (query, decision, at, include_decided) VALUES (?, ?, ?, ?)",
            (query, decision, at, int(include_decided)),
        ).lastrowid
    )
    before = int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM history").scalar_one())
    count = conn.exec_driver_sql(
        "INSERT INTO history (connection_id, field, old, new, at, batch_id) "
        f"SELECT c.id, 'decision', c.decision, ?, ?, ? FROM connections c WHERE {cond.sql} "
        "ORDER BY c.id",
        (decision, at, batch_id, *cond.params),
    ).rowcount
    if count <= 0:
        conn.exec_driver_sql("DELETE FROM batches WHERE id = ?", (batch_id,))
        return None
    first, last = before + 1, before + count
    if include_decided:
        conn.exec_driver_sql(
            "INSERT INTO batch_previous (history_id, decided_at) "
            "SELECT h.id, c.decided_at FROM history h JOIN connections c ON c.id = h.connection_id "
            "WHERE h.id BETWEEN ? AND ? AND h.old IS NOT NULL",
            (first, last),
        )
    conn.exec_driver_sql(
        "UPDATE connections SET decision = ?, decided_at = ? "
        "WHERE id IN (SELECT connection_id FROM history WHERE id BETWEEN ? AND ?)",
        (decision, at if decision else None, first, last),
    )
    conn.exec_driver_sql(
        "UPDATE batches SET count = ?, first_history_id = ?, last_history_id = ? WHERE id = ?",
        (count, first, last, batch_id),
    )
    return Batch(batch_id, query, decision, count, at, include_decided, first, last, False)


def batch(conn: Connection, batch_id: int) -> Batch | None:
    row = conn.exec_driver_sql(
        f"SELECT {BATCH_COLUMNS} FROM batches WHERE id = ?", (batch_id,)
    ).first()
    return None if row is None else _batch(row)


def batches(conn: Connection, *, include_undone: bool = False) -> list[Batch]:
    """Every decision by rule, newest first."""
    where = "" if include_undone else "WHERE undone = 0"
    return [
        _batch(r)
        for r in conn.exec_driver_sql(
            f"SELECT {BATCH_COLUMNS} FROM batches {where} ORDER BY id DESC"
        )
    ]


def _batch(row: tuple[object, ...]) -> Batch:
    bid, query, decision, count, at, include, first, last, undone = row
    return Batch(
        int(bid),  # type: ignore[call-overload]
        str(query),
        None if decision is None else str(decision),
        int(count),  # type: ignore[call-overload]
        str(at),
        bool(include),
        None if first is None else int(first),  # type: ignore[call-overload]
        None if last is None else int(last),  # type: ignore[call-overload]
        bool(undone),
    )


def undo_batch(conn: Connection, batch_id: int) -> BatchUndo | None:
    """Take a whole batch back (inside one `db.write()`): everyone it changed gets the
    decision (and decision time) they had before, except people decided again since, who
    are left as they are now. None when there is no such batch or it was undone already."""
    found = batch(conn, batch_id)
    if found is None or found.undone or found.first_history_id is None:
        return None
    first, last = found.first_history_id, found.last_history_id
    restored = conn.exec_driver_sql(
        "UPDATE connections SET decision = h.old, decided_at = CASE WHEN h.old IS NULL "
        "THEN NULL ELSE (SELECT bp.decided_at FROM batch_previous bp WHERE bp.history_id = h.id) "
        "END FROM history h WHERE h.id BETWEEN ? AND ? AND h.undone = 0 "
        "AND h.connection_id = connections.id AND connections.decision IS h.new",
        (first, last),
    ).rowcount
    pending = conn.exec_driver_sql(
        "UPDATE history SET undone = 1 WHERE id BETWEEN ? AND ? AND undone = 0", (first, last)
    ).rowcount
    conn.exec_driver_sql("UPDATE batches SET undone = 1 WHERE id = ?", (batch_id,))
    return BatchUndo(found, int(restored), max(int(pending) - int(restored), 0))


def batch_of_history(conn: Connection, history_id: int) -> int | None:
    """The batch a history row belongs to (None for a change made one by one)."""
    value = conn.exec_driver_sql(
        "SELECT batch_id FROM history WHERE id = ?", (history_id,)
    ).scalar()
    return None if value is None else int(value)
