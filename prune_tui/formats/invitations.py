"""Invitations.csv (docs/PRODUCT.md §4): `From,To,Sent At,Message,Direction,inviterProfileUrl,
inviteeProfileUrl` (no URL columns before 2023). Accepted invitations stay in the file, so it
says who started each connection and whether they wrote a personal note."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from prune_tui.formats.dates import parse_timestamp, slashed_day_first
from prune_tui.formats.identity import profile_slug
from prune_tui.formats.messages import name_token
from prune_tui.formats.tables import ProgressCallback, Source, kept, normalize_header, open_table

COLUMNS: dict[str, tuple[str, ...]] = {
    "from": ("from", "inviter"),
    "to": ("to", "invitee"),
    "sent_at": ("sent at", "sent", "date"),
    "message": ("message", "note"),
    "direction": ("direction",),
    "inviter_url": ("inviterprofileurl", "inviter profile url"),
    "invitee_url": ("inviteeprofileurl", "invitee profile url"),
}


def is_invitations_header(cells: Sequence[str]) -> bool:
    names = {normalize_header(c) for c in cells}
    return "from" in names and "to" in names and "sent at" in names


@dataclass(frozen=True, slots=True)
class Invitation:
    """One invitation, seen from the owner's side."""

    slug: str | None  # the other person's profile slug, when the file has URLs
    name: str | None  # the other person's `name:` key
    invited_by: str  # "me" | "them"
    sent_at: str | None  # ISO 8601
    message: str | None  # the note, None when they wrote none
    # The other person as the file writes them (for screening pending invitations).
    display_name: str = ""
    url: str = ""


@dataclass
class InvitationsFile:
    invitations: list[Invitation]
    # Rows whose direction could not be told (no Direction and no known owner): left out.
    unknown_direction: int = 0


def read_invitations(
    source: Source,
    owner_slugs: frozenset[str] = frozenset(),
    owner_names: frozenset[str] = frozenset(),
    progress: ProgressCallback | None = None,
) -> InvitationsFile:
    """Every invitation in `source`. The Direction column says who invited whom; without it
    the owner's slug or name (from an earlier messages file or Profile.csv) tells."""
    raw: list[list[str]] = []
    with open_table(source, is_invitations_header, "Invitations.csv header") as table:
        col = {name: table.column(*aliases) for name, aliases in COLUMNS.items()}
        for _line, cells in table.rows(progress):
            raw.append([kept(cells[i].strip()) if i is not None else "" for i in col.values()])
    day_first = slashed_day_first(row[2] for row in raw)
    result = InvitationsFile([])
    for sender, recipient, sent_at, message, direction, inviter_url, invitee_url in raw:
        inviter = profile_slug(inviter_url) if inviter_url else None
        invitee = profile_slug(invitee_url) if invitee_url else None
        way: str | None = direction.lower()
        if way not in ("incoming", "outgoing"):
            way = _direction_from_owner(
                inviter, invitee, sender, recipient, owner_slugs, owner_names
            )
        if way is None:
            result.unknown_direction += 1
            continue
        if way == "outgoing":
            slug, name, invited_by = invitee, name_token(recipient), "me"
            display_name, url = recipient, invitee_url
        else:
            slug, name, invited_by = inviter, name_token(sender), "them"
            display_name, url = sender, inviter_url
        if slug is None and name is None:
            continue
        result.invitations.append(
            Invitation(
                slug=slug,
                name=name,
                invited_by=invited_by,
                sent_at=parse_timestamp(sent_at, day_first=day_first),
                message=message or None,
                display_name=display_name,
                url=url,
            )
        )
    return result


def _direction_from_owner(
    inviter: str | None,
    invitee: str | None,
    sender: str,
    recipient: str,
    owner_slugs: frozenset[str],
    owner_names: frozenset[str],
) -> str | None:
    if (inviter and inviter in owner_slugs) or name_token(sender) in owner_names:
        return "outgoing"
    if (invitee and invitee in owner_slugs) or name_token(recipient) in owner_names:
        return "incoming"
    return None
