"""The figures behind the stats screen and `prune-tui stats`: SQL aggregates only (no
Textual), each one query over the whole table.

Removals, as the checklist counts them (docs/PRODUCT.md §7):
- to remove: every connection whose decision is `remove`;
- confirmed: those a later export no longer has (status `gone`);
- ticked: marked removed on the checklist and not seen again since;
- flagged: marked removed, yet still present in an export imported after the mark;
- done = confirmed + ticked; left = to remove − done (flagged ones are left to do).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from prune_tui.model import Stats
from prune_tui.store.database import Database
from prune_tui.store.queries import FLAGGED_SQL, REMOVAL_JOINS, STATS_SQL

TOP_COMPANIES = 10


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


def removal_progress(db: Database) -> RemovalProgress:
    with db.read() as conn:
        row = conn.exec_driver_sql(REMOVALS_SQL).one()
    return RemovalProgress(*(int(v) for v in row))


@dataclass(frozen=True)
class StoredFigures:
    """The stats screen's figures as stored, read in one transaction (a consistent snapshot);
    prune_tui.services.insights combines them with the review's pace and the nurtured circle."""

    stats: Stats
    years: list[YearSplit]
    companies: list[CompanyCount]
    days: list[tuple[str, int]]  # (YYYY-MM-DD, decisions made that day)
    removals: RemovalProgress
    ticked_recently: int  # ticked off on the checklist since `since`


def read_figures(db: Database, *, since: date, top: int = TOP_COMPANIES) -> StoredFigures:
    """Every stored figure of the stats screen in one read transaction."""
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
    return StoredFigures(stats, years, companies, days, removals, ticked_recently)
