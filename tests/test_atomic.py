"""Every file prune-tui writes is written whole or not at all (docs/PRODUCT.md §14): a full disk
leaves the old file as it was; only files prune-tui creates are made 0600; nothing but a regular
file or a character device is written over. No test needs root or a full disk: the writer or
fsync is patched to fail as a full disk does."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import IO, Any

import pytest
from builders import Person, write_connections

import prune_tui.exports.formats
from prune_tui.atomic import WriteFailed, write_atomically
from prune_tui.cli.commands import main
from prune_tui.config import load_config, save_config
from prune_tui.store import open_database

PEOPLE = [
    Person("Ada", "Lovelace", "ada", connected=date(2016, 3, 1)),
    Person("Bob", "Builder", "bob", connected=date(2018, 5, 5)),
]


def _disk_full(*_args: Any, **_kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _one_error(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("prune-tui: error: "), err
    return lines[0]


@pytest.fixture
def database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "prune.db"
    source = write_connections(tmp_path, PEOPLE)
    assert main(["import", str(source), "--db", str(db)]) == 0
    capsys.readouterr()
    return db


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_backup_onto_a_full_disk_keeps_the_previous_backup(
    database: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    backup = tmp_path / "backups" / "backup.json"
    backup.parent.mkdir()
    argv = ["export", "--only", "all", "--format", "json", "-o", str(backup), "--db", str(database)]
    assert main(argv) == 0
    before = backup.read_bytes()
    assert len(json.loads(before)) == 2
    capsys.readouterr()

    real = prune_tui.exports.formats.write_export

    def half_then_full(db: Any, out: IO[str], **kwargs: Any) -> int:
        out.write('[{"first_name": "Ada", ')  # the disk fills up part way through
        out.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(prune_tui.exports.formats, "write_export", half_then_full)
    assert main(argv) == 2
    line = _one_error(capsys.readouterr().err)
    assert "the disk is full: nothing was changed" in line
    assert backup.read_bytes() == before
    assert _leftovers(backup.parent) == []

    # The disk is full only when the data is synced: the same.
    monkeypatch.setattr(prune_tui.exports.formats, "write_export", real)
    monkeypatch.setattr("prune_tui.atomic.os.fsync", _disk_full)
    assert main(argv) == 2
    assert "the disk is full: nothing was changed" in _one_error(capsys.readouterr().err)
    assert backup.read_bytes() == before
    assert _leftovers(backup.parent) == []


def test_new_files_are_private_and_existing_ones_keep_their_mode(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old_umask = os.umask(0)
    try:
        fresh = tmp_path / "fresh.md"
        assert main(["export", "-o", str(fresh), "--db", str(database)]) == 0
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o600

        shared = tmp_path / "shared.md"
        shared.write_text("old\n")
        os.chmod(shared, 0o644)  # the user's own choice for a file that was there
        assert main(["export", "--only", "all", "-o", str(shared), "--db", str(database)]) == 0
        assert stat.S_IMODE(shared.stat().st_mode) == 0o644
        assert "Ada" in shared.read_text()
    finally:
        os.umask(old_umask)
    capsys.readouterr()


def test_a_symlink_is_followed_and_kept(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real.md"
    real.write_text("old\n")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert main(["export", "--only", "all", "-o", str(link), "--db", str(database)]) == 0
    assert link.is_symlink()
    assert "Ada" in real.read_text()
    capsys.readouterr()


def test_a_character_device_is_a_sink_written_without_chmod(
    database: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    changed: list[object] = []

    def record(target: object, *_args: Any, **_kwargs: Any) -> None:
        changed.append(target)  # never really changes a mode: this may run as root

    monkeypatch.setattr(os, "chmod", record)
    monkeypatch.setattr(os, "fchmod", record)
    assert main(["export", "--only", "all", "-o", os.devnull, "--db", str(database)]) == 0
    assert changed == []
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    capsys.readouterr()


def test_a_fifo_is_refused_without_waiting_for_a_reader(database: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "prune_tui", "export", "-o", str(fifo), "--db", str(database)],
        capture_output=True,
        text=True,
        timeout=20,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    assert done.returncode == 2
    line = _one_error(done.stderr)
    assert "not a regular file" in line
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_folder_is_refused(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "-o", str(tmp_path), "--db", str(database)]) == 2
    assert "folder" in _one_error(capsys.readouterr().err)


def test_the_config_survives_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.json"
    save_config({"theme": "nord"}, config)
    before = config.read_bytes()
    monkeypatch.setattr("prune_tui.atomic.os.fsync", _disk_full)
    with pytest.raises(WriteFailed, match="the disk is full: nothing was changed"):
        save_config({"theme": "gruvbox"}, config)
    assert config.read_bytes() == before
    assert load_config(config) == {"theme": "nord"}
    assert _leftovers(tmp_path) == []


def test_the_copy_before_an_upgrade_is_whole_or_absent(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = sqlite3.connect(database)
    conn.execute("PRAGMA user_version = 1")  # one schema step behind
    conn.execute("ALTER TABLE history DROP COLUMN batch_id")
    conn.close()
    monkeypatch.setattr("prune_tui.atomic.os.fsync", _disk_full)
    with pytest.raises(WriteFailed, match="the disk is full"):
        open_database(database)
    assert [p.name for p in database.parent.iterdir() if ".bak" in p.name or ".tmp" in p.name] == []
    conn = sqlite3.connect(database)
    assert conn.execute("PRAGMA user_version").fetchone() == (1,)  # not upgraded either
    conn.close()
    monkeypatch.undo()
    open_database(database).close()  # space again: the copy, then the upgrade
    copies = [p for p in database.parent.iterdir() if p.name.endswith("-schema1.bak")]
    assert len(copies) == 1
    assert stat.S_IMODE(copies[0].stat().st_mode) == 0o600
    copy = sqlite3.connect(copies[0])
    assert copy.execute("PRAGMA user_version").fetchone() == (1,)
    assert copy.execute("SELECT count(*) FROM connections").fetchone() == (2,)
    copy.close()


@pytest.mark.parametrize("make", [lambda p: p.write_text("old"), lambda p: None])
def test_exclusive_never_replaces(tmp_path: Path, make: Callable[[Path], object]) -> None:
    target = tmp_path / "x.txt"
    make(target)
    existed = target.exists()
    if existed:
        with pytest.raises(FileExistsError):
            write_atomically(target, lambda out: out.write("new"), exclusive=True)
        assert target.read_text() == "old"
    else:
        write_atomically(target, lambda out: out.write("new"), exclusive=True)
        assert target.read_text() == "new"
    assert _leftovers(tmp_path) == []
