"""Invitations.csv: with and without URL columns, who invited whom, the note, the newest
invitation winning, a missing Direction column, replacing on re-import."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from evidence_files import (
    ANN,
    BO,
    LINNEA,
    OWNER,
    Inv,
    P,
    evidence_rows,
    invitations_csv,
    load,
    write,
)

from prune_tui.services.evidence import kind_for_file_name, kind_for_header
from prune_tui.store import Database

SUMMIT = "Great meeting you at the summit!"
PITCH = "Hi! We help companies like yours grow revenue. Open to a quick call?"


def invitations() -> list[Inv]:
    return [
        Inv(ANN, "INCOMING", datetime(2024, 12, 15, 7, 47), SUMMIT),
        Inv(BO, "OUTGOING", datetime(2023, 5, 2, 18, 5)),
        Inv(LINNEA, "INCOMING", datetime(2022, 1, 9, 12, 0), PITCH),
    ]


def test_2023_generation_with_urls(db: Database, tmp_path: Path) -> None:
    summary = load(
        db, "invitations", write(tmp_path, "Invitations.csv", invitations_csv(invitations()))
    )
    rows = evidence_rows(db)
    assert rows["ann-lee"]["invited_by"] == "them"
    assert rows["ann-lee"]["invitation_message"] == SUMMIT
    assert rows["ann-lee"]["invited_at"] == "2024-12-15T07:47:00"
    assert rows["bo-berg"]["invited_by"] == "me"
    assert rows["bo-berg"]["invitation_message"] is None
    assert rows["linnéa-ström"]["invitation_message"] == PITCH
    # Names too, for connections from exports without URLs.
    assert rows["aka:ann lee"]["invited_by"] == "them"
    assert not {"olive-owner", "name:olive owner", "aka:olive owner"} & set(rows)
    assert summary.invitations == 3


def test_older_generation_without_urls_matches_by_name(db: Database, tmp_path: Path) -> None:
    data = invitations_csv(invitations(), "2020")
    load(db, "invitations", write(tmp_path, "Invitations.csv", data))
    rows = evidence_rows(db)
    assert set(rows) == {"name:ann lee", "name:bo berg, phd", "name:linnéa ström"}
    assert rows["name:bo berg, phd"]["invited_by"] == "me"


def test_without_direction_the_owner_tells(db: Database, tmp_path: Path) -> None:
    db.set_setting("owner.slug", OWNER.slug)
    data = invitations_csv(invitations(), direction=False)
    load(db, "invitations", write(tmp_path, "Invitations.csv", data))
    rows = evidence_rows(db)
    assert rows["ann-lee"]["invited_by"] == "them"
    assert rows["bo-berg"]["invited_by"] == "me"


def test_without_direction_or_owner_nothing_is_guessed(db: Database, tmp_path: Path) -> None:
    data = invitations_csv(invitations(), direction=False)
    summary = load(db, "invitations", write(tmp_path, "Invitations.csv", data))
    assert evidence_rows(db) == {}
    assert summary.invitations == 0


def test_newest_invitation_wins(db: Database, tmp_path: Path) -> None:
    invs = [
        Inv(ANN, "INCOMING", datetime(2020, 1, 1, 9, 0), "old note"),
        Inv(ANN, "OUTGOING", datetime(2024, 1, 1, 9, 0), "Let's stay in touch"),
    ]
    load(db, "invitations", write(tmp_path, "Invitations.csv", invitations_csv(invs)))
    row = evidence_rows(db)["ann-lee"]
    assert row["invited_by"] == "me"
    assert row["invitation_message"] == "Let's stay in touch"


def test_reimport_replaces_invitations_only(db: Database, tmp_path: Path) -> None:
    with db.write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO evidence (person, message_count, invited_by) VALUES ('bo-berg', 4, 'me')"
        )
    path = write(tmp_path, "Invitations.csv", invitations_csv(invitations()[:1]))
    load(db, "invitations", path)
    load(db, "invitations", path)
    rows = evidence_rows(db)
    assert rows["bo-berg"]["invited_by"] is None
    assert rows["bo-berg"]["message_count"] == 4
    assert rows["ann-lee"]["invited_by"] == "them"


def test_hostile_note_is_stored_as_written(db: Database, tmp_path: Path) -> None:
    note = '[bold]hi[/bold]\x1b[2J\nsecond line, "quoted"'
    invs = [Inv(P("Zoë 🌱 Berg, PhD", "zoe"), "INCOMING", datetime(2024, 2, 2, 2, 2), note)]
    load(db, "invitations", write(tmp_path, "Invitations.csv", invitations_csv(invs)))
    assert evidence_rows(db)["zoe"]["invitation_message"] == note


def test_recognised_by_header_and_name() -> None:
    for generation in ("2020", "2023"):
        header = invitations_csv([], generation).decode().strip().split(",")
        assert kind_for_header(header) == "invitations"
    assert kind_for_file_name("Invitations.csv") == "invitations"
    assert kind_for_file_name("invitations (2).csv") == "invitations"


def test_unreadable_file_is_an_error(db: Database, tmp_path: Path) -> None:
    from prune_tui.errors import BadInputFile

    path = write(tmp_path, "Invitations.csv", b"\x00\x01\x02binary\x00\xff" * 50)
    with pytest.raises(BadInputFile):
        load(db, "invitations", path)
    assert evidence_rows(db) == {}
