"""Profile.csv: the owner of the export (`First Name,Last Name,Maiden Name,…,Headline,…`).
Only their name is read: it tells "me" apart in messages and invitations."""

from __future__ import annotations

from collections.abc import Sequence

from prune_tui.formats.identity import profile_slug
from prune_tui.formats.messages import name_token
from prune_tui.formats.tables import ProgressCallback, Source, kept, normalize_header, open_table


def is_profile_header(cells: Sequence[str]) -> bool:
    names = {normalize_header(c) for c in cells}
    return (
        {"first name", "last name"} <= names
        and bool(names & {"headline", "maiden name", "summary"})
        and "connected on" not in names
    )


def read_owner(
    source: Source, progress: ProgressCallback | None = None
) -> tuple[str | None, str | None]:
    """The owner's (`name:` key, profile slug); either may be None."""
    with open_table(source, is_profile_header, "Profile.csv header") as table:
        first = table.column("first name")
        last = table.column("last name")
        url = table.column("public profile url", "profile url", "url")
        for _line, cells in table.rows(progress):
            first_name = kept(cells[first].strip()) if first is not None else ""
            last_name = kept(cells[last].strip()) if last is not None else ""
            slug = profile_slug(kept(cells[url])) if url is not None else None
            return name_token(f"{first_name} {last_name}"), slug
    return None, None
