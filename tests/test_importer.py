"""Re-import semantics (docs/PRODUCT.md §5): refresh, new, gone, confirmed removals, adoption, the
shrink safeguard, all-or-nothing, and the same file twice."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from builders import Person, connections_csv, write_connections

from prune_tui.errors import BadInputFile, ImportRefused
from prune_tui.services.importer import describe_summary, import_path
from prune_tui.store import Database
from prune_tui.store.queries import stats


def people(n: int, start: int = 0) -> list[Person]:
    return [
        Person(
            f"First{i}",
            f"Last{i}",
            f"person-{i}",
            company=f"Co{i}",
            position="Dev",
            connected=date(2015 + i % 10, 1 + i % 12, 1 + i % 28),
        )
        for i in range(start, start + n)
    ]


def dump(db: Database) -> dict[str, list[Any]]:
    out = {}
    with db.read() as conn:
        for table in ("connections", "history", "criteria", "evidence", "removals", "import_runs"):
            out[table] = conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY 1").all()
    return out


def row(db: Database, slug: str) -> dict[str, Any]:
    with db.read() as conn:
        r = conn.exec_driver_sql("SELECT * FROM connections WHERE slug = ?", (slug,)).mappings()
        return dict(r.one())


def decide(db: Database, slug: str, decision: str) -> None:
    with db.write() as conn:
        conn.exec_driver_sql(
            "UPDATE connections SET decision = ?, decided_at = '2026-01-01T00:00:00+00:00', "
            "note = 'a note' WHERE slug = ?",
            (decision, slug),
        )


def test_first_import_counts(db: Database, tmp_path: Path) -> None:
    path = write_connections(tmp_path, people(10), hidden=3)
    summary = import_path(db, path)
    assert (summary.rows, summary.new, summary.hidden_skipped, summary.gone) == (10, 10, 3, 0)
    assert stats(db).total == 10
    text = describe_summary(summary)
    assert "10 connections" in text and "3 hidden or closed accounts" in text


def test_same_file_twice_changes_nothing(db: Database, tmp_path: Path) -> None:
    path = write_connections(tmp_path, people(10))
    import_path(db, path)
    before = dump(db)
    again = import_path(db, path)
    assert again.already_imported
    assert dump(db) == before
    assert "nothing changed" in describe_summary(again)


def test_reimport_refreshes_adds_and_keeps_decisions(db: Database, tmp_path: Path) -> None:
    first = people(10)
    import_path(db, write_connections(tmp_path, first, name="one.csv"))
    decide(db, "person-1", "keep")
    with db.write() as conn:
        cid = conn.exec_driver_sql("SELECT id FROM connections WHERE slug='person-1'").scalar()
        conn.exec_driver_sql("INSERT INTO criteria VALUES (?, 2, 1)", (cid,))

    second = [*people(1, start=100), *first]  # newest first
    second[2].company = "NewCo"
    second[2].position = "CTO"
    summary = import_path(db, write_connections(tmp_path, second, name="two.csv"))
    assert (summary.new, summary.updated, summary.unchanged, summary.gone) == (1, 1, 9, 0)

    ada = row(db, "person-1")
    assert (ada["company"], ada["was_company"]) == ("NewCo", "Co1")
    assert (ada["position"], ada["was_position"]) == ("CTO", "Dev")
    assert (ada["decision"], ada["note"]) == ("keep", "a note")
    with db.read() as conn:
        assert conn.exec_driver_sql("SELECT value FROM criteria").scalar() == 1
    newcomer = row(db, "person-100")
    assert newcomer["decision"] is None
    assert newcomer["first_import_id"] == 2


def test_gone_confirms_removals_flags_keeps_and_returns(db: Database, tmp_path: Path) -> None:
    everyone = people(20)
    import_path(db, write_connections(tmp_path, everyone, name="one.csv"))
    decide(db, "person-0", "remove")
    decide(db, "person-1", "keep")
    decide(db, "person-2", "remove")
    # person-0 and person-1 leave; person-2 was ticked off but is still there.
    with db.write() as conn:
        cid = conn.exec_driver_sql("SELECT id FROM connections WHERE slug='person-2'").scalar()
        conn.exec_driver_sql(
            "INSERT INTO removals (connection_id, marked_at) VALUES (?, 'x')", (cid,)
        )
    summary = import_path(db, write_connections(tmp_path, everyone[2:], name="two.csv"))
    assert (summary.gone, summary.confirmed_removals, summary.flagged) == (2, 1, 1)
    assert summary.still_connected == 1
    assert row(db, "person-0")["status"] == "gone"
    assert row(db, "person-1")["decision"] == "keep"  # kept, flagged "no longer connected"
    figures = stats(db)
    assert (figures.total, figures.gone, figures.removed, figures.keep) == (18, 2, 2, 0)

    newer = [*people(1, start=50), *everyone]
    back = import_path(db, write_connections(tmp_path, newer, name="three.csv"))
    assert back.returned == 2
    assert row(db, "person-0")["status"] == "active"
    with db.read() as conn:
        confirmed = conn.exec_driver_sql(
            "SELECT count(*) FROM removals WHERE confirmed_at IS NOT NULL"
        ).scalar()
    assert confirmed == 0


def test_shrink_safeguard_refuses_then_allows(db: Database, tmp_path: Path) -> None:
    everyone = people(10)
    import_path(db, write_connections(tmp_path, everyone, name="one.csv"))
    before = dump(db)
    partial = write_connections(tmp_path, everyone[3:], name="two.csv")  # the oldest go
    with pytest.raises(ImportRefused, match="--allow-shrink"):
        import_path(db, partial)
    assert dump(db) == before
    summary = import_path(db, partial, allow_shrink=True)
    assert summary.gone == 3


def test_export_without_urls_is_adopted_by_a_later_one(db: Database, tmp_path: Path) -> None:
    group = people(5)
    import_path(db, write_connections(tmp_path, group, "2019", name="old.csv"))
    decide_by_name(db, "First3", "nurture")
    summary = import_path(db, write_connections(tmp_path, group, "2023", name="new.csv"))
    assert (summary.new, summary.gone) == (0, 0)
    adopted = row(db, "person-3")
    assert adopted["decision"] == "nurture"
    assert adopted["key"] == "person-3"
    # ...and the old file again afterwards finds the adopted records instead of duplicating.
    again = import_path(db, write_connections(tmp_path, group, "2016", name="older.csv"))
    assert (again.new, again.gone) == (0, 0)
    assert stats(db).total == 5


def readdressed(person: Person, slug: str) -> Person:
    """The same person at the profile address they chose since."""
    return Person(person.first, person.last, slug, person.email, person.company,
                  person.position, person.connected)  # fmt: skip


def test_a_new_profile_address_keeps_the_person_and_their_decision(
    db: Database, tmp_path: Path
) -> None:
    everyone = people(10)
    import_path(db, write_connections(tmp_path, everyone, name="one.csv"))
    decide(db, "person-3", "remove")
    decide(db, "person-4", "nurture")
    with db.write() as conn:  # what a messages.csv said of person-4, filed under the old slug
        conn.exec_driver_sql("INSERT INTO evidence (person, message_count) VALUES ('person-4', 7)")
    before = {r: row(db, f"person-{r}")["id"] for r in (3, 4)}
    later = [*everyone]
    later[3] = readdressed(everyone[3], "first3-last3")
    later[4] = readdressed(everyone[4], "f4l4")
    summary = import_path(db, write_connections(tmp_path, later, name="two.csv"))

    assert (summary.new, summary.gone, summary.confirmed_removals, summary.flagged) == (0, 0, 0, 0)
    assert (summary.readdressed, summary.updated) == (2, 2)
    moved = row(db, "first3-last3")
    assert (moved["id"], moved["key"], moved["status"]) == (before[3], "first3-last3", "active")
    assert (moved["decision"], moved["note"]) == ("remove", "a note")
    assert moved["url"] == "https://www.linkedin.com/in/first3-last3"
    assert row(db, "f4l4")["decision"] == "nurture"
    with db.read() as conn:
        assert conn.exec_driver_sql("SELECT person, message_count FROM evidence").all() == [
            ("f4l4", 7)
        ]
    assert stats(db).total == 10
    assert "2 people moved to a new profile address" in describe_summary(summary)


def test_new_addresses_are_not_people_going_for_the_shrink_safeguard(
    db: Database, tmp_path: Path
) -> None:
    everyone = people(10)
    import_path(db, write_connections(tmp_path, everyone, name="one.csv"))
    later = [readdressed(p, f"new-{i}") if i < 3 else p for i, p in enumerate(everyone)]
    summary = import_path(db, write_connections(tmp_path, later, name="two.csv"))
    assert (summary.readdressed, summary.gone) == (3, 0)


def test_a_new_address_needs_the_same_name_and_day_and_no_one_alike(
    db: Database, tmp_path: Path
) -> None:
    """Someone gone and a newcomer are told apart unless they are surely one person."""
    everyone = people(12)
    twin = Person("First0", "Last0", "twin", connected=everyone[0].connected)
    import_path(db, write_connections(tmp_path, [*everyone, twin], name="one.csv"))
    later = everyone[2:]
    # Another day: a newcomer of the same name. Another name: someone else.
    later.append(Person("First1", "Last1", "first1-new", connected=date(2026, 1, 1)))
    later.append(Person("Other", "Name", "other", connected=everyone[1].connected))
    # Two people of one name and day both gone, one new: whose address is it?
    later.append(readdressed(everyone[0], "first0-new"))
    summary = import_path(db, write_connections(tmp_path, later, name="two.csv"), allow_shrink=True)
    assert summary.readdressed == 0
    assert (summary.new, summary.gone) == (3, 3)
    assert row(db, "person-0")["status"] == "gone" and row(db, "twin")["status"] == "gone"


def decide_by_name(db: Database, first: str, decision: str) -> None:
    with db.write() as conn:
        conn.exec_driver_sql(
            "UPDATE connections SET decision = ? WHERE first_name = ?", (decision, first)
        )


def test_archive_at_any_depth_and_failing_member_rolls_back(db: Database, tmp_path: Path) -> None:
    archive = tmp_path / "Basic_LinkedInDataExport_11-20-2026.zip (1).zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(
            "Basic_LinkedInDataExport_11-20-2026/Connections.csv", connections_csv(people(4))
        )
        zf.writestr("Basic_LinkedInDataExport_11-20-2026/Ad_Targeting.csv", "x,y\n1,2\n")
    summary = import_path(db, archive)
    assert summary.rows == 4

    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(broken, "w") as zf:
        zf.writestr(
            "Connections.csv",
            connections_csv(people(4)) + b"Ann,Bee,https://www.linkedin.com/in/x,,,,,extra,more\n",
        )
    before = dump(db)
    with pytest.raises(BadInputFile, match="line"):
        import_path(db, broken)
    assert dump(db) == before


def test_folder_export(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    (folder / "nested").mkdir(parents=True)
    write_connections(folder / "nested", people(3))
    assert import_path(db, folder).rows == 3


def test_import_runs_are_recorded(db: Database, tmp_path: Path) -> None:
    import_path(db, write_connections(tmp_path, people(3)))
    with db.read() as conn:
        name, sha, kind, counts = conn.exec_driver_sql(
            "SELECT file_name, sha256, kind, counts FROM import_runs"
        ).one()
    assert (name, kind, len(sha)) == ("Connections.csv", "connections", 64)
    assert json.loads(counts)["new"] == 3


def test_recommendations_alone_are_evidence_and_reach_the_backup(
    db: Database, tmp_path: Path
) -> None:
    """Recommendations_Received.csv has First/Last Name like Connections.csv: its name decides.
    Filed by name (no URL), it still reaches a connection known by URL in the JSON backup."""
    import_path(db, write_connections(tmp_path, people(3)))
    recs = tmp_path / "Recommendations_Received.csv"
    recs.write_text(
        "First Name,Last Name,Company,Job Title,Text,Creation Date,Status\n"
        'First1,Last1,Co1,Dev,"A pleasure to work with.",11/20/24,VISIBLE\n',
        encoding="utf-8",
    )
    summary = import_path(db, recs)
    assert summary.kinds == ["recommendations_received"] or "connections" not in summary.kinds
    assert stats(db).total == 3  # not read as a (much smaller) Connections.csv

    from io import StringIO

    from prune_tui.services.backup import export_json

    out = StringIO()
    export_json(db, out)
    by_url = {item["url"]: item for item in json.loads(out.getvalue())}
    assert by_url["https://www.linkedin.com/in/person-1"]["recommendations_received"] == 1
    assert by_url["https://www.linkedin.com/in/person-2"]["recommendations_received"] == 0


def test_a_tick_contradicted_by_a_newer_export_is_not_counted_removed(
    db: Database, tmp_path: Path
) -> None:
    everyone = people(10)
    import_path(db, write_connections(tmp_path, everyone, name="one.csv"))
    decide(db, "person-4", "remove")
    with db.write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO removals (connection_id, marked_at) "
            "SELECT id, '2000-01-01T00:00:00+00:00' FROM connections WHERE slug = 'person-4'"
        )
        conn.exec_driver_sql("UPDATE import_runs SET imported_at = '1999-01-01T00:00:00+00:00'")
    assert stats(db).removed == 1  # ticked after the only import: done
    newer = [*people(1, start=70), *everyone]  # still has person-4
    summary = import_path(db, write_connections(tmp_path, newer, name="two.csv"))
    assert summary.still_connected == 1
    assert stats(db).removed == 0  # the newer export says they are still connected


def test_summary_speaks_of_one_thing_in_the_singular(db: Database, tmp_path: Path) -> None:
    text = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ann,Bee,https://www.linkedin.com/in/ann,,,,someday\n"
        ",,,,,,04 Dec 2025\n"
    )
    path = tmp_path / "Connections.csv"
    path.write_text(text, encoding="utf-8")
    words = describe_summary(import_path(db, path))
    assert "Imported 1 connection from" in words
    assert "skipped 1 hidden or closed account (rows" in words
    assert "1 date could not be read" in words
    assert "1 connections" not in words and "1 dates" not in words
