"""Storage for nurture (docs/PRODUCT.md §12): cadences, snoozes, the touch log, and the latest
message seen with each connection in any export. Named statements only; `prune_tui.services.nurture`
turns the rows into due dates.

Changes are logged in `history` (fields "cadence", "snooze", "touch") inside the caller's
transaction, so the review's undo takes them back like a decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection

from prune_tui.store.evidence_read import messages_read
from prune_tui.store.queries import EVIDENCE_JOIN, evidence_column

NURTURE_FIELDS = ("cadence", "snooze", "touch")

# The last message with a connection: the latest ever seen (`last_messages`, kept across
# imports) or what the current evidence says (a database filled before that table existed).
LAST_MESSAGE_SQL = (
    f"nullif(max(coalesce(lm.at, ''), coalesce({evidence_column('last_message_at')}, '')), '')"
)
LAST_TOUCH_JOIN = (
    "LEFT JOIN touches t ON t.id = (SELECT t2.id FROM touches t2 WHERE t2.connection_id = c.id "
    "ORDER BY t2.at DESC, t2.id DESC LIMIT 1)"
)
PERSON_JOINS = f"""
LEFT JOIN cadences k ON k.connection_id = c.id
LEFT JOIN last_messages lm ON lm.connection_id = c.id
{EVIDENCE_JOIN}
{LAST_TOUCH_JOIN}
"""
PERSON_COLUMNS = (
    "c.id, c.first_name, c.last_name, c.url, c.company, c.position, c.decision, c.status, "
    f"k.cadence_days, k.snoozed_until, {LAST_MESSAGE_SQL} AS last_message_at, "
    "t.at AS last_touch_at, t.note AS last_touch_note, c.key"
)
# Who has a cadence: active, kept or nurtured, and not set to none (`?`: nurture's default).
HAS_CADENCE = (
    "c.status = 'active' AND ((c.decision = 'nurture' AND coalesce(k.cadence_days, ?) > 0) "
    "OR (c.decision = 'keep' AND coalesce(k.cadence_days, 0) > 0))"
)


@dataclass(frozen=True)
class PersonRow:
    """One connection as nurture sees it (stored values, nothing worked out yet)."""

    id: int
    first_name: str
    last_name: str
    url: str
    company: str
    position: str
    decision: str | None
    status: str
    cadence_days: int | None  # as stored: None the decision's default, 0 none
    snoozed_until: str | None
    last_message_at: str | None
    last_touch_at: str | None
    last_touch_note: str | None
    key: str


def _person(row: Any) -> PersonRow:
    return PersonRow(
        id=int(row[0]),
        first_name=row[1],
        last_name=row[2],
        url=row[3],
        company=row[4],
        position=row[5],
        decision=row[6],
        status=row[7],
        cadence_days=None if row[8] is None else int(row[8]),
        snoozed_until=row[9],
        last_message_at=row[10],
        last_touch_at=row[11],
        last_touch_note=row[12],
        key=row[13],
    )


def read_person(conn: Connection, connection_id: int) -> PersonRow | None:
    row = conn.exec_driver_sql(
        f"SELECT {PERSON_COLUMNS} FROM connections c {PERSON_JOINS} WHERE c.id = ?",
        (connection_id,),
    ).first()
    return None if row is None else _person(row)


def people_with_cadence(conn: Connection, nurture_default: int) -> list[PersonRow]:
    """Everyone with a cadence (kept or nurtured, still connected): a few hundred at most for
    anyone who prunes, so they are read whole."""
    # Who has one first (decision, then the cadence by primary key), then their evidence and
    # touches: at 30,000 connections, joining everyone's first costs ten times as much.
    rows = conn.exec_driver_sql(
        f"SELECT {PERSON_COLUMNS} FROM ("
        "SELECT c.id FROM connections c LEFT JOIN cadences k ON k.connection_id = c.id "
        f"WHERE c.decision IN ('keep', 'nurture') AND {HAS_CADENCE}"
        f") w JOIN connections c ON c.id = w.id {PERSON_JOINS} ORDER BY c.name_key, c.id",
        (nurture_default,),
    )
    return [_person(r) for r in rows]


def read_touches(conn: Connection, connection_id: int, limit: int = 50) -> list[tuple[str, str]]:
    """(at, note) of the touches logged for one connection, newest first."""
    return [
        (str(at), str(note))
        for at, note in conn.exec_driver_sql(
            "SELECT at, note FROM touches WHERE connection_id = ? ORDER BY at DESC, id DESC "
            "LIMIT ?",
            (connection_id, limit),
        )
    ]


# -- changes (each logged for undo) ------------------------------------------------------------


def current_value(conn: Connection, connection_id: int, field: str) -> str | None:
    """A nurture field's stored value as history logs it: the cadence ("0" none, NULL the
    default), the snooze date, or the id of the newest touch."""
    if field == "cadence":
        value = conn.exec_driver_sql(
            "SELECT cadence_days FROM cadences WHERE connection_id = ?", (connection_id,)
        ).scalar()
    elif field == "snooze":
        value = conn.exec_driver_sql(
            "SELECT snoozed_until FROM cadences WHERE connection_id = ?", (connection_id,)
        ).scalar()
    elif field == "touch":
        value = conn.exec_driver_sql(
            "SELECT max(id) FROM touches WHERE connection_id = ?", (connection_id,)
        ).scalar()
    else:
        raise ValueError(f"no such field {field}")
    return None if value is None else str(value)


def put_cadence(conn: Connection, connection_id: int, cadence_days: int | None) -> None:
    conn.exec_driver_sql(
        "INSERT INTO cadences (connection_id, cadence_days) VALUES (?, ?) "
        "ON CONFLICT(connection_id) DO UPDATE SET cadence_days = excluded.cadence_days",
        (connection_id, cadence_days),
    )


def put_snooze(conn: Connection, connection_id: int, until: str | None) -> None:
    conn.exec_driver_sql(
        "INSERT INTO cadences (connection_id, snoozed_until) VALUES (?, ?) "
        "ON CONFLICT(connection_id) DO UPDATE SET snoozed_until = excluded.snoozed_until",
        (connection_id, until),
    )


def add_touch(conn: Connection, connection_id: int, at: str, note: str) -> int:
    result = conn.exec_driver_sql(
        "INSERT INTO touches (connection_id, at, note) VALUES (?, ?, ?)",
        (connection_id, at, note),
    )
    return int(result.lastrowid)


def undo_change(
    conn: Connection, connection_id: int, field: str, old: str | None, new: str | None
) -> None:
    """Put a nurture field back as it was before the change logged as (`old`, `new`)."""
    if field == "cadence":
        put_cadence(conn, connection_id, None if old is None else int(old))
    elif field == "snooze":
        put_snooze(conn, connection_id, old)
    elif field == "touch" and new is not None:
        conn.exec_driver_sql(
            "DELETE FROM touches WHERE id = ? AND connection_id = ?", (int(new), connection_id)
        )


# -- imports -------------------------------------------------------------------------------------

NURTURED_LAST_SQL = f"""
SELECT c.id, {LAST_MESSAGE_SQL}
FROM connections c
LEFT JOIN last_messages lm ON lm.connection_id = c.id
{EVIDENCE_JOIN}
WHERE c.decision = 'nurture' AND c.status = 'active'
"""


def nurtured_last_messages(conn: Connection) -> dict[int, str | None]:
    """The last message with each nurtured connection, as known now."""
    return {int(cid): last for cid, last in conn.exec_driver_sql(NURTURED_LAST_SQL)}


def record_last_messages(conn: Connection) -> None:
    """Keep the latest message seen with each connection, whatever a later file holds."""
    last = evidence_column("last_message_at")
    conn.exec_driver_sql(
        f"""
        INSERT INTO last_messages (connection_id, at)
        SELECT c.id, {last} FROM connections c {EVIDENCE_JOIN} WHERE {last} IS NOT NULL
        ON CONFLICT (connection_id) DO UPDATE SET at = max(last_messages.at, excluded.at)
        """
    )


# -- the backup ------------------------------------------------------------------------------------

# Nurture's default cadence (a quarter): `services.nurture` names it, the backup's SQL needs it.
NURTURE_DEFAULT_DAYS = 91


def nurture_json_sql(today: date, last_message: str) -> str:
    """The backup's nurture keys, for a json_object over `connections c`: `cadence_days`,
    `last_contact_at`, `due_on` (as `services.nurture` works them out: local calendar days,
    `today` for someone never in touch), `snoozed_until` and the touch log. Correlated
    lookups by primary key or index only, so the floor of the export benchmark can run the
    same expression."""
    stored = "(SELECT cadence_days FROM cadences WHERE connection_id = c.id)"
    cadence = (
        f"(CASE c.decision WHEN 'nurture' THEN (CASE WHEN {stored} IS NULL THEN "
        f"{NURTURE_DEFAULT_DAYS} ELSE nullif({stored}, 0) END) "
        f"WHEN 'keep' THEN nullif({stored}, 0) END)"
    )
    snoozed = "(SELECT snoozed_until FROM cadences WHERE connection_id = c.id)"
    last = (
        "nullif(max(coalesce((SELECT at FROM last_messages WHERE connection_id = c.id), ''), "
        f"coalesce({last_message}, ''), "
        "coalesce((SELECT max(at) FROM touches WHERE connection_id = c.id), '')), '')"
    )
    due = (
        f"(CASE WHEN c.status != 'active' OR {cadence} IS NULL THEN NULL "
        f"ELSE max(CASE WHEN {last} IS NULL THEN '{today.isoformat()}' "
        f"ELSE date({last}, 'localtime', '+' || {cadence} || ' days') END, "
        f"coalesce({snoozed}, '')) END)"
    )
    return (
        f"'cadence_days', {cadence}, 'last_contact_at', {last}, 'due_on', {due}, "
        f"'snoozed_until', {snoozed}, 'touches', {touches_json_sql()}"
    )


def touches_json_sql() -> str:
    """A JSON list of one connection's touches (oldest first), for the backup's json_object."""
    return (
        "json((SELECT json_group_array(json_object('at', tt.at, 'note', tt.note)) FROM "
        "(SELECT at, note FROM touches WHERE connection_id = c.id ORDER BY at, id) tt))"
    )


def restore_person(
    conn: Connection,
    connection_id: int,
    cadence_days: int | None,
    snoozed_until: str | None,
    touches: list[tuple[str, str]],
) -> None:
    """Bring back one connection's cadence, snooze and touch log from a backup (the backup
    wins over what the database holds)."""
    conn.exec_driver_sql("DELETE FROM touches WHERE connection_id = ?", (connection_id,))
    if touches:
        conn.exec_driver_sql(
            "INSERT INTO touches (connection_id, at, note) VALUES (?, ?, ?)",
            [(connection_id, at, note) for at, note in touches],
        )
    if cadence_days is None and snoozed_until is None:
        conn.exec_driver_sql("DELETE FROM cadences WHERE connection_id = ?", (connection_id,))
        return
    conn.exec_driver_sql(
        "INSERT INTO cadences (connection_id, cadence_days, snoozed_until) VALUES (?, ?, ?) "
        "ON CONFLICT(connection_id) DO UPDATE SET cadence_days = excluded.cadence_days, "
        "snoozed_until = excluded.snoozed_until",
        (connection_id, cadence_days, snoozed_until),
    )


class ContactWatch:
    """Who among the nurtured was in touch since the last export: the last message with each
    of them before a messages file is applied, compared with after (in the import's own
    transaction)."""

    def __init__(self, conn: Connection) -> None:
        # Before any messages file, every message is news: nothing to compare with.
        self.known = messages_read(conn)
        self.before = nurtured_last_messages(conn) if self.known else {}

    def finish(self, conn: Connection) -> int:
        """Keep the latest messages seen; returns how many nurtured people have a message
        newer than what was known."""
        record_last_messages(conn)
        if not self.known:
            return 0
        after = nurtured_last_messages(conn)
        return sum(1 for cid, last in after.items() if last and last > (self.before.get(cid) or ""))
