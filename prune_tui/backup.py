"""The JSON backup: `prune-tui export --format json` writes it, `prune-tui import` restores it.

A list of objects, one per connection, ordered by connected-on date (oldest first; undated
last), then name, then profile URL. Keys of PRODUCT.md §3, plus a few extras so that a restore
brings back everything (`was_*`, the two removal dates, the rest of the evidence).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from prune_tui.errors import BadInputFile
from prune_tui.formats.identity import fallback_key, name_key, profile_slug
from prune_tui.model import CRITERIA_KEYS
from prune_tui.store.database import Database, utc_now
from prune_tui.store.queries import EVIDENCE_JOIN, ONLY_CONDITIONS, evidence_column
from prune_tui.summary import ImportSummary

if TYPE_CHECKING:
    from prune_tui.query import Where

TEXT_KEYS = ("first_name", "last_name", "url", "email", "company", "position")
EVIDENCE_INT_KEYS = (
    "message_count",
    "endorsements_given",
    "endorsements_received",
    "recommendations_given",
    "recommendations_received",
)
EVIDENCE_TEXT_KEYS = (
    "first_message_at",
    "last_message_at",
    "last_message_from",
    "invited_by",
    "invited_at",
    "invitation_message",
)
ORDER_BY = "c.connected_on IS NULL, c.connected_on, c.name_key, c.url, c.key"


def _criteria_sql() -> str:
    parts = []
    for number, key in CRITERIA_KEYS.items():
        parts.append(
            f"'{key}', (SELECT CASE value WHEN 1 THEN json('true') ELSE json('false') END "
            f"FROM criteria WHERE connection_id = c.id AND criterion = {number})"
        )
    return "json_object(" + ", ".join(parts) + ")"


def _object_sql() -> str:
    ev = evidence_column
    return f"""
    json_object(
        'first_name', c.first_name, 'last_name', c.last_name, 'url', c.url, 'email', c.email,
        'company', c.company, 'position', c.position, 'connected_on', c.connected_on,
        'decision', c.decision, 'note', c.note, 'decided_at', c.decided_at,
        'removed_at', coalesce(r.marked_at, r.confirmed_at), 'status', c.status,
        'criteria', {_criteria_sql()},
        'message_count', coalesce({ev("message_count")}, 0),
        'last_message_at', {ev("last_message_at")},
        'invited_by', {ev("invited_by")},
        'invitation_message', {ev("invitation_message")},
        'first_message_at', {ev("first_message_at")},
        'last_message_from', {ev("last_message_from")},
        'invited_at', {ev("invited_at")},
        'endorsements_given', coalesce({ev("endorsements_given")}, 0),
        'endorsements_received', coalesce({ev("endorsements_received")}, 0),
        'recommendations_given', coalesce({ev("recommendations_given")}, 0),
        'recommendations_received', coalesce({ev("recommendations_received")}, 0),
        'was_name', c.was_name, 'was_company', c.was_company, 'was_position', c.was_position,
        'marked_removed_at', r.marked_at, 'confirmed_removed_at', r.confirmed_at,
        'gone_since', c.gone_since
    )"""


def export_json(db: Database, out: TextIO, *, only: str = "all", where: Where | None = None) -> int:
    """Write the backup, one object per line; SQLite builds each object (fast at 30,000).
    `where`: only the people a query matches."""
    condition = ONLY_CONDITIONS[only]
    params: tuple[Any, ...] = ()
    if where is not None:
        condition = f"{condition} AND {where.sql}"
        params = where.params
    query = f"""
        SELECT {_object_sql()}
        FROM connections c
        LEFT JOIN removals r ON r.connection_id = c.id
        {EVIDENCE_JOIN}
        WHERE {condition}
        ORDER BY {ORDER_BY}
    """
    count = 0
    with db.read() as conn:
        result = conn.exec_driver_sql(query, params)
        out.write("[")
        for (obj,) in result:
            out.write(",\n" if count else "\n")
            out.write(obj)
            count += 1
        out.write("\n]\n" if count else "]\n")
    return count


# ---------------------------------------------------------------------------------------------
# Restore


def _fail(path: Path, problem: str) -> BadInputFile:
    return BadInputFile(path, problem)


def _text(item: dict[str, Any], key: str, path: Path, n: int, *, nullable: bool = True) -> Any:
    value = item.get(key)
    if value is None:
        return None if nullable else ""
    if not isinstance(value, str):
        raise _fail(path, f"entry {n}: '{key}' should be text")
    return value


def _validate(path: Path, data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, list):
        raise _fail(path, "this is not a prune-tui backup (expected a list of connections)")
    if not data:
        raise _fail(path, "the backup holds no connections")
    for n, item in enumerate(data, start=1):
        if not isinstance(item, dict) or not ({"first_name", "last_name", "url"} <= item.keys()):
            raise _fail(
                path, f"entry {n} is not a connection (needs first_name, last_name and url)"
            )
        if item.get("decision") not in (None, "keep", "nurture", "remove"):
            raise _fail(path, f"entry {n}: unknown decision {item.get('decision')!r}")
        if item.get("status", "active") not in ("active", "gone"):
            raise _fail(path, f"entry {n}: unknown status {item.get('status')!r}")
        criteria = item.get("criteria") or {}
        if not isinstance(criteria, dict) or any(
            v not in (True, False, None) for v in criteria.values()
        ):
            raise _fail(path, f"entry {n}: 'criteria' should map names to true, false or null")
        for key in EVIDENCE_INT_KEYS:
            value = item.get(key, 0)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise _fail(path, f"entry {n}: '{key}' should be a whole number")
        for key in (*TEXT_KEYS, "connected_on", "note", "decided_at", "removed_at"):
            _text(item, key, path, n)
    return data


def restore_backup(
    db: Database, path: Path, summary: ImportSummary, *, digest: str
) -> ImportSummary:
    """Bring back every connection, decision, note, criterion, removal and piece of evidence
    from a JSON backup, in one transaction. The backup wins over what the database holds."""
    try:
        with path.open("rb") as fh:
            data = json.load(fh)
    except UnicodeDecodeError as exc:
        raise _fail(path, "this is not a prune-tui backup (not UTF-8 JSON)") from exc
    except json.JSONDecodeError as exc:
        raise BadInputFile(path, f"this is not valid JSON ({exc.msg})", exc.lineno) from exc
    items = _validate(path, data)
    summary.kinds.append("backup")
    with db.read() as conn:
        if conn.exec_driver_sql(
            "SELECT 1 FROM import_runs WHERE sha256 = ? LIMIT 1", (digest,)
        ).first():
            summary.already_imported = True
            return summary

    criteria_ids = {key: number for number, key in CRITERIA_KEYS.items()}
    with db.write() as conn:
        sql = conn.exec_driver_sql
        now = utc_now()
        run_id = sql(
            "INSERT INTO import_runs (file_name, sha256, kind, imported_at, counts) "
            "VALUES (?, ?, 'backup', ?, '{}') RETURNING id",
            (path.name, digest, now),
        ).scalar_one()
        for item in items:
            first = item.get("first_name") or ""
            last = item.get("last_name") or ""
            url = item.get("url") or ""
            connected_on = item.get("connected_on")
            slug = profile_slug(url)
            nkey = name_key(first, last)
            key = slug or fallback_key(nkey, connected_on)
            values = {
                "key": key,
                "slug": slug,
                "first_name": first,
                "last_name": last,
                "name_key": nkey,
                "url": url,
                "email": item.get("email") or "",
                "company": item.get("company") or "",
                "position": item.get("position") or "",
                "was_name": item.get("was_name"),
                "was_company": item.get("was_company"),
                "was_position": item.get("was_position"),
                "connected_on": connected_on,
                "status": item.get("status") or "active",
                "gone_since": item.get("gone_since"),
                "decision": item.get("decision"),
                "decided_at": item.get("decided_at"),
                "note": item.get("note") or "",
                "run": run_id,
            }
            columns = [k for k in values if k != "run"]
            updates = ", ".join(f"{k} = excluded.{k}" for k in columns if k != "key")
            conn_id = sql(
                f"INSERT INTO connections ({', '.join(columns)}, first_import_id, last_import_id) "
                f"VALUES ({', '.join('?' for _ in columns)}, ?, ?) "
                f"ON CONFLICT (key) DO UPDATE SET {updates}, "
                "last_import_id = excluded.last_import_id "
                "RETURNING id",
                (*(values[k] for k in columns), run_id, run_id),
            ).scalar_one()

            sql("DELETE FROM criteria WHERE connection_id = ?", (conn_id,))
            answers = [
                (conn_id, criteria_ids[name], 1 if answer else 0)
                for name, answer in (item.get("criteria") or {}).items()
                if name in criteria_ids and answer is not None
            ]
            if answers:
                sql(
                    "INSERT INTO criteria (connection_id, criterion, value) VALUES (?, ?, ?)",
                    answers,
                )

            marked = item.get("marked_removed_at", item.get("removed_at"))
            confirmed = item.get("confirmed_removed_at")
            sql("DELETE FROM removals WHERE connection_id = ?", (conn_id,))
            if marked or confirmed:
                sql(
                    "INSERT INTO removals (connection_id, marked_at, confirmed_at) "
                    "VALUES (?, ?, ?)",
                    (conn_id, marked, confirmed),
                )
            _restore_evidence(conn, slug or f"name:{nkey}", item)
            summary.restored += 1
        summary.rows = summary.restored
        sql(
            "UPDATE import_runs SET counts = ? WHERE id = ?", (json.dumps(summary.counts()), run_id)
        )
    return summary


def _restore_evidence(conn: Any, person: str, item: dict[str, Any]) -> None:
    ints = {k: item.get(k) or 0 for k in EVIDENCE_INT_KEYS}
    texts = {k: item.get(k) for k in EVIDENCE_TEXT_KEYS}
    if not any(ints.values()) and not any(texts.values()):
        return
    columns = [*ints, *texts]
    conn.exec_driver_sql(
        f"INSERT INTO evidence (person, {', '.join(columns)}) "
        f"VALUES (?, {', '.join('?' for _ in columns)}) "
        f"ON CONFLICT (person) DO UPDATE SET " + ", ".join(f"{k} = excluded.{k}" for k in columns),
        (person, *ints.values(), *texts.values()),
    )
