"""Pages of a list read from either end, and a row's place in it, agree with the whole list
in every order and filter (NULL dates, ties and people no longer connected included)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from prune_tui.services.paging import BrowsePager
from prune_tui.services.review import Filter, Order, Queue, Review
from prune_tui.store import open_database
from prune_tui.store.database import Database

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = open_database(tmp_path / "p.db")
    with database.write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO import_runs (id, file_name, sha256, kind, imported_at, counts) "
            "VALUES (1, 'c', 's', 'connections', '2026-01-01T00:00:00+00:00', '{}')"
        )
        for i in range(41):
            day = None if i % 7 == 0 else f"20{10 + i % 5}-01-0{1 + i % 3}"
            conn.exec_driver_sql(
                "INSERT INTO connections (key, slug, first_name, last_name, name_key, company, "
                "connected_on, status, decision, first_import_id, last_import_id) "
                "VALUES (?, ?, ?, 'X', ?, ?, ?, ?, ?, 1, 1)",
                (
                    f"k{i}",
                    f"k{i}",
                    f"P{i % 9}",
                    f"p{i % 9} x",
                    ["", "Acme", "Beta"][i % 3],
                    day,
                    "gone" if i % 11 == 0 else "active",
                    "remove" if i % 4 == 0 else None,
                ),
            )
    yield database
    database.close()


@pytest.mark.parametrize("order", list(Order))
@pytest.mark.parametrize("filt", [Filter.ALL, Filter.UNDECIDED, Filter.REMOVE, Filter.GONE])
def test_pages_from_either_end_agree_with_the_whole_list(
    db: Database, order: Order, filt: Filter
) -> None:
    pager = BrowsePager(Review(db, clock=lambda: NOW), Queue(order, filt, ""))
    whole = [row.id for row in pager.first(1000)]
    assert len(whole) == pager.count() and len(set(whole)) == len(whole)
    assert [row.id for row in pager.last(1000)] == whole
    assert [row.id for row in pager.last(3)] == whole[-3:]
    rows = pager.first(1000)
    for index, row in enumerate(rows):
        assert pager.index_of(row) == index
        assert [r.id for r in pager.before(row, 4)] == whole[max(index - 4, 0) : index]
        assert [r.id for r in pager.after(row, 4)] == whole[index + 1 : index + 5]
