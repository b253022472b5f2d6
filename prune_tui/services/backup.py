"""The JSON backup: `prune-tui export --format json` writes it, `prune-tui import` restores it.

A list of objects, one per connection, ordered by connected-on date (oldest first; undated
last), then name, then profile URL. Keys of docs/PRODUCT.md §3, plus a few extras so that a restore
brings back everything (`was_*`, the two removal dates, the rest of the evidence).
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy import Connection

from prune_tui.errors import BadInputFile
from prune_tui.formats.identity import fallback_key, name_key, profile_slug
from prune_tui.model import CRITERIA_KEYS
from prune_tui.store.attribution import match_names
from prune_tui.store.backup_rows import (
    backup_objects,
    replace_answers,
    replace_removal,
    upsert_connection,
    upsert_evidence,
)
from prune_tui.store.database import Database, utc_now
from prune_tui.store.import_runs import already_imported, record_counts, start_run
from prune_tui.store.nurture import NURTURE_DEFAULT_DAYS, record_last_messages, restore_person
from prune_tui.text.summary import ImportSummary

if TYPE_CHECKING:
    from prune_tui.services.query import Where

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


def export_json(
    db: Database,
    out: TextIO,
    *,
    only: str = "all",
    today: date | None = None,
    where: Where | None = None,
) -> int:
    """Write the backup, one object per line; SQLite builds each object (fast at 30,000).
    `today` (local) dates `due_on` for anyone never in touch; `where`: only the people a
    query matches."""
    count = 0
    with db.read() as conn:
        from prune_tui.services.invitation_backup import BACKUP_KEY, backup_part

        # The screened invitations ride on the first entry (see prune_tui.services.invitations).
        invitations = backup_part(conn)
        objects = backup_objects(conn, only=only, today=today, where=where)
        out.write("[")
        for obj in objects:
            out.write(",\n" if count else "\n")
            if invitations and not count:
                extra = json.dumps(invitations, ensure_ascii=False, separators=(",", ":"))
                obj = f'{obj[:-1]},"{BACKUP_KEY}":{extra}}}'
            out.write(obj)
            count += 1
        out.write("\n]\n" if count else "]\n")
    return count


# ---------------------------------------------------------------------------------------------
# Restore


def _fail(path: Path, problem: str) -> BadInputFile:
    return BadInputFile(path, problem)


# Every text a backup entry may carry (None allowed), beside the decision, status and counts.
ALL_TEXT_KEYS = (
    *TEXT_KEYS,
    "connected_on",
    "note",
    "decided_at",
    "removed_at",
    "was_name",
    "was_company",
    "was_position",
    "marked_removed_at",
    "confirmed_removed_at",
    "gone_since",
    *EVIDENCE_TEXT_KEYS,
)
# A count larger than any real network could produce is not a count (and SQLite's integers
# stop at 2**63).
MAX_COUNT = 1_000_000_000
# JSON numbers longer than this are refused as they are read, before Python builds them
# (a 5,000-digit number is an error in Python itself; 10**30 does not fit SQLite).
MAX_NUMBER_DIGITS = 12
_SURROGATE = re.compile("[\ud800-\udfff]")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class _NotABackup(ValueError):
    pass


def _number(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _NotABackup("it holds a number far too large for any count")
    return int(text)


def _no_float(text: str) -> float:
    if len(text) > 40:
        raise _NotABackup("it holds a number far too large for any count")
    return float(text)


def _no_constant(name: str) -> Any:
    raise _NotABackup("it holds NaN or Infinity, which are not numbers in JSON")


def load_backup(path: Path) -> Any:
    """The parsed JSON, or BadInputFile: not UTF-8, not JSON, numbers no count could be,
    nesting deeper than Python can follow. Messages never quote the file's contents."""
    try:
        with path.open("rb") as fh:
            return json.load(
                fh, parse_int=_number, parse_float=_no_float, parse_constant=_no_constant
            )
    except UnicodeDecodeError as exc:
        raise _fail(path, "this is not a prune-tui backup (not UTF-8 JSON)") from exc
    except json.JSONDecodeError as exc:
        raise BadInputFile(path, f"this is not valid JSON ({exc.msg})", exc.lineno) from exc
    except _NotABackup as exc:
        raise _fail(path, f"this is not a prune-tui backup: {exc}") from exc
    except RecursionError as exc:
        raise _fail(path, "this is not a prune-tui backup: it is nested too deeply") from exc
    except ValueError as exc:  # anything else the decoder refuses
        raise _fail(path, "this is not valid JSON") from exc


def _validate(path: Path, data: Any) -> list[dict[str, Any]]:
    """Every entry checked before anything is written; the message names the entry and the
    key, never the value."""
    if not isinstance(data, list):
        raise _fail(path, "this is not a prune-tui backup (expected a list of connections)")
    if not data:
        raise _fail(path, "the backup holds no connections")
    for n, item in enumerate(data, start=1):
        if not isinstance(item, dict) or not ({"first_name", "last_name", "url"} <= item.keys()):
            raise _fail(
                path, f"entry {n} is not a connection (needs first_name, last_name and url)"
            )
        for key in ALL_TEXT_KEYS:
            value = item.get(key)
            if value is None:
                continue
            if not isinstance(value, str):
                raise _fail(path, f"entry {n}: '{key}' should be text")
            if _SURROGATE.search(value):
                raise _fail(path, f"entry {n}: '{key}' holds text that is not valid Unicode")
        if item.get("decision") not in (None, "keep", "nurture", "remove"):
            raise _fail(path, f"entry {n}: 'decision' should be keep, nurture, remove or null")
        if item.get("status") not in (None, "active", "gone"):
            raise _fail(path, f"entry {n}: 'status' should be active or gone")
        day = item.get("connected_on")
        if day is not None and not (_DAY.fullmatch(day) and _is_day(day)):
            raise _fail(path, f"entry {n}: 'connected_on' should be a date like 2021-03-31")
        criteria = item.get("criteria") or {}
        if not isinstance(criteria, dict) or any(
            not (v is None or isinstance(v, bool)) for v in criteria.values()
        ):
            raise _fail(path, f"entry {n}: 'criteria' should map names to true, false or null")
        for key in EVIDENCE_INT_KEYS:
            value = item.get(key, 0)
            if value is None:
                continue
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_COUNT:
                raise _fail(
                    path, f"entry {n}: '{key}' should be a whole number from 0 to {MAX_COUNT:,}"
                )
        _validate_nurture(path, item, n)
    return data


def _is_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _validate_nurture(path: Path, item: dict[str, Any], n: int) -> None:
    cadence = item.get("cadence_days")
    if cadence is not None and (
        not isinstance(cadence, int) or isinstance(cadence, bool) or not 0 <= cadence <= 36500
    ):
        raise _fail(path, f"entry {n}: 'cadence_days' should be a number of days or null")
    snoozed = item.get("snoozed_until")
    if snoozed is not None and not (
        isinstance(snoozed, str) and _DAY.fullmatch(snoozed) and _is_day(snoozed)
    ):
        raise _fail(path, f"entry {n}: 'snoozed_until' should be a YYYY-MM-DD date")
    touches = item.get("touches") or []
    if not isinstance(touches, list) or any(
        not isinstance(t, dict)
        or not isinstance(t.get("at"), str)
        or not isinstance(t.get("note", ""), str)
        or _SURROGATE.search(str(t.get("at")) + str(t.get("note") or ""))
        for t in touches
    ):
        raise _fail(path, f"entry {n}: 'touches' should be a list of {{at, note}}")


def _stored_cadence(item: dict[str, Any]) -> int | None:
    """The cadence as stored from the backup's effective one: nurture's quarter is its
    default, and a nurtured person without one chose none."""
    cadence = item.get("cadence_days")
    decision = item.get("decision")
    if decision == "nurture":
        if cadence is None:
            return 0 if "cadence_days" in item else None
        return None if cadence == NURTURE_DEFAULT_DAYS else int(cadence)
    return None if cadence is None else int(cadence)


def restore_backup(
    db: Database, path: Path, summary: ImportSummary, *, digest: str
) -> ImportSummary:
    """Bring back every connection, decision, note, criterion, removal and piece of evidence
    from a JSON backup, in one transaction. The backup wins over what the database holds."""
    items = _validate(path, load_backup(path))
    from prune_tui.services.invitation_backup import (
        BACKUP_KEY,
        read_backup_part,
        restore_backup_part,
    )

    invitations = []
    for n, item in enumerate(items, start=1):
        if BACKUP_KEY in item:
            try:
                invitations += read_backup_part(item[BACKUP_KEY], n)
            except ValueError as exc:
                raise _fail(path, str(exc)) from exc
    summary.kinds.append("backup")
    with db.read() as conn:
        if already_imported(conn, digest):
            summary.already_imported = True
            return summary

    criteria_ids = {key: number for number, key in CRITERIA_KEYS.items()}
    with db.write() as conn:
        run_id = start_run(conn, path.name, digest, "backup", utc_now())
        seen: dict[str, tuple[str, str]] = {}  # each person's key → their name as written
        for item in items:
            _restore_person(conn, item, run_id, seen, summary, criteria_ids)
        summary.restored = summary.rows = len(seen)
        match_names(conn)
        restore_backup_part(conn, invitations, run_id)
        record_last_messages(conn)
        record_counts(conn, run_id, summary.counts())
    return summary


def _restore_person(
    conn: Connection,
    item: dict[str, Any],
    run_id: int,
    seen: dict[str, tuple[str, str]],
    summary: ImportSummary,
    criteria_ids: dict[str, int],
) -> None:
    """One backup entry: the connection, its answers, removal, evidence and nurture."""
    first = item.get("first_name") or ""
    last = item.get("last_name") or ""
    url = item.get("url") or ""
    connected_on = item.get("connected_on")
    slug = profile_slug(url)
    nkey = name_key(first, last)
    key = slug or fallback_key(nkey, connected_on)
    if not slug and seen.get(key, (first, last)) != (first, last):
        # Two entries without a profile URL whose names differ only in case or
        # accents were two people in the database the backup came from: kept apart.
        key = f"{key}|as written: {first} {last}"
    if key in seen:
        summary.duplicates_merged += 1  # listed twice: one person, the later entry wins
    seen.setdefault(key, (first, last))
    values = _stored_values(item, key, slug, nkey)
    conn_id = upsert_connection(conn, values, run_id)
    answers = [
        (criteria_ids[name], 1 if answer else 0)
        for name, answer in (item.get("criteria") or {}).items()
        if name in criteria_ids and answer is not None
    ]
    replace_answers(conn, conn_id, answers)
    marked = item.get("marked_removed_at", item.get("removed_at"))
    replace_removal(conn, conn_id, marked, item.get("confirmed_removed_at"))
    _restore_evidence(conn, slug or f"name:{nkey}", item)
    if {"cadence_days", "snoozed_until", "touches"} & item.keys():
        restore_person(
            conn,
            conn_id,
            _stored_cadence(item),
            item.get("snoozed_until"),
            [(t["at"], t.get("note") or "") for t in item.get("touches") or []],
        )


def _stored_values(item: dict[str, Any], key: str, slug: str | None, nkey: str) -> dict[str, Any]:
    """A backup entry's connection, as `upsert_connection` stores it."""
    return {
        "key": key,
        "slug": slug,
        "first_name": item.get("first_name") or "",
        "last_name": item.get("last_name") or "",
        "name_key": nkey,
        "url": item.get("url") or "",
        "email": item.get("email") or "",
        "company": item.get("company") or "",
        "position": item.get("position") or "",
        "was_name": item.get("was_name"),
        "was_company": item.get("was_company"),
        "was_position": item.get("was_position"),
        "connected_on": item.get("connected_on"),
        "status": item.get("status") or "active",
        "gone_since": item.get("gone_since"),
        "decision": item.get("decision"),
        "decided_at": item.get("decided_at"),
        "note": item.get("note") or "",
    }


def _restore_evidence(conn: Connection, person: str, item: dict[str, Any]) -> None:
    ints = {k: item.get(k) or 0 for k in EVIDENCE_INT_KEYS}
    texts = {k: item.get(k) for k in EVIDENCE_TEXT_KEYS}
    if not any(ints.values()) and not any(texts.values()):
        return
    upsert_evidence(conn, person, {**ints, **texts})
