"""A network of tens of thousands of people, written straight into a new database (bulk SQL,
a fraction of a second), for the tests of tables that must page."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from prune_tui.store import open_database

IMPORTED = "2026-01-01T00:00:00+00:00"
FIRST_DAY = date(2005, 1, 1)
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", ""]


def person(i: int) -> tuple[str, str, str, str, str]:
    """(first, last, company, position, connected_on) of person `i` (0-based): older first."""
    day = (FIRST_DAY + timedelta(days=i // 4)).isoformat()  # ids and dates in one order
    return (f"Person{i:05d}", f"Surname{i % 977:03d}", COMPANIES[i % 7], "Engineer", day)


def build_network(path: Path, people: int, *, remove: int = 0, ticked: int = 0) -> Path:
    """`people` connections, the first `remove` (by id) decided "remove", the first `ticked`
    of those ticked off on the checklist before the import below."""
    db = open_database(path)
    try:
        with db.write() as conn:
            conn.exec_driver_sql(
                "INSERT INTO import_runs (id, file_name, sha256, kind, imported_at, counts) "
                "VALUES (1, 'Connections.csv', 'x', 'connections', ?, '{}')",
                (IMPORTED,),
            )
            rows = []
            for i in range(people):
                first, last, company, position, day = person(i)
                slug = f"p{i}"
                rows.append(
                    (
                        slug,
                        slug,
                        first,
                        last,
                        f"{first} {last}".casefold(),
                        f"https://www.linkedin.com/in/{slug}",
                        company,
                        position,
                        day,
                        "remove" if i < remove else None,
                        "2026-01-02T00:00:00+00:00" if i < remove else None,
                    )
                )
            raw = conn.connection.driver_connection
            assert raw is not None
            raw.executemany(
                "INSERT INTO connections (key, slug, first_name, last_name, name_key, url, "
                "company, position, connected_on, decision, decided_at, first_import_id, "
                "last_import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1)",
                rows,
            )
            raw.executemany(
                "INSERT INTO removals (connection_id, marked_at) VALUES (?, ?)",
                [(i + 1, "2026-01-05T00:00:00+00:00") for i in range(ticked)],
            )
    finally:
        db.close()
    return path
