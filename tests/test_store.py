"""Storage (docs/PRODUCT.md §8, §9): private file modes, WAL, the schema's identity and version, the
upgrade path with its backup copy, and two processes on one database."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from builders import Person, write_connections
from sqlalchemy import Connection

from prune_tui.cli.commands import main
from prune_tui.errors import DatabaseProblem
from prune_tui.model import Decision
from prune_tui.services.importer import import_path
from prune_tui.services.review import Review
from prune_tui.store import database, open_database, schema
from prune_tui.store.database import Database
from prune_tui.store.queries import stats
from prune_tui.text.choices import EXPORT_FORMATS


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """A permissive umask, so the app (not the test's umask) must make files private."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def people(n: int, prefix: str = "p") -> list[Person]:
    """`n` people; another prefix makes other people (names and profile addresses)."""
    return [
        Person(
            f"First{i}", f"Last{prefix}{i}", f"{prefix}-{i}", connected=date(2015 + i % 10, 1, 1)
        )
        for i in range(n)
    ]


def pragma(path: Path, name: str) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------
# Files readable by the user only


def test_new_database_and_its_folder_are_private(tmp_path: Path, loose_umask: None) -> None:
    path = tmp_path / "deep" / "er" / "prune.db"
    db = open_database(path)
    try:
        assert mode(path) == 0o600
        assert mode(path.parent) == 0o700
        with db.write() as conn:  # a write leaves the WAL and shared-memory files behind
            conn.exec_driver_sql("INSERT INTO settings (key, value) VALUES ('x', '1')")
        reader = db.engine.connect()  # an open reader keeps them in place
        reader.exec_driver_sql("SELECT count(*) FROM settings").all()
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            assert side.exists(), suffix
            assert mode(side) == 0o600, suffix
        reader.close()
    finally:
        db.close()


def test_an_existing_folder_keeps_its_mode(tmp_path: Path, loose_umask: None) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    open_database(folder / "prune.db").close()
    assert mode(folder) == 0o755  # not ours to change
    assert mode(folder / "prune.db") == 0o600


def test_cli_creates_private_database_and_exports(
    tmp_path: Path, loose_umask: None, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "data" / "prune.db"
    csv_path = write_connections(tmp_path, people(3))
    assert main(["import", str(csv_path), "--db", str(db)]) == 0
    os.umask(0o022)  # the command line tightened it; loosen again for the export
    assert mode(db) == 0o600
    assert mode(db.parent) == 0o700
    for fmt in EXPORT_FORMATS:
        target = tmp_path / "exports" / f"out.{fmt}"
        argv = ["export", "--format", fmt, "--only", "all", "-o", str(target), "--db", str(db)]
        assert main(argv) == 0
        os.umask(0o022)
        assert mode(target) == 0o600, fmt
        assert mode(target.parent) == 0o700
    existing = tmp_path / "was-public.md"
    existing.write_text("old")
    existing.chmod(0o644)
    assert main(["export", "-o", str(existing), "--db", str(db)]) == 0
    assert mode(existing) == 0o644  # only files prune-tui creates are tightened (issue 11)
    assert "old" not in existing.read_text()
    capsys.readouterr()


# ---------------------------------------------------------------------------------------------
# What the file says about itself


def test_wal_application_id_and_version(db_path: Path) -> None:
    open_database(db_path).close()
    assert pragma(db_path, "journal_mode") == "wal"
    assert pragma(db_path, "application_id") == schema.APPLICATION_ID
    assert pragma(db_path, "user_version") == schema.SCHEMA_VERSION
    assert schema.SCHEMA_VERSION >= 1
    conn = sqlite3.connect(db_path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()
    assert {"connections", "history", "criteria", "evidence", "removals"} <= tables
    assert {"import_runs", "settings"} <= tables


def test_a_first_import_writes_a_new_database_once_then_it_is_wal(
    tmp_path: Path, loose_umask: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """The import command fills a new database under a rollback journal (each page written
    once, not to the WAL and again at the checkpoint); the file it leaves is WAL all the same."""
    db_path = tmp_path / "prune.db"
    db = open_database(db_path, first_fill=True)
    assert pragma(db_path, "journal_mode") == "delete"
    with db.read() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar_one() == 2  # FULL
    import_path(db, write_connections(tmp_path, people(5)))
    db.close()
    assert pragma(db_path, "journal_mode") == "wal"
    reopened = open_database(db_path)
    assert stats(reopened).total == 5
    with reopened.read() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar_one() == 1  # NORMAL
    reopened.close()

    # Through the command line, with the files private all the same.
    other = tmp_path / "other.db"
    assert main(["import", str(write_connections(tmp_path, people(4))), "--db", str(other)]) == 0
    assert pragma(other, "journal_mode") == "wal"
    assert mode(other) == 0o600
    assert [p.name for p in tmp_path.glob("other.db*")] == ["other.db"]
    capsys.readouterr()


def test_an_existing_database_is_wal_at_once_even_for_an_import(db_path: Path) -> None:
    open_database(db_path).close()
    db = open_database(db_path, first_fill=True)
    assert pragma(db_path, "journal_mode") == "wal"
    db.close()


def test_another_window_opening_a_database_being_filled_makes_it_wal(
    db_path: Path, tmp_path: Path
) -> None:
    filling = open_database(db_path, first_fill=True)
    app = open_database(db_path)  # the app, started while the first import runs
    assert pragma(db_path, "journal_mode") == "wal"
    import_path(filling, write_connections(tmp_path, people(6)))
    assert stats(app).total == 6
    filling.close()
    app.close()
    assert pragma(db_path, "journal_mode") == "wal"


def test_every_connection_waits_for_a_busy_writer(db: Database) -> None:
    with db.read() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() >= 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"


def test_reopening_changes_nothing(db_path: Path) -> None:
    db = open_database(db_path)
    import_path(db, write_connections(db_path.parent, people(5)))
    db.close()
    before = db_path.read_bytes()
    for _ in range(3):
        open_database(db_path).close()
    assert db_path.read_bytes() == before
    assert not list(db_path.parent.glob("*.bak"))


def test_an_empty_file_becomes_a_database(db_path: Path) -> None:
    db_path.write_bytes(b"")
    open_database(db_path).close()
    assert pragma(db_path, "application_id") == schema.APPLICATION_ID


def test_reading_never_creates_a_database(db_path: Path) -> None:
    with pytest.raises(DatabaseProblem, match="prune-tui import"):
        open_database(db_path, create=False)
    assert not db_path.exists()


def test_settings_round_trip(db: Database) -> None:
    assert db.get_setting("queue", "default") == "default"
    db.set_setting("queue", {"order": "oldest", "filter": ["undecided"]})
    db.set_setting("queue", {"order": "newest"})
    assert db.get_setting("queue") == {"order": "newest"}


def test_a_write_is_all_or_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError), db.write() as conn:
        conn.exec_driver_sql("INSERT INTO settings (key, value) VALUES ('a', '1')")
        raise RuntimeError("halfway")
    assert db.get_setting("a") is None


# ---------------------------------------------------------------------------------------------
# Upgrading an old database


def decide_some(db: Database) -> dict[str, str]:
    review = Review(db)
    chosen = {"p-0": Decision.KEEP, "p-1": Decision.NURTURE, "p-2": Decision.REMOVE}
    with db.read() as conn:
        ids = dict(conn.exec_driver_sql("SELECT slug, id FROM connections").all())
    for slug, decision in chosen.items():
        review.record_decision(ids[slug], decision)
    review.set_note(ids["p-0"], "old friend")
    review.toggle_criterion(ids["p-0"], 1)
    return {slug: d.value for slug, d in chosen.items()}


def snapshot(path: Path) -> dict[str, object]:
    conn = sqlite3.connect(path)
    try:
        return {
            "decisions": sorted(
                conn.execute(
                    "SELECT slug, decision, decided_at, note FROM connections ORDER BY slug"
                ).fetchall()
            ),
            "history": conn.execute(
                "SELECT connection_id, field, old, new FROM history"
            ).fetchall(),
            "criteria": conn.execute("SELECT * FROM criteria").fetchall(),
        }
    finally:
        conn.close()


CURRENT = schema.SCHEMA_VERSION
NEXT = CURRENT + 1


def pretend_next_version(monkeypatch: pytest.MonkeyPatch, step: object) -> None:
    monkeypatch.setattr(database, "SCHEMA_VERSION", NEXT)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", NEXT)
    monkeypatch.setitem(database.MIGRATIONS, CURRENT, step)


def test_an_old_database_is_backed_up_and_upgraded_keeping_every_decision(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, loose_umask: None
) -> None:
    db = open_database(db_path)
    import_path(db, write_connections(db_path.parent, people(6)))
    decided = decide_some(db)
    db.close()
    before = snapshot(db_path)
    assert pragma(db_path, "user_version") == CURRENT

    steps: list[int] = []

    def add_nickname(conn: Connection) -> None:
        steps.append(1)
        conn.exec_driver_sql("ALTER TABLE connections ADD COLUMN nickname TEXT")

    pretend_next_version(monkeypatch, add_nickname)
    db = open_database(db_path)
    try:
        assert steps == [1]
        assert pragma(db_path, "user_version") == NEXT
        assert snapshot(db_path) == before
        with db.read() as conn:
            got = dict(
                conn.exec_driver_sql(
                    "SELECT slug, decision FROM connections WHERE decision IS NOT NULL"
                ).all()
            )
            assert conn.exec_driver_sql("SELECT count(nickname) FROM connections").scalar_one() == 0
        assert got == decided
        assert stats(db).decided == 3
    finally:
        db.close()

    backups = list(db_path.parent.glob("prune.db.*.bak"))
    assert len(backups) == 1
    backup = backups[0]
    assert f"schema{CURRENT}" in backup.name
    assert mode(backup) == 0o600
    assert pragma(backup, "user_version") == CURRENT
    assert snapshot(backup) == before

    open_database(db_path).close()  # already upgraded: no second step, no second backup
    assert steps == [1]
    assert len(list(db_path.parent.glob("prune.db.*.bak"))) == 1


def test_a_failing_upgrade_leaves_the_database_as_it_was(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_database(db_path)
    import_path(db, write_connections(db_path.parent, people(4)))
    decide_some(db)
    db.close()
    before = snapshot(db_path)

    def broken_step(conn: Connection) -> None:
        conn.exec_driver_sql("UPDATE connections SET decision = NULL")
        raise RuntimeError("step failed halfway")

    pretend_next_version(monkeypatch, broken_step)
    with pytest.raises(RuntimeError):
        open_database(db_path)
    assert pragma(db_path, "user_version") == CURRENT
    assert snapshot(db_path) == before


def test_upgrade_through_the_cli_keeps_decisions(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(db_path)
    import_path(db, write_connections(db_path.parent, people(5)))
    decide_some(db)
    db.close()
    pretend_next_version(monkeypatch, lambda conn: None)
    assert main(["stats", "--json", "--db", str(db_path)]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert (figures["keep"], figures["nurture"], figures["remove"]) == (1, 1, 1)
    assert pragma(db_path, "user_version") == NEXT


# ---------------------------------------------------------------------------------------------
# Two processes on one database

IMPORT = [sys.executable, "-m", "prune_tui", "import"]


def test_an_import_waits_for_a_busy_writer_then_succeeds(db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)
    import_path(db, write_connections(tmp_path, people(10), name="first.csv"))
    with db.read() as conn:
        first_id = conn.exec_driver_sql("SELECT id FROM connections WHERE slug='p-0'").scalar()
    newer = write_connections(tmp_path, people(12), name="second.csv")
    review = Review(db)
    try:
        with db.write() as conn:  # the app is in the middle of recording a decision
            conn.exec_driver_sql(
                "UPDATE connections SET decision = 'keep', decided_at = '2026-01-01' WHERE id = ?",
                (first_id,),
            )
            proc = subprocess.Popen(
                [*IMPORT, str(newer), "--db", str(db_path)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            time.sleep(2.0)
            assert proc.poll() is None  # waiting for the lock, not failing
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert "2 new" in out
        assert stats(db).total == 12
        card = review.card(first_id)
        assert card is not None and card.decision is Decision.KEEP
    finally:
        db.close()


def test_decisions_and_imports_in_two_processes_lose_nothing(db_path: Path, tmp_path: Path) -> None:
    everyone = people(3000)
    db = open_database(db_path)
    import_path(db, write_connections(tmp_path, everyone, name="first.csv"))
    # Three newer exports, each changing every company: each import rewrites every row.
    files = []
    for round_ in range(3):
        for p in everyone:
            p.company = f"Company {round_}"
        files.append(write_connections(tmp_path, everyone, name=f"round{round_}.csv"))
    script = (
        "import sys\n"
        "from prune_tui.cli.commands import main\n"
        "for f in sys.argv[2:]:\n"
        "    code = main(['import', f, '--db', sys.argv[1]])\n"
        "    if code: raise SystemExit(code)\n"
    )
    review = Review(db)
    with db.read() as conn:
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM connections ORDER BY id")]
    cycle = [Decision.KEEP, Decision.NURTURE, Decision.REMOVE]
    expected: dict[int, Decision] = {}
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", script, str(db_path), *map(str, files)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        i = 0
        while proc.poll() is None or i < 50:
            connection_id = ids[i % len(ids)]
            decision = cycle[i % 3]
            review.record_decision(connection_id, decision)
            expected[connection_id] = decision
            i += 1
            if i > 5000:
                break
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert i >= 50
        assert out.count("Imported 3,000 connections") == 3
        with db.read() as conn:
            stored = dict(
                conn.exec_driver_sql(
                    "SELECT id, decision FROM connections WHERE decision IS NOT NULL"
                ).all()
            )
            companies = {
                r[0] for r in conn.exec_driver_sql("SELECT DISTINCT company FROM connections")
            }
        assert stored == {cid: d.value for cid, d in expected.items()}
        assert companies == {"Company 2"}
    finally:
        db.close()


def test_a_reader_sees_a_consistent_database_during_an_import(
    db_path: Path, tmp_path: Path
) -> None:
    db = open_database(db_path)
    import_path(db, write_connections(tmp_path, people(2000), name="first.csv"))
    newer = write_connections(tmp_path, people(2600, "q"), name="second.csv")
    try:
        proc = subprocess.Popen(
            [*IMPORT, str(newer), "--db", str(db_path), "--allow-shrink"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        seen = set()
        while proc.poll() is None:
            figures = stats(db)
            seen.add((figures.total, figures.gone))
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        seen.add((stats(db).total, stats(db).gone))
        # Only the state before and the state after, never a half-done import.
        assert seen <= {(2000, 0), (2600, 2000)}
        assert (2600, 2000) in seen
    finally:
        db.close()


def test_killing_the_process_loses_no_recorded_decision(db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)
    import_path(db, write_connections(tmp_path, people(500)))
    db.close()
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from prune_tui.model import Decision\n"
        "from prune_tui.services.review import Review\n"
        "from prune_tui.store import open_database\n"
        "db = open_database(Path(sys.argv[1]))\n"
        "review = Review(db)\n"
        "with db.read() as conn:\n"
        "    ids = [r[0] for r in conn.exec_driver_sql('SELECT id FROM connections ORDER BY id')]\n"
        "for i in ids:\n"
        "    review.record_decision(i, Decision.REMOVE)\n"
        "    print(i, flush=True)  # the card after this one would show now\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(db_path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    shown = []
    for line in proc.stdout:
        shown.append(int(line))
        if len(shown) == 40:
            proc.kill()  # SIGKILL: no cleanup, no atexit, no checkpoint
            break
    proc.wait(timeout=30)
    proc.stdout.close()
    proc.stderr.close()  # type: ignore[union-attr]
    db = open_database(db_path)
    try:
        with db.read() as conn:
            decided = {
                r[0]
                for r in conn.exec_driver_sql(
                    "SELECT id FROM connections WHERE decision = 'remove'"
                )
            }
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
    finally:
        db.close()
    assert len(shown) == 40
    assert set(shown) <= decided


def test_a_first_import_killed_before_its_commit_leaves_an_empty_database(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A new database is filled under a rollback journal: killed with every row written but
    not committed, the next opening rolls the journal back, and importing again just works."""
    csv_path = write_connections(tmp_path, people(300))
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from prune_tui.services import importer\n"
        "from prune_tui.store import open_database\n"
        "apply = importer.apply_connections\n"
        "def apply_then_hang(*args, **kwargs):\n"
        "    apply(*args, **kwargs)\n"
        "    print('written', flush=True)\n"
        "    time.sleep(60)\n"
        "importer.apply_connections = apply_then_hang\n"
        "db = open_database(Path(sys.argv[1]), first_fill=True)\n"
        "importer.import_path(db, sys.argv[2])\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(db_path), str(csv_path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        assert proc.stdout.readline() == "written\n", proc.stderr.read()
        assert db_path.with_name(db_path.name + "-journal").exists()
    finally:
        proc.kill()  # SIGKILL: no rollback, no cleanup
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()

    db = open_database(db_path)
    try:
        assert stats(db).total == 0
        with db.read() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM import_runs").scalar_one() == 0
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
    finally:
        db.close()
    assert main(["import", str(csv_path), "--db", str(db_path)]) == 0
    assert "300 new" in capsys.readouterr().out
    assert pragma(db_path, "journal_mode") == "wal"
