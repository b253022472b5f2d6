"""How old an export is, so that an older export never silently undoes a newer one.

Importing an older Connections.csv after a newer one would bring back people who are gone,
undo confirmed removals and revert job changes. So each Connections import records how new its
export was, and an older one is refused unless the user passes `--allow-older`. A messages.csv
or Invitations.csv imported on its own is judged by its newest date against the newest known.

An export's date: the date in the archive's (or folder's) name, `…LinkedInDataExport_MM-DD-YYYY`,
where present; else the newest Connected On date in the file. Two exports are compared by their
names' dates when both have one, else by their newest Connected On dates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection

from prune_tui.errors import ImportRefused
from prune_tui.store.export_dates import (
    last_connections_file,
    newest_connected_on,
    newest_known,
)
from prune_tui.store.settings import get_setting, put_setting

NEWEST_SETTING = "import.newest_export"
# LinkedIn names its archives Basic_/Complete_LinkedInDataExport_MM-DD-YYYY.zip.
_NAME_DATE = re.compile(r"LinkedInDataExport_(\d{1,2})-(\d{1,2})-(\d{4})", re.IGNORECASE)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def date_in_name(name: str) -> str | None:
    """`Basic_LinkedInDataExport_11-20-2026.zip (1).zip` → "2026-11-20"; None without one."""
    for match in _NAME_DATE.finditer(name):
        month, day, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            continue
    return None


def spoken(day: str) -> str:
    """ "2026-11-20" → "20 Nov 2026"."""
    year, month, d = day.split("-")
    return f"{int(d)} {MONTHS[int(month) - 1]} {year}"


@dataclass(frozen=True)
class ExportAge:
    named: str | None  # YYYY-MM-DD from the archive's name
    connected: str | None  # the newest Connected On date in the file
    file: str

    def as_dict(self) -> dict[str, Any]:
        return {"named": self.named, "connected": self.connected, "file": self.file}


def older_by(incoming: ExportAge, newest: ExportAge) -> tuple[str, str] | None:
    """(incoming date, newest date) when `incoming` is older than `newest`, else None."""
    if incoming.named and newest.named:
        return (incoming.named, newest.named) if incoming.named < newest.named else None
    if incoming.connected and newest.connected and incoming.connected < newest.connected:
        return incoming.connected, newest.connected
    return None


def newest_imported(conn: Connection, *, scan: bool = True) -> ExportAge | None:
    """The newest export imported so far (for a database from before this was recorded: the
    newest Connected On date among its connections, unless not `scan`)."""
    value = get_setting(conn, NEWEST_SETTING)
    if value is not None:
        return ExportAge(value.get("named"), value.get("connected"), value.get("file") or "")
    if not scan:
        return None
    connected = newest_connected_on(conn)
    if connected is None:
        return None
    last = last_connections_file(conn)
    return ExportAge(None, str(connected), str(last or "the export imported before"))


def refuse_older(
    conn: Connection, incoming: ExportAge, *, allow_older: bool, first_fill: bool = False
) -> None:
    """Raise ImportRefused when `incoming` is older than the newest export imported so far.

    `first_fill`: there was no connection before this import (its own rows are all there are
    now, and cannot be newer than themselves): nothing to scan for, only the setting."""
    newest = newest_imported(conn, scan=not first_fill)
    if newest is None or allow_older:
        return
    dates = older_by(incoming, newest)
    if dates is None:
        return
    theirs, ours = (spoken(d) for d in dates)
    raise ImportRefused(
        f"{incoming.file} is an older export ({theirs}) than {newest.file} ({ours}), which was "
        "already imported: importing it would bring back people who are gone and undo newer "
        "changes, so nothing was imported. To apply it anyway, add --allow-older"
    )


# A messages.csv or Invitations.csv imported on its own is judged by its newest date: a later
# export's file holds everything an earlier one did (accepted invitations stay in it), and more.
_EVIDENCE_DATES = {
    "messages": ("message", "messages", "your conversations"),
    "invitations": ("invitation", "invitations", "who invited whom"),
}


def refuse_older_evidence(
    conn: Connection, file: str, newest: Mapping[str, str], *, allow_older: bool
) -> None:
    """Raise ImportRefused when a file of evidence imported on its own (no Connections.csv,
    which `refuse_older` judges) ends before the newest of its kind already known: it comes
    from an older export, and what it holds would replace what the newer one said.
    `newest`: for "messages" and "invitations", when the newest one read was written."""
    if allow_older:
        return
    for kind, theirs in newest.items():
        one, many, about = _EVIDENCE_DATES[kind]
        known = newest_known(conn, kind)
        if known is None or theirs >= known:
            continue
        ends = f"after {spoken(theirs[:10])}" if theirs else "at all"
        raise ImportRefused(
            f"{file} holds no {one} with your connections {ends}, but {many} with them up to "
            f"{spoken(known[:10])} were already imported: it comes from an older export (or "
            "another account), and importing it would take back what the newer one says of "
            f"{about}, so nothing was imported. To apply it anyway, add --allow-older"
        )


def remember_newest(conn: Connection, incoming: ExportAge, *, first_fill: bool = False) -> None:
    """Record `incoming` as the newest export unless a newer one was imported before.

    `first_fill`: there was no connection before this import, so its rows are all there are and
    their newest date is `incoming.connected`: nothing newer to find by scanning them."""
    newest = newest_imported(conn, scan=not first_fill)
    if newest is not None:
        incoming = ExportAge(
            max(filter(None, (incoming.named, newest.named)), default=None),
            max(filter(None, (incoming.connected, newest.connected)), default=None),
            incoming.file if older_by(incoming, newest) is None else newest.file,
        )
    put_setting(conn, NEWEST_SETTING, incoming.as_dict())
