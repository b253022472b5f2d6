"""The demo network: believable, deterministic, imported through the real importer."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

from prune_tui.demo import HOSTILE, make_demo_database, write_demo_export
from prune_tui.store import open_database

TODAY = date(2026, 11, 20)


def test_same_seed_same_export(tmp_path: Path) -> None:
    write_demo_export(tmp_path / "a", seed=3, size=50, today=TODAY)
    write_demo_export(tmp_path / "b", seed=3, size=50, today=TODAY)
    write_demo_export(tmp_path / "c", seed=4, size=50, today=TODAY)
    for name in ("Connections.csv", "messages.csv", "Invitations.csv", "Profile.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    a = (tmp_path / "a" / "Connections.csv").read_bytes()
    assert a != (tmp_path / "c" / "Connections.csv").read_bytes()


def test_export_looks_like_a_2023_linkedin_export(tmp_path: Path) -> None:
    write_demo_export(tmp_path, size=300, today=TODAY)
    lines = (tmp_path / "Connections.csv").read_text(encoding="utf-8").split("\n")
    assert lines[0] == "Notes:"
    header = lines.index("First Name,Last Name,URL,Email Address,Company,Position,Connected On")
    assert lines[header - 1] == ""
    rows = list(csv.reader(lines[header + 1 :]))
    rows = [r for r in rows if r]
    assert len(rows) == 300
    assert all(re.fullmatch(r"\d\d [A-Z][a-z]{2} \d{4}", r[6]) for r in rows)
    assert all(r[2].startswith("https://www.linkedin.com/in/") for r in rows)
    # Newest first, as LinkedIn writes them.
    from datetime import datetime

    dates = [datetime.strptime(r[6], "%d %b %Y") for r in rows]
    assert dates == sorted(dates, reverse=True)
    with (tmp_path / "messages.csv").open(encoding="utf-8", newline="") as fh:
        messages = list(csv.DictReader(fh))
    assert len(messages) > 50
    assert {m["FOLDER"] for m in messages} == {"INBOX"}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", m["DATE"]) for m in messages)
    with (tmp_path / "Invitations.csv").open(encoding="utf-8", newline="") as fh:
        invitations = list(csv.DictReader(fh))
    assert {i["Direction"] for i in invitations} == {"INCOMING", "OUTGOING"}
    assert all(
        re.fullmatch(r"\d{1,2}/\d{1,2}/\d\d, \d{1,2}:\d\d [AP]M", i["Sent At"]) for i in invitations
    )


def test_demo_database_is_imported_and_undecided(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    make_demo_database(path, size=300, today=TODAY)
    db = open_database(path)
    try:
        with db.read() as conn:
            total, decided = conn.exec_driver_sql(
                "SELECT count(*), count(decision) FROM connections"
            ).one()
            names = {
                (r[0], r[1])
                for r in conn.exec_driver_sql("SELECT first_name, last_name FROM connections")
            }
            runs = conn.exec_driver_sql("SELECT count(*) FROM import_runs").scalar_one()
    finally:
        db.close()
    assert (total, decided) == (300, 0)
    assert runs == 1
    for first, last, _company in HOSTILE:
        assert (first.strip(), last.strip()) in names
