"""Hostile JSON backups (issue 11, items 6 and 11): wrong types, numbers no count could be,
nesting deeper than Python follows, lone surrogates. Each is exit 2 with one line naming the
file (and the entry and key), never quoting SQL or the data, and the database is untouched.
A backup listing someone twice restores one person and says so; two entries without a URL
whose names differ only in case stay two people."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from builders import Person, write_connections

from prune_tui.cli.commands import main

SECRET = "Zebulon-Quux"  # a value from the data: never in a message
PEOPLE = [
    Person("Ada", "Lovelace", "ada", connected=date(2016, 3, 1)),
    Person("Bob", "Builder", "bob", connected=date(2018, 5, 5)),
]


def entry(**extra: Any) -> dict[str, Any]:
    return {"first_name": "Ada", "last_name": SECRET, "url": "", **extra}


def as_json(*items: Any) -> str:
    return json.dumps(list(items))


# name: (the file's text, words the error must hold)
HOSTILE: dict[str, tuple[Callable[[], str], str]] = {
    "was_name a number": (
        lambda: as_json(entry(was_name=12)),
        "entry 1: 'was_name' should be text",
    ),
    "invited_by a list": (
        lambda: as_json(entry(), entry(invited_by=[SECRET])),
        "entry 2: 'invited_by' should be text",
    ),
    "marked_removed_at an object": (
        lambda: as_json(entry(marked_removed_at={"at": SECRET})),
        "'marked_removed_at' should be text",
    ),
    "confirmed_removed_at true": (
        lambda: as_json(entry(confirmed_removed_at=True)),
        "'confirmed_removed_at' should be text",
    ),
    "gone_since a number": (lambda: as_json(entry(gone_since=5)), "'gone_since' should be text"),
    "email an object": (lambda: as_json(entry(email={})), "'email' should be text"),
    "connected_on not a date": (
        lambda: as_json(entry(connected_on=SECRET)),
        "'connected_on' should be a date like 2021-03-31",
    ),
    "unknown decision": (
        lambda: as_json(entry(decision=SECRET)),
        "'decision' should be keep, nurture, remove or null",
    ),
    "unknown status": (lambda: as_json(entry(status=SECRET)), "'status' should be active or gone"),
    "a criterion answered 1": (
        lambda: as_json(entry(criteria={"spoken": 1})),
        "'criteria' should map names to true, false or null",
    ),
    "10**30 messages": (
        lambda: (
            '[{"first_name": "Ada", "last_name": "L", "url": "", "message_count": '
            + str(10**30)
            + "}]"
        ),
        "a number far too large",
    ),
    "a 5,000-digit number": (
        lambda: (
            '[{"first_name": "Ada", "last_name": "L", "url": "", "message_count": '
            + "9" * 5000
            + "}]"
        ),
        "a number far too large",
    ),
    "a count of five billion": (
        lambda: as_json(entry(message_count=5 * 10**9)),
        "'message_count' should be a whole number from 0 to 1,000,000,000",
    ),
    "a negative count": (
        lambda: as_json(entry(endorsements_given=-3)),
        "'endorsements_given' should be a whole number",
    ),
    "a fractional count": (
        lambda: as_json(entry(message_count=1.5)),
        "'message_count' should be a whole number",
    ),
    "an infinite count": (
        lambda: '[{"first_name": "Ada", "last_name": "L", "url": "", "message_count": 1e999}]',
        "'message_count' should be a whole number",
    ),
    "NaN": (
        lambda: '[{"first_name": "Ada", "last_name": "L", "url": "", "message_count": NaN}]',
        "NaN or Infinity",
    ),
    "100,000-deep nesting": (lambda: "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "deep nesting inside an entry": (
        lambda: (
            '[{"first_name": "Ada", "last_name": "L", "url": "", "note": '
            + "[" * 100_000
            + "]" * 100_000
            + "}]"
        ),
        "nested too deeply",
    ),
    "a lone surrogate in a name": (
        lambda: '[{"first_name": "\\ud800", "last_name": "L", "url": ""}]',
        "entry 1: 'first_name' holds text that is not valid Unicode",
    ),
    "a lone surrogate in a note": (
        lambda: '[{"first_name": "A", "last_name": "L", "url": "", "note": "x\\udfff"}]',
        "entry 1: 'note' holds text that is not valid Unicode",
    ),
}


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "prune.db"
    assert main(["import", str(write_connections(tmp_path, PEOPLE)), "--db", str(db)]) == 0
    capsys.readouterr()
    return db


def dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_backup_is_one_line_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, imported: Path, case: str
) -> None:
    make, words = HOSTILE[case]
    backup = tmp_path / "backup.json"
    backup.write_text(make(), "utf-8")
    before = dump(imported)
    code = main(["import", str(backup), "--db", str(imported)])
    captured = capsys.readouterr()
    assert code == 2, captured.err[-600:]
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err[-600:]
    line = lines[0]
    assert line.startswith(f"prune-tui: error: {backup}: ")
    assert words in line
    assert SECRET not in line and "INSERT" not in line and "9999" not in line
    assert dump(imported) == before


def _restore(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, items: list[dict[str, Any]]
) -> tuple[Path, str]:
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(items), "utf-8")
    db = tmp_path / "restored.db"
    assert main(["import", str(backup), "--db", str(db)]) == 0
    return db, capsys.readouterr().out


def test_a_person_listed_twice_is_restored_once_and_counted_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ada = {"first_name": "Ada", "last_name": "L", "url": "https://www.linkedin.com/in/ada"}
    bob = {"first_name": "Bob", "last_name": "B", "url": "https://www.linkedin.com/in/bob"}
    db, out = _restore(capsys, tmp_path, [ada, bob, {**ada, "decision": "keep"}])
    assert "Restored 2 connections" in out
    assert "merged 1 repeated row" in out
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT slug, decision FROM connections ORDER BY slug").fetchall() == [
            ("ada", "keep"),  # the later entry wins
            ("bob", None),
        ]


def test_entries_without_a_url_differing_only_in_case_stay_two_people(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    upper = {"first_name": "Ann", "last_name": "Lee", "url": "", "connected_on": "2019-02-03"}
    lower = {**upper, "first_name": "ann", "last_name": "lee", "decision": "remove"}
    db, out = _restore(capsys, tmp_path, [upper, lower])
    assert "Restored 2 connections" in out
    assert "merged" not in out
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT first_name, decision FROM connections ORDER BY first_name"
        ).fetchall()
    assert rows == [("Ann", None), ("ann", "remove")]
    # Restoring the same backup again finds the same two people.
    db2 = tmp_path / "restored.db"
    assert main(["import", str(tmp_path / "backup.json"), "--db", str(db2)]) == 0
    capsys.readouterr()
    with sqlite3.connect(db2) as conn:
        assert conn.execute("SELECT count(*) FROM connections").fetchone() == (2,)
