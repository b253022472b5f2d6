"""Endorsement_Received_Info.csv and Endorsement_Given_Info.csv:
`Endorsement Date,Skill Name,Endorser First Name,Endorser Last Name,Endorser Public Url,
Endorsement Status` (`Endorsee …` in the given file). URLs are schemeless
(`www.linkedin.com/in/…`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from prune_tui.formats.identity import profile_slug
from prune_tui.formats.messages import name_token
from prune_tui.formats.tables import ProgressCallback, Source, kept, normalize_header, open_table

# The other person's side: "endorser" in the received file, "endorsee" in the given one.
RECEIVED = "endorser"
GIVEN = "endorsee"

# Endorsements the owner turned down say nothing good about the relationship.
NOT_COUNTED = frozenset({"rejected", "hidden", "declined"})


def _is_header(side: str) -> Callable[[Sequence[str]], bool]:
    def test(cells: Sequence[str]) -> bool:
        names = {normalize_header(c) for c in cells}
        return f"{side} first name" in names or f"{side} public url" in names

    return test


is_received_header = _is_header(RECEIVED)
is_given_header = _is_header(GIVEN)


@dataclass(frozen=True, slots=True)
class Endorsement:
    slug: str | None
    name: str | None  # `name:` key


def read_endorsements(
    source: Source, side: str, progress: ProgressCallback | None = None
) -> list[Endorsement]:
    """One entry per endorsement (a skill), naming the other person by `side`."""
    what = "Endorsement_Received_Info.csv" if side == RECEIVED else "Endorsement_Given_Info.csv"
    found: list[Endorsement] = []
    with open_table(source, _is_header(side), f"{what} header") as table:
        first = table.column(f"{side} first name")
        last = table.column(f"{side} last name")
        url = table.column(f"{side} public url", f"{side} profile url", f"{side} url")
        status = table.column("endorsement status", "status")
        for _line, cells in table.rows(progress):
            if status is not None and cells[status].strip().lower() in NOT_COUNTED:
                continue
            first_name = kept(cells[first].strip()) if first is not None else ""
            last_name = kept(cells[last].strip()) if last is not None else ""
            link = kept(cells[url].strip()) if url is not None else ""
            slug = profile_slug(link) if link else None
            name = name_token(f"{first_name} {last_name}")
            if slug is None and name is None:
                continue
            found.append(Endorsement(slug, name))
    return found
