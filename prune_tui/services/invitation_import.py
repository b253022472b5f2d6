"""An import's screening step (docs/PRODUCT.md §13): the pending rule over this import's
Invitations.csv, then the loop closed for decisions made on an earlier export."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Connection

from prune_tui.services.invitations import (
    ACCEPTED_NOTE,
    Answer,
    Direction,
    export_date_from_name,
    invitations_from_rows,
)
from prune_tui.store import invitations as store
from prune_tui.store.invitations import Staged

if TYPE_CHECKING:
    from prune_tui.formats.invitations import Invitation
    from prune_tui.formats.tables import Source
    from prune_tui.text.summary import ImportSummary


# ---------------------------------------------------------------------------------------------
# The import: the pending rule, and closing the loop


def stage_from_file(conn: Connection, found: Sequence[Invitation]) -> None:
    """Called by the evidence loader with every invitation of this import's Invitations.csv
    (connections are already up to date in this transaction): kept for `after_import`, one per
    person and direction (the newest), unless it was accepted long ago (the file keeps every
    accepted invitation, and there is nothing to screen in them)."""
    newest: dict[tuple[str, str], Invitation] = {}
    for inv in found:
        key = inv.slug or inv.name
        if key is None:
            continue
        direction = "outgoing" if inv.invited_by == "me" else "incoming"
        earlier = newest.get((key, direction))
        if earlier is None or (
            inv.sent_at is not None and (earlier.sent_at is None or inv.sent_at > earlier.sent_at)
        ):
            newest[(key, direction)] = inv
    known = store.invitation_keys(conn)
    people = People(store.active_people(conn))
    staged = []
    for (key, direction), inv in newest.items():
        name_key = (inv.name or "name:")[len("name:") :]
        if (key, direction) not in known and people.match(inv.slug, name_key) is not None:
            continue
        staged.append(
            Staged(
                direction=direction,
                key=key,
                slug=inv.slug,
                name_key=name_key,
                name=" ".join(inv.display_name.split()),
                url=inv.url.strip(),
                sent_at=inv.sent_at,
                message=inv.message,
            )
        )
    store.stage_invitations(conn, staged)


class ImportPlan(Protocol):
    """What `after_import` needs of the importer's plan."""

    path: Path
    evidence: dict[str, list[Source]]


class People:
    """Everyone connected at the latest export, to match invitations against."""

    def __init__(self, people: Sequence[tuple[int, str | None, str]]) -> None:
        self.by_slug: dict[str, int] = {slug: id_ for id_, slug, _ in people if slug}
        # name key → (id, slug) of the one connection with that name; None when several have it
        self.by_name: dict[str, tuple[int, str | None] | None] = {}
        for id_, slug, name in people:
            if name:
                self.by_name[name] = None if name in self.by_name else (id_, slug)

    def match(self, slug: str | None, name_key: str) -> int | None:
        """The connection this invitation's other side is: by profile URL, else by name where
        the name belongs to one connection only (and one of the two has no URL to compare)."""
        if slug and slug in self.by_slug:
            return self.by_slug[slug]
        one = self.by_name.get(name_key)
        if one is not None and (slug is None or one[1] is None):
            return one[0]
        return None


def after_import(
    conn: Connection, plan: ImportPlan, run_id: int, now: str, summary: ImportSummary
) -> None:
    """The screening step of an import, in its transaction: the pending rule over this
    import's Invitations.csv (if it had one), then the loop closed for earlier decisions."""
    staged = store.take_staged(conn)
    if staged is None and not store.has_invitations(conn):
        return  # the usual first import of a Connections.csv: nothing to look at
    people = People(store.active_people(conn))
    if staged is not None:
        exported = _export_date(conn, plan, run_id, summary)
        latest = store.latest_export_date(conn)
        # An older export than one already seen says nothing new about what is pending now.
        if latest is None or exported is None or exported >= latest:
            _sync(conn, staged, people, exported, run_id)
    _settle(conn, people, now, summary)


def _export_date(conn: Connection, plan: ImportPlan, run_id: int, summary: Any) -> str | None:
    """The date in the archive's (or its folder's) name where there is one, else the newest
    date in the files."""
    names = [plan.path.name, plan.path.parent.name]
    names += [s.member or "" for s in plan.evidence.get("invitations", [])]
    for name in names:
        found = export_date_from_name(name)
        if found:
            return found
    dates = store.newest_dates(conn, run_id, messages="messages" in summary.kinds)
    return max(dates) if dates else None


def _sync(
    conn: Connection,
    staged: Sequence[Staged],
    people: People,
    exported: str | None,
    run_id: int,
) -> None:
    existing = {(r.key, r.direction): r for r in store.all_invitations(conn)}
    without_url: dict[tuple[str, str], list[Any]] = {}
    for row in existing.values():
        if row.slug is None:
            without_url.setdefault((row.direction, row.name_key), []).append(row)
    for s in staged:
        if s.slug is None or (s.key, s.direction) in existing:
            continue
        # A record from a file without URLs, adopted by this one (as connections are).
        older = without_url.get((s.direction, s.name_key), [])
        if len(older) == 1:
            store.adopt_key(conn, int(older[0].id), s.key, s.slug)
            existing[(s.key, s.direction)] = existing.pop((older[0].key, s.direction))
            older.clear()
    listed = set()
    seen: list[tuple[Staged, str]] = []
    for s in staged:
        connected = people.match(s.slug, s.name_key) is not None
        listed.add((s.key, s.direction))
        if connected and (s.key, s.direction) not in existing:
            continue  # accepted long ago: nothing to screen, nothing to remember
        seen.append((s, "accepted" if connected else "pending"))
    store.upsert_seen(conn, seen, export_date=exported, run_id=run_id)
    for key, row in existing.items():
        if key not in listed and row.status == "pending":
            connected = people.match(row.slug, row.name_key) is not None
            store.set_status(conn, int(row.id), "accepted" if connected else "gone")


def _settle(conn: Connection, people: People, now: str, summary: Any) -> None:
    pending = []
    for inv in invitations_from_rows(conn, store.open_rows(conn)):
        connection_id = people.match(inv.slug, inv.name_key)
        status = inv.status
        if status == "pending" and connection_id is None:
            pending.append(inv)
        if status != "accepted" and connection_id is not None:
            status = "accepted"  # accepted on LinkedIn, by them or by you, since
            store.set_status(conn, inv.id, status)
        if inv.closed_at is None and inv.decision is not None:
            if inv.decision is Answer.ACCEPT and status == "accepted":
                if connection_id is not None and inv.direction is Direction.INCOMING:
                    store.keep_accepted(conn, connection_id, ACCEPTED_NOTE, now)
                    store.copy_answers(conn, inv.id, connection_id)
                    summary.accepts_confirmed += 1
                store.close(conn, inv.id, now)
            elif inv.decision is not Answer.ACCEPT and status != "pending":
                store.close(conn, inv.id, now)
    summary.invitations_pending = sum(
        1 for i in pending if i.direction is Direction.INCOMING and i.decision is None
    )
    summary.invitations_to_withdraw = sum(1 for i in pending if i.stale and i.decision is None)
    summary.invitations_flagged = sum(1 for i in pending if i.flagged)
