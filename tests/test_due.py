"""`prune-tui due`: words, `--json`, and an iCalendar file that a real iCalendar library reads
back, with stable UIDs, folded lines and escaped text."""

from __future__ import annotations

import json
import stat
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import icalendar
import pytest

from prune_tui.cli.commands import main
from prune_tui.errors import UserError
from prune_tui.model import Decision
from prune_tui.services.due import fold, ics_text, write_atomically, write_ics
from prune_tui.services.nurture import Nurture, Person, Touch
from prune_tui.services.review import Review
from prune_tui.store import open_database

LONG = "Maximilian Alexander Christopher Featherstonehaugh-Montgomery-Wolfeschlegelstein 🌻"
PEOPLE = [
    # first, last, slug, company, decision, days since the last message (None: never)
    ("Ada", "Lovelace", "ada", "Analytical; Engines, Ltd", "nurture", 200),
    ("Bob", "Builder", "bob", "Acme", "keep", 3),
    ("Cleo", "Patra", "cleo", "Nile", "nurture", None),
    ("Dan", LONG, "dan", "Línea\nNueva", "nurture", 10),
    ("Eve", "Removed", "eve", "Acme", "remove", 1),
]


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def seeded(db_path: Path) -> Path:
    db = open_database(db_path)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    try:
        with db.write() as conn:
            conn.exec_driver_sql(
                "INSERT INTO import_runs (id, file_name, sha256, kind, imported_at, counts) "
                "VALUES (1, 'Connections.csv', 'x', 'connections', '2026-01-01T00:00:00+00:00', "
                "'{}')"
            )
            for first, last, slug, company, _decision, days in PEOPLE:
                conn.exec_driver_sql(
                    "INSERT INTO connections (key, slug, first_name, last_name, name_key, url, "
                    "company, position, connected_on, first_import_id, last_import_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, 'Engineer', '2020-01-01', 1, 1)",
                    (
                        slug,
                        slug,
                        first,
                        last,
                        f"{first} {last}".casefold(),
                        f"https://www.linkedin.com/in/{slug}",
                        company,
                    ),
                )
                if days is not None:
                    conn.exec_driver_sql(
                        "INSERT INTO evidence (person, message_count, last_message_at) "
                        "VALUES (?, 1, ?)",
                        (slug, (now - timedelta(days=days)).isoformat()),
                    )
        review = Review(db)
        nurture = Nurture(review)
        with db.read() as conn:
            ids = dict(conn.exec_driver_sql("SELECT slug, id FROM connections").all())
        for _first, _last, slug, _company, decision, _days in PEOPLE:
            review.record_decision(ids[slug], Decision(decision))
        nurture.cycle_cadence(ids["bob"], expected=None)  # keep: every 2 weeks
        nurture.log_touch(ids["dan"], "coffee; talked about her move, to Berlin")
    finally:
        db.close()
    return db_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_due_json(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "due", "--json", "--db", str(seeded))
    assert code == 0
    items = json.loads(out)
    today = date.today()
    assert [i["first_name"] for i in items] == ["Ada", "Cleo", "Bob", "Dan"]
    assert [i["due_on"] for i in items] == sorted(i["due_on"] for i in items)
    ada, cleo, bob, dan = items
    assert set(ada) == {
        "url",
        "first_name",
        "last_name",
        "decision",
        "cadence_days",
        "last_contact_at",
        "due_on",
    }
    assert ada["decision"] == "nurture" and ada["cadence_days"] == 91
    assert date.fromisoformat(ada["due_on"]) == today - timedelta(days=200 - 91)
    assert cleo["last_contact_at"] is None and cleo["due_on"] == today.isoformat()
    assert bob["decision"] == "keep" and bob["cadence_days"] == 14
    assert date.fromisoformat(bob["due_on"]) == today + timedelta(days=11)
    # Dan's touch today is his last contact, later than his last message.
    assert datetime.fromisoformat(dan["last_contact_at"]).date() == today
    assert dan["url"] == "https://www.linkedin.com/in/dan"


def test_due_in_words(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "due", "--db", str(seeded))
    assert code == 0
    assert out.startswith("2 people to reach out to:\n")
    assert "Ada Lovelace · Engineer at Analytical; Engines, Ltd · last contact" in out
    assert "overdue by 109 days" in out
    assert "Cleo Patra · Engineer at Nile · never in touch · due today" in out
    assert "Coming up:" in out and "Bob Builder" in out
    assert "Eve" not in out  # removed: no cadence
    assert "Línea Nueva" in out  # a line break in the data is not one in the output


def test_due_ics_round_trip(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "reach-out.ics"
    code, _, err = run(capsys, "due", "--format", "ics", "-o", str(target), "--db", str(seeded))
    assert code == 0
    assert "Wrote 4 people" in err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    raw = target.read_bytes()
    assert b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n")  # CRLF only
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded
    calendar = icalendar.Calendar.from_ical(raw)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 4
    today = date.today()
    by_summary = {str(e["SUMMARY"]): e for e in events}
    ada = by_summary["Reach out to Ada Lovelace"]
    assert ada["DTSTART"].dt == today  # overdue: in the calendar today, not in the past
    assert ada["DTEND"].dt == today + timedelta(days=1)
    assert str(ada["URL"]) == "https://www.linkedin.com/in/ada"
    description = str(ada["DESCRIPTION"])
    assert "Engineer at Analytical; Engines, Ltd" in description  # unescaped back
    assert "every quarter" in description
    bob = by_summary["Reach out to Bob Builder"]
    assert bob["DTSTART"].dt == today + timedelta(days=11)
    dan = by_summary[f"Reach out to Dan {LONG}"]  # folded, the emoji whole
    assert "last touch: coffee; talked about her move, to Berlin" in str(dan["DESCRIPTION"])
    assert "Línea\nNueva" not in str(dan["DESCRIPTION"])

    # Written again later: the same UIDs, so a calendar updates rather than duplicates.
    uids = {str(e["UID"]) for e in events}
    assert len(uids) == 4
    run(capsys, "due", "--format", "ics", "-o", str(target), "--db", str(seeded))
    again = icalendar.Calendar.from_ical(target.read_bytes())
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == uids


def test_bad_usage_exits_2(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "due", "--json", "--format", "ics", "--db", str(seeded))
    assert code == 2 and err.startswith("prune-tui: error: ") and err.count("\n") == 1
    code, _, err = run(capsys, "due", "--format", "ics", "-o", str(tmp_path), "--db", str(seeded))
    assert code == 2 and "is a directory" in err
    code, _, err = run(capsys, "due", "--db", str(tmp_path / "none.db"))
    assert code == 2 and "import" in err


def test_no_cadence_yet(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    open_database(db_path).close()
    code, out, _ = run(capsys, "due", "--json", "--db", str(db_path))
    assert code == 0 and json.loads(out) == []
    code, out, _ = run(capsys, "due", "--db", str(db_path))
    assert "No one has a cadence yet" in out


def test_fold_and_escape() -> None:
    line = "DESCRIPTION:" + "é" * 80
    folded = fold(line)
    parts = folded.encode().split(b"\r\n")
    assert all(len(p) <= 75 for p in parts)
    assert folded.replace("\r\n ", "").removesuffix("\r\n") == line
    assert ics_text("a;b,c\\d\ne\x1b[31m") == "a\\;b\\,c\\\\d\\ne[31m"


def test_a_failed_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "due.ics"
    target.write_text("old")
    import os

    def broken(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises((OSError, UserError)):
        write_atomically(target, lambda out: out.write("new"))
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["due.ics"]


def test_ics_markup_and_controls_are_text() -> None:
    person = Person(
        id=1,
        first_name="[bold]Evil\x1b[31m",
        last_name="BEGIN:VEVENT",
        url="javascript:alert(1)",
        company="",
        position="",
        decision=Decision.NURTURE,
        active=True,
        stored_cadence=None,
        snoozed_until=None,
        last_message_at=None,
        last_touch=Touch("2026-01-01T00:00:00+00:00", "line\r\nEND:VCALENDAR"),
        key="evil",
    )
    now = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
    text = write_ics([person], date(2026, 11, 20), now)
    calendar = icalendar.Calendar.from_ical(text)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Reach out to [bold]Evil[31m BEGIN:VEVENT"
    assert "URL" not in event  # not a LinkedIn profile: never a link
    lines = text.split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VCALENDAR") == 1
