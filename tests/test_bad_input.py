"""Bad input (docs/PRODUCT.md §9): a clear one-line error naming the file (and the line where it
helps), exit 2, and an untouched database. Also what is *not* an error."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from builders import NEW_HEADER, Person, connections_csv, write_connections

from prune_tui.cli.commands import main
from prune_tui.errors import BadInputFile

ERROR_PREFIX = "prune-tui: error: "
PEOPLE = [
    Person("Ada", "Lovelace", "ada", company="Analytical", connected=date(2016, 3, 1)),
    Person("Bob", "Builder", "bob", company="Yard", connected=date(2018, 5, 5)),
    Person("Cleo", "Patra", "cleo", company="Nile", connected=date(2019, 7, 7)),
    Person("Dan", "Dare", "dan", company="Eagle", connected=date(2021, 1, 2)),
    Person("Eve", "Online", "eve", company="CCP", connected=date(2024, 1, 2)),
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(ERROR_PREFIX), err
    assert "Traceback" not in err
    return lines[0]


def dump(db: Path) -> list[str]:
    """Every table's rows and the schema, as SQL text."""
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def imported(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    """A database after a first good import and a few decisions."""
    db = tmp_path / "db" / "prune.db"
    source = write_connections(tmp_path, PEOPLE, name="first.csv")
    assert run(capsys, "import", str(source), "--db", str(db))[0] == 0
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE connections SET decision = 'keep' WHERE slug = 'ada'")
        conn.execute("UPDATE connections SET decision = 'remove' WHERE slug = 'bob'")
    conn.close()
    return db


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def good_csv() -> bytes:
    return connections_csv(PEOPLE)


def _missing(tmp: Path) -> Path:
    return tmp / "Connections-missing.csv"


def _empty_dir(tmp: Path) -> Path:
    folder = tmp / "empty-folder"
    folder.mkdir()
    return folder


def _dir_without_exports(tmp: Path) -> Path:
    folder = tmp / "unrelated-folder"
    (folder / "sub").mkdir(parents=True)
    (folder / "notes.txt").write_text("hello")
    (folder / "sub" / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    return folder


def _empty_file(tmp: Path) -> Path:
    path = tmp / "Connections-empty.csv"
    path.write_bytes(b"")
    return path


def _blank_file(tmp: Path) -> Path:
    path = tmp / "Connections-blank.csv"
    path.write_bytes(b"\n\r\n   \n")
    return path


def _binary(tmp: Path) -> Path:
    path = tmp / "Connections-binary.csv"
    path.write_bytes(bytes(range(256)) * 40)
    return path


def _png(tmp: Path) -> Path:
    path = tmp / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    return path


def _foreign_csv(tmp: Path) -> Path:
    path = tmp / "bank-statement.csv"
    path.write_text("Date,Amount,Payee\n2024-01-01,12.50,Coffee\n", "utf-8")
    return path


def _header_only(tmp: Path) -> Path:
    path = tmp / "Connections-header.csv"
    path.write_text(",".join(NEW_HEADER) + "\n", "utf-8")
    return path


def _only_hidden_rows(tmp: Path) -> Path:
    path = tmp / "Connections-hidden.csv"
    path.write_bytes(connections_csv([], hidden=3))
    return path


def _ragged(tmp: Path) -> Path:
    path = tmp / "Connections-ragged.csv"
    text = good_csv().decode("utf-8").splitlines()
    header_at = next(i for i, line in enumerate(text) if line.startswith("First Name"))
    text.insert(header_at + 3, "Zed,Short,only three")
    path.write_text("\n".join(text) + "\n", "utf-8")
    return path


def _zip_without_known_files(tmp: Path) -> Path:
    return write_zip(
        tmp / "Basic_LinkedInDataExport_01-02-2026.zip",
        {"README.txt": b"hello", "Positions.csv": b"Company Name,Title\nAcme,CEO\n"},
    )


def _empty_zip(tmp: Path) -> Path:
    return write_zip(tmp / "empty.zip", {})


def _corrupt_zip(tmp: Path) -> Path:
    good = write_zip(tmp / "good.zip", {"Connections.csv": good_csv()})
    path = tmp / "Basic_LinkedInDataExport_truncated.zip"
    path.write_bytes(good.read_bytes()[:60])
    good.unlink()
    return path


def _zip_with_damaged_member(tmp: Path, fillers: int = 0) -> Path:
    members = {"Connections.csv": good_csv() * 3}
    members.update({f"Other/File{i}.csv": b"A,B\n1,2\n" for i in range(fillers)})
    path = write_zip(tmp / f"damaged-{fillers}.zip", members)
    data = bytearray(path.read_bytes())
    middle = 30 + len("Connections.csv") + 40  # inside the compressed data
    for i in range(middle, middle + 20):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def _large_zip_with_damaged_member(tmp: Path) -> Path:
    # A complete export holds dozens of files: too many to test each before reading.
    return _zip_with_damaged_member(tmp, fillers=60)


def _zip_with_broken_connections(tmp: Path) -> Path:
    return write_zip(tmp / "ragged-inside.zip", {"Connections.csv": _ragged(tmp).read_bytes()})


def _backup_not_a_list(tmp: Path) -> Path:
    path = tmp / "backup-object.json"
    path.write_text(json.dumps({"first_name": "Ada"}), "utf-8")
    return path


def _backup_bad_decision(tmp: Path) -> Path:
    path = tmp / "backup-decision.json"
    item = {"first_name": "Ada", "last_name": "L", "url": "", "decision": "maybe"}
    path.write_text(json.dumps([item]), "utf-8")
    return path


def _backup_bad_json(tmp: Path) -> Path:
    path = tmp / "backup-broken.json"
    path.write_text('[\n{"first_name": "Ada",\n', "utf-8")
    return path


def _backup_empty_list(tmp: Path) -> Path:
    path = tmp / "backup-empty.json"
    path.write_text("[]", "utf-8")
    return path


def _backup_wrong_types(tmp: Path) -> Path:
    path = tmp / "backup-types.json"
    item = {"first_name": "Ada", "last_name": "L", "url": "", "message_count": "many"}
    path.write_text(json.dumps([item]), "utf-8")
    return path


BAD_INPUTS: dict[str, tuple[Callable[[Path], Path], str, int | None]] = {
    # name: (make the input, words the error must hold, the line it must name)
    "missing file": (_missing, "no such file", None),
    "empty folder": (_empty_dir, "holds no file prune-tui reads", None),
    "folder without exports": (_dir_without_exports, "holds no file prune-tui reads", None),
    "empty file": (_empty_file, "empty", None),
    "blank file": (_blank_file, "", None),
    "binary file": (_binary, "not a text file", None),
    "an image": (_png, "", None),
    "not a LinkedIn export": (_foreign_csv, "not a LinkedIn export", None),
    "header only": (_header_only, "no connections", None),
    "only hidden rows": (_only_hidden_rows, "no connections", None),
    "ragged row": (_ragged, "fields", 7),
    "zip without known files": (_zip_without_known_files, "holds no file prune-tui reads", None),
    "empty zip": (_empty_zip, "", None),
    "corrupt zip": (_corrupt_zip, "zip", None),
    "zip with a damaged member": (_zip_with_damaged_member, "damaged", None),
    "large zip with a damaged member": (_large_zip_with_damaged_member, "damaged", None),
    "zip with a ragged Connections.csv": (_zip_with_broken_connections, "fields", 7),
    "backup that is not a list": (_backup_not_a_list, "not a prune-tui backup", None),
    "backup with an unknown decision": (_backup_bad_decision, "'decision' should be", None),
    "backup that is not valid JSON": (_backup_bad_json, "not valid JSON", None),
    "backup with no connections": (_backup_empty_list, "no connections", None),
    "backup with a wrong type": (_backup_wrong_types, "message_count", None),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_refused_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, imported: Path, case: str
) -> None:
    make, words, line = BAD_INPUTS[case]
    bad = make(tmp_path)
    before = dump(imported)
    before_bytes = digest(imported)

    code, out, err = run(capsys, "import", str(bad), "--db", str(imported))

    assert code == 2
    assert out == ""
    message = one_error_line(err)
    assert bad.name in message  # names the file
    assert words in message
    if line is not None:
        assert f"line {line}" in message
    assert dump(imported) == before
    assert digest(imported) == before_bytes


@pytest.mark.parametrize("case", ["empty file", "binary file", "ragged row", "corrupt zip"])
def test_bad_input_into_no_database_leaves_no_data(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str
) -> None:
    make, _words, _line = BAD_INPUTS[case]
    db = tmp_path / "new.db"
    code, _out, _err = run(capsys, "import", str(make(tmp_path)), "--db", str(db))
    assert code == 2
    if db.exists():
        conn = sqlite3.connect(db)
        try:
            rows = conn.execute("SELECT count(*) FROM connections").fetchone()[0]
            runs = conn.execute("SELECT count(*) FROM import_runs").fetchone()[0]
        finally:
            conn.close()
        assert (rows, runs) == (0, 0)


def test_an_unreadable_file_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, imported: Path
) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = write_connections(tmp_path, PEOPLE, name="locked.csv")
    path.chmod(0)
    before = dump(imported)
    code, _out, err = run(capsys, "import", str(path), "--db", str(imported))
    assert code == 2
    assert "locked.csv" in one_error_line(err)
    assert dump(imported) == before


# ---------------------------------------------------------------------------------------------
# A failure halfway through an import changes nothing


def test_a_failure_after_the_connections_step_rolls_everything_back(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    imported: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import prune_tui.services.importer as importer

    real_apply = importer.apply_connections
    applied: list[int] = []

    def apply_then_fail(*args: object, **kwargs: object) -> None:
        real_apply(*args, **kwargs)  # type: ignore[arg-type]
        applied.append(1)
        raise BadInputFile(tmp_path / "messages.csv", "this row cannot be read", 7)

    monkeypatch.setattr(importer, "apply_connections", apply_then_fail)
    newer = [*PEOPLE, Person("Fay", "Newcomer", "fay", connected=date(2025, 1, 1))]
    newer[0] = Person("Ada", "Byron", "ada", company="Renamed", connected=date(2016, 3, 1))
    source = write_connections(tmp_path, newer, name="second.csv")
    before = dump(imported)

    code, out, err = run(capsys, "import", str(source), "--db", str(imported))
    assert applied == [1]  # the connections really were written before the failure
    assert code == 2
    assert out == ""
    assert "messages.csv, line 7" in one_error_line(err)
    assert dump(imported) == before

    monkeypatch.setattr(importer, "apply_connections", real_apply)
    code, out, _err = run(capsys, "import", str(source), "--db", str(imported))
    assert code == 0  # not remembered as imported: the failed attempt left no trace
    assert "1 new" in out


@pytest.mark.parametrize(
    ("failure", "exit_code", "said"),
    [
        (MemoryError("out of memory"), 1, "internal error"),
        (KeyboardInterrupt(), 130, "interrupted"),
    ],
)
def test_a_failure_or_ctrl_c_mid_import_changes_nothing(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    imported: Path,
    monkeypatch: pytest.MonkeyPatch,
    failure: BaseException,
    exit_code: int,
    said: str,
) -> None:
    """Every row is written, then the import fails (or the user presses Ctrl-C) before the
    commit: the database is as it was."""
    import prune_tui.services.importer as importer

    real_apply = importer.apply_connections

    def apply_then_fail(*args: object, **kwargs: object) -> None:
        real_apply(*args, **kwargs)  # type: ignore[arg-type]
        raise failure

    monkeypatch.setattr(importer, "apply_connections", apply_then_fail)
    source = write_connections(tmp_path, PEOPLE[1:], name="smaller.csv")
    before = dump(imported)
    code, out, err = run(capsys, "import", str(source), "--db", str(imported))
    assert code == exit_code
    assert out == ""
    assert said in err and "Traceback" not in err
    assert dump(imported) == before


def test_an_archive_whose_second_file_is_broken_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, imported: Path
) -> None:
    from prune_tui.services import evidence

    if evidence.kind_for_file_name("messages.csv") is None:
        pytest.skip("messages.csv is not read yet")
    newer = [*PEOPLE, Person("Fay", "Newcomer", "fay", connected=date(2025, 1, 1))]
    header = (
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
        "DATE,SUBJECT,CONTENT,FOLDER\n"
    )
    messages = (
        header
        + "c1,,Ada Lovelace,https://www.linkedin.com/in/ada,Me,https://www.linkedin.com/in/me,"
        "2024-12-16 18:24:37 UTC,,hello,INBOX\n" + "c2,,Bob,too,few\n"
    )
    archive = write_zip(
        tmp_path / "Basic_LinkedInDataExport_03-04-2026.zip",
        {
            "Connections.csv": connections_csv(newer),
            "messages.csv": messages.encode("utf-8"),
        },
    )
    before = dump(imported)
    code, out, err = run(capsys, "import", str(archive), "--db", str(imported))
    assert code == 2
    assert out == ""
    message = one_error_line(err)
    assert "messages.csv" in message
    assert "line 3" in message
    assert dump(imported) == before


# ---------------------------------------------------------------------------------------------
# The database file itself


def test_a_corrupt_database_is_refused_and_left_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "prune.db"
    junk = os.urandom(8192)
    db.write_bytes(junk)
    source = write_connections(tmp_path, PEOPLE)
    for argv in (
        ["import", str(source)],
        ["stats"],
        ["stats", "--json"],
        ["export", "--only", "all", "--format", "json"],
    ):
        code, out, err = run(capsys, *argv, "--db", str(db))
        assert code == 2, argv
        assert out == ""
        assert str(db) in one_error_line(err)
        assert db.read_bytes() == junk
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Connections.csv", "prune.db"]


def test_a_database_damaged_inside_is_refused_and_left_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, imported: Path
) -> None:
    data = bytearray(imported.read_bytes())
    page = 4096
    assert len(data) > 3 * page
    for i in range(page, len(data)):  # keep the header, ruin every page after the first
        data[i] = (data[i] * 7 + 13) % 256
    imported.write_bytes(bytes(data))
    code, out, err = run(capsys, "stats", "--json", "--db", str(imported))
    assert code == 2
    assert out == ""
    assert "damaged" in one_error_line(err)
    assert imported.read_bytes() == bytes(data)


def test_a_foreign_sqlite_database_is_refused_and_left_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "firefox-places.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.com')")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    source = write_connections(tmp_path, PEOPLE)
    for argv in (["import", str(source)], ["stats"], ["export"]):
        code, out, err = run(capsys, *argv, "--db", str(db))
        assert code == 2
        assert out == ""
        assert "not a prune-tui database" in one_error_line(err)
        assert db.read_bytes() == before


def test_a_database_from_a_newer_prune_tui_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, imported: Path
) -> None:
    from prune_tui.store.schema import SCHEMA_VERSION

    conn = sqlite3.connect(imported)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = imported.read_bytes()
    source = write_connections(tmp_path, PEOPLE, name="again.csv")
    for argv in (["import", str(source)], ["stats", "--json"], ["export"]):
        code, out, err = run(capsys, *argv, "--db", str(imported))
        assert code == 2
        assert out == ""
        assert "newer prune-tui" in one_error_line(err)
        assert imported.read_bytes() == before
    assert not list(imported.parent.glob("*.bak"))


def test_a_directory_given_as_the_database_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _out, err = run(capsys, "stats", "--db", str(tmp_path))
    assert code == 2
    assert "directory" in one_error_line(err)


# ---------------------------------------------------------------------------------------------
# Not errors


def test_an_unreadable_date_is_imported_and_counted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "dates.db"
    lines = [
        ",".join(NEW_HEADER),
        "Ada,Lovelace,https://www.linkedin.com/in/ada,,Analytical,Countess,04 Dec 2025",
        "Bob,Builder,https://www.linkedin.com/in/bob,,Yard,Builder,the day we met",
        "Cleo,Patra,https://www.linkedin.com/in/cleo,,Nile,Queen,31 Feb 2020",
    ]
    path = tmp_path / "Connections.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    code, out, err = run(capsys, "import", str(path), "--db", str(db))
    assert code == 0, err
    assert "Imported 3 connections" in out
    assert "2 dates could not be read" in out
    conn = sqlite3.connect(db)
    try:
        dates = dict(conn.execute("SELECT slug, connected_on FROM connections").fetchall())
    finally:
        conn.close()
    assert dates == {"ada": "2025-12-04", "bob": None, "cleo": None}


def test_a_very_long_field_keeps_a_bounded_prefix_and_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from prune_tui.formats import limits

    db = tmp_path / "long.db"
    position = "Chief " + "very " * 40_000 + "long title"  # ~200 kB in one cell
    note_like = "Ünïcode 🌱 " * 5000
    people = [
        Person("Long", "Title", "long-title", position=position, company=note_like),
        *PEOPLE,
    ]
    path = write_connections(tmp_path, people)
    code, out, err = run(capsys, "import", str(path), "--db", str(db))
    assert code == 0, err
    assert f"2 very long fields shortened to their first {limits.KEPT_CHARS:,} characters" in out
    conn = sqlite3.connect(db)
    try:
        stored = conn.execute(
            "SELECT position, company FROM connections WHERE slug = 'long-title'"
        ).fetchone()
        others = conn.execute("SELECT count(*) FROM connections").fetchone()[0]
    finally:
        conn.close()
    assert stored == (
        position[: limits.KEPT_CHARS].strip(),
        note_like[: limits.KEPT_CHARS].strip(),
    )
    assert others == len(people)

    code, out, _err = run(capsys, "export", "--only", "all", "--format", "json", "--db", str(db))
    assert code == 0
    exported = {item["url"]: item for item in json.loads(out)}
    assert exported["https://www.linkedin.com/in/long-title"]["position"] == stored[0]


def test_messages_file_on_its_own_is_valid(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, imported: Path
) -> None:
    from prune_tui.services import evidence

    if evidence.kind_for_file_name("messages.csv") is None:
        pytest.skip("messages.csv is not read yet")
    path = tmp_path / "messages.csv"
    path.write_text(
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
        "DATE,SUBJECT,CONTENT,FOLDER\n"
        "c1,,Ada Lovelace,https://www.linkedin.com/in/ada,Me Myself,"
        "https://www.linkedin.com/in/me,2024-12-16 18:24:37 UTC,,hello,INBOX\n"
        "c1,,Me Myself,https://www.linkedin.com/in/me,Ada Lovelace,"
        "https://www.linkedin.com/in/ada,2024-12-17 08:00:00 UTC,,hi back,INBOX\n"
        "c2,,Me Myself,https://www.linkedin.com/in/me,Bob Builder,"
        "https://www.linkedin.com/in/bob,2024-12-18 08:00:00 UTC,,hey,INBOX\n",
        "utf-8",
    )
    code, _out, err = run(capsys, "import", str(path), "--db", str(imported))
    assert code == 0, err
    conn = sqlite3.connect(imported)
    try:
        total = conn.execute("SELECT count(*) FROM connections").fetchone()[0]
    finally:
        conn.close()
    assert total == len(PEOPLE)  # evidence only: no connection added or marked gone


# ---------------------------------------------------------------------------------------------
# Names from the data never reach the terminal raw


def test_escape_sequences_in_names_are_shown_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, imported: Path
) -> None:
    member = "evil\x1b]0;pwned\x07\u202e/Connections.csv"
    archive = write_zip(tmp_path / "export.zip", {member: _ragged(tmp_path).read_bytes()})
    code, _out, err = run(capsys, "import", str(archive), "--db", str(imported))
    assert code == 2
    line = one_error_line(err)
    assert "export.zip" in line and "line 7" in line
    assert "\x1b" not in err and "\x07" not in err and "\u202e" not in err
    assert "\\u001b]0;pwned\\u0007" in line

    missing = tmp_path / "gone\x1b[2J.csv"
    code, _out, err = run(capsys, "import", str(missing), "--db", str(imported))
    assert code == 2
    assert "\x1b" not in one_error_line(err)


def test_import_summary_escapes_the_file_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = write_connections(tmp_path, PEOPLE, name="my\x1b[31mexport.csv")
    code, out, _err = run(capsys, "import", str(source), "--db", str(tmp_path / "s.db"))
    assert code == 0
    assert "\x1b" not in out
    assert "my\\u001b[31mexport.csv" in out
