"""Recommendations_Received.csv and Recommendations_Given.csv:
`First Name,Last Name,Company,Job Title,Text,Creation Date,Status`. Both files have the same
header and no URLs, so only the file name tells them apart and people are matched by name."""

from __future__ import annotations

from collections.abc import Sequence

from prune_tui.formats.messages import name_token
from prune_tui.formats.tables import ProgressCallback, Source, kept, normalize_header, open_table

NOT_COUNTED = frozenset({"rejected", "declined", "withdrawn"})


def is_recommendations_header(cells: Sequence[str]) -> bool:
    names = {normalize_header(c) for c in cells}
    return {"first name", "last name", "text"} <= names and "connected on" not in names


def read_recommendations(source: Source, progress: ProgressCallback | None = None) -> list[str]:
    """The `name:` key of the other person, once per recommendation."""
    found: list[str] = []
    with open_table(source, is_recommendations_header, "Recommendations file header") as table:
        first = table.column("first name")
        last = table.column("last name")
        status = table.column("status")
        for _line, cells in table.rows(progress):
            if status is not None and cells[status].strip().lower() in NOT_COUNTED:
                continue
            first_name = kept(cells[first].strip()) if first is not None else ""
            last_name = kept(cells[last].strip()) if last is not None else ""
            name = name_token(f"{first_name} {last_name}")
            if name is not None:
                found.append(name)
    return found
