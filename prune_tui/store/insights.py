"""The figures behind the stats screen, `prune-tui stats` and the removal checklist: SQL
aggregates only (no Textual), each one query over the whole table.

Removals, as the checklist counts them (PRODUCT.md §7):
- to remove: every connection whose decision is `remove`;
- confirmed: those a later export no longer has (status `gone`);
- ticked: marked removed on the checklist and not seen again since;
- flagged: marked removed, yet still present in an export imported after the mark;
- done = confirmed + ticked; left = to remove − done (flagged ones are left to do).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from prune_tui.model import DUNBAR, Stats
from prune_tui.store.database import Database
from prune_tui.store.queries import FLAGGED_SQL, REMOVAL_JOINS, STATS_SQL

if TYPE_CHECKING:
    from prune_tui.nurture import Circle

TOP_COMPANIES = 10
PACE_WINDOW_DAYS = 7

# Marked removed, but an import newer than the mark still had them.


@dataclass(frozen=True)
class YearSplit:
    """Active connections made in one year (None: the date could not be read)."""

    year: int | None
    keep: int
    nurture: int
    remove: int
    undecided: int

    @property
    def total(self) -> int:
        return self.keep + self.nurture + self.remove + self.undecided


@dataclass(frozen=True)
class CompanyCount:
    company: str
    keep: int
    nurture: int
    remove: int
    undecided: int

    @property
    def total(self) -> int:
        return self.keep + self.nurture + self.remove + self.undecided


@dataclass(frozen=True)
class Pace:
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
class RemovalProgress:
    to_remove: int
    confirmed: int
    ticked: int
    flagged: int

    @property
    def done(self) -> int:
        return self.confirmed + self.ticked

    @property
    def left(self) -> int:
        return self.to_remove - self.done

    def as_dict(self) -> dict[str, int]:
        return {
            "to_remove": self.to_remove,
            "done": self.done,
            "confirmed": self.confirmed,
            "ticked": self.ticked,
            "flagged": self.flagged,
            "left": self.left,
        }


@dataclass(frozen=True)
class ChecklistItem:
    """One removal still to make on LinkedIn (or ticked off during this visit)."""

    id: int
    first_name: str
    last_name: str
    position: str
    company: str
    url: str
    marked_at: str | None
    flagged: bool
    seen_at: str | None  # when the export that still had them was imported

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class Insights:
    stats: Stats
    years: list[YearSplit]
    companies: list[CompanyCount]
    pace: Pace
    removals: RemovalProgress
    # Who is kept warm: nurtured people in touch within their cadence (PRODUCT.md §12).
    circle: Circle | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the §3 counts at the top level, the breakdowns beside them."""
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


SPLIT_SQL = (
    "coalesce(sum(decision = 'keep'), 0), coalesce(sum(decision = 'nurture'), 0), "
    "coalesce(sum(decision = 'remove'), 0), coalesce(sum(decision IS NULL), 0)"
)

YEARS_SQL = f"""
SELECT CAST(substr(connected_on, 1, 4) AS INTEGER) AS year, {SPLIT_SQL}
FROM connections WHERE status = 'active'
GROUP BY year ORDER BY year IS NULL, year
"""

COMPANIES_SQL = f"""
SELECT trim(company) AS name, {SPLIT_SQL}
FROM connections WHERE status = 'active' AND trim(company) != ''
GROUP BY name ORDER BY count(*) DESC, name LIMIT ?
"""

DAYS_SQL = """
SELECT substr(decided_at, 1, 10) AS day, count(*)
FROM connections WHERE status = 'active' AND decision IS NOT NULL AND decided_at IS NOT NULL
GROUP BY day ORDER BY day
"""

REMOVALS_SQL = f"""
SELECT count(*),
  coalesce(sum(c.status = 'gone'), 0),
  coalesce(sum(c.status = 'active' AND r.marked_at IS NOT NULL AND NOT {FLAGGED_SQL}), 0),
  coalesce(sum({FLAGGED_SQL}), 0)
{REMOVAL_JOINS}
WHERE c.decision = 'remove'
"""

TICKED_SINCE_SQL = """
SELECT count(*) FROM removals r JOIN connections c ON c.id = r.connection_id
WHERE c.decision = 'remove' AND r.marked_at >= ?
"""

CHECKLIST_SQL = f"""
SELECT c.id, c.first_name, c.last_name, c.position, c.company, c.url, r.marked_at,
  {FLAGGED_SQL} AS flagged, i.imported_at
{REMOVAL_JOINS}
WHERE c.decision = 'remove' AND c.status = 'active'
  AND (r.marked_at IS NULL OR {FLAGGED_SQL})
ORDER BY flagged DESC, c.name_key, c.url, c.id
"""


def removal_progress(db: Database) -> RemovalProgress:
    with db.read() as conn:
        row = conn.exec_driver_sql(REMOVALS_SQL).one()
    return RemovalProgress(*(int(v) for v in row))


ITEM_SQL = f"""
SELECT c.id, c.first_name, c.last_name, c.position, c.company, c.url, r.marked_at,
  {FLAGGED_SQL} AS flagged, i.imported_at
{REMOVAL_JOINS}
WHERE c.id = ?
"""


def _item(r: Any) -> ChecklistItem:
    return ChecklistItem(
        id=int(r[0]),
        first_name=r[1],
        last_name=r[2],
        position=r[3],
        company=r[4],
        url=r[5],
        marked_at=r[6],
        flagged=bool(r[7]),
        seen_at=r[8] if r[7] else None,
    )


def removal_checklist(db: Database) -> list[ChecklistItem]:
    """The removals not yet done: flagged ones first, then by name (as the exports sort)."""
    with db.read() as conn:
        return [_item(r) for r in conn.exec_driver_sql(CHECKLIST_SQL)]


def checklist_item(db: Database, connection_id: int) -> ChecklistItem | None:
    """One connection as the checklist sees it now (after a tick or an undo)."""
    with db.read() as conn:
        row = conn.exec_driver_sql(ITEM_SQL, (connection_id,)).first()
    return None if row is None else _item(row)


def gather(db: Database, *, today: date | None = None, top: int = TOP_COMPANIES) -> Insights:
    """Every figure of the stats screen in one read transaction (a consistent snapshot)."""
    nurture_today = today  # due dates count local days (the CLI: the local date)
    today = today or datetime.now(timezone.utc).date()
    since = today - timedelta(days=PACE_WINDOW_DAYS - 1)
    with db.read() as conn:
        stats = Stats(*(int(v) for v in conn.exec_driver_sql(STATS_SQL).one()))
        years = [YearSplit(r[0], *(int(v) for v in r[1:])) for r in conn.exec_driver_sql(YEARS_SQL)]
        companies = [
            CompanyCount(r[0], *(int(v) for v in r[1:]))
            for r in conn.exec_driver_sql(COMPANIES_SQL, (top,))
        ]
        days = [(str(r[0]), int(r[1])) for r in conn.exec_driver_sql(DAYS_SQL)]
        removals = RemovalProgress(*(int(v) for v in conn.exec_driver_sql(REMOVALS_SQL).one()))
        ticked_recently = int(
            conn.exec_driver_sql(TICKED_SINCE_SQL, (since.isoformat(),)).scalar_one()
        )
    # The same pace as the app's progress strip, so the two never disagree on the time left.
    from prune_tui.review import Review

    minute_pace = Review(db).pace(stats.undecided)
    pace = _pace(days, stats.undecided, since, ticked_recently)
    if minute_pace is not None:
        pace = replace(
            pace,
            per_minute=round(minute_pace.per_minute, 1),
            minutes_left=minute_pace.minutes_left,
        )
    return Insights(
        stats=stats,
        years=years,
        companies=companies,
        pace=pace,
        removals=removals,
        circle=_circle(db, nurture_today or date.today()),
    )


def _circle(db: Database, today: date) -> Circle:
    from prune_tui.nurture import NURTURE_DEFAULT, circle_of, person_from
    from prune_tui.store.nurture import people_with_cadence

    with db.read() as conn:
        rows = people_with_cadence(conn, NURTURE_DEFAULT)
    return circle_of([person_from(r) for r in rows], today)


def _pace(days: list[tuple[str, int]], undecided: int, since: date, ticked: int) -> Pace:
    decided = sum(n for _, n in days)
    per_day = decided / len(days) if days else None
    # A part day is still a day to sit down for.
    days_left = math.ceil(undecided / per_day) if per_day else None
    return Pace(
        active_days=len(days),
        last_days=sum(n for day, n in days if day >= since.isoformat()),
        per_active_day=round(per_day, 1) if per_day is not None else None,
        days_left=days_left,
        first_day=days[0][0] if days else None,
        last_day=days[-1][0] if days else None,
        removals_last_days=ticked,
    )
