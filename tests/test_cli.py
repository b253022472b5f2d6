"""The command line as a contract (docs/PRODUCT.md §3): exit codes, one-line errors, where the
database lives, `stats --json`, the JSON backup round trip and the shrink safeguard."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from builders import Person, write_connections

from prune_tui import __version__
from prune_tui.cli.commands import main

ERROR_PREFIX = "prune-tui: error: "


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_process(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real program, with no terminal and nothing on stdin."""
    return subprocess.run(
        [sys.executable, "-m", "prune_tui", *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env=env or dict(os.environ),
    )


def assert_one_line_error(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(ERROR_PREFIX), err
    assert "Traceback" not in err
    return lines[0]


def people(n: int, prefix: str = "p") -> list[Person]:
    return [
        Person(f"First{i}", f"Last{i}", f"{prefix}-{i}", company=f"Co{i % 3}") for i in range(n)
    ]


def default_db() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "prune-tui" / "prune.db"


# ---------------------------------------------------------------------------------------------
# Exit codes and usage


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"prune-tui {__version__}"


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for command in ("import", "export", "stats", "demo", "where"):
        assert command in out


@pytest.mark.parametrize(
    "argv",
    [
        ["--frobnicate"],
        ["stats", "--frobnicate"],
        ["import"],
        ["bogus"],
        ["export", "--only", "everyone"],
        ["export", "--format", "pdf"],
        ["--db"],
    ],
)
def test_usage_errors_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert_one_line_error(err)
    assert not default_db().exists()


def test_internal_error_is_short_without_debug(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_connections(tmp_path, people(3))
    assert run(capsys, "import", str(tmp_path / "Connections.csv"))[0] == 0

    def explode(_db: object, **_options: object) -> None:
        raise RuntimeError("the flux capacitor\nfell over")

    monkeypatch.setattr("prune_tui.services.insights.read_figures", explode)
    code, out, err = run(capsys, "stats", "--json")
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1
    assert "internal error" in lines[0]
    assert "RuntimeError: the flux capacitor fell over" in lines[0]
    assert "--debug" in lines[0]
    assert "Traceback" not in err


def test_internal_error_shows_traceback_with_debug(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_connections(tmp_path, people(3))
    assert run(capsys, "import", str(tmp_path / "Connections.csv"))[0] == 0

    def explode(_db: object, **_options: object) -> None:
        raise RuntimeError("the flux capacitor fell over")

    monkeypatch.setattr("prune_tui.services.insights.read_figures", explode)
    code, _out, err = run(capsys, "stats", "--debug")
    assert code == 1
    assert "Traceback (most recent call last)" in err
    assert "RuntimeError: the flux capacitor fell over" in err
    assert "explode" in err


def test_subprocess_exit_codes_without_a_terminal(tmp_path: Path) -> None:
    csv_path = write_connections(tmp_path, people(4))
    db = tmp_path / "proc.db"

    done = run_process("import", str(csv_path), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert "Imported 4 connections" in done.stdout
    assert done.stderr == ""

    stats = run_process("stats", "--json", "--db", str(db))
    assert stats.returncode == 0
    assert json.loads(stats.stdout)["total"] == 4

    bad = run_process("import", str(tmp_path / "missing.csv"), "--db", str(db))
    assert bad.returncode == 2
    line = assert_one_line_error(bad.stderr)
    assert "missing.csv" in line

    usage = run_process("--no-such-option")
    assert usage.returncode == 2
    assert_one_line_error(usage.stderr)

    version = run_process("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"prune-tui {__version__}"


def test_export_into_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    csv_path = write_connections(tmp_path, people(3000))
    db = tmp_path / "pipe.db"
    assert run_process("import", str(csv_path), "--db", str(db)).returncode == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "prune_tui", "export", "--only=all", "--format=json", f"--db={db}"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.read(100)
    proc.stdout.close()  # the reader goes away, like `| head`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert first.startswith(b"[")
    assert "Traceback" not in err


# ---------------------------------------------------------------------------------------------
# Where the database lives


def where(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, str]:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    found = {}
    for line in out.splitlines():
        label, _, value = line.partition(":")
        found[label.strip()] = value.strip()
    return found


def test_default_database_is_in_the_user_data_dir(capsys: pytest.CaptureFixture[str]) -> None:
    from platformdirs import user_data_path

    expected = user_data_path("prune-tui", appauthor=False) / "prune.db"
    assert expected == default_db()  # the isolated XDG_DATA_HOME, never the real one
    assert where(capsys, "where")["database"] == str(expected)


def test_where_prints_database_config_and_exports(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PRUNE_TUI_CONFIG", str(tmp_path / "my-config.json"))
    found = where(capsys, "where")
    assert set(found) == {"database", "config", "exports"}
    assert found["config"] == str(tmp_path / "my-config.json")
    assert found["exports"].endswith("prune-tui")
    assert not default_db().exists()  # `where` creates nothing


def test_environment_overrides_the_default(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env_db = tmp_path / "env" / "from-env.db"
    monkeypatch.setenv("PRUNE_TUI_DB", str(env_db))
    assert where(capsys, "where")["database"] == str(env_db)
    csv_path = write_connections(tmp_path, people(2))
    assert run(capsys, "import", str(csv_path))[0] == 0
    assert env_db.exists()
    assert not default_db().exists()


@pytest.mark.parametrize("position", ["before", "after"])
def test_db_option_overrides_environment_and_default(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    position: str,
) -> None:
    env_db = tmp_path / "from-env.db"
    cli_db = tmp_path / "cli" / "from-option.db"
    monkeypatch.setenv("PRUNE_TUI_DB", str(env_db))
    csv_path = write_connections(tmp_path, people(2))
    if position == "before":
        argv = ["--db", str(cli_db), "import", str(csv_path)]
    else:
        argv = ["import", str(csv_path), "--db", str(cli_db)]
    code, _out, err = run(capsys, *argv)
    assert code == 0, err
    assert cli_db.exists()
    assert not env_db.exists()
    assert not default_db().exists()
    assert where(capsys, "where", "--db", str(cli_db))["database"] == str(cli_db)
    assert where(capsys, "--db", str(cli_db), "where")["database"] == str(cli_db)


def test_default_database_is_created_on_first_import(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    csv_path = write_connections(tmp_path, people(2))
    assert run(capsys, "import", str(csv_path))[0] == 0
    assert default_db().is_file()
    assert stat.S_IMODE(default_db().stat().st_mode) == 0o600
    assert stat.S_IMODE(default_db().parent.stat().st_mode) == 0o700


@pytest.mark.parametrize("command", [["stats"], ["stats", "--json"], ["export"]])
def test_reading_commands_on_no_database_say_import_first(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    code, out, err = run(capsys, *command)
    assert code == 2
    assert out == ""
    line = assert_one_line_error(err)
    assert "prune-tui import" in line
    assert not default_db().exists()  # reading never creates a database


# ---------------------------------------------------------------------------------------------
# stats --json


BASIC = ("total", "undecided", "keep", "nurture", "remove", "removed", "gone", "decided", "dunbar")


def stats_json(capsys: pytest.CaptureFixture[str], db: Path) -> dict[str, int]:
    code, out, err = run(capsys, "stats", "--json", "--db", str(db))
    assert code == 0, err
    assert len(out.strip().splitlines()) == 1
    figures = json.loads(out)
    assert isinstance(figures, dict)
    return figures


def test_stats_json_counts(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "stats.db"
    everyone = people(10)
    first = write_connections(tmp_path, everyone, hidden=1, name="first.csv")
    assert run(capsys, "import", str(first), "--db", str(db))[0] == 0
    figures = stats_json(capsys, db)
    assert {k: figures[k] for k in BASIC} == {
        "total": 10,
        "undecided": 10,
        "keep": 0,
        "nurture": 0,
        "remove": 0,
        "removed": 0,
        "gone": 0,
        "decided": 0,
        "dunbar": 0,
    }

    with sqlite3.connect(db) as conn:
        for slug, decision in [
            ("p-0", "keep"),
            ("p-1", "keep"),
            ("p-2", "nurture"),
            ("p-3", "remove"),
            ("p-4", "remove"),
            ("p-5", "remove"),
        ]:
            conn.execute(
                "UPDATE connections SET decision = ?, decided_at = '2026-01-01T00:00:00+00:00' "
                "WHERE slug = ?",
                (decision, slug),
            )
        # p-5 ticked off on the checklist (still in the export until the next one). Dated after
        # both imports: a tick in the same second as the next import would make this test
        # depend on the clock (an import after the tick that still lists p-5 flags it).
        conn.execute(
            "INSERT INTO removals (connection_id, marked_at) "
            "SELECT id, '2999-01-01T00:00:00+00:00' FROM connections WHERE slug = 'p-5'"
        )
    conn.close()
    figures = stats_json(capsys, db)
    assert {k: figures[k] for k in ("total", "undecided", "keep", "nurture", "remove")} == {
        "total": 10,
        "undecided": 4,
        "keep": 2,
        "nurture": 1,
        "remove": 3,
    }
    assert figures["removed"] == 1
    assert figures["gone"] == 0

    # A later export without p-3 (a removal: confirmed), p-1 (a keep: flagged) and p-9
    # (undecided): three of ten gone is more than a fifth, so it needs --allow-shrink.
    later = [p for p in everyone if p.slug not in ("p-1", "p-3", "p-9")]
    second = write_connections(tmp_path, later, name="second.csv")
    assert run(capsys, "import", str(second), "--db", str(db), "--allow-shrink")[0] == 0
    figures = stats_json(capsys, db)
    assert figures["total"] == 7
    assert figures["gone"] == 3
    assert figures["undecided"] == 3  # p-6, p-7, p-8
    assert figures["keep"] == 1  # p-0; p-1 is gone
    assert figures["nurture"] == 1
    assert figures["remove"] == 2  # p-4, p-5 are still connected
    assert figures["removed"] == 2  # p-5 ticked off, p-3 confirmed by the later export
    assert figures["decided"] == 4
    assert figures["dunbar"] == 2
    assert sum(figures[k] for k in ("undecided", "keep", "nurture", "remove")) == figures["total"]


def test_stats_in_words(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "words.db"
    csv_path = write_connections(tmp_path, people(5))
    assert run(capsys, "import", str(csv_path), "--db", str(db))[0] == 0
    code, out, _err = run(capsys, "stats", "--db", str(db))
    assert code == 0
    assert "0 of 5" in out
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)


# ---------------------------------------------------------------------------------------------
# The JSON backup round trip

BACKUP_TYPES: dict[str, tuple[type, ...]] = {
    "first_name": (str,),
    "last_name": (str,),
    "url": (str,),
    "email": (str,),
    "company": (str,),
    "position": (str,),
    "connected_on": (str, type(None)),
    "decision": (str, type(None)),
    "note": (str,),
    "decided_at": (str, type(None)),
    "removed_at": (str, type(None)),
    "status": (str,),
    "criteria": (dict,),
    "message_count": (int,),
    "last_message_at": (str, type(None)),
    "invited_by": (str, type(None)),
    "invitation_message": (str, type(None)),
}


def decide(db: Path) -> None:
    """Decisions, a note, criteria and a removal, written the way the app stores them."""
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE connections SET decision = 'keep', decided_at = '2026-02-03T04:05:06+00:00', "
            "note = 'met at [PyCon]\nsecond line' WHERE slug = 'p-0'"
        )
        conn.execute(
            "UPDATE connections SET decision = 'remove', decided_at = '2026-02-03T04:05:07+00:00'"
            " WHERE slug = 'p-1'"
        )
        conn.execute(
            "UPDATE connections SET decision = 'nurture', decided_at = '2026-02-03T04:05:08+00:00'"
            " WHERE slug = 'p-2'"
        )
        conn.execute(
            "INSERT INTO criteria (connection_id, criterion, value) "
            "SELECT id, 1, 1 FROM connections WHERE slug = 'p-0' UNION ALL "
            "SELECT id, 5, 0 FROM connections WHERE slug = 'p-0'"
        )
        conn.execute(
            "INSERT INTO removals (connection_id, marked_at) "
            "SELECT id, '2026-02-04T00:00:00+00:00' FROM connections WHERE slug = 'p-1'"
        )
    conn.close()


def test_backup_keys_and_types(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "backup.db"
    everyone = people(4)
    everyone[3].connected = None
    everyone[2].email = "two@example.com"
    csv_path = write_connections(tmp_path, everyone)
    assert run(capsys, "import", str(csv_path), "--db", str(db))[0] == 0
    decide(db)

    code, out, _err = run(capsys, "export", "--only", "all", "--format", "json", "--db", str(db))
    assert code == 0
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 4
    for item in data:
        for key, types in BACKUP_TYPES.items():
            assert key in item, key
            assert isinstance(item[key], types), (key, item[key])
        assert item["status"] in ("active", "gone")
        assert item["decision"] in (None, "keep", "nurture", "remove")
        assert item["invited_by"] in (None, "me", "them")
        assert not isinstance(item["message_count"], bool)
        assert set(item["criteria"].values()) <= {True, False, None}
        if item["connected_on"] is not None:
            assert date.fromisoformat(item["connected_on"])

    by_slug = {item["url"].rsplit("/", 1)[1]: item for item in data}
    assert by_slug["p-0"]["decision"] == "keep"
    assert by_slug["p-0"]["note"] == "met at [PyCon]\nsecond line"
    assert by_slug["p-0"]["decided_at"] == "2026-02-03T04:05:06+00:00"
    assert list(by_slug["p-0"]["criteria"].values()).count(True) == 1
    assert list(by_slug["p-0"]["criteria"].values()).count(False) == 1
    assert by_slug["p-1"]["removed_at"] == "2026-02-04T00:00:00+00:00"
    assert by_slug["p-2"]["email"] == "two@example.com"
    assert by_slug["p-3"]["connected_on"] is None
    assert by_slug["p-3"]["decision"] is None and by_slug["p-3"]["decided_at"] is None


def test_backup_round_trip_through_the_cli(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "original.db"
    csv_path = write_connections(tmp_path, people(6))
    assert run(capsys, "import", str(csv_path), "--db", str(db))[0] == 0
    decide(db)
    with sqlite3.connect(db) as conn:  # the export imported before p-1 was ticked off
        conn.execute("UPDATE import_runs SET imported_at = '2026-01-01T00:00:00+00:00'")
    conn.close()
    assert stats_json(capsys, db)["removed"] == 1
    backup = tmp_path / "out" / "backup.json"
    code, out, err = run(
        capsys, "export", "--only", "all", "--format", "json", "-o", str(backup), "--db", str(db)
    )
    assert code == 0
    assert out == ""
    assert "Wrote 6 connections" in err
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600

    restored = tmp_path / "restored.db"
    code, out, err = run(capsys, "import", str(backup), "--db", str(restored))
    assert code == 0, err
    assert "Restored 6 connections" in out
    original, copy = stats_json(capsys, db), stats_json(capsys, restored)
    for key in (*BASIC, "by_year", "top_companies", "removals"):
        assert copy.get(key) == original.get(key), key

    again = tmp_path / "again.json"
    assert (
        run(
            capsys,
            "export",
            "--only",
            "all",
            "--format",
            "json",
            "-o",
            str(again),
            "--db",
            str(restored),
        )[0]
        == 0
    )
    assert json.loads(again.read_text("utf-8")) == json.loads(backup.read_text("utf-8"))

    # The same backup twice changes nothing.
    code, out, _err = run(capsys, "import", str(backup), "--db", str(restored))
    assert code == 0
    assert "nothing changed" in out


def test_export_to_a_directory_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "x.db"
    assert (
        run(capsys, "import", str(write_connections(tmp_path, people(2))), "--db", str(db))[0] == 0
    )
    code, _out, err = run(capsys, "export", "-o", str(tmp_path), "--db", str(db))
    assert code == 2
    assert "directory" in assert_one_line_error(err)


# ---------------------------------------------------------------------------------------------
# The shrink safeguard


def test_a_file_that_would_wipe_the_network_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "shrink.db"
    everyone = people(20)
    full = write_connections(tmp_path, everyone, name="full.csv")
    assert run(capsys, "import", str(full), "--db", str(db))[0] == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE connections SET decision = 'keep' WHERE slug = 'p-0'")
    conn.close()
    before = dump(db)

    partial = write_connections(tmp_path, everyone[:15], name="partial.csv")  # 5 of 20 gone
    code, out, err = run(capsys, "import", str(partial), "--db", str(db))
    assert code == 2
    assert out == ""
    line = assert_one_line_error(err)
    assert "partial.csv" in line
    assert "--allow-shrink" in line
    assert "5 of your 20" in line
    assert dump(db) == before

    code, out, err = run(capsys, "import", str(partial), "--db", str(db), "--allow-shrink")
    assert code == 0, err
    assert "5 no longer connected" in out
    figures = stats_json(capsys, db)
    assert figures["gone"] == 5 and figures["total"] == 15 and figures["keep"] == 1


def test_a_fifth_gone_is_still_fine(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "fifth.db"
    everyone = people(20)
    assert (
        run(capsys, "import", str(write_connections(tmp_path, everyone)), "--db", str(db))[0] == 0
    )
    smaller = write_connections(tmp_path, everyone[:16], name="smaller.csv")  # exactly 4 of 20
    code, out, _err = run(capsys, "import", str(smaller), "--db", str(db))
    assert code == 0
    assert "4 no longer connected" in out
    assert stats_json(capsys, db)["gone"] == 4


def dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------
# Problems of the surroundings are the user's to fix: exit 2, one line


def test_a_database_path_through_a_file_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    csv_path = write_connections(tmp_path, people(2))
    code, out, err = run(capsys, "import", str(csv_path), "--db", str(blocker / "prune.db"))
    assert code == 2
    assert out == ""
    assert "not-a-folder" in assert_one_line_error(err)
    assert blocker.read_text() == "x"


def test_an_export_file_that_cannot_be_written_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "x.db"
    assert (
        run(capsys, "import", str(write_connections(tmp_path, people(2))), "--db", str(db))[0] == 0
    )
    blocker = tmp_path / "plain-file"
    blocker.write_text("x")
    code, out, err = run(capsys, "export", "-o", str(blocker / "list.md"), "--db", str(db))
    assert code == 2
    assert out == ""
    assert "plain-file" in assert_one_line_error(err)


@pytest.mark.parametrize(
    ("sqlite_says", "we_say"),
    [
        ("database or disk is full", "disk is full"),
        ("database is locked", "another prune-tui"),
        ("attempt to write a readonly database", "read-only"),
    ],
)
def test_sqlite_trouble_is_explained_and_changes_nothing(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sqlite_says: str,
    we_say: str,
) -> None:
    from sqlalchemy.exc import OperationalError

    import prune_tui.services.importer as importer

    db = tmp_path / "trouble.db"
    assert (
        run(capsys, "import", str(write_connections(tmp_path, people(5))), "--db", str(db))[0] == 0
    )
    before = dump(db)
    real_apply = importer.apply_connections

    def apply_then_fail(*args: object, **kwargs: object) -> None:
        real_apply(*args, **kwargs)  # type: ignore[arg-type]
        raise OperationalError("UPDATE import_runs", {}, sqlite3.OperationalError(sqlite_says))

    monkeypatch.setattr(importer, "apply_connections", apply_then_fail)
    newer = write_connections(tmp_path, people(6), name="newer.csv")
    code, out, err = run(capsys, "import", str(newer), "--db", str(db))
    assert code == 2
    assert out == ""
    line = assert_one_line_error(err)
    assert we_say in line
    assert "nothing was changed" in line
    assert dump(db) == before


def test_a_mistyped_command_gets_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "imprt", "x.zip")
    assert code == 2
    assert "did you mean 'import'?" in assert_one_line_error(err)


def test_exporting_an_empty_database_says_to_import_first(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from prune_tui.store import open_database

    db_path = tmp_path / "empty.db"
    open_database(db_path).close()
    code, out, err = run(capsys, "export", "--db", str(db_path))
    assert (code, out) == (2, "")
    assert "import your LinkedIn export first" in assert_one_line_error(err)


def test_bad_paths_say_what_to_do_next(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    code, _, err = run(capsys, "import", str(tmp_path / "missing.zip"), "--db", db)
    assert code == 2 and "check the path" in assert_one_line_error(err)
    other = tmp_path / "notes.csv"
    other.write_text("name,age\nbob,3\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(other), "--db", db)
    assert code == 2 and "Connections.csv from it" in assert_one_line_error(err)


def test_the_program_writes_everything_before_its_quick_exit(tmp_path: Path) -> None:
    """`prune-tui` skips the interpreter's teardown (os._exit): output must be flushed first."""
    db = str(tmp_path / "many.db")
    many = [Person(f"F{i}", f"L{i}", f"person-{i:05d}") for i in range(3000)]
    done = run_process("import", str(write_connections(tmp_path, many)), "--db", db)
    assert done.returncode == 0, done.stderr
    assert "3,000 connections" in done.stdout
    done = run_process("export", "--only", "all", "--format", "urls", "--db", db)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 3000
    assert done.stdout.endswith("\n")


def test_the_choices_are_one_tuple_each() -> None:
    """`--only`, `--format` and `decide`'s decision: the parser, the exports and the bulk
    commands read the same tuples (prune_tui/text/choices.py), so they can never disagree."""
    from prune_tui.cli import commands as cli
    from prune_tui.exports import formats as exports
    from prune_tui.services import due
    from prune_tui.text import choices

    parser = cli.build_parser()
    subcommands = next(a for a in parser._actions if a.dest == "command").choices
    assert subcommands is not None

    def options(command: str, dest: str) -> object:
        sub = subcommands[command]
        return next(a for a in sub._actions if a.dest == dest).choices

    assert options("export", "only") is choices.EXPORT_ONLY is exports.ONLY
    assert options("export", "format") is choices.EXPORT_FORMATS is exports.FORMATS
    assert options("decide", "decision") is choices.DECISIONS
    assert options("due", "format") is choices.DUE_FORMATS is due.FORMATS
