"""An older export never undoes a newer one; a folder with two exports asks which."""

from __future__ import annotations

import sqlite3
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from builders import Person, connections_csv
from evidence_files import OWNER, Inv, Msg, P, invitations_csv, messages_csv

from prune_tui.cli.commands import main
from prune_tui.services.export_dates import date_in_name

ANN = Person("Ann", "Lee", "ann-lee", connected=date(2016, 3, 1))
BO = Person("Bo", "Berg", "bo-berg", connected=date(2018, 5, 5))
CY = Person("Cy", "Gone", "cy-gone", connected=date(2019, 7, 7))
DI = Person("Di", "New", "di-new", connected=date(2026, 10, 2))
# Enough people that one going is not a shrink to refuse (a fifth of the network).
STAYING = [Person(f"Fay{i}", "Still", f"fay-{i}", connected=date(2017, 1, 1 + i)) for i in range(6)]
OLDER = [ANN, BO, CY, *STAYING]  # then Cy was removed on LinkedIn and Di joined
NEWER = [ANN, BO, DI, *STAYING]


def archive(folder: Path, stamp: str, people: list[Person]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"Basic_LinkedInDataExport_{stamp}.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("Connections.csv", connections_csv(people))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def status(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT slug, status FROM connections"))


def test_date_in_the_archive_name() -> None:
    assert date_in_name("Basic_LinkedInDataExport_11-20-2026.zip") == "2026-11-20"
    assert date_in_name("Complete_LinkedInDataExport_05-01-2025.zip (1).zip") == "2025-05-01"
    assert date_in_name("Connections.csv") is None
    assert date_in_name("Basic_LinkedInDataExport_13-40-2026.zip") is None


def test_an_older_archive_is_refused_then_allowed_then_the_newer_applies_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "p.db"
    older = archive(tmp_path / "a", "05-01-2025", OLDER)
    newer = archive(tmp_path / "b", "11-20-2026", NEWER)
    first = archive(tmp_path / "c", "01-10-2025", OLDER[:-1])
    assert run(capsys, "import", str(first), "--db", str(db))[0] == 0
    assert run(capsys, "import", str(newer), "--db", str(db))[0] == 0
    after_newer = status(db)
    assert after_newer["cy-gone"] == "gone" and after_newer["di-new"] == "active"
    # A file imported before changes nothing anyway; one never seen is what would revert.

    code, out, err = run(capsys, "import", str(older), "--db", str(db))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("prune-tui: error: ")
    assert "1 May 2025" in err and "20 Nov 2026" in err and "--allow-older" in err
    assert status(db) == after_newer  # nothing changed

    code, out, err = run(capsys, "import", str(older), "--db", str(db), "--allow-older")
    assert code == 0
    assert status(db)["cy-gone"] == "active" and status(db)["di-new"] == "gone"

    # The newer file was imported before: it says how to apply it again, and --again does.
    code, out, _ = run(capsys, "import", str(newer), "--db", str(db))
    assert code == 0 and "--again" in out and status(db)["cy-gone"] == "active"
    code, out, _ = run(capsys, "import", str(newer), "--db", str(db), "--again")
    assert code == 0 and status(db) == after_newer


def test_files_without_a_date_in_the_name_compare_their_newest_connection(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "p.db"
    (tmp_path / "new").mkdir()
    (tmp_path / "old").mkdir()
    newer = tmp_path / "new" / "Connections.csv"
    newer.write_bytes(connections_csv(NEWER))
    older = tmp_path / "old" / "Connections.csv"
    older.write_bytes(connections_csv(OLDER))
    assert run(capsys, "import", str(newer), "--db", str(db))[0] == 0
    code, _, err = run(capsys, "import", str(older), "--db", str(db))
    assert code == 2
    assert "7 Jul 2019" in err and "2 Oct 2026" in err
    assert "cy-gone" not in status(db)  # nothing imported


def test_a_folder_with_two_exports_asks_for_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    downloads = tmp_path / "Downloads"
    archive(downloads, "05-01-2025", OLDER)
    archive(downloads, "11-20-2026", NEWER)
    db = tmp_path / "p.db"
    code, out, err = run(capsys, "import", str(downloads), "--db", str(db))
    assert code == 2 and out == ""
    assert "2 LinkedIn exports" in err
    assert "Basic_LinkedInDataExport_05-01-2025.zip" in err
    assert "Basic_LinkedInDataExport_11-20-2026.zip" in err
    assert not db.exists()


def test_a_folder_with_one_export_names_the_file_it_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    downloads = tmp_path / "Downloads"
    archive(downloads, "11-20-2026", NEWER)
    (downloads / "notes.txt").write_text("not an export")
    code, out, _ = run(capsys, "import", str(downloads), "--db", str(tmp_path / "p.db"))
    assert code == 0
    assert "from Downloads/Basic_LinkedInDataExport_11-20-2026.zip" in out
    assert "9 connections" in out


def test_a_folder_with_one_unzipped_export_names_its_connections_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "Downloads" / "Basic_LinkedInDataExport_11-20-2026"
    export.mkdir(parents=True)
    (export / "Connections.csv").write_bytes(connections_csv(NEWER))
    code, out, _ = run(capsys, "import", str(tmp_path / "Downloads"), "--db", str(tmp_path / "p"))
    assert code == 0
    assert "from Downloads/Basic_LinkedInDataExport_11-20-2026/Connections.csv" in out


def messages_file(folder: Path, *days: datetime) -> Path:
    """A messages.csv of one conversation with Ann, a message on each of `days`."""
    folder.mkdir(parents=True, exist_ok=True)
    to_ann = [Msg(OWNER, [P("Ann Lee", "ann-lee")], at) for at in days]
    path = folder / "messages.csv"
    path.write_bytes(messages_csv(to_ann))
    return path


def ann_messages(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        found = conn.execute("SELECT message_count FROM evidence WHERE person = 'ann-lee'")
        return int(found.fetchone()[0])


def export_imported(tmp_path: Path, capsys: pytest.CaptureFixture[str], *days: datetime) -> Path:
    """A database holding an export: NEWER's connections and a message to Ann on each day."""
    db = tmp_path / "p.db"
    export = tmp_path / "export"
    export.mkdir()
    (export / "Connections.csv").write_bytes(connections_csv(NEWER))
    messages_file(export, *days)
    assert run(capsys, "import", str(export), "--db", str(db))[0] == 0
    return db


def test_an_older_messages_file_on_its_own_is_refused_then_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sent = (datetime(2026, 9, 1, 9), datetime(2026, 10, 1, 9), datetime(2026, 10, 2))
    db = export_imported(tmp_path, capsys, *sent)
    assert ann_messages(db) == 3

    # Found later: the messages of an export from 2018. On its own it would replace the newer
    # counts with its older ones.
    older = messages_file(tmp_path / "old", datetime(2018, 5, 1, 9), datetime(2018, 5, 2, 9))
    code, out, err = run(capsys, "import", str(older), "--db", str(db))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("prune-tui: error: messages.csv ")
    assert "2 May 2018" in err and "2 Oct 2026" in err and "--allow-older" in err
    assert ann_messages(db) == 3  # nothing changed

    code, _, _ = run(capsys, "import", str(older), "--db", str(db), "--allow-older")
    assert code == 0 and ann_messages(db) == 2

    # A newer one on its own needs nothing: it holds every message the older ones did, and more.
    newer = messages_file(tmp_path / "new", *(datetime(2026, 11, d, 9) for d in (1, 2, 3, 4)))
    assert run(capsys, "import", str(newer), "--db", str(db))[0] == 0
    assert ann_messages(db) == 4


def test_a_messages_file_ending_with_the_newest_message_known_is_not_older(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = export_imported(tmp_path, capsys, datetime(2026, 10, 2, 9))
    again = messages_file(tmp_path / "again", datetime(2026, 10, 1, 9), datetime(2026, 10, 2, 9))
    assert run(capsys, "import", str(again), "--db", str(db))[0] == 0
    assert ann_messages(db) == 2


def invited_by(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        found = conn.execute(
            "SELECT person, invited_by FROM evidence "
            "WHERE invited_by IS NOT NULL AND person NOT LIKE 'aka:%'"
        )
        return dict(found)


def test_an_older_invitations_file_on_its_own_is_refused_then_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Accepted invitations stay in Invitations.csv: a later one holds what an earlier one did."""
    ann, bo = P("Ann Lee", "ann-lee"), P("Bo Berg", "bo-berg")
    export = tmp_path / "export"
    export.mkdir()
    (export / "Connections.csv").write_bytes(connections_csv(NEWER))
    invitations = [
        Inv(ann, "INCOMING", datetime(2016, 3, 1)),
        Inv(bo, "OUTGOING", datetime(2018, 5, 5)),
    ]
    (export / "Invitations.csv").write_bytes(invitations_csv(invitations))
    db = tmp_path / "p.db"
    assert run(capsys, "import", str(export), "--db", str(db))[0] == 0
    assert invited_by(db) == {"ann-lee": "them", "bo-berg": "me"}

    (tmp_path / "old").mkdir()
    older = tmp_path / "old" / "Invitations.csv"
    older.write_bytes(invitations_csv(invitations[:1]))
    code, out, err = run(capsys, "import", str(older), "--db", str(db))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "no invitation with your connections after 1 Mar 2016" in err and "5 May 2018" in err
    assert invited_by(db) == {"ann-lee": "them", "bo-berg": "me"}  # nothing changed
    assert run(capsys, "import", str(older), "--db", str(db), "--allow-older")[0] == 0
    assert invited_by(db) == {"ann-lee": "them"}


def test_an_older_messages_file_without_urls_is_judged_by_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 2018 messages.csv names people without URLs: a name a connection bears counts."""
    db = export_imported(tmp_path, capsys, datetime(2026, 10, 2, 9))
    (tmp_path / "old").mkdir()
    older = tmp_path / "old" / "messages.csv"
    older.write_bytes(
        messages_csv([Msg(OWNER, [P("Ann Lee")], datetime(2018, 5, 2, 9))], generation="2018")
    )
    code, _, err = run(capsys, "import", str(older), "--db", str(db))
    assert code == 2 and "2 May 2018" in err and "2 Oct 2026" in err
    assert ann_messages(db) == 1


def test_an_invitation_ignored_since_does_not_make_a_newer_file_look_older(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only connections' invitations stay in every later file: one ignored on LinkedIn (the
    newest, here) is gone from the next export, which is still the newer one."""
    ann, pitch = P("Ann Lee", "ann-lee"), P("Zed Pitch", "zed-pitch")
    export = tmp_path / "export"
    export.mkdir()
    (export / "Connections.csv").write_bytes(connections_csv(NEWER))
    accepted = Inv(ann, "INCOMING", datetime(2016, 3, 1))
    invitations = [accepted, Inv(pitch, "INCOMING", datetime(2026, 10, 20), "Buy leads now")]
    (export / "Invitations.csv").write_bytes(invitations_csv(invitations))
    db = tmp_path / "p.db"
    assert run(capsys, "import", str(export), "--db", str(db))[0] == 0
    (tmp_path / "new").mkdir()
    newer = tmp_path / "new" / "Invitations.csv"
    newer.write_bytes(invitations_csv([accepted]))
    code, _, err = run(capsys, "import", str(newer), "--db", str(db))
    assert code == 0, err


def test_a_messages_file_with_none_of_the_connections_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another account's file, or one from before any of these connections: on its own it
    would leave everyone never messaged."""
    db = export_imported(tmp_path, capsys, datetime(2026, 10, 2, 9))
    (tmp_path / "other").mkdir()
    other = tmp_path / "other" / "messages.csv"
    other.write_bytes(
        messages_csv([Msg(OWNER, [P("Stranger", "stranger")], datetime(2026, 11, 1))])
    )
    code, _, err = run(capsys, "import", str(other), "--db", str(db))
    assert code == 2 and "no message with your connections at all" in err and "2 Oct 2026" in err
    assert ann_messages(db) == 1
