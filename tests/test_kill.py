"""A real process: start the app in a pseudo-terminal, decide, kill it with SIGKILL, and find
every decision in the database."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

CSV = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + "".join(
    f"P{i},Person,https://www.linkedin.com/in/p{i},,Acme,Role,{10 + i:02d} Jan 2019\n"
    for i in range(12)
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


def decided(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db, timeout=10) as conn:
        return conn.execute(
            "SELECT slug, decision FROM connections WHERE decision IS NOT NULL ORDER BY slug"
        ).fetchall()


def test_sigkill_loses_no_decision(tmp_path: Path) -> None:
    from prune_tui.store import open_database
    from prune_tui.tui.app import create_app  # noqa: F401 - the app must import cleanly

    export = tmp_path / "Connections.csv"
    export.write_text(CSV, encoding="utf-8")
    db_path = tmp_path / "prune.db"
    db = open_database(db_path)
    try:
        from prune_tui.services.importer import import_path

        import_path(db, export)
    finally:
        db.close()

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "PRUNE_TUI_DB": str(db_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "prune_tui"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    screen = bytearray()
    stop = threading.Event()

    def drain() -> None:  # keep the terminal flowing, and remember what was painted
        while not stop.is_set():
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            screen.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 20
        while b"P0 Person" not in screen and time.monotonic() < deadline:
            time.sleep(0.05)
        assert b"P0 Person" in screen, "the app did not paint its first card"
        for key in (b"k", b"n", b"r", b" ", b"k"):
            os.write(master, key)
            time.sleep(0.15)
        deadline = time.monotonic() + 10
        while len(decided(db_path)) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        stop.set()
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        os.close(master)
    assert proc.returncode == -signal.SIGKILL
    # Oldest first: P0 (10 Jan), P1, P2, P3 skipped, P4.
    assert decided(db_path) == [("p0", "keep"), ("p1", "nurture"), ("p2", "remove"), ("p4", "keep")]
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        history = conn.execute("SELECT count(*) FROM history WHERE field = 'decision'").fetchone()
    assert history == (4,)
