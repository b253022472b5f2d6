"""Pilot and snapshot tests drive the real app on a temporary database with a fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from prune_tui.store import open_database

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 20)

# first, last, company, position, connected_on, slug
HOSTILE_PEOPLE = [
    (
        "[bold]Markup[/bold]",
        "Tester",
        "[link=x]Evil[/link] Corp",
        "Engineer",
        "2016-03-01",
        "markup",
    ),
    ("Zoë 🌻", "Sunflower 👩‍💻", "Emoji Works", "Designer", "2017-06-15", "zoe"),
    ("مريم", "الحسيني", "شركة النخيل", "مهندسة", "2018-01-20", "maryam"),
    (
        "Maximilian Alexander Christopher",
        "Featherstonehaugh-Montgomery-Wolfeschlegelsteinhausen-Bergerdorff",
        "A Company With An Extraordinarily Long Name That Goes On And On Incorporated",
        "Senior Principal Staff Distinguished Engineer of Everything",
        "2019-09-09",
        "long",
    ),
    ("Escape\x1b[31m", "Bell\x07", "Terminal Ltd", "Hacker", "2020-02-02", "escape"),
    ("Ada", "Lovelace", "Analytical Engines", "Mathematician", "2021-12-10", "ada"),
]


def seed_people(db_path: Path, people: list[tuple[str, str, str, str, str | None, str]]) -> None:
    db = open_database(db_path)
    try:
        with db.write() as conn:
            conn.exec_driver_sql(
                "INSERT INTO import_runs (id, file_name, sha256, kind, imported_at, counts) "
                "VALUES (1, 'Connections.csv', 'x', 'connections', "
                "'2026-01-01T00:00:00+00:00', '{}')"
            )
            for first, last, company, position, when, slug in people:
                conn.exec_driver_sql(
                    "INSERT INTO connections (key, slug, first_name, last_name, name_key, url, "
                    "company, position, connected_on, first_import_id, last_import_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1)",
                    (
                        slug,
                        slug,
                        first,
                        last,
                        f"{first} {last}".casefold(),
                        f"https://www.linkedin.com/in/{slug}",
                        company,
                        position,
                        when,
                    ),
                )
            conn.exec_driver_sql(
                "INSERT INTO evidence (person, message_count, last_message_at, last_message_from, "
                "invited_by, invited_at, invitation_message) VALUES ('ada', 7, "
                "'2025-03-04T10:00:00+00:00', 'them', 'them', '2021-12-09T08:00:00+00:00', "
                "'Loved your [i]talk[/i]!')"
            )
    finally:
        db.close()


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.db"
    seed_people(path, HOSTILE_PEOPLE)
    return path


@pytest.fixture
def clock() -> Callable[[], datetime]:
    return lambda: NOW
