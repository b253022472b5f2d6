"""Storage for screening invitations: every SQL statement the invitations feature runs, each
behind a named function (the domain is `prune_tui.services.invitations`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

# The invitations read from this import's Invitations.csv, handed from the evidence loader to
# the screening step at the end of the same transaction.
STAGED = "temp.staged_invitations"
_STAGE = """
CREATE TEMP TABLE IF NOT EXISTS staged_invitations (
    direction TEXT NOT NULL, key TEXT NOT NULL, slug TEXT, name_key TEXT NOT NULL,
    name TEXT NOT NULL, url TEXT NOT NULL, sent_at TEXT, message TEXT,
    PRIMARY KEY (key, direction)
)
"""

ROW_COLUMNS = (
    "i.id, i.key, i.direction, i.name, i.name_key, i.slug, i.url, i.sent_at, i.message, "
    "i.export_date, i.status, i.decision, i.decided_at, i.closed_at, "
    "(i.status = 'pending' AND i.decision IS NOT NULL AND i.last_import_id IS NOT NULL "
    "AND i.last_import_id > coalesce(i.decided_import_id, 0)) AS flagged"
)
ROW_FROM = "FROM invitations i"


@dataclass(frozen=True)
class Staged:
    direction: str
    key: str
    slug: str | None
    name_key: str
    name: str
    url: str
    sent_at: str | None
    message: str | None


# -- the import ---------------------------------------------------------------------------------


def stage_invitations(conn: Connection, rows: Sequence[Staged]) -> None:
    conn.exec_driver_sql(_STAGE)
    conn.exec_driver_sql(f"DELETE FROM {STAGED}")
    if rows:
        conn.exec_driver_sql(
            f"INSERT OR REPLACE INTO {STAGED} (direction, key, slug, name_key, name, url, "
            "sent_at, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (r.direction, r.key, r.slug, r.name_key, r.name, r.url, r.sent_at, r.message)
                for r in rows
            ],
        )


def has_staged(conn: Connection) -> bool:
    """Whether this import staged invitations (it read an Invitations.csv)."""
    return (
        conn.exec_driver_sql(
            "SELECT 1 FROM temp.sqlite_master WHERE type = 'table' AND name = 'staged_invitations'"
        ).first()
        is not None
    )


def take_staged(conn: Connection) -> list[Staged] | None:
    """The invitations staged by this import (None when it read no Invitations.csv), and the
    staging table dropped."""
    if not has_staged(conn):
        return None
    rows = [
        Staged(*row)
        for row in conn.exec_driver_sql(
            f"SELECT direction, key, slug, name_key, name, url, sent_at, message FROM {STAGED}"
        )
    ]
    conn.exec_driver_sql(f"DROP TABLE {STAGED}")
    return rows


def has_invitations(conn: Connection) -> bool:
    return conn.exec_driver_sql("SELECT 1 FROM invitations LIMIT 1").first() is not None


def active_people(conn: Connection) -> list[tuple[int, str | None, str]]:
    """(id, slug, name key) of everyone connected at the latest export: one scan, as plain
    tuples from the driver (30,000 rows, only when there are invitations to match)."""
    driver = conn.connection.driver_connection
    assert driver is not None
    rows: list[tuple[int, str | None, str]] = driver.execute(
        "SELECT id, slug, name_key FROM connections WHERE status = 'active'"
    ).fetchall()
    return rows


def invitation_keys(conn: Connection) -> set[tuple[str, str]]:
    return {
        (str(k), str(d)) for k, d in conn.exec_driver_sql("SELECT key, direction FROM invitations")
    }


def newest_dates(conn: Connection, run_id: int, *, messages: bool) -> list[str]:
    """The newest connection date of this import, the newest invitation (the evidence holds
    this import's Invitations.csv) and, when it read messages, the newest message: what
    dates an export that has no date in its name."""
    found = [
        conn.exec_driver_sql(
            "SELECT max(connected_on) FROM connections WHERE last_import_id = ?", (run_id,)
        ).scalar(),
        conn.exec_driver_sql("SELECT max(invited_at) FROM evidence").scalar(),
    ]
    if messages:
        found.append(conn.exec_driver_sql("SELECT max(last_message_at) FROM evidence").scalar())
    return [str(d)[:10] for d in found if d]


def all_invitations(conn: Connection) -> list[Any]:
    return list(conn.exec_driver_sql(f"SELECT {ROW_COLUMNS} {ROW_FROM}"))


def adopt_key(conn: Connection, invitation_id: int, key: str, slug: str) -> None:
    """A record made from a file without URLs takes the profile slug a newer file gives."""
    conn.exec_driver_sql(
        "UPDATE invitations SET key = ?, slug = ? WHERE id = ?", (key, slug, invitation_id)
    )


# In an upsert: the file lists an invitation sent after the one already dealt with.
RENEWED = (
    "(invitations.closed_at IS NOT NULL AND excluded.sent_at IS NOT NULL "
    "AND excluded.sent_at IS NOT invitations.sent_at)"
)


def upsert_seen(
    conn: Connection,
    seen: Sequence[tuple[Staged, str]],
    *,
    export_date: str | None,
    run_id: int,
) -> None:
    """This export lists these invitations (each with its status): their facts refreshed, the
    user's decisions kept. One statement for them all."""
    if not seen:
        return
    conn.exec_driver_sql(
        f"""
        INSERT INTO invitations (key, direction, name, name_key, slug, url, sent_at, message,
            export_date, status, first_import_id, last_import_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (key, direction) DO UPDATE SET
            name = excluded.name, name_key = excluded.name_key,
            slug = coalesce(excluded.slug, invitations.slug),
            url = CASE WHEN excluded.url != '' THEN excluded.url ELSE invitations.url END,
            sent_at = excluded.sent_at, message = excluded.message,
            export_date = excluded.export_date, status = excluded.status,
            last_import_id = excluded.last_import_id,
            -- A new invitation after the last one was dealt with: a new one to screen.
            decision = CASE WHEN {RENEWED} THEN NULL ELSE invitations.decision END,
            decided_at = CASE WHEN {RENEWED} THEN NULL ELSE invitations.decided_at END,
            decided_import_id = CASE WHEN {RENEWED} THEN NULL
                                     ELSE invitations.decided_import_id END,
            closed_at = CASE WHEN {RENEWED} THEN NULL ELSE invitations.closed_at END
        """,
        [
            (
                s.key,
                s.direction,
                s.name,
                s.name_key,
                s.slug,
                s.url,
                s.sent_at,
                s.message,
                export_date,
                status,
                run_id,
                run_id,
            )
            for s, status in seen
        ],
    )


def set_status(conn: Connection, invitation_id: int, status: str) -> None:
    conn.exec_driver_sql("UPDATE invitations SET status = ? WHERE id = ?", (status, invitation_id))


def close(conn: Connection, invitation_id: int, at: str) -> None:
    conn.exec_driver_sql(
        "UPDATE invitations SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
        (at, invitation_id),
    )


def keep_accepted(conn: Connection, connection_id: int, note: str, at: str) -> None:
    """Someone accepted on screening is now a connection: kept (unless already decided), with
    the note saying why, and the answers given on screening where the card has none."""
    conn.exec_driver_sql(
        """
        UPDATE connections SET
            decision = coalesce(decision, 'keep'),
            decided_at = CASE WHEN decision IS NULL THEN ? ELSE decided_at END,
            note = CASE WHEN note = '' THEN ?
                        WHEN instr(note, ?) > 0 THEN note
                        ELSE note || char(10) || ? END
        WHERE id = ?
        """,
        (at, note, note, note, connection_id),
    )


def copy_answers(conn: Connection, invitation_id: int, connection_id: int) -> None:
    conn.exec_driver_sql(
        "INSERT OR IGNORE INTO criteria (connection_id, criterion, value) "
        "SELECT ?, criterion, value FROM invitation_criteria WHERE invitation_id = ?",
        (connection_id, invitation_id),
    )


# -- reading ------------------------------------------------------------------------------------


def _rows(conn: Connection, where: str = "1", params: Sequence[Any] = ()) -> list[Any]:
    return list(
        conn.exec_driver_sql(
            f"SELECT {ROW_COLUMNS} {ROW_FROM} WHERE {where} "
            "ORDER BY i.sent_at IS NULL, i.sent_at DESC, i.id",
            tuple(params),
        )
    )


def invitation_rows(conn: Connection) -> list[Any]:
    """Every invitation (ROW_COLUMNS), undated last, newest first."""
    return _rows(conn)


def pending_rows(conn: Connection) -> list[Any]:
    """The invitations pending at the latest export."""
    return _rows(conn, "i.status = 'pending'")


def open_rows(conn: Connection) -> list[Any]:
    """The invitations an import may still settle: not accepted, or decided and not closed."""
    return _rows(conn, "i.status != 'accepted' OR (i.decision IS NOT NULL AND i.closed_at IS NULL)")


def invitation_row(conn: Connection, invitation_id: int) -> Any | None:
    found = _rows(conn, "i.id = ?", (invitation_id,))
    return found[0] if found else None


def answers(conn: Connection, ids: Iterable[int]) -> dict[int, dict[int, bool]]:
    wanted = list(ids)
    found: dict[int, dict[int, bool]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for invitation_id, criterion, value in conn.exec_driver_sql(
            "SELECT invitation_id, criterion, value FROM invitation_criteria "
            f"WHERE invitation_id IN ({marks})",
            tuple(chunk),
        ):
            found.setdefault(int(invitation_id), {})[int(criterion)] = bool(value)
    return found


def screening_counts(conn: Connection) -> tuple[int, int, int]:
    """(screened, accepted, accepts not yet confirmed by an export) over incoming invitations."""
    row = conn.exec_driver_sql(
        """
        SELECT coalesce(sum(decision IN ('accept', 'ignore')), 0),
               coalesce(sum(decision = 'accept'), 0),
               coalesce(sum(decision = 'accept' AND closed_at IS NULL AND status != 'gone'), 0)
        FROM invitations WHERE direction = 'incoming'
        """
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def kept_count(conn: Connection) -> int:
    """Keep + nurture among those still connected: the Dunbar gauge."""
    return int(
        conn.exec_driver_sql(
            "SELECT count(*) FROM connections "
            "WHERE status = 'active' AND decision IN ('keep', 'nurture')"
        ).scalar_one()
    )


def latest_export_date(conn: Connection) -> str | None:
    value = conn.exec_driver_sql("SELECT max(export_date) FROM invitations").scalar()
    return None if value is None else str(value)


def earlier_record(conn: Connection, slug: str | None, name_key: str) -> Any:
    """The person as a connection before (no longer connected), if they were one."""
    if slug:
        row = conn.exec_driver_sql(
            "SELECT company, position, decision, status FROM connections WHERE key = ?", (slug,)
        ).first()
        if row is not None:
            return row
    if not name_key:
        return None
    rows = conn.exec_driver_sql(
        "SELECT company, position, decision, status FROM connections "
        "WHERE name_key = ? AND status = 'gone' LIMIT 2",
        (name_key,),
    ).all()
    return rows[0] if len(rows) == 1 else None


def kept_companies(conn: Connection) -> dict[str, list[str]]:
    """Company → the names of people kept or nurtured there (still connected)."""
    found: dict[str, list[str]] = {}
    for company, first, last in conn.exec_driver_sql(
        "SELECT company, first_name, last_name FROM connections "
        "WHERE status = 'active' AND decision IN ('keep', 'nurture') AND company != '' "
        "ORDER BY name_key, id"
    ):
        found.setdefault(str(company), []).append(f"{first} {last}".strip())
    return found


# -- changes ------------------------------------------------------------------------------------


def direction_of(conn: Connection, invitation_id: int) -> str | None:
    value = conn.exec_driver_sql(
        "SELECT direction FROM invitations WHERE id = ?", (invitation_id,)
    ).scalar()
    return None if value is None else str(value)


def current_value(conn: Connection, invitation_id: int, field: str) -> str | None:
    if field == "decision":
        value = conn.exec_driver_sql(
            "SELECT decision FROM invitations WHERE id = ?", (invitation_id,)
        ).scalar()
        return None if value is None else str(value)
    if field.startswith("criterion:"):
        value = conn.exec_driver_sql(
            "SELECT value FROM invitation_criteria WHERE invitation_id = ? AND criterion = ?",
            (invitation_id, int(field.split(":", 1)[1])),
        ).scalar()
        return None if value is None else str(int(value))
    raise ValueError(f"no such field {field}")


def write_decision(
    conn: Connection, invitation_id: int, old: str | None, new: str | None, at: str | None
) -> bool:
    """Written only while the decision is still `old` (another window may have changed it)."""
    return bool(
        conn.exec_driver_sql(
            "UPDATE invitations SET decision = ?, decided_at = ?, "
            "decided_import_id = (SELECT max(id) FROM import_runs) "
            "WHERE id = ? AND decision IS ?",
            (new, at if new else None, invitation_id, old),
        ).rowcount
    )


def confirm_decision(conn: Connection, invitation_id: int) -> None:
    """The same decision made again after a newer export: it stands as of now (no flag)."""
    conn.exec_driver_sql(
        "UPDATE invitations SET decided_import_id = (SELECT max(id) FROM import_runs) WHERE id = ?",
        (invitation_id,),
    )


def write_criterion(
    conn: Connection, invitation_id: int, criterion: int, value: str | None
) -> None:
    if value is None:
        conn.exec_driver_sql(
            "DELETE FROM invitation_criteria WHERE invitation_id = ? AND criterion = ?",
            (invitation_id, criterion),
        )
    else:
        conn.exec_driver_sql(
            "INSERT INTO invitation_criteria (invitation_id, criterion, value) VALUES (?, ?, ?) "
            "ON CONFLICT (invitation_id, criterion) DO UPDATE SET value = excluded.value",
            (invitation_id, criterion, int(value)),
        )


def log_change(
    conn: Connection, invitation_id: int, field: str, old: str | None, new: str | None, at: str
) -> int:
    return int(
        conn.exec_driver_sql(
            "INSERT INTO invitation_history (invitation_id, field, old, new, at) "
            "VALUES (?, ?, ?, ?, ?)",
            (invitation_id, field, old, new, at),
        ).lastrowid
    )


def last_change(conn: Connection) -> Any:
    return conn.exec_driver_sql(
        "SELECT id, invitation_id, field, old, new FROM invitation_history WHERE undone = 0 "
        "ORDER BY id DESC LIMIT 1"
    ).first()


def mark_undone(conn: Connection, history_id: int) -> None:
    conn.exec_driver_sql("UPDATE invitation_history SET undone = 1 WHERE id = ?", (history_id,))


def decided_before(conn: Connection, invitation_id: int, history_id: int) -> str | None:
    """When the decision an undo brings back was made."""
    value = conn.exec_driver_sql(
        "SELECT at FROM invitation_history WHERE invitation_id = ? AND field = 'decision' "
        "AND undone = 0 AND id < ? ORDER BY id DESC LIMIT 1",
        (invitation_id, history_id),
    ).scalar()
    return None if value is None else str(value)


# -- the backup ---------------------------------------------------------------------------------


def restore_rows(conn: Connection, items: Sequence[dict[str, Any]], run_id: int) -> int:
    """Bring back invitations from a backup: the backup wins over what the database holds."""
    for item in items:
        invitation_id = conn.exec_driver_sql(
            """
            INSERT INTO invitations (key, direction, name, name_key, slug, url, sent_at,
                message, export_date, status, decision, decided_at, closed_at,
                first_import_id, last_import_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (key, direction) DO UPDATE SET
                name = excluded.name, name_key = excluded.name_key, slug = excluded.slug,
                url = excluded.url, sent_at = excluded.sent_at, message = excluded.message,
                export_date = excluded.export_date, status = excluded.status,
                decision = excluded.decision, decided_at = excluded.decided_at,
                closed_at = excluded.closed_at
            RETURNING id
            """,
            (
                item["key"],
                item["direction"],
                item["name"],
                item["name_key"],
                item["slug"],
                item["url"],
                item["sent_at"],
                item["message"],
                item["export_date"],
                item["status"],
                item["decision"],
                item["decided_at"],
                item["closed_at"],
                run_id,
                None,  # not listed by an export here: a restore flags nothing as still pending
            ),
        ).scalar_one()
        conn.exec_driver_sql(
            "DELETE FROM invitation_criteria WHERE invitation_id = ?", (invitation_id,)
        )
        answered = [
            (invitation_id, number, 1 if value else 0)
            for number, value in item["criteria"].items()
            if value is not None
        ]
        if answered:
            conn.exec_driver_sql(
                "INSERT INTO invitation_criteria (invitation_id, criterion, value) "
                "VALUES (?, ?, ?)",
                answered,
            )
    return len(items)
