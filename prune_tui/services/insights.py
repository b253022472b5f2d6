"""The stats screen's figures, composed: the stored figures (store/insights.py, SQL only)
with the pace of deciding (the same as the review's progress strip) and the nurtured circle.
Used by the stats screen, `prune-tui stats` and its report."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

from prune_tui.model import DUNBAR, Stats
from prune_tui.services.nurture import NURTURE_DEFAULT, Circle, circle_of, person_from
from prune_tui.services.review import Review
from prune_tui.store.database import Database
from prune_tui.store.insights import (
    TOP_COMPANIES,
    CompanyCount,
    RemovalProgress,
    YearSplit,
    read_figures,
)
from prune_tui.store.nurture import people_with_cadence

PACE_WINDOW_DAYS = 7


@dataclass(frozen=True)
class DecidingPace:
    """How fast decisions are going, from the days on which the current decisions were made."""

    active_days: int  # days with at least one decision
    last_days: int  # decisions in the last PACE_WINDOW_DAYS days (today included)
    per_active_day: float | None  # decisions per day on which the user decided anything
    days_left: int | None  # active days still needed at that pace for the undecided
    first_day: str | None  # YYYY-MM-DD
    last_day: str | None
    removals_last_days: int  # ticked off on the checklist in the last PACE_WINDOW_DAYS days
    # While deciding (breaks left out), as the app's progress strip counts it: the time left.
    per_minute: float | None = None
    minutes_left: float | None = None


@dataclass(frozen=True)
class Insights:
    stats: Stats
    years: list[YearSplit]
    companies: list[CompanyCount]
    pace: DecidingPace
    removals: RemovalProgress
    # Who is kept warm: nurtured people in touch within their cadence (docs/PRODUCT.md §12).
    circle: Circle | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the counts of docs/PRODUCT.md §3 at the top level, the breakdowns beside
        them."""
        return {
            **self.stats.as_dict(),
            "dunbar_limit": DUNBAR,
            "by_year": [{"year": y.year, **_split(y), "total": y.total} for y in self.years],
            "top_companies": [
                {"company": c.company, **_split(c), "total": c.total} for c in self.companies
            ],
            "pace": asdict(self.pace),
            "removals": self.removals.as_dict(),
            "circle": self.circle.as_dict() if self.circle is not None else None,
        }


def _split(row: YearSplit | CompanyCount) -> dict[str, int]:
    return {
        "keep": row.keep,
        "nurture": row.nurture,
        "remove": row.remove,
        "undecided": row.undecided,
    }


def gather(db: Database, *, today: date | None = None, top: int = TOP_COMPANIES) -> Insights:
    """Every figure of the stats screen; the stored ones in one read transaction."""
    nurture_today = today  # due dates count local days (the CLI: the local date)
    today = today or datetime.now(timezone.utc).date()
    since = today - timedelta(days=PACE_WINDOW_DAYS - 1)
    figures = read_figures(db, since=since, top=top)
    stats = figures.stats
    # The same pace as the app's progress strip, so the two never disagree on the time left.
    minute_pace = Review(db).pace(stats.undecided)
    pace = _pace(figures.days, stats.undecided, since, figures.ticked_recently)
    if minute_pace is not None:
        pace = replace(
            pace,
            per_minute=round(minute_pace.per_minute, 1),
            minutes_left=minute_pace.minutes_left,
        )
    return Insights(
        stats=stats,
        years=figures.years,
        companies=figures.companies,
        pace=pace,
        removals=figures.removals,
        circle=_circle(db, nurture_today or date.today()),
    )


def _circle(db: Database, today: date) -> Circle:
    with db.read() as conn:
        rows = people_with_cadence(conn, NURTURE_DEFAULT)
    return circle_of([person_from(r) for r in rows], today)


def _pace(days: list[tuple[str, int]], undecided: int, since: date, ticked: int) -> DecidingPace:
    decided = sum(n for _, n in days)
    per_day = decided / len(days) if days else None
    # A part day is still a day to sit down for.
    days_left = math.ceil(undecided / per_day) if per_day else None
    return DecidingPace(
        active_days=len(days),
        last_days=sum(n for day, n in days if day >= since.isoformat()),
        per_active_day=round(per_day, 1) if per_day is not None else None,
        days_left=days_left,
        first_day=days[0][0] if days else None,
        last_day=days[-1][0] if days else None,
        removals_last_days=ticked,
    )
