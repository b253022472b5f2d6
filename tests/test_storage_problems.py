"""What is really wrong with a database, said truthfully (issue 11, items 4, 5 and 11): a damaged
file is found by quick_check before anything writes to it; a healthy one is never called
damaged (read-only, full disk, locked); read-only commands work on a read-only database; a
database with tables but no schema version is refused without leaving copies behind.

No test needs root: a read-only folder is `os.access` saying so (root could write anyway), a
full disk is SQLite's own SQLITE_FULL from `max_page_count`."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy.exc
from builders import Person, write_connections

import prune_tui.store.database as database_module
import prune_tui.tui.app
from prune_tui.cli.commands import main
from prune_tui.errors import DatabaseProblem
from prune_tui.store import open_database
from prune_tui.store.problems import Kind, classify

PEOPLE = [
    Person("Ada", "Lovelace", "ada", connected=date(2016, 3, 1)),
    Person("Bob", "Builder", "bob", connected=date(2018, 5, 5)),
    Person("Cleo", "Patra", "cleo", connected=date(2019, 7, 7)),
]
MORE = [Person("Dan", "Dare", "dan", connected=date(2021, 1, 2))]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("prune-tui: error: "), err
    assert "Traceback" not in err and "KeyError" not in err
    return lines[0]


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "db" / "prune.db"
    source = write_connections(tmp_path, PEOPLE, name="first.csv")
    assert main(["import", str(source), "--db", str(db)]) == 0
    capsys.readouterr()
    return db


@pytest.fixture
def no_app(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("the app must not start on this database")

    monkeypatch.setattr(prune_tui.tui.app, "create_app", refuse)


def _others(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if p.name != db.name)


def ruin_index(db: Path, index: str) -> None:
    """Overwrite the first page of one index: PRAGMA integrity_check fails, yet a query that
    never reads that index works."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (index,)).fetchone()
    conn.close()
    with db.open("r+b") as fh:
        fh.seek(page_size * (root - 1))
        fh.write(b"\xde\xad\xbe\xef" * (page_size // 4))


# -- item 4: a damaged database ---------------------------------------------------------------


def test_a_damaged_index_is_found_before_an_import_writes(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], no_app: None
) -> None:
    ruin_index(imported, "ix_history_connection")  # the import itself never reads it
    before = imported.read_bytes()
    files = _others(imported)
    source = write_connections(tmp_path, PEOPLE + MORE, name="second.csv")
    code, out, err = run(capsys, "import", str(source), "--db", str(imported))
    assert code == 2 and out == ""
    line = one_error_line(err)
    assert "is damaged" in line
    assert "prune-tui import backup.json --db new.db" in line  # how to restore
    assert imported.read_bytes() == before
    assert _others(imported) == files  # no copy, no journal left behind
    # The app refuses it too, before its screen takes over.
    code, out, err = run(capsys, "--db", str(imported))
    assert code == 2 and "is damaged" in one_error_line(err)
    # What can still be read is saved with a JSON export, as the message says.
    code, out, err = run(
        capsys, "export", "--only", "all", "--format", "json", "--db", str(imported)
    )
    assert code == 0
    assert len(json.loads(out)) == 3


# -- item 5: healthy but not writable ---------------------------------------------------------


@pytest.fixture
def read_only_folder(imported: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The database's folder and file are read-only to this process."""
    folder = imported.parent
    real_access = os.access

    def access(path: Any, mode: int, *args: Any, **kwargs: Any) -> bool:
        if mode & os.W_OK and Path(path).resolve().is_relative_to(folder.resolve()):
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    return imported


def test_read_only_commands_work_on_a_read_only_database(
    read_only_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(read_only_folder)
    before = read_only_folder.read_bytes()
    code, out, err = run(capsys, "stats", "--db", db)
    assert code == 0 and "3 connections" in out.replace("of 3", "3 connections"), err
    code, out, err = run(capsys, "stats", "--json", "--db", db)
    assert code == 0 and json.loads(out)["total"] == 3, err
    code, out, err = run(capsys, "export", "--only", "all", "--format", "csv", "--db", db)
    assert code == 0 and "Lovelace" in out, err
    code, out, err = run(capsys, "where", "--db", db)
    assert code == 0 and db in out
    assert read_only_folder.read_bytes() == before
    assert _others(read_only_folder) == []  # not even SQLite's -shm or -wal


def test_writing_to_a_read_only_database_says_so(
    read_only_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], no_app: None
) -> None:
    before = read_only_folder.read_bytes()
    source = write_connections(tmp_path, PEOPLE + MORE, name="second.csv")
    for argv in (["import", str(source)], []):
        code, _out, err = run(capsys, *argv, "--db", str(read_only_folder))
        assert code == 2, argv
        line = one_error_line(err)
        assert "read-only" in line and "damaged" not in line
        assert "`stats`, `export` and `where` still work" in line
    assert read_only_folder.read_bytes() == before


def _scratch(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE IF NOT EXISTS seed (x)")
    conn.commit()
    conn.close()


def _full(db: Path) -> sqlite3.Error:
    _scratch(db)
    conn = sqlite3.connect(db)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    try:
        conn.execute("CREATE TABLE filler (x)")
        conn.execute("INSERT INTO filler VALUES (zeroblob(100000))")
    except sqlite3.Error as exc:
        return exc
    finally:
        conn.close()
    raise AssertionError("the database did not fill up")


def _read_only(db: Path) -> sqlite3.Error:
    _scratch(db)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        conn.execute("CREATE TABLE filler (x)")
    except sqlite3.Error as exc:
        return exc
    finally:
        conn.close()
    raise AssertionError("a read-only connection wrote")


def _locked(db: Path) -> sqlite3.Error:
    _scratch(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    conn = sqlite3.connect(db, timeout=0)
    try:
        conn.execute("CREATE TABLE filler (x)")
    except sqlite3.Error as exc:
        return exc
    finally:
        conn.close()
        holder.execute("ROLLBACK")
        holder.close()
    raise AssertionError("the lock did not hold")


@pytest.mark.parametrize(
    ("make", "kind", "words"),
    [
        (_full, Kind.FULL, "the disk is full"),
        (_read_only, Kind.READ_ONLY, "read-only"),
        (_locked, Kind.LOCKED, "another prune-tui is busy"),
    ],
)
def test_a_healthy_database_is_never_called_damaged(
    imported: Path,
    monkeypatch: pytest.MonkeyPatch,
    make: Callable[[Path], sqlite3.Error],
    kind: Kind,
    words: str,
) -> None:
    error = make(imported.with_name("scratch.db"))
    assert classify(error) is kind

    def fail(*_args: Any) -> None:
        raise sqlalchemy.exc.OperationalError("PRAGMA journal_mode = WAL", (), error)

    monkeypatch.setattr(database_module, "_use_wal", fail)
    with pytest.raises(DatabaseProblem) as caught:
        open_database(imported)
    message = str(caught.value)
    assert words in message
    assert "damaged" not in message
    assert "PRAGMA" not in message  # never SQL


def test_an_io_error_on_a_nearly_full_disk_is_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    error = sqlite3.OperationalError("disk I/O error")
    error.sqlite_errorname = "SQLITE_IOERR_WRITE"  # type: ignore[attr-defined]
    assert classify(error, tmp_path / "prune.db") is Kind.DISK

    class Tiny:
        f_bavail, f_frsize = 2, 4096  # 8 KB free

    monkeypatch.setattr(os, "statvfs", lambda _path: Tiny())
    assert classify(error, tmp_path / "prune.db") is Kind.FULL


# -- item 11: tables but no schema version ----------------------------------------------------


def test_tables_without_a_schema_version_are_refused_without_copies(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(imported)
    conn.execute("PRAGMA user_version = 0")
    conn.close()
    before = imported.read_bytes()
    files = _others(imported)
    source = write_connections(tmp_path, PEOPLE + MORE, name="second.csv")
    for argv in (["import", str(source)], ["import", str(source)], ["stats"], ["export"]):
        code, _out, err = run(capsys, *argv, "--db", str(imported))
        assert code == 2, argv
        line = one_error_line(err)
        assert "no known schema version" in line
        assert "prune-tui import backup.json --db new.db" in line
    assert imported.read_bytes() == before
    assert _others(imported) == files  # no new .bak on every attempt


def test_read_only_commands_work_on_a_full_disk(
    imported: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """8 KB free: SQLite cannot make its shared-memory file, yet reading needs none."""
    error = _full(imported.with_name("scratch.db"))

    def fail(*_args: Any) -> None:
        raise sqlalchemy.exc.OperationalError("PRAGMA journal_mode = WAL", (), error)

    monkeypatch.setattr(database_module, "_use_wal", fail)
    code, out, err = run(capsys, "stats", "--json", "--db", str(imported))
    assert code == 0 and json.loads(out)["total"] == 3, err
    code, out, err = run(
        capsys, "export", "--only", "all", "--format", "json", "--db", str(imported)
    )
    assert code == 0 and len(json.loads(out)) == 3, err
    source = write_connections(tmp_path, PEOPLE + MORE, name="second.csv")
    code, out, err = run(capsys, "import", str(source), "--db", str(imported))
    assert code == 2
    line = one_error_line(err)
    assert "the disk is full" in line and "damaged" not in line


def test_an_unexpected_database_error_never_prints_sql_or_values(
    imported: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import prune_tui.services.insights

    def fail(*_args: Any, **_kwargs: Any) -> None:
        raise sqlalchemy.exc.IntegrityError(
            "INSERT INTO connections (key) VALUES (?)",
            ("ada-secret-slug",),
            sqlite3.IntegrityError("UNIQUE constraint failed: connections.key"),
        )

    monkeypatch.setattr(prune_tui.services.insights, "read_figures", fail)
    code, out, err = run(capsys, "stats", "--db", str(imported))
    assert code == 1 and out == ""
    assert "UNIQUE constraint failed" in err
    assert "INSERT" not in err and "ada-secret-slug" not in err
