"""The review queue as storage: keyset paging in each order. An order is a plan of segments
walked by (key, id); every lookup is one index range with a LIMIT, never a sort of every row.
The plans (one per order) and the conditions of the queue's filters live here too; the query
language builds its own (`prune_tui.services.query`). Every function runs inside a transaction the
caller holds."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from prune_tui.store.attribution import EVIDENCE_JOIN, MESSAGED, by_name_column, evidence_column
from prune_tui.store.conditions import Where

Position = tuple[int, Any, int]  # (segment, key, id) of a row in a plan's order


@dataclass(frozen=True)
class OrderPlan:
    """An order is a list of segments (each a SQL predicate), each walked by `key` then id,
    in `direction`; rows whose key is NULL come last within their segment."""

    segments: tuple[str, ...]
    key: str
    ascending: bool = True
    # Orders with an index of their own (store/indexes.py) hide `status` from the planner
    # with a unary +, or it would pick the (status, connected_on) index and sort every row.
    active: str = "c.status = 'active'"
    nullable: bool = True  # company and name_key are never NULL: no NULL steps to try


OWN_INDEX = "+c.status = 'active'"


def status_clause(plan: OrderPlan, status: str) -> str:
    return plan.active.replace("'active'", f"'{status}'")


def everyone(plan: OrderPlan) -> OrderPlan:
    """The plan walking everyone: those still connected, then those no longer connected,
    each part in the order's own segments (so each step stays one index range)."""
    segments = tuple(
        clause if seg == "1" else f"{clause} AND {seg}"
        for clause in (status_clause(plan, "active"), status_clause(plan, "gone"))
        for seg in plan.segments
    )
    return dataclasses.replace(plan, segments=segments)


# By the review's order (`prune_tui.services.review.Order`'s values).
ORDER_PLANS: dict[str, OrderPlan] = {
    "oldest": OrderPlan(("1",), "c.connected_on"),
    "newest": OrderPlan(("1",), "c.connected_on", ascending=False),
    "never-messaged": OrderPlan((f"NOT {MESSAGED}", MESSAGED), "c.connected_on"),
    "company": OrderPlan(
        ("c.company != ''", "c.company = ''"), "c.company", active=OWN_INDEX, nullable=False
    ),
    "name": OrderPlan(
        ("c.name_key != ''", "c.name_key = ''"), "c.name_key", active=OWN_INDEX, nullable=False
    ),
}
# The same orders walking everyone (the filter "everyone").
EVERYONE_PLANS: dict[str, OrderPlan] = {name: everyone(p) for name, p in ORDER_PLANS.items()}

STILL_CONNECTED = "c.status = 'active'"
MATCH_NOBODY = Where("0")


def filter_clauses(
    plan: OrderPlan, filter_name: str, new_import: int | None
) -> tuple[list[str], list[Any]]:
    """The conditions of a queue filter (`prune_tui.services.review.Filter`'s values) in `plan`'s
    order, and their parameters. `new_import`: the import whose newcomers are new (None:
    nobody is)."""
    clauses: list[str] = []
    if filter_name == "gone":
        clauses.append(status_clause(plan, "gone"))
    elif filter_name != "all":  # everyone: the plan's segments say who comes when
        clauses.append(plan.active)
    params: list[Any] = []
    if filter_name == "undecided":
        clauses.append("c.decision IS NULL")
    elif filter_name in ("keep", "nurture", "remove"):
        clauses.append("c.decision = ?")
        params.append(filter_name)
    elif filter_name == "new":
        if new_import is None:
            clauses.append("0")
        else:
            clauses.append("c.first_import_id = ?")
            params.append(new_import)
    return clauses, params


def add_condition(clauses: list[str], params: list[Any], where: Where) -> None:
    """`where` (a query's condition) joins the clauses."""
    clauses.append(f"({where.sql})")
    params.extend(where.params)


def as_where(clauses: Sequence[str], params: Sequence[Any]) -> Where:
    """The clauses together as one condition (everyone, without any)."""
    return Where(" AND ".join(clauses or ["1"]), tuple(params))


# The browse table's columns, with the evidence it shows (whose is whose: the one rule of
# store/attribution.py; primary key lookups, a page of rows at a time).
ROW_COLUMNS = (
    "c.id, c.first_name, c.last_name, c.company, c.position, c.connected_on, c.decision, "
    f"c.status, {evidence_column('message_count')} AS message_count, "
    f"{evidence_column('last_message_at')} AS last_message_at, "
    f"{evidence_column('invited_by')} AS invited_by, "
    f"{by_name_column('message_count')} AS messages_by_name"
)
ROW_FROM = f"FROM connections c {EVIDENCE_JOIN}"


def first_id(
    conn: Connection,
    plan: OrderPlan,
    base: list[str],
    params: list[Any],
    position: tuple[int, Any, int] | None,
    forward: bool,
) -> int | None:
    for (where, extra), order in steps(plan, position, forward=forward):
        clauses = " AND ".join([*base, where])
        sql = f"SELECT c.id FROM connections c WHERE {clauses} ORDER BY {order} LIMIT 1"
        found = conn.exec_driver_sql(sql, (*params, *extra)).scalar()
        if found is not None:
            return int(found)
    return None


Step = tuple[tuple[str, tuple[Any, ...]], str]


def steps(plan: OrderPlan, position: tuple[int, Any, int] | None, *, forward: bool) -> list[Step]:
    """The queries that, tried in turn, find the cards after (or before) `position`.

    Within a segment the order is (key, id) in the plan's direction with NULL keys last. Each
    step is one indexable range, so every lookup is LIMIT 1 on an index, never a full sort.
    """
    up = plan.ascending == forward  # does the key grow in the direction we walk?
    key = plan.key
    kdir = "ASC" if up else "DESC"
    # Ties go by id in the key's direction, so one index serves both the key and the tie.
    idir = kdir
    greater = ">" if up else "<"
    id_after = greater
    keyed = f"{key} {kdir}, c.id {idir}"
    by_id = f"c.id {idir}"

    def whole_segment(seg: str) -> list[Step]:
        non_null = ((f"{seg} AND {key} IS NOT NULL", ()), keyed)
        nulls = ((f"{seg} AND {key} IS NULL", ()), by_id)
        if not plan.nullable:
            return [non_null]
        return [non_null, nulls] if forward else [nulls, non_null]

    segments = list(enumerate(plan.segments))
    if not forward:
        segments.reverse()
    steps: list[Step] = []
    for index, seg in segments:
        if position is None:
            steps.extend(whole_segment(seg))
            continue
        at_seg, at_key, at_id = position
        if (forward and index < at_seg) or (not forward and index > at_seg):
            continue
        if index != at_seg:
            steps.extend(whole_segment(seg))
            continue
        if at_key is None:
            steps.append(((f"{seg} AND {key} IS NULL AND c.id {id_after} ?", (at_id,)), by_id))
            if not forward:
                steps.append(((f"{seg} AND {key} IS NOT NULL", ()), keyed))
        else:
            steps.append(((f"{seg} AND {key} = ? AND c.id {id_after} ?", (at_key, at_id)), by_id))
            steps.append(((f"{seg} AND {key} {greater} ?", (at_key,)), keyed))
            if forward and plan.nullable:
                steps.append(((f"{seg} AND {key} IS NULL", ()), by_id))
    return steps


def _and(clauses: Sequence[str]) -> str:
    return " AND ".join(clauses or ["1"])


def position_of(conn: Connection, plan: OrderPlan, connection_id: int) -> Position | None:
    """Where a connection stands in a plan's order (None: in none of its segments)."""
    cases = " ".join(f"WHEN {seg} THEN {i}" for i, seg in enumerate(plan.segments))
    row = conn.exec_driver_sql(
        f"SELECT CASE {cases} END, {plan.key}, c.id FROM connections c WHERE c.id = ?",
        (connection_id,),
    ).first()
    if row is None or row[0] is None:
        return None
    return (int(row[0]), row[1], int(row[2]))


def matches(conn: Connection, connection_id: int, clauses: list[str], params: list[Any]) -> bool:
    sql = f"SELECT 1 FROM connections c WHERE {' AND '.join(['c.id = ?', *clauses])}"
    return conn.exec_driver_sql(sql, (connection_id, *params)).first() is not None


def count_where(conn: Connection, clauses: list[str], params: list[Any]) -> int:
    sql = f"SELECT count(*) FROM connections c WHERE {_and(clauses)}"
    return int(conn.exec_driver_sql(sql, tuple(params)).scalar_one())


def left_and_total(conn: Connection, clauses: list[str], params: list[Any]) -> tuple[int, int]:
    """(undecided, all) of the connections the clauses match."""
    sql = (
        "SELECT coalesce(sum(c.decision IS NULL), 0), count(*) FROM connections c "
        f"WHERE {' AND '.join(clauses)}"
    )
    left, total = conn.exec_driver_sql(sql, tuple(params)).one()
    return int(left), int(total)


def rows_by_name(conn: Connection, where_sql: str, params: Sequence[Any], limit: int) -> list[Any]:
    """ROW_COLUMNS of those a condition matches, by name."""
    return list(
        conn.exec_driver_sql(
            f"SELECT {ROW_COLUMNS} {ROW_FROM} WHERE {where_sql} ORDER BY c.name_key, c.id LIMIT ?",
            (*params, limit),
        ).all()
    )


def page(
    conn: Connection,
    plan: OrderPlan,
    base: list[str],
    params: list[Any],
    position: Position | None,
    *,
    forward: bool,
    limit: int,
) -> list[Any]:
    """Up to `limit` rows (ROW_COLUMNS) after (or before) `position`, in the direction walked."""
    out: list[Any] = []
    for where, order in steps(plan, position, forward=forward):
        sql = (
            f"SELECT {ROW_COLUMNS} {ROW_FROM} "
            f"WHERE {' AND '.join([*base, where[0]])} ORDER BY {order} LIMIT ?"
        )
        need = limit - len(out)
        out.extend(conn.exec_driver_sql(sql, (*params, *where[1], need)).all())
        if len(out) >= limit:
            break
    return out


def count_before(
    conn: Connection, plan: OrderPlan, base: list[str], params: list[Any], position: Position
) -> int:
    """How many rows come before `position`: each step a count over one index range."""
    total = 0
    for where, _order in steps(plan, position, forward=False):
        sql = f"SELECT count(*) FROM connections c WHERE {' AND '.join([*base, where[0]])}"
        total += int(conn.exec_driver_sql(sql, (*params, *where[1])).scalar_one())
    return total


def rows_with_ids(conn: Connection, ids: Sequence[int]) -> list[Any]:
    marks = ", ".join("?" * len(ids))
    return list(
        conn.exec_driver_sql(
            f"SELECT {ROW_COLUMNS} {ROW_FROM} WHERE c.id IN ({marks})", tuple(ids)
        ).all()
    )
