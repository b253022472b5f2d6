"""Endorsements, recommendations, Profile.csv, a whole archive through the importer, reading
evidence back for a card, and the card's evidence lines."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from builders import Person, connections_csv, write_connections
from evidence_files import (
    AD,
    ANN,
    BO,
    LINNEA,
    OWNER,
    Inv,
    Msg,
    endorsements_csv,
    evidence_rows,
    invitations_csv,
    load,
    messages_csv,
    profile_csv,
    recommendations_csv,
    write,
)

from prune_tui.model import Evidence
from prune_tui.services.evidence import (
    EVIDENCE_KINDS,
    kind_for_file_name,
    kind_for_header,
    read_evidence,
)
from prune_tui.services.importer import import_path
from prune_tui.store import Database
from prune_tui.store.attribution import match_names
from prune_tui.text.evidence import describe_evidence
from prune_tui.text.plain import one_line as clean_line

TODAY = date(2026, 11, 21)


# -- endorsements and recommendations ----------------------------------------------------------


def test_endorsements_received_and_given(db: Database, tmp_path: Path) -> None:
    received = endorsements_csv([ANN, ANN, BO], "Endorser")
    given = endorsements_csv([ANN], "Endorsee")
    summary = load(
        db, "endorsements_received", write(tmp_path, "Endorsement_Received_Info.csv", received)
    )
    load(db, "endorsements_given", write(tmp_path, "Endorsement_Given_Info.csv", given), summary)
    rows = evidence_rows(db)
    assert rows["ann-lee"]["endorsements_received"] == 2
    assert rows["ann-lee"]["endorsements_given"] == 1
    assert rows["bo-berg"]["endorsements_received"] == 1
    # Also under her name, for a connection from an export without URLs.
    assert rows["aka:ann lee"]["endorsements_received"] == 2
    assert summary.endorsements == 4
    # Importing the same file again replaces, never adds.
    load(db, "endorsements_received", write(tmp_path, "again.csv", received))
    assert evidence_rows(db)["ann-lee"]["endorsements_received"] == 2


def test_rejected_endorsements_do_not_count(db: Database, tmp_path: Path) -> None:
    data = endorsements_csv([ANN], "Endorser", status="REJECTED")
    summary = load(db, "endorsements_received", write(tmp_path, "e.csv", data))
    assert evidence_rows(db) == {}
    assert summary.endorsements == 0


def test_utf16_endorsements(db: Database, tmp_path: Path) -> None:
    data = endorsements_csv([LINNEA], "Endorser").decode().encode("utf-16")
    load(db, "endorsements_received", write(tmp_path, "e.csv", data))
    assert evidence_rows(db)["linnéa-ström"]["endorsements_received"] == 1


def test_recommendations_by_name(db: Database, tmp_path: Path) -> None:
    summary = load(
        db,
        "recommendations_received",
        write(tmp_path, "Recommendations_Received.csv", recommendations_csv([ANN, BO])),
    )
    load(
        db,
        "recommendations_given",
        write(tmp_path, "Recommendations_Given.csv", recommendations_csv([ANN])),
        summary,
    )
    rows = evidence_rows(db)
    assert rows["name:ann lee"]["recommendations_received"] == 1
    assert rows["name:ann lee"]["recommendations_given"] == 1
    assert rows["name:bo berg, phd"]["recommendations_received"] == 1
    assert summary.recommendations == 3


def test_file_names_and_headers() -> None:
    assert kind_for_file_name("Endorsement_Received_Info.csv") == "endorsements_received"
    assert kind_for_file_name("Endorsements_Received_Info (1).csv") == "endorsements_received"
    assert kind_for_file_name("Endorsement_Given_Info.csv") == "endorsements_given"
    assert kind_for_file_name("Recommendations_Received.csv") == "recommendations_received"
    assert kind_for_file_name("Recommendations_Given.csv") == "recommendations_given"
    assert kind_for_file_name("Profile.csv") == "profile"
    assert kind_for_file_name("Connections.csv") is None
    assert kind_for_file_name("Rich_Media.csv") is None
    header = endorsements_csv([], "Endorser").decode().strip().split(",")
    assert kind_for_header(header) == "endorsements_received"
    header = endorsements_csv([], "Endorsee").decode().strip().split(",")
    assert kind_for_header(header) == "endorsements_given"
    # Given and received recommendations share a header: only the file name can tell.
    assert kind_for_header(recommendations_csv([]).decode().strip().split(",")) is None
    # A Connections.csv header is no evidence file.
    assert kind_for_header(["First Name", "Last Name", "URL", "Connected On"]) is None


def test_profile_first_so_the_owner_is_known() -> None:
    assert next(iter(EVIDENCE_KINDS)) == "profile"


def test_profile_names_the_owner(db: Database, tmp_path: Path) -> None:
    load(db, "profile", write(tmp_path, "Profile.csv", profile_csv(OWNER)))
    assert db.get_setting("owner.name") == "name:olive owner"


# -- a whole archive, through the importer -----------------------------------------------------


def _archive(tmp_path: Path) -> Path:
    people = [
        Person("Ann", "Lee", "ann-lee"),
        Person("Bo", "Berg, PhD", "bo-berg"),
        Person("Linnéa", "Ström", "linnéa-ström"),
        Person("Quiet", "Quinn", "quiet-quinn"),
    ]
    msgs = [
        Msg(ANN, [OWNER], datetime(2024, 3, 10, 9, 0), "See you!"),
        Msg(OWNER, [ANN], datetime(2024, 3, 9, 9, 0)),
        Msg(OWNER, [BO, LINNEA], datetime(2023, 1, 1, 9, 0), "Group"),
        Msg(AD, [OWNER], datetime(2023, 1, 1, 8, 0), "Ad"),
    ]
    invs = [
        Inv(ANN, "INCOMING", datetime(2019, 5, 5, 9, 0), "Great meeting you at the summit!"),
        Inv(BO, "OUTGOING", datetime(2019, 4, 4, 9, 0)),
    ]
    archive = tmp_path / "Complete_LinkedInDataExport_11-20-2026.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        top = "Complete_LinkedInDataExport_11-20-2026/"
        zf.writestr(top + "Connections.csv", connections_csv(people, "2023"))
        zf.writestr(top + "messages.csv", messages_csv(msgs, encoding="utf-16"))
        zf.writestr(top + "Invitations.csv", invitations_csv(invs))
        zf.writestr(top + "Profile.csv", profile_csv(OWNER))
        zf.writestr(top + "Endorsement_Received_Info.csv", endorsements_csv([LINNEA], "Endorser"))
        zf.writestr(top + "Recommendations_Received.csv", recommendations_csv([BO]))
        zf.writestr(top + "guide_messages.csv", b"")
        zf.writestr(top + "Endorsement_Given_Info.csv", b"")  # empty: absent evidence
    return archive


def _card_evidence(db: Database, slug: str) -> Evidence | None:
    with db.read() as conn:
        connection_id = conn.exec_driver_sql(
            "SELECT id FROM connections WHERE slug = ?", (slug,)
        ).scalar_one()
        return read_evidence(conn, connection_id)


def test_archive_attaches_evidence_to_connections(db: Database, tmp_path: Path) -> None:
    summary = import_path(db, _archive(tmp_path))
    assert summary.rows == 4
    assert (summary.messages, summary.invitations) == (3, 2)
    assert (summary.endorsements, summary.recommendations) == (1, 1)
    ann = _card_evidence(db, "ann-lee")
    assert ann is not None
    assert (ann.message_count, ann.last_message_from, ann.invited_by) == (2, "them", "them")
    lines = describe_evidence(ann, TODAY)
    assert lines == [
        "2 messages · last Mar 2024 · they wrote last",
        "They invited you: 'Great meeting you at the summit!'",
    ]
    bo = _card_evidence(db, "bo-berg")
    assert bo is not None
    # Recommendations have no URL: matched through the connection's name.
    assert describe_evidence(bo, TODAY) == [
        "1 message · last Jan 2023 · you wrote last",
        "You invited them (no note)",
        "Recommended you · matched by name only",
    ]
    quiet = _card_evidence(db, "quiet-quinn")
    assert quiet == Evidence(messages_known=True)
    assert describe_evidence(quiet, TODAY) == ["Never messaged"]
    assert db.get_setting("owner.slug") == "olive-owner"
    with db.read() as conn:
        assert (
            conn.exec_driver_sql(
                "SELECT count(*) FROM evidence WHERE person LIKE '%olive%'"
            ).scalar_one()
            == 0
        )


def test_archive_imported_twice_changes_nothing(db: Database, tmp_path: Path) -> None:
    archive = _archive(tmp_path)
    import_path(db, archive)
    before = evidence_rows(db)
    import_path(db, archive)
    assert evidence_rows(db) == before


def test_lone_messages_file_through_the_importer(db: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "messages.csv",
        messages_csv(
            [Msg(ANN, [OWNER], datetime(2024, 1, 1)), Msg(BO, [OWNER], datetime(2024, 1, 2))]
        ),
    )
    summary = import_path(db, path)
    assert summary.messages == 2
    assert evidence_rows(db)["ann-lee"]["message_count"] == 1


def test_evidence_before_connections(db: Database, tmp_path: Path) -> None:
    """Evidence can arrive first; the connections imported later find it."""
    import_path(
        db,
        write(
            tmp_path,
            "Invitations.csv",
            invitations_csv([Inv(ANN, "INCOMING", datetime(2024, 1, 1))]),
        ),
    )
    import_path(
        db, write(tmp_path, "Connections.csv", connections_csv([Person("Ann", "Lee", "ann-lee")]))
    )
    ev = _card_evidence(db, "ann-lee")
    assert ev is not None and ev.invited_by == "them"
    # No messages file was read: "no messages" is unknown, not "never messaged".
    assert ev.messages_known is False
    assert describe_evidence(ev, TODAY) == ["They invited you (no note)"]


def test_read_evidence_falls_back_to_name(db: Database, tmp_path: Path) -> None:
    import_path(
        db,
        write_connections(
            tmp_path, [Person("Ann", "Lee", "ann-lee"), Person("Bo", "Berg", "bo-berg")]
        ),
    )
    with db.write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO evidence (person, invited_by, recommendations_given) "
            "VALUES ('name:ann lee', 'me', 1)"
        )
        match_names(conn)
    ann, bo = (_card_evidence(db, slug) for slug in ("ann-lee", "bo-berg"))
    assert ann is not None and ann.invited_by == "me"
    assert ann.by_name == {"invitation", "recommendations_given"}
    assert bo is None
    with db.write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO evidence (person, message_count, invited_by, recommendations_given) "
            "VALUES ('ann-lee', 3, 'them', 0)"
        )
    ann = _card_evidence(db, "ann-lee")
    # The slug's facts win; the name only fills what the slug lacks.
    assert ann is not None
    assert (ann.message_count, ann.invited_by, ann.recommendations_given) == (3, "them", 1)
    assert ann.by_name == {"recommendations_given"}


# -- the card's lines --------------------------------------------------------------------------


def test_describe_messages() -> None:
    ev = Evidence(
        message_count=23, last_message_at="2024-03-02T10:00:00+00:00", last_message_from="them"
    )
    assert describe_evidence(ev, TODAY) == ["23 messages · last Mar 2024 · they wrote last"]
    recent = Evidence(
        message_count=1, last_message_at="2026-11-09T10:00:00", last_message_from="me"
    )
    assert describe_evidence(recent, TODAY) == ["1 message · last 12 days ago · you wrote last"]
    assert describe_evidence(Evidence(message_count=2, last_message_at="2026-11-21"), TODAY) == [
        "2 messages · last today"
    ]
    assert describe_evidence(Evidence(message_count=1_234), TODAY) == ["1,234 messages"]


def test_describe_invitation_and_endorsements() -> None:
    ev = Evidence(
        invited_by="me",
        invitation_message="Loved your talk\non\tcaching",
        endorsements_received=3,
        endorsements_given=1,
        recommendations_received=1,
        messages_known=False,
    )
    assert describe_evidence(ev, TODAY) == [
        "You invited them: 'Loved your talk on caching'",
        "Recommended you · endorsed you 3 times · you endorsed them once",
    ]


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("[bold]x[/bold]", "They invited you: '[bold]x[/bold]'"),
        ("\x1b[31mred\x1b[0m\x07", "They invited you: '[31mred[0m'"),
        ("\u202eevil", "They invited you: 'evil'"),
        ("   \n ", "They invited you (no note)"),
    ],
)
def test_notes_are_one_clean_line(note: str, expected: str) -> None:
    ev = Evidence(invited_by="them", invitation_message=note, messages_known=False)
    assert describe_evidence(ev, TODAY) == [expected]


def test_long_note_is_cut() -> None:
    line = clean_line("word " * 100, 30)
    assert len(line) == 30 and line.endswith("…")


def test_nothing_known() -> None:
    assert describe_evidence(None, TODAY) == []
    assert describe_evidence(Evidence(messages_known=False), TODAY) == []


def test_json_export_carries_the_evidence(db: Database, tmp_path: Path) -> None:
    import io
    import json

    from prune_tui.services.backup import export_json

    import_path(db, _archive(tmp_path))
    out = io.StringIO()
    export_json(db, out, only="all")
    by_url = {item["url"].rsplit("/", 1)[-1]: item for item in json.loads(out.getvalue())}
    ann = by_url["ann-lee"]
    assert ann["message_count"] == 2
    assert ann["last_message_at"] == "2024-03-10T09:00:00+00:00"
    assert ann["invited_by"] == "them"
    assert ann["invitation_message"] == "Great meeting you at the summit!"
    quiet = by_url["quiet-quinn"]
    assert (quiet["message_count"], quiet["invited_by"]) == (0, None)
