"""LinkedIn's own notes on connections, read by header name (no documented layout), added to
people's notes labelled as from LinkedIn and never over what the user wrote."""

from __future__ import annotations

import zipfile
from pathlib import Path

from builders import Person, connections_csv

from prune_tui.services.importer import describe_summary, import_path
from prune_tui.services.linkedin_notes import is_notes_header, with_linkedin_note
from prune_tui.services.review import Review
from prune_tui.store.database import Database

PEOPLE = [
    Person("Ada", "Lovelace", "ada"),
    Person("Bob", "Builder", "bob"),
    Person("Cleo", "Patra", "cleo"),
    Person("Dan", "Twin", "dan-1"),
    Person("Dan", "Twin", "dan-2"),
]


def notes(db: Database) -> dict[str, str]:
    with db.read() as conn:
        return dict(conn.exec_driver_sql("SELECT slug, note FROM connections").all())


def test_notes_are_added_and_the_users_words_kept(db: Database, tmp_path: Path) -> None:
    export = tmp_path / "Connections.csv"
    export.write_bytes(connections_csv(PEOPLE))
    import_path(db, export)
    bob = next(i for s, i in ids(db).items() if s == "bob")
    Review(db).set_note(bob, "my [b]friend[/b] from school\n\n")

    notes_file = tmp_path / "Notes.csv"
    notes_file.write_text(
        "First Name,Last Name,URL,Note\n"
        'Ada,Lovelace,https://www.linkedin.com/in/ada,"met at PyCon,\ntalked engines"\n'
        "Bob,Builder,https://www.linkedin.com/in/bob,knows everyone in Leeds\n"
        "Cleo,Patra,,worked together in 2019\n"
        "Dan,Twin,,which Dan?\n"
        "Zed,Nobody,https://www.linkedin.com/in/zed,not a connection\n"
        "Eve,Empty,https://www.linkedin.com/in/ada,\n"
        "Mal,Icious,https://evil.example/in/bob,a URL elsewhere names no one\n",
        encoding="utf-8",
    )
    summary = import_path(db, notes_file)
    assert summary.linkedin_notes == 3
    assert "3 notes from LinkedIn added to people's notes" in describe_summary(summary)
    now = notes(db)
    assert now["ada"] == "From LinkedIn: met at PyCon,\ntalked engines"
    assert now["bob"] == "my [b]friend[/b] from school\n\nFrom LinkedIn: knows everyone in Leeds"
    assert now["cleo"] == "From LinkedIn: worked together in 2019"
    assert now["dan-1"] == now["dan-2"] == ""  # a shared name attaches to no one

    # A newer export's notes: LinkedIn's paragraph is replaced, the user's words stay.
    newer = tmp_path / "newer"
    newer.mkdir()
    (newer / "Notes.csv").write_text(
        "URL,Notes\nhttps://www.linkedin.com/in/bob,moved to Berlin\n", encoding="utf-8"
    )
    import_path(db, newer)
    assert notes(db)["bob"] == "my [b]friend[/b] from school\n\nFrom LinkedIn: moved to Berlin"


def ids(db: Database) -> dict[str, int]:
    with db.read() as conn:
        return dict(conn.exec_driver_sql("SELECT slug, id FROM connections").all())


def test_an_archive_with_an_unreadable_notes_file_still_imports(
    db: Database, tmp_path: Path
) -> None:
    archive = tmp_path / "Basic_LinkedInDataExport_11-20-2026.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("Connections.csv", connections_csv(PEOPLE))
        zf.writestr("Notes.csv", "Something,Else\n1,2\n")
    summary = import_path(db, archive)
    assert summary.new == 5 and summary.linkedin_notes == 0
    assert set(notes(db).values()) == {""}


def test_the_header_is_recognised_by_name_only() -> None:
    assert is_notes_header(["URL", "Note"])
    assert is_notes_header(["Name", "Notes"])
    assert is_notes_header(["First Name", "Last Name", "Note"])
    assert not is_notes_header(["First Name", "Last Name", "Text"])  # recommendations
    assert not is_notes_header(["Note"])  # about no one
    assert not is_notes_header(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    )


def test_with_linkedin_note() -> None:
    assert with_linkedin_note("", "hi") == "From LinkedIn: hi"
    assert with_linkedin_note("mine", "hi") == "mine\n\nFrom LinkedIn: hi"
    assert with_linkedin_note("mine\n\nFrom LinkedIn: hi", "hi") == "mine\n\nFrom LinkedIn: hi"
    assert with_linkedin_note("mine\n\nFrom LinkedIn: old\n\nmore of mine", "new") == (
        "mine\n\nFrom LinkedIn: new\n\nmore of mine"
    )
