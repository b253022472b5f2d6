"""The figures of the stats screen and the checklist: per year, companies, pace, removals."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from prune_tui.model import Decision
from prune_tui.services.importer import import_path
from prune_tui.services.insights import gather
from prune_tui.services.removals import ChecklistPager, RemovalOrder, RemovalRow, stamp
from prune_tui.services.report import pace_words
from prune_tui.services.review import Review
from prune_tui.store import open_database
from prune_tui.store.database import Database
from prune_tui.store.insights import CompanyCount, YearSplit, removal_progress

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
# Before any real import time: ticks made "then" are older than a later import.
PAST = datetime(2025, 3, 10, 9, 0, tzinfo=timezone.utc)


def write_connections(path: Path, people: list[tuple[str, str, str, str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for first, slug, company, when in people:
        writer.writerow(
            [first, "Test", f"https://www.linkedin.com/in/{slug}", "", company, "Role", when]
        )
    path.write_text(HEADER + buffer.getvalue(), encoding="utf-8")
    return path


PEOPLE = [
    ("Ann", "ann", "Acme", "01 Feb 2015"),
    ("Ben", "ben", "Acme", "03 Mar 2015"),
    ("Cat", "cat", "Beta", "04 Apr 2018"),
    ("Dov", "dov", "  Acme ", "05 May 2018"),
    ("Eli", "eli", "", "06 Jun 2018"),
    ("Fay", "fay", "Beta", "07 Jul 2021"),
    ("Gus", "gus", "Gamma", "garbled"),
]


def removal_checklist(db: Database) -> list[RemovalRow]:
    """The checklist's removals not yet done (flagged ones first), as a new session lists them."""
    pager = ChecklistPager(db, RemovalOrder.OLDEST, stamp(datetime.now(timezone.utc)))
    return [row for row in pager.first(100) if not row.ticked]


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = open_database(tmp_path / "prune.db")
    import_path(database, write_connections(tmp_path / "Connections.csv", PEOPLE))
    with database.write() as conn:  # that export was imported before the ticks made at PAST
        conn.exec_driver_sql("UPDATE import_runs SET imported_at = '2025-01-01T00:00:00+00:00'")
    yield database
    database.close()


def ids(db: Database) -> dict[str, int]:
    with db.read() as conn:
        return {s: i for i, s in conn.exec_driver_sql("SELECT id, slug FROM connections")}


def decide(db: Database, slug: str, decision: Decision, when: datetime) -> None:
    Review(db, clock=lambda: when).record_decision(ids(db)[slug], decision)


def test_years_split_by_decision_undated_last(db: Database) -> None:
    decide(db, "ann", Decision.KEEP, PAST)
    decide(db, "ben", Decision.REMOVE, PAST)
    decide(db, "cat", Decision.NURTURE, PAST)
    decide(db, "dov", Decision.REMOVE, PAST)
    years = gather(db).years
    assert years == [
        YearSplit(2015, keep=1, nurture=0, remove=1, undecided=0),
        YearSplit(2018, keep=0, nurture=1, remove=1, undecided=1),
        YearSplit(2021, keep=0, nurture=0, remove=0, undecided=1),
        YearSplit(None, keep=0, nurture=0, remove=0, undecided=1),
    ]
    assert sum(y.total for y in years) == gather(db).stats.total == 7


def test_top_companies_trimmed_counted_and_limited(db: Database) -> None:
    decide(db, "ann", Decision.REMOVE, PAST)
    companies = gather(db).companies
    assert companies[0] == CompanyCount("Acme", keep=0, nurture=0, remove=1, undecided=2)
    assert [c.company for c in companies] == ["Acme", "Beta", "Gamma"]  # most first, then A–Z
    assert [c.company for c in gather(db, top=2).companies] == ["Acme", "Beta"]


def test_pace_counts_decision_days_and_estimates_days_left(db: Database) -> None:
    day1 = datetime(2026, 11, 1, 10, tzinfo=timezone.utc)
    day2 = datetime(2026, 11, 18, 10, tzinfo=timezone.utc)
    decide(db, "ann", Decision.KEEP, day1)
    decide(db, "ben", Decision.KEEP, day1)
    decide(db, "cat", Decision.KEEP, day1)
    decide(db, "dov", Decision.REMOVE, day2)
    pace = gather(db, today=date(2026, 11, 20)).pace
    assert pace.active_days == 2
    assert pace.per_active_day == 2.0
    assert pace.last_days == 1  # only day2 is within the last 7 days
    assert pace.days_left == 2  # 3 undecided at 2 a day
    assert (pace.first_day, pace.last_day) == ("2026-11-01", "2026-11-18")


def test_pace_without_decisions(db: Database) -> None:
    pace = gather(db).pace
    assert pace.active_days == 0 and pace.per_active_day is None and pace.days_left is None


def test_removals_ticked_confirmed_and_flagged(db: Database, tmp_path: Path) -> None:
    for slug in ("ann", "ben", "cat", "dov"):
        decide(db, slug, Decision.REMOVE, PAST)
    review = Review(db, clock=lambda: PAST)
    review.set_removed(ids(db)["ann"], True)  # removed for real: gone from the next export
    review.set_removed(ids(db)["ben"], True)  # ticked, yet still in the next export: flagged
    assert removal_progress(db).as_dict() == {
        "to_remove": 4,
        "done": 2,
        "confirmed": 0,
        "ticked": 2,
        "flagged": 0,
        "left": 2,
    }
    assert [i.first_name for i in removal_checklist(db)] == ["Cat", "Dov"]

    later = [p for p in PEOPLE if p[1] != "ann"]
    import_path(db, write_connections(tmp_path / "later.csv", later), allow_shrink=True)
    progress = removal_progress(db)
    assert (progress.confirmed, progress.ticked, progress.flagged) == (1, 0, 1)
    assert (progress.done, progress.left) == (1, 3)
    items = removal_checklist(db)
    assert [(i.first_name, i.flagged) for i in items] == [
        ("Ben", True),
        ("Cat", False),
        ("Dov", False),
    ]
    assert items[0].seen_at is not None and items[0].marked_at == PAST.isoformat()
    assert items[1].seen_at is None

    # Ticking the flagged one again (removed again, now) settles it.
    now = Review(db)
    now.set_removed(items[0].id, False)
    now.set_removed(items[0].id, True)
    assert [i.first_name for i in removal_checklist(db)] == ["Cat", "Dov"]
    assert removal_progress(db).flagged == 0


def test_as_dict_carries_the_cli_counts_and_breakdowns(db: Database) -> None:
    decide(db, "ann", Decision.KEEP, PAST)
    data = gather(db).as_dict()
    for key in ("total", "undecided", "keep", "nurture", "remove", "removed", "gone"):
        assert isinstance(data[key], int)
    assert data["keep"] == 1 and data["total"] == 7
    assert data["by_year"][0] == {
        "year": 2015,
        "keep": 1,
        "nurture": 0,
        "remove": 0,
        "undecided": 1,
        "total": 2,
    }
    assert data["top_companies"][0]["company"] == "Acme"
    assert set(data["pace"]) >= {"active_days", "per_active_day", "days_left", "last_days"}
    assert data["removals"]["to_remove"] == 0


def test_time_left_agrees_with_the_progress_strip(db: Database) -> None:
    """Stats and the app's progress strip give the same time left: decisions per minute while
    deciding (breaks left out), not decisions per calendar day."""
    start = datetime(2026, 11, 18, 10, tzinfo=timezone.utc)
    for i, slug in enumerate(("ann", "ben", "cat", "dov")):
        decide(db, slug, Decision.KEEP, start + timedelta(seconds=30 * i))
    insights = gather(db, today=date(2026, 11, 20))
    strip = Review(db).pace(insights.stats.undecided)
    assert strip is not None
    assert insights.pace.per_minute == round(strip.per_minute, 1) == 2.0
    assert insights.pace.minutes_left == strip.minutes_left
    words = pace_words(insights)
    assert "2 a minute" in words and "of deciding left" in words
    assert "more day" not in words  # no second, contradicting estimate
