"""Screening invitations (docs/PRODUCT.md §13): the pending rule against Connections.csv in both
generations of Invitations.csv, the export's date, note kinds, decisions with undo, a newer
export closing the loop, the command line and the backup."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from evidence_files import OWNER, Inv, P, invitations_csv, write
from screening_files import (
    DANA,
    ELI,
    FAY,
    GUS,
    HANA,
    PERSONAL,
    PITCH,
    Network,
    at,
    network,
    person,
    write_export,
)

from prune_tui.cli.commands import main
from prune_tui.services.importer import describe_summary, import_path
from prune_tui.services.invitations import (
    ACCEPTED_NOTE,
    Answer,
    Direction,
    PendingInvitation,
    export_date_from_name,
    note_kind_of,
    pending_invitations,
)
from prune_tui.services.screening import Screening
from prune_tui.store import Database, open_database

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)


def screening(db: Database) -> Screening:
    return Screening(db, clock=lambda: NOW)


def by_name(db: Database) -> dict[str, PendingInvitation]:
    return {i.name: i for i in pending_invitations(db)}


def connection(db: Database, slug: str) -> dict[str, Any]:
    with db.read() as conn:
        row = conn.exec_driver_sql("SELECT * FROM connections WHERE slug = ?", (slug,))
        return dict(row.mappings().one())


# -- the pending rule ---------------------------------------------------------------------------


@pytest.mark.parametrize("generation", ["2023", "2020"])
def test_pending_are_those_not_connected(db: Database, tmp_path: Path, generation: str) -> None:
    import_path(db, write_export(tmp_path, network(), generation))
    pending = by_name(db)
    # Ann and Bo are connected: their invitations (either way) are not pending.
    assert set(pending) == {"Dana Fox", "Eli Sales", "Fay Quiet", "Hana New", "Gus Old"}
    assert [i.name for i in pending_invitations(db) if i.direction is Direction.INCOMING] == [
        "Dana Fox",
        "Eli Sales",
        "Fay Quiet",
    ]
    assert pending["Hana New"].direction is Direction.OUTGOING
    assert pending["Dana Fox"].message == PERSONAL
    assert pending["Dana Fox"].sent_at == "2026-11-17T09:30:00"
    assert pending["Dana Fox"].url == (DANA.url if generation == "2023" else "")
    # The export's date comes from the folder's name: 40 days is stale, 5 is not.
    assert {i.export_date for i in pending.values()} == {"2026-11-20"}
    assert pending["Gus Old"].stale and pending["Gus Old"].days_before_export == 40
    assert not pending["Hana New"].stale
    assert not pending["Fay Quiet"].stale  # 30 days, but theirs: nothing to withdraw


def test_without_urls_a_name_matches_only_when_one_connection_has_it(
    db: Database, tmp_path: Path
) -> None:
    net = network()
    twins = [
        person(P("Dana Fox", "dana-one"), connected=date(2019, 1, 1)),
        person(P("Dana Fox", "dana-two"), connected=date(2021, 1, 1)),
    ]
    net = Network(connections=[*net.connections, *twins], invitations=net.invitations)
    import_path(db, write_export(tmp_path, net, "2020"))
    pending = by_name(db)
    # Two connections are called Dana Fox: the name tells nothing, so hers stays pending.
    assert "Dana Fox" in pending
    # Ann's name belongs to one connection only: matched, not pending.
    assert "Ann Lee" not in pending


def test_a_newer_file_with_urls_adopts_the_records_made_without(
    db: Database, tmp_path: Path
) -> None:
    import_path(db, write_export(tmp_path / "old", network(), "2020"))
    dana = by_name(db)["Dana Fox"]
    screening(db).decide(dana.id, Answer.IGNORE)
    later = "Basic_LinkedInDataExport_11-21-2026"
    import_path(db, write_export(tmp_path / "new", network(), "2023", later))
    again = by_name(db)["Dana Fox"]
    assert again.id == dana.id and again.slug == "dana-fox" and again.url == DANA.url
    assert again.decision is Answer.IGNORE


def test_old_exports_without_invitations_have_none_pending(db: Database, tmp_path: Path) -> None:
    summary = import_path(db, write_export(tmp_path, network(), invitations=False))
    assert pending_invitations(db) == []
    assert "pending" not in describe_summary(summary)
    progress = screening(db).progress()
    assert (progress.to_screen, progress.screened, progress.export_date) == (0, 0, None)


def test_invitations_csv_on_its_own_is_matched_against_the_database(
    db: Database, tmp_path: Path
) -> None:
    folder = write_export(tmp_path, network())
    import_path(db, folder / "Connections.csv")
    summary = import_path(db, folder / "Invitations.csv")
    assert set(by_name(db)) == {"Dana Fox", "Eli Sales", "Fay Quiet", "Hana New", "Gus Old"}
    # The file's parent folder is dated: that is the export's date.
    assert by_name(db)["Gus Old"].export_date == "2026-11-20"
    assert "3 invitations to screen · 1 of yours to withdraw" in describe_summary(summary)


def test_a_zipped_export_is_dated_by_its_name(db: Database, tmp_path: Path) -> None:
    import zipfile

    folder = write_export(tmp_path / "unzipped", network(), folder="inside")
    archive = tmp_path / "Basic_LinkedInDataExport_11-25-2026.zip (1).zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in ("Connections.csv", "Invitations.csv"):
            zf.write(folder / name, f"Basic_LinkedInDataExport_11-25-2026/{name}")
    summary = import_path(db, archive)
    assert {i.export_date for i in pending_invitations(db)} == {"2026-11-25"}
    assert by_name(db)["Gus Old"].days_before_export == 45
    assert summary.invitations_pending == 3 and summary.invitations_to_withdraw == 1


def test_undated_exports_use_the_newest_date_in_the_files(db: Database, tmp_path: Path) -> None:
    import_path(db, write_export(tmp_path, network(), folder="my export"))
    # Dana's invitation (3 days before the 20th) is the newest date in the files.
    assert by_name(db)["Gus Old"].export_date == "2026-11-17"
    assert by_name(db)["Gus Old"].days_before_export == 37


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Basic_LinkedInDataExport_11-20-2026.zip", "2026-11-20"),
        ("Complete_LinkedInDataExport_01-02-2025.zip (1).zip", "2025-01-02"),
        ("Basic_LinkedInDataExport_11-20-2026", "2026-11-20"),
        ("Basic_LinkedInDataExport_13-40-2026.zip", None),
        ("Invitations.csv", None),
    ],
)
def test_export_date_from_the_archive_name(name: str, expected: str | None) -> None:
    assert export_date_from_name(name) == expected


# -- note kinds ---------------------------------------------------------------------------------

NOTES = [
    (None, "none"),
    ("", "none"),
    ("   \n ", "none"),
    ("I'd like to add you to my professional network on LinkedIn.", "none"),
    ("Hi Olive, I'd like to join your LinkedIn network.", "none"),
    (PERSONAL, "personal"),
    ("Hi Olive! We met at the Berlin meetup yesterday — lovely to chat about Rust.", "personal"),
    ("Thanks for the great workshop, would love to stay in touch.", "personal"),
    ("Congrats on the new role! We worked together at Initech back in 2015.", "personal"),
    ("Hi, Sam here, Ann Lee's colleague. She suggested I reach out.", "personal"),
    (PITCH, "pitch"),
    ("We help SaaS founders scale your business with qualified leads. 15 minutes?", "pitch"),
    ("Exclusive offer: our agency can save you time and money on outsourcing.", "pitch"),
    ("Quick question: are you the right person to talk to about your team's pricing?", "pitch"),
]


@pytest.mark.parametrize(("note", "kind"), NOTES)
def test_note_kind_on_real_looking_notes(note: str | None, kind: str) -> None:
    assert note_kind_of(note) == kind


@pytest.mark.parametrize("generation", ["2023", "2020"])
def test_note_kind_reaches_the_json(db: Database, tmp_path: Path, generation: str) -> None:
    import_path(db, write_export(tmp_path, network(), generation))
    kinds = {i.name: i.as_json()["note_kind"] for i in pending_invitations(db)}
    assert kinds["Dana Fox"] == "personal"
    assert kinds["Eli Sales"] == "pitch"
    assert kinds["Fay Quiet"] == "none"


# -- decisions ----------------------------------------------------------------------------------


def test_decisions_criteria_and_undo(db: Database, tmp_path: Path) -> None:
    import_path(db, write_export(tmp_path, network()))
    s = screening(db)
    people = by_name(db)
    s.decide(people["Dana Fox"].id, Answer.ACCEPT)
    s.decide(people["Eli Sales"].id, Answer.IGNORE)
    assert s.toggle_criterion(people["Dana Fox"].id, 1) is True
    assert s.toggle_criterion(people["Dana Fox"].id, 1) is False
    s.set_withdrawn(people["Gus Old"].id, True)

    after = by_name(db)
    assert after["Dana Fox"].decision is Answer.ACCEPT
    assert after["Dana Fox"].decided_at == "2026-11-21T09:00:00+00:00"
    assert after["Dana Fox"].criteria[1] is False
    assert after["Gus Old"].decision is Answer.WITHDRAW
    progress = s.progress()
    assert progress.accepted_words() == "accepted 1 of 2 screened (50%)"
    assert (progress.to_screen, progress.to_withdraw, progress.dunbar) == (1, 0, 1)
    todo = s.checklist()
    assert [i.name for i in todo.accept] == ["Dana Fox"]
    assert [i.name for i in todo.ignore] == ["Eli Sales"]
    assert todo.withdraw == []  # ticked: done on LinkedIn

    undone = s.undo()
    assert undone is not None
    assert undone.describe("Gus Old") == "Undid the withdrawal tick for Gus Old"
    assert [i.name for i in s.checklist().withdraw] == ["Gus Old"]
    s.undo()
    s.undo()  # criterion 1 back to yes, then to unanswered
    assert by_name(db)["Dana Fox"].criteria[1] is None
    undone = s.undo()
    assert undone is not None and undone.describe("Eli Sales") == "Undid “ignore” for Eli Sales"
    assert by_name(db)["Eli Sales"].decision is None
    s.undo()
    assert by_name(db)["Dana Fox"].decision is None
    assert s.undo() is None


def test_each_direction_has_its_own_answers(db: Database, tmp_path: Path) -> None:
    import_path(db, write_export(tmp_path, network()))
    people = by_name(db)
    with pytest.raises(ValueError):
        screening(db).decide(people["Dana Fox"].id, Answer.WITHDRAW)
    with pytest.raises(ValueError):
        screening(db).decide(people["Gus Old"].id, Answer.ACCEPT)
    assert by_name(db)["Gus Old"].decision is None


def test_a_window_never_overwrites_a_decision_made_elsewhere(db: Database, tmp_path: Path) -> None:
    from prune_tui.services.screening import InvitationChanged

    import_path(db, write_export(tmp_path, network()))
    dana = by_name(db)["Dana Fox"]
    screening(db).decide(dana.id, Answer.IGNORE)
    with pytest.raises(InvitationChanged) as caught:
        screening(db).decide(dana.id, Answer.ACCEPT, expected=None)
    assert caught.value.now == "ignore"
    assert by_name(db)["Dana Fox"].decision is Answer.IGNORE


def test_decisions_survive_reopening(db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)
    import_path(db, write_export(tmp_path, network()))
    screening(db).decide(by_name(db)["Eli Sales"].id, Answer.IGNORE)
    db.close()
    db = open_database(db_path)
    try:
        assert by_name(db)["Eli Sales"].decision is Answer.IGNORE
        assert screening(db).undo() is not None
        assert by_name(db)["Eli Sales"].decision is None
    finally:
        db.close()


# -- a newer export closes the loop -------------------------------------------------------------


def newer_export(tmp_path: Path) -> Path:
    """A month later: Dana is a connection now, Eli's invitation is gone, Fay's and Gus's are
    still pending, and a new one came in."""
    net = network()
    later = Network(
        connections=[*net.connections, person(DANA, "Globex", date(2026, 11, 25))],
        invitations=[
            Inv(P("Ivy Newcomer", "ivy-new"), "INCOMING", datetime(2026, 12, 10, 9, 0)),
            *[i for i in net.invitations if i.other not in (ELI,)],
        ],
    )
    return write_export(tmp_path / "later", later, folder="Basic_LinkedInDataExport_12-20-2026")


def test_a_newer_export_confirms_accepts_and_closes_the_loop(db: Database, tmp_path: Path) -> None:
    import_path(db, write_export(tmp_path, network()))
    s = screening(db)
    people = by_name(db)
    s.decide(people["Dana Fox"].id, Answer.ACCEPT)
    s.toggle_criterion(people["Dana Fox"].id, 2)  # I know what she does
    s.decide(people["Eli Sales"].id, Answer.IGNORE)
    s.decide(people["Fay Quiet"].id, Answer.IGNORE)  # ...but not yet done on LinkedIn
    s.set_withdrawn(people["Gus Old"].id, True)

    summary = import_path(db, newer_export(tmp_path))
    dana = connection(db, "dana-fox")
    assert dana["decision"] == "keep"
    assert dana["note"] == ACCEPTED_NOTE
    with db.read() as conn:
        answers = conn.exec_driver_sql(
            "SELECT criterion, value FROM criteria WHERE connection_id = ?", (dana["id"],)
        ).all()
    assert [tuple(a) for a in answers] == [(2, 1)]
    assert summary.accepts_confirmed == 1
    assert summary.invitations_flagged == 2  # Fay still pending, Gus still pending

    pending = by_name(db)
    assert set(pending) == {"Fay Quiet", "Gus Old", "Hana New", "Ivy Newcomer"}
    assert pending["Fay Quiet"].flagged and pending["Gus Old"].flagged
    assert not pending["Ivy Newcomer"].flagged and pending["Ivy Newcomer"].decision is None
    assert pending["Hana New"].stale  # 35 days before the newer export's date
    with db.read() as conn:
        rows = {
            r.name: r
            for r in conn.exec_driver_sql("SELECT name, status, closed_at FROM invitations")
        }
    assert rows["Dana Fox"].status == "accepted" and rows["Dana Fox"].closed_at
    assert rows["Eli Sales"].status == "gone" and rows["Eli Sales"].closed_at  # done
    words = describe_summary(summary)
    assert "1 invitation you accepted on screening now connected" in words
    assert "2 invitations you screened are still pending on LinkedIn" in words
    # The accepted person is kept: the Dunbar gauge counts them once.
    assert screening(db).progress().dunbar == 1
    # Ignoring Fay again (or ticking Gus again) says it stands as of now: no longer flagged.
    screening(db).decide(pending["Fay Quiet"].id, Answer.IGNORE)
    screening(db).set_withdrawn(pending["Gus Old"].id, True)
    assert not any(i.flagged for i in pending_invitations(db))
    # The same export again changes nothing.
    assert import_path(db, newer_export(tmp_path)).already_imported


def test_a_new_invitation_after_one_dealt_with_is_screened_afresh(
    db: Database, tmp_path: Path
) -> None:
    import_path(db, write_export(tmp_path, network()))
    screening(db).decide(by_name(db)["Eli Sales"].id, Answer.IGNORE)
    import_path(db, newer_export(tmp_path))  # Eli's is gone: done
    net = network()
    again = Network(
        [*net.connections, person(DANA)],
        [Inv(ELI, "INCOMING", datetime(2027, 1, 5, 9, 0), "Circling back on our platform!")],
    )
    import_path(
        db, write_export(tmp_path / "c", again, folder="Basic_LinkedInDataExport_01-10-2027")
    )
    eli = by_name(db)["Eli Sales"]
    assert eli.decision is None and not eli.flagged
    assert eli.message == "Circling back on our platform!"


def test_an_older_export_after_a_newer_one_reopens_nothing(db: Database, tmp_path: Path) -> None:
    import_path(db, write_export(tmp_path, network()))
    screening(db).decide(by_name(db)["Eli Sales"].id, Answer.IGNORE)
    import_path(db, newer_export(tmp_path))
    assert "Eli Sales" not in by_name(db)
    older = network()
    older_net = Network([*older.connections, person(DANA)], older.invitations)
    import_path(
        db,
        write_export(tmp_path / "older", older_net, folder="Basic_LinkedInDataExport_10-01-2026"),
        allow_shrink=True,
        allow_older=True,  # an older export is refused unless the user insists (issue 10)
    )
    assert "Eli Sales" not in by_name(db)


def test_accepting_on_linkedin_without_screening_is_not_pending(
    db: Database, tmp_path: Path
) -> None:
    folder = write_export(tmp_path, network())
    import_path(db, folder)
    net = network()
    later = Network([*net.connections, person(FAY)], [])
    import_path(db, write_export(tmp_path / "b", later, invitations=False, folder="b"))
    assert "Fay Quiet" not in by_name(db)
    assert connection(db, "fay-quiet")["decision"] is None  # not screened: not decided for you


# -- the command line ---------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_lists_every_pending_invitation(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db_path = tmp_path / "cli.db"
    export = str(write_export(tmp_path, network()))
    assert run(capsys, "import", export, "--db", str(db_path))[0] == 0
    db = open_database(db_path)
    screening(db).decide(by_name(db)["Eli Sales"].id, Answer.IGNORE)
    screening(db).set_withdrawn(by_name(db)["Gus Old"].id, True)
    db.close()
    code, out, err = run(capsys, "invitations", "--json", "--db", str(db_path))
    assert code == 0 and err == ""
    data = json.loads(out)
    assert [(d["direction"], d["name"]) for d in data] == [
        ("incoming", "Dana Fox"),
        ("incoming", "Eli Sales"),
        ("incoming", "Fay Quiet"),
        ("outgoing", "Hana New"),
        ("outgoing", "Gus Old"),
    ]
    for item in data:
        assert set(item) == {
            "direction",
            "name",
            "url",
            "sent_at",
            "message",
            "note_kind",
            "decision",
            "stale",
        }
    eli = data[1]
    assert eli == {
        "direction": "incoming",
        "name": "Eli Sales",
        "url": ELI.url,
        "sent_at": "2026-11-10T09:30:00",
        "message": PITCH,
        "note_kind": "pitch",
        "decision": "ignore",
        "stale": False,
    }
    assert data[3]["stale"] is False and data[4]["stale"] is True
    assert data[4]["decision"] == "withdraw" and data[2]["message"] is None


def test_cli_text_is_the_linkedin_checklist(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db_path = tmp_path / "cli.db"
    run(capsys, "import", str(write_export(tmp_path, network())), "--db", str(db_path))
    db = open_database(db_path)
    screening(db).decide(by_name(db)["Dana Fox"].id, Answer.ACCEPT)
    screening(db).decide(by_name(db)["Eli Sales"].id, Answer.IGNORE)
    db.close()
    code, out, _err = run(capsys, "invitations", "--db", str(db_path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Invitations pending at your export of 20 Nov 2026")
    assert "accepted 1 of 2 screened (50%)" in lines[1] and "about 2 in 5" in lines[1]
    accept = lines.index("Accept on LinkedIn (1)")
    assert lines[accept + 1] == f"- [ ] Dana Fox  {DANA.url}  sent 17 Nov 2026"
    assert lines[lines.index("Ignore on LinkedIn (1)") + 1].startswith("- [ ] Eli Sales")
    withdraw = lines.index("Withdraw on LinkedIn (1): yours, pending over 3 weeks at the export")
    assert lines[withdraw + 1].startswith(f"- [ ] Gus Old  {GUS.url}  sent 11 Oct 2026, 40 days")
    assert "Still to screen (1): open prune-tui and press i" in lines
    assert HANA.url not in out  # not stale yet: nothing to do


def test_cli_hostile_names_and_links_never_reach_the_terminal_raw(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    evil = P("Esc\x1b[31mape \u202eRLO", "evil")
    evil_link = P("Javas Cript", "x", url_form="javascript:alert(1)//{}")
    invs = [
        Inv(evil, "INCOMING", at(2), "note\x1b[2J with \u202e"),
        Inv(evil_link, "INCOMING", at(2), "hi"),
    ]
    folder = tmp_path / "Basic_LinkedInDataExport_11-20-2026"
    folder.mkdir()
    write(folder, "Invitations.csv", invitations_csv(invs, owner=OWNER))
    db_path = tmp_path / "cli.db"
    assert run(capsys, "import", str(folder), "--db", str(db_path))[0] == 0
    for argv in (["invitations"], ["invitations", "--json"]):
        code, out, _err = run(capsys, *argv, "--db", str(db_path))
        assert code == 0
        assert "\x1b" not in out and "\u202e" not in out
        assert "javascript:" not in out or argv[-1] == "--json"
    code, out, _err = run(capsys, "invitations", "--json", "--db", str(db_path))
    names = {d["name"] for d in json.loads(out)}
    assert "Esc\x1b[31mape \u202eRLO" in names  # the JSON keeps the data, escaped


def test_cli_without_a_database_or_invitations(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _out, err = run(capsys, "invitations", "--db", str(tmp_path / "none.db"))
    assert code == 2 and err.startswith("prune-tui: error:") and len(err.splitlines()) == 1
    db_path = tmp_path / "plain.db"
    run(
        capsys,
        "import",
        str(write_export(tmp_path, network(), invitations=False)),
        "--db",
        str(db_path),
    )
    code, out, _err = run(capsys, "invitations", "--db", str(db_path))
    assert code == 0 and out.startswith("No invitations imported yet")
    code, out, _err = run(capsys, "invitations", "--json", "--db", str(db_path))
    assert json.loads(out) == []


# -- the backup ---------------------------------------------------------------------------------


def test_backup_carries_decisions_and_restores_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db_path = tmp_path / "a.db"
    run(capsys, "import", str(write_export(tmp_path, network())), "--db", str(db_path))
    db = open_database(db_path)
    s = screening(db)
    s.decide(by_name(db)["Dana Fox"].id, Answer.ACCEPT)
    s.toggle_criterion(by_name(db)["Dana Fox"].id, 5)
    s.set_withdrawn(by_name(db)["Gus Old"].id, True)
    db.close()
    backup = tmp_path / "backup.json"
    assert (
        run(
            capsys,
            "export",
            "--only",
            "all",
            "--format",
            "json",
            "-o",
            str(backup),
            "--db",
            str(db_path),
        )[0]
        == 0
    )
    data = json.loads(backup.read_text("utf-8"))
    # Still a list of connection objects; the invitations ride on the first one.
    assert isinstance(data, list) and len(data) == 2
    assert all({"first_name", "last_name", "url", "decision"} <= set(item) for item in data)
    assert "invitations" in data[0] and "invitations" not in data[1]
    assert len(data[0]["invitations"]) == 5  # the pending ones; accepted long ago: not kept

    restored = tmp_path / "b.db"
    code, _out, err = run(capsys, "import", str(backup), "--db", str(restored))
    assert code == 0, err
    db = open_database(restored)
    try:
        pending = by_name(db)
        assert pending["Dana Fox"].decision is Answer.ACCEPT
        assert pending["Dana Fox"].criteria[5] is True
        assert pending["Gus Old"].decision is Answer.WITHDRAW and pending["Gus Old"].stale
        assert not any(i.flagged for i in pending.values())
        assert set(pending) == {"Dana Fox", "Eli Sales", "Fay Quiet", "Hana New", "Gus Old"}
    finally:
        db.close()
    again = tmp_path / "again.json"
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
    )
    assert json.loads(again.read_text("utf-8")) == data


def test_backup_with_bad_invitations_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    entry = {"first_name": "A", "last_name": "B", "url": "https://www.linkedin.com/in/ab"}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{**entry, "invitations": [{"direction": "sideways"}]}]))
    code, _out, err = run(capsys, "import", str(path), "--db", str(tmp_path / "x.db"))
    assert code == 2 and "direction" in err and len(err.splitlines()) == 1
