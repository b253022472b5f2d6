"""`prune-tui stats` in words and as JSON, and the plain-character charts."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prune_tui.cli.commands import main
from prune_tui.model import Decision, Stats
from prune_tui.services.importer import import_path
from prune_tui.services.insights import gather
from prune_tui.services.report import (
    BAR_WIDTH,
    KINDS,
    bar,
    bar_segments,
    clip,
    describe_insights,
    describe_stats,
    dunbar_words,
    pace_words,
    stacked_bar,
)
from prune_tui.services.review import Review
from prune_tui.store import open_database
from prune_tui.store.database import Database
from prune_tui.text.words import rate

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
WHEN = datetime(2026, 11, 18, 10, tzinfo=timezone.utc)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    companies = ["Acme"] * 6 + ["Beta"] * 3 + ["[bold]Evil\x1b[31m Corp"] * 2 + [""]
    for n, company in enumerate(companies):
        year = 2014 + n % 3
        writer.writerow(
            [f"P{n}", "Test", f"https://www.linkedin.com/in/p{n}", "", company, "Role",
             f"0{1 + n % 9} Jan {year}"]
        )  # fmt: skip
    source = tmp_path / "Connections.csv"
    source.write_text(HEADER + buffer.getvalue(), encoding="utf-8")
    database = open_database(tmp_path / "prune.db")
    import_path(database, source)
    with database.write() as conn:  # imported before the decisions and ticks made at WHEN
        conn.exec_driver_sql("UPDATE import_runs SET imported_at = '2026-01-01T00:00:00+00:00'")
    review = Review(database, clock=lambda: WHEN)
    with database.read() as conn:
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM connections ORDER BY id")]
    decisions = [Decision.KEEP, Decision.NURTURE] + [Decision.REMOVE] * 4
    for cid, decision in zip(ids[: len(decisions)], decisions, strict=True):
        review.record_decision(cid, decision)
    review.set_removed(ids[2], True)
    yield database
    database.close()


def test_words_cover_every_section(db: Database) -> None:
    text = describe_stats(db)
    lines = text.splitlines()
    assert lines[0] == "6 of 12 connections decided (6 still to decide)"
    assert any(line.startswith("  undecided") and line.endswith("#" * BAR_WIDTH) for line in lines)
    assert any(line.startswith("  remove") and line.endswith("#" * 27) for line in lines)
    assert "Dunbar gauge: 2 of 150 (keep + nurture), room for 148 more" in text
    assert "Removals: 1 of 4 removed on LinkedIn (1 ticked off, 0 confirmed" in text
    assert "3 to go" in text
    assert "Pace: 6 decisions over 1 day (about 6 a day)" in text
    assert "Connections per year connected" in text
    year_lines = [line for line in lines if line.startswith(("  2014", "  2015", "  2016"))]
    assert len(year_lines) == 3
    assert "Top companies" in text
    acme = next(line for line in lines if line.startswith("  Acme"))
    assert acme.split()[1] == "6"
    # Six Acme people: keep, nurture and four removals: the bar shows each kind.
    assert acme.split()[2] == stacked_bar({"keep": 1, "nurture": 1, "remove": 4}, 6, 30)


def test_words_never_pass_markup_or_escapes_through(db: Database) -> None:
    text = describe_stats(db)
    assert "\x1b" not in text
    assert "[bold]Evil[31m Corp" in text  # shown literally, control character dropped


def test_empty_database_says_what_to_do(tmp_path: Path) -> None:
    db = open_database(tmp_path / "empty.db")
    try:
        text = describe_stats(db)
    finally:
        db.close()
    assert text.startswith("No connections yet: import your LinkedIn export")
    assert "Top companies" not in text


def test_stats_json_from_the_command_line(db: Database, capsys: pytest.CaptureFixture[str]):
    assert main(["stats", "--json", "--db", str(db.path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["total"], data["keep"], data["remove"], data["removed"]) == (12, 1, 4, 1)
    assert [y["year"] for y in data["by_year"]] == [2014, 2015, 2016]
    assert data["top_companies"][0] == {
        "company": "Acme",
        "keep": 1,
        "nurture": 1,
        "remove": 4,
        "undecided": 0,
        "total": 6,
    }
    assert data["removals"]["done"] == 1 and data["pace"]["per_active_day"] == 6.0
    assert main(["stats", "--db", str(db.path)]) == 0
    assert capsys.readouterr().out.strip() == describe_stats(db)


def test_dunbar_words() -> None:
    def stats(keep: int, nurture: int) -> Stats:
        return Stats(keep + nurture, 0, keep, nurture, 0, 0, 0)

    assert dunbar_words(stats(100, 20)) == "room for 30 more"
    assert dunbar_words(stats(100, 50)) == "right at the limit"
    assert dunbar_words(stats(150, 30)).startswith("30 over")


def test_over_dunbar_gauge_is_full_and_marked(db: Database) -> None:
    insights = gather(db)
    over = Stats(300, 0, 200, 100, 0, 0, 0)
    text = describe_insights(type(insights)(over, [], [], insights.pace, insights.removals))
    assert f"[{'#' * BAR_WIDTH}]+" in text


def test_bar() -> None:
    assert bar(0, 10) == ""
    assert bar(10, 10, 20) == "#" * 20
    assert bar(1, 1000, 20) == "#"  # something, however small
    assert bar(30, 10, 20) == "#" * 20


@given(
    counts=st.fixed_dictionaries({k: st.integers(0, 5000) for k in KINDS}),
    extra=st.integers(0, 5000),
    width=st.integers(4, 60),
)
def test_bar_segments_add_up_and_show_every_kind(
    counts: dict[str, int], extra: int, width: int
) -> None:
    total = sum(counts.values())
    scale = total + extra
    pieces = bar_segments(counts, scale, width)
    assert sum(size for _, size in pieces) == len(bar(total, scale, width))
    assert [k for k, _ in pieces] == [k for k in KINDS if k in dict(pieces)]
    present = [k for k in KINDS if counts[k]]
    if len(bar(total, scale, width)) >= 2 * len(present):
        assert {k for k, _ in pieces} == set(present)


def test_clip() -> None:
    assert clip("a\x1bb\tc", 10) == "ab c"  # the escape dropped, the tab a space
    assert clip("abcdefghij", 5) == "abcd…"


def test_rates_read_like_the_counts_beside_them() -> None:
    assert rate(10000.0) == "10,000"
    assert rate(2.5) == "2.5"
    assert rate(1234567.25) == "1,234,567.2"
    assert rate(0.0) == "0"


def test_a_fast_pace_has_thousands_separators(db: Database) -> None:
    insights = gather(db)
    fast = replace(insights, pace=replace(insights.pace, per_active_day=10000.0, per_minute=1500.0))
    words = pace_words(fast)
    assert "(about 10,000 a day)" in words
    assert "1,500 a minute" in words
    assert "e+" not in pace_words(replace(fast, pace=replace(fast.pace, per_active_day=1e6)))
