"""Imports at the limits (issues 11 and 17): bounded work on hostile files, each archive member
read once, an unchanged archive recognised before any member is read, no write lock while
reading, and the encoding decided on evidence. Every bomb is kept small by lowering the limit
it meets (prune_tui.formats.limits)."""

from __future__ import annotations

import os
import sqlite3
import struct
import threading
import zipfile
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from builders import Person, connections_csv, write_connections
from evidence_files import ANN, OWNER, Inv, Msg, invitations_csv, messages_csv
from test_bad_input import PEOPLE, digest, dump, one_error_line, run, write_zip

from prune_tui.formats import limits

MESSAGES = messages_csv(
    [Msg(ANN, [OWNER], datetime(2024, 5, 1, 9, 0)), Msg(OWNER, [ANN], datetime(2024, 5, 2, 9, 0))]
)


@pytest.fixture
def imported(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    db = tmp_path / "db" / "prune.db"
    source = write_connections(tmp_path, PEOPLE, name="first.csv")
    assert run(capsys, "import", str(source), "--db", str(db))[0] == 0
    return db


def refused(capsys: pytest.CaptureFixture[str], db: Path, bad: Path, *words: str) -> str:
    """Import `bad`: exit 2, one line naming the file and holding `words`, nothing changed."""
    before, before_bytes = dump(db), digest(db)
    code, out, err = run(capsys, "import", str(bad), "--db", str(db))
    assert code == 2, err
    assert out == ""
    line = one_error_line(err)
    assert bad.name in line
    for word in words:
        assert word in line
    assert dump(db) == before
    assert digest(db) == before_bytes
    return line


# ---------------------------------------------------------------------------------------------
# Bounds on work


def test_a_zip_of_blank_lines_is_refused_by_its_compression_ratio(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    imported: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "RATIO_FLOOR", 64 * 1024)
    blank = connections_csv(PEOPLE) + b"\n" * 2_000_000
    bomb = write_zip(tmp_path / "blank-lines.zip", {"Connections.csv": blank})
    assert bomb.stat().st_size < 20_000
    refused(capsys, imported, bomb, "Connections.csv", f"{limits.MAX_RATIO:,} times")


def test_blank_lines_past_the_row_limit_are_refused(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    imported: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "MAX_ROWS", 1000)
    path = tmp_path / "Connections.csv"
    path.write_bytes(connections_csv(PEOPLE) + b"\r\n" * 5000)
    refused(capsys, imported, path, "more than 1,000 lines", "limit")


@pytest.mark.parametrize("first_import", [True, False])
def test_rows_repeating_connections_past_the_limit_are_refused(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    first_import: bool,
) -> None:
    """A few repeated rows merge; more than limits.MAX_REPEATED_ROWS of them refuse the file,
    into a new database (rows written straight into it) as into one with connections."""
    monkeypatch.setattr(limits, "MAX_REPEATED_ROWS", 3)
    db = tmp_path / "db" / "prune.db"
    if not first_import:
        source = write_connections(tmp_path, PEOPLE[1:], name="first.csv")
        assert run(capsys, "import", str(source), "--db", str(db))[0] == 0
    many = write_connections(tmp_path, [*PEOPLE[:1] * 5, *PEOPLE], name="Connections.csv")
    if first_import:
        code, out, err = run(capsys, "import", str(many), "--db", str(db))
        assert (code, out) == (2, "")
        assert "more than 3 rows repeat a connection" in one_error_line(err)
        assert not db.exists()  # a first import that failed leaves no database behind
        # Three repeats are merged.
        fewer = write_connections(tmp_path, [*PEOPLE[:1] * 3, *PEOPLE], name="fewer.csv")
        assert run(capsys, "import", str(fewer), "--db", str(db))[0] == 0
        conn = sqlite3.connect(db)
        assert conn.execute("SELECT count(*) FROM connections").fetchone() == (len(PEOPLE),)
        conn.close()
    else:
        refused(capsys, db, many, "more than 3 rows repeat a connection", "limit")


def test_an_unclosed_quote_stops_at_the_field_limit(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    imported: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "MAX_FIELD_CHARS", 64 * 1024)
    text = connections_csv(PEOPLE) + b'Zed,"Unclosed,https://www.linkedin.com/in/zed,,,,\n'
    text += b"and the rest of the file is one field\n" * 20_000
    bomb = write_zip(tmp_path / "unclosed.zip", {"Connections.csv": text})
    refused(capsys, imported, bomb, "Connections.csv", "64 KiB characters", "limit")


def test_one_line_longer_than_the_field_limit_is_refused(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    imported: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "MAX_FIELD_CHARS", 4096)
    path = tmp_path / "Connections.csv"
    path.write_bytes(connections_csv(PEOPLE) + b"Zed,Long," + b"x" * 50_000 + b",,,,\n")
    refused(capsys, imported, path, "a line is longer than 4 KiB")


def test_an_archive_with_too_many_members_is_refused_before_it_is_read(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    imported: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "MAX_MEMBERS", 50)
    members = {"Connections.csv": connections_csv(PEOPLE)}
    members.update({f"extra/{i}.txt": b"" for i in range(60)})
    bomb = write_zip(tmp_path / "many.zip", members)
    built = Counter[str]()
    real_init = zipfile.ZipFile.__init__

    def counting_init(self: zipfile.ZipFile, *args: object, **kwargs: object) -> None:
        built["archive"] += 1
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "__init__", counting_init)
    refused(capsys, imported, bomb, "61 files", "limit of 50")
    assert built["archive"] == 0  # refused from the end record, before zipfile read the directory


def test_an_archive_larger_than_the_total_limit_is_refused(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    imported: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "MAX_TOTAL_BYTES", 8 * 1024)
    big = write_zip(
        tmp_path / "big.zip",
        {"Connections.csv": connections_csv(PEOPLE), "messages.csv": MESSAGES * 20},
    )
    refused(capsys, imported, big, "8 KiB", "limit")


def test_a_folder_larger_than_the_total_limit_is_refused(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    imported: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "MAX_TOTAL_BYTES", 4 * 1024)
    folder = tmp_path / "export-folder"
    folder.mkdir()
    (folder / "Connections.csv").write_bytes(connections_csv(PEOPLE))
    (folder / "messages.csv").write_bytes(MESSAGES * 20)
    refused(capsys, imported, folder, "4 KiB")


def test_the_byte_budget_is_also_counted_as_files_are_read(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    imported: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Not only from the archive's directory: with that check out of the way, reading still
    stops at the limit."""
    monkeypatch.setattr("prune_tui.services.discovery._check_total", lambda *a: None)
    monkeypatch.setattr(limits, "MAX_TOTAL_BYTES", 4 * 1024)
    big = write_zip(
        tmp_path / "lies.zip",
        {"Connections.csv": connections_csv(PEOPLE), "messages.csv": MESSAGES * 20},
    )
    refused(capsys, imported, big, "4 KiB")


# ---------------------------------------------------------------------------------------------
# Archives prune-tui cannot read: one line, exit 2


def _patch_member(path: Path, *, flag: int | None = None, method: int | None = None) -> Path:
    """Set a general-purpose flag bit or the compression method in both headers of every
    member (what an encrypting or Deflate64 zipper writes)."""
    data = bytearray(path.read_bytes())
    for signature, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        at = data.find(signature)
        while at >= 0:
            if flag is not None:
                old = struct.unpack_from("<H", data, at + flag_at)[0]
                struct.pack_into("<H", data, at + flag_at, old | flag)
            if method is not None:
                struct.pack_into("<H", data, at + method_at, method)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    return path


def test_an_encrypted_archive_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, imported: Path
) -> None:
    bomb = write_zip(tmp_path / "locked.zip", {"Connections.csv": connections_csv(PEOPLE)})
    _patch_member(bomb, flag=0x1)
    refused(capsys, imported, bomb, "encrypted", "password")


def test_a_deflate64_archive_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, imported: Path
) -> None:
    bomb = write_zip(tmp_path / "windows.zip", {"Connections.csv": connections_csv(PEOPLE)})
    _patch_member(bomb, method=9)
    refused(capsys, imported, bomb, "Deflate64", "unzip")


# ---------------------------------------------------------------------------------------------
# Not a regular file; binary anywhere


def test_a_device_is_refused_without_reading_it(
    capsys: pytest.CaptureFixture[str], imported: Path
) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    code, _out, err = run(capsys, "import", "/dev/zero", "--db", str(imported))
    assert code == 2
    assert "not a regular file or folder" in one_error_line(err)


def test_a_fifo_is_refused_without_waiting_for_a_writer(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, imported: Path
) -> None:
    fifo = tmp_path / "Connections.csv"
    os.mkfifo(fifo)
    done: list[int] = []
    worker = threading.Thread(
        target=lambda: done.append(run(capsys, "import", str(fifo), "--db", str(imported))[0])
    )
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():  # unblock the reader so the test run can end, then fail
        with open(fifo, "wb"):
            pass
        worker.join()
        pytest.fail("the import waited on a pipe")
    assert done == [2]


def test_a_nul_byte_after_the_first_64_kib_is_binary_too(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, imported: Path
) -> None:
    many = [Person(f"Name{i}", f"Last{i}", f"slug-{i}", company="Acme") for i in range(1500)]
    data = bytearray(connections_csv(many))
    assert len(data) > 70 * 1024
    data[len(data) - 100] = 0
    path = tmp_path / "Connections.csv"
    path.write_bytes(bytes(data))
    refused(capsys, imported, path, "not a text file")


# ---------------------------------------------------------------------------------------------
# The encoding, decided on evidence


def _names(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {
            f"{a} {b}" for a, b in conn.execute("SELECT first_name, last_name FROM connections")
        }
    finally:
        conn.close()


def test_one_bad_byte_in_a_utf8_file_garbles_nothing_else(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    people = [Person(f"Person{i}", "Smith", f"p-{i}") for i in range(1200)]
    people[5] = Person("José", "Müller", "jose")
    people[1100] = Person("Bad", "Byte", "bad")
    data = connections_csv(people).replace(b"Bad,Byte", b"Bad\x81,Byte")
    path = tmp_path / "Connections.csv"
    path.write_bytes(data)
    db = tmp_path / "enc.db"
    code, out, err = run(capsys, "import", str(path), "--db", str(db))
    assert code == 0, err
    names = _names(db)
    assert "José Müller" in names
    assert "Bad\ufffd Byte" in names
    assert "1 byte that could not be read as text" in out


def test_a_stray_byte_before_any_other_non_ascii_text_is_still_utf8(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    people = [Person(f"Person{i}", "Smith", f"p-{i}") for i in range(1500)]
    people[3] = Person("Bad", "Byte", "bad")
    people[1400] = Person("Zoë", "Ström", "zoe")
    data = connections_csv(people).replace(b"Bad,Byte", b"Bad\x9d,Byte")
    path = tmp_path / "Connections.csv"
    path.write_bytes(data)
    db = tmp_path / "enc.db"
    assert run(capsys, "import", str(path), "--db", str(db))[0] == 0
    assert "Zoë Ström" in _names(db)


def test_a_cp1252_file_whose_first_64_kib_are_ascii_is_read_as_cp1252(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    people = [Person(f"Person{i}", "Smith", f"p-{i}") for i in range(1500)]
    people[1400] = Person("José", "Müller", "jose")
    data = connections_csv(people).decode("utf-8").encode("cp1252")
    assert data[: 64 * 1024].isascii()
    path = tmp_path / "Connections.csv"
    path.write_bytes(data)
    db = tmp_path / "enc.db"
    code, out, _err = run(capsys, "import", str(path), "--db", str(db))
    assert code == 0
    assert "José Müller" in _names(db)
    assert "could not be read" not in out


# ---------------------------------------------------------------------------------------------
# Each member read once; an archive seen before is recognised without reading any member


def _complete_export(tmp_path: Path, name: str = "Complete_LinkedInDataExport_01-02-2026") -> Path:
    invitations = invitations_csv([Inv(ANN, "INCOMING", datetime(2023, 1, 1), "hi")])
    members = {
        f"{name}/Connections.csv": connections_csv(PEOPLE),
        f"{name}/messages.csv": MESSAGES,
        f"{name}/Invitations.csv": invitations,
        f"{name}/Endorsement_Received_Info.csv": b"",  # empty: absent evidence
    }
    members.update({f"{name}/Other{i}.csv": b"A,B\n1,2\n" for i in range(40)})
    return write_zip(tmp_path / f"{name}.zip", members)


def _count_opens(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    opened = Counter[str]()
    real_open = zipfile.ZipFile.open
    real_init = zipfile.ZipFile.__init__

    def counting_open(self: zipfile.ZipFile, name: object, *args: object, **kw: object) -> object:
        opened[getattr(name, "filename", str(name)).rsplit("/", 1)[-1]] += 1
        return real_open(self, name, *args, **kw)  # type: ignore[arg-type]

    def counting_init(self: zipfile.ZipFile, *args: object, **kwargs: object) -> None:
        opened["<archive>"] += 1
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "open", counting_open)
    monkeypatch.setattr(zipfile.ZipFile, "__init__", counting_init)
    return opened


def test_each_archive_member_is_decompressed_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = _complete_export(tmp_path)
    opened = _count_opens(monkeypatch)
    code, out, err = run(capsys, "import", str(archive), "--db", str(tmp_path / "once.db"))
    assert code == 0, err
    assert "1 message" in out or "2 messages" in out
    assert opened == Counter(
        {
            "<archive>": 1,
            "Connections.csv": 1,
            "messages.csv": 1,
            "Invitations.csv": 1,
            "Endorsement_Received_Info.csv": 1,
        }
    )


def test_an_unchanged_archive_is_recognised_before_any_member_is_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = _complete_export(tmp_path)
    db = tmp_path / "again.db"
    assert run(capsys, "import", str(archive), "--db", str(db))[0] == 0
    before = dump(db)
    opened = _count_opens(monkeypatch)
    code, out, _err = run(capsys, "import", str(archive), "--db", str(db))
    assert code == 0
    assert "was imported before; nothing changed" in out
    assert opened == Counter({"<archive>": 1})  # its directory only
    assert dump(db) == before


def test_a_damaged_member_is_still_caught_without_a_separate_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, imported: Path
) -> None:
    archive = write_zip(tmp_path / "damaged.zip", {"Connections.csv": connections_csv(PEOPLE) * 4})
    data = bytearray(archive.read_bytes())
    start = 30 + len("Connections.csv") + 30
    for i in range(start, start + 16):
        data[i] ^= 0x55
    archive.write_bytes(bytes(data))
    refused(capsys, imported, archive, "damaged")


# ---------------------------------------------------------------------------------------------
# Reading takes no write lock


def test_files_are_read_before_the_write_lock_is_taken(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    imported: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While messages.csv is being read, another program can still write to the database."""
    from prune_tui.formats import messages

    real_read = messages.MessageTally.read
    wrote: list[bool] = []

    def read_while_someone_writes(self: messages.MessageTally, *args: object) -> None:
        other = sqlite3.connect(imported, timeout=0)
        try:
            with other:
                other.execute(
                    "UPDATE connections SET note = 'written meanwhile' WHERE slug = 'eve'"
                )
            wrote.append(True)
        finally:
            other.close()
        real_read(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(messages.MessageTally, "read", read_while_someone_writes)
    archive = write_zip(
        tmp_path / "export.zip",
        {"Connections.csv": connections_csv(PEOPLE), "messages.csv": MESSAGES},
    )
    code, _out, err = run(capsys, "import", str(archive), "--db", str(imported))
    assert code == 0, err
    assert wrote == [True]
    conn = sqlite3.connect(imported)
    try:
        note = conn.execute("SELECT note FROM connections WHERE slug = 'eve'").fetchone()[0]
    finally:
        conn.close()
    assert note == "written meanwhile"


# ---------------------------------------------------------------------------------------------
# A re-import writes only what changed


def test_a_later_export_rewrites_only_the_evidence_that_changed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from evidence_files import P

    people = [P(f"Person {i}", f"person-{i}") for i in range(30)]
    network = [Person("Person", f"{i}", f"person-{i}") for i in range(30)]
    earlier = [Msg(p, [OWNER], datetime(2024, 1, 1 + i % 28, 9, 0)) for i, p in enumerate(people)]
    later = [Msg(OWNER, [people[3]], datetime(2025, 2, 1, 9, 0)), *earlier]
    db = tmp_path / "again.db"
    for n, messages in enumerate((earlier, later)):
        archive = write_zip(
            tmp_path / f"export-{n}.zip",
            {"Connections.csv": connections_csv(network), "messages.csv": messages_csv(messages)},
        )
        if n == 1:
            conn = sqlite3.connect(db)
            with conn:
                conn.execute("CREATE TABLE written (person TEXT)")
                for event in ("INSERT", "UPDATE", "DELETE"):
                    row = "old" if event == "DELETE" else "new"
                    conn.execute(
                        f"CREATE TRIGGER log_{event.lower()} AFTER {event} ON evidence "
                        f"BEGIN INSERT INTO written VALUES ({row}.person); END"
                    )
            conn.close()
        code, _out, err = run(capsys, "import", str(archive), "--db", str(db))
        assert code == 0, err
    conn = sqlite3.connect(db)
    try:
        written = {person for (person,) in conn.execute("SELECT person FROM written")}
        count = conn.execute(
            "SELECT message_count FROM evidence WHERE person = 'person-3'"
        ).fetchone()
    finally:
        conn.close()
    assert count == (2,)
    assert written <= {"person-3", "aka:person 3"}  # one person's messages changed
