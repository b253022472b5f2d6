"""The invitations in the JSON backup: written with the connections, read back and restored."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from prune_tui.model import CRITERIA_KEYS
from prune_tui.services.invitations import invitations_from_rows
from prune_tui.store import invitations as store

# ---------------------------------------------------------------------------------------------
# The JSON backup. The backup stays what docs/PRODUCT.md §3 says it is, a list of connection
# objects; the invitations ride on the first of them under the key "invitations" (an extra key,
# like the backup's other extras), and a restore takes them from any entry that has it.

BACKUP_KEY = "invitations"
_BACKUP_TEXT = ("name", "url", "sent_at", "message", "export_date", "decided_at", "closed_at")


def backup_part(conn: Connection) -> list[dict[str, Any]]:
    """Every invitation (pending or not, with its decision and answers), for the backup."""
    found = invitations_from_rows(conn, store.invitation_rows(conn))
    found.sort(key=lambda i: (i.direction.value, i.key))
    return [
        {
            "direction": i.direction.value,
            "name": i.name,
            "url": i.url,
            "slug": i.slug,
            "key": i.key,
            "sent_at": i.sent_at,
            "message": i.message,
            "export_date": i.export_date,
            "status": i.status,
            "decision": i.decision.value if i.decision else None,
            "decided_at": i.decided_at,
            "closed_at": i.closed_at,
            "criteria": {CRITERIA_KEYS[n]: v for n, v in i.criteria.items()},
        }
        for i in found
    ]


def read_backup_part(value: Any, entry: int) -> list[dict[str, Any]]:
    """The invitations of one backup entry, checked; ValueError says what is wrong."""
    from prune_tui.formats.identity import name_key as make_name_key
    from prune_tui.formats.identity import profile_slug

    if not isinstance(value, list):
        raise ValueError(f"entry {entry}: '{BACKUP_KEY}' should be a list")
    numbers = {key: number for number, key in CRITERIA_KEYS.items()}
    items = []
    for n, raw in enumerate(value, start=1):
        where = f"entry {entry}, invitation {n}"
        if not isinstance(raw, dict):
            raise ValueError(f"{where} is not an object")
        if raw.get("direction") not in ("incoming", "outgoing"):
            raise ValueError(f"{where}: unknown direction {raw.get('direction')!r}")
        if raw.get("decision") not in (None, "accept", "ignore", "withdraw"):
            raise ValueError(f"{where}: unknown decision {raw.get('decision')!r}")
        if raw.get("status", "pending") not in ("pending", "accepted", "gone"):
            raise ValueError(f"{where}: unknown status {raw.get('status')!r}")
        for key in _BACKUP_TEXT:
            if raw.get(key) is not None and not isinstance(raw.get(key), str):
                raise ValueError(f"{where}: '{key}' should be text")
        criteria = raw.get("criteria") or {}
        if not isinstance(criteria, dict) or any(
            v not in (True, False, None) for v in criteria.values()
        ):
            raise ValueError(f"{where}: 'criteria' should map names to true, false or null")
        name = raw.get("name") or ""
        url = raw.get("url") or ""
        slug = profile_slug(url) if url else None
        nkey = make_name_key(name, "")
        given = raw.get("key")
        key = str(given) if isinstance(given, str) and given else (slug or f"name:{nkey}")
        if not key or key == "name:":
            raise ValueError(f"{where} has neither a name nor a profile URL")
        items.append(
            {
                "key": key,
                "direction": raw["direction"],
                "name": name,
                "name_key": nkey,
                "slug": slug,
                "url": url,
                "sent_at": raw.get("sent_at"),
                "message": raw.get("message"),
                "export_date": raw.get("export_date"),
                "status": raw.get("status") or "pending",
                "decision": raw.get("decision"),
                "decided_at": raw.get("decided_at"),
                "closed_at": raw.get("closed_at"),
                "criteria": {numbers[k]: v for k, v in criteria.items() if k in numbers},
            }
        )
    return items


def restore_backup_part(conn: Connection, items: Sequence[dict[str, Any]], run_id: int) -> int:
    return store.restore_rows(conn, items, run_id)
