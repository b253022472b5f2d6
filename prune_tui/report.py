"""`prune-tui stats` in words."""

from __future__ import annotations

from prune_tui.model import DUNBAR, Stats
from prune_tui.store.database import Database


def describe_stats(db: Database, figures: Stats) -> str:
    lines = [
        f"{figures.decided} of {figures.total} connections decided "
        f"({figures.undecided} still to decide)",
        f"  keep     {figures.keep:>6}",
        f"  nurture  {figures.nurture:>6}",
        f"  remove   {figures.remove:>6}",
        f"Dunbar: {figures.dunbar} of {DUNBAR} (keep + nurture)",
        f"Removed on LinkedIn: {figures.removed}",
    ]
    if figures.gone:
        lines.append(f"No longer in your latest export: {figures.gone}")
    return "\n".join(lines)
