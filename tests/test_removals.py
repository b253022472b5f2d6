"""The removal pace: today's ticks, the days left at the user's pace, and `stats --json`."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from big_network import build_network

from prune_tui.cli.commands import main
from prune_tui.services.removals import (
    DEFAULT_PER_DAY,
    ChecklistPager,
    RemovalOrder,
    RemovalPace,
    parse_per_day,
    per_day,
    removal_pace,
    set_per_day,
    stamp,
)
from prune_tui.store import open_database

NOW = datetime(2026, 6, 1, 15, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


def tick(db_path: Path, ids: list[int], at: datetime) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.executemany(
            "INSERT INTO removals (connection_id, marked_at) VALUES (?, ?) "
            "ON CONFLICT(connection_id) DO UPDATE SET marked_at = excluded.marked_at",
            [(i, stamp(at)) for i in ids],
        )


def test_days_left_round_up_and_are_none_when_nothing_is_left() -> None:
    pace = RemovalPace(per_day=25, to_remove=3040, ticked=212, confirmed=0, flagged=0,
                       removed_today=12)  # fmt: skip
    assert pace.left == 2828 and pace.days_left == 114  # 113.1 days: a part day is a day
    assert not pace.met_today
    done = RemovalPace(25, 10, 8, 2, 0, 30)
    assert done.left == 0 and done.days_left is None and done.met_today
    assert pace.as_dict() == {
        "removals_per_day": 25,
        "removed_today": 12,
        "removal_days_left": 114,
    }


def test_the_pace_is_stored_and_checked(tmp_path: Path) -> None:
    db = open_database(tmp_path / "p.db")
    try:
        assert per_day(db) == DEFAULT_PER_DAY
        set_per_day(db, 7)
        assert per_day(db) == 7
        with pytest.raises(ValueError):
            set_per_day(db, 0)
        db.set_setting("removals.per_day", "lots")  # hand-edited: the default, not a crash
        assert per_day(db) == DEFAULT_PER_DAY
    finally:
        db.close()
    assert parse_per_day(" 1,000 ") == 1000
    for bad in ("", "0", "-3", "2.5", "1001", "ten"):
        with pytest.raises(ValueError, match="from 1 to 1,000"):
            parse_per_day(bad)


def test_removed_today_counts_from_local_midnight(tmp_path: Path) -> None:
    path = build_network(tmp_path / "n.db", 40, remove=30)
    tick(path, [1, 2], NOW - timedelta(days=1))
    tick(path, [3, 4, 5], NOW.replace(hour=0, minute=0, second=1))
    tick(path, [6], NOW)
    db = open_database(path)
    try:
        pace = removal_pace(db, NOW, session=NOW - timedelta(hours=1))
    finally:
        db.close()
    assert (pace.to_remove, pace.done, pace.removed_today) == (30, 6, 4)
    assert pace.today_before_session == 3 and pace.todays_share == 22
    assert pace.days_left == 1


def test_checklist_parts_order_and_positions(tmp_path: Path) -> None:
    path = build_network(tmp_path / "n.db", 40, remove=30)
    tick(path, [1, 2], NOW - timedelta(days=1))  # an earlier session: at the end
    tick(path, [3], NOW)  # this session: in place
    db = open_database(path)
    try:
        for order in RemovalOrder:
            pager = ChecklistPager(db, order, stamp(NOW - timedelta(minutes=5)))
            whole = pager.first(100)
            assert len(whole) == pager.count() == 30
            ids = [row.id for row in whole]
            assert ids[-2:] in ([1, 2], [2, 1]) and all(row.earlier for row in whole[-2:])
            assert 3 in ids[:-2]
            assert [r.id for r in pager.last(100)] == ids
            for index, row in enumerate(whole):
                assert pager.index_of(row) == index
                assert [r.id for r in pager.after(row, 3)] == ids[index + 1 : index + 4]
                assert [r.id for r in pager.before(row, 3)] == ids[max(index - 3, 0) : index]
            assert pager.parts() == (28, 2)
        oldest = ChecklistPager(db, RemovalOrder.OLDEST, stamp(NOW)).first(100)
        assert [r.id for r in oldest[:-2]] == list(range(3, 31))
    finally:
        db.close()


def test_stats_json_gives_the_removal_pace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = build_network(tmp_path / "n.db", 40, remove=30)
    now = datetime.now(timezone.utc)
    tick(path, [1, 2, 3], now)
    tick(path, [4], now - timedelta(days=2))

    def figures() -> dict[str, object]:
        assert main(["stats", "--json", "--db", str(path)]) == 0
        return dict(json.loads(capsys.readouterr().out))

    got = figures()
    assert got["removals_per_day"] == 25
    assert got["removed_today"] == 3
    assert got["removal_days_left"] == 2  # 26 left ÷ 25 a day
    assert got["remove"] == 30  # the other figures are still there
    tick(path, list(range(5, 31)), now - timedelta(days=3))
    got = figures()
    assert got["removal_days_left"] is None and got["removed_today"] == 3
