"""The streaming, two-step import (issue 17) gives the same database as the import it replaced
(tests/legacy_import.py: the whole file in a list, evidence rewritten for everyone), for first
imports and for re-imports of a changed export, with repeated rows, exports without URLs,
day-first dates, messages and invitations."""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from builders import Person, connections_csv
from evidence_files import OWNER, Inv, Msg, P, invitations_csv, messages_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from legacy_import import legacy_import

from prune_tui.services.importer import import_path
from prune_tui.store import open_database

names = st.sampled_from(["Ada", "Bob", "Zoë", "Linnéa", "Mo", "Ann", ""])
companies = st.sampled_from(["", "Acme", "Globex", "Initech"])
# The first export's people connected until 2026-06-01; a later export's new ones after it (so
# none of them is taken for someone gone who chose a new profile address: the oracle predates
# that, and tests/test_reimport.py checks it).
FIRST_EXPORT = (date(2008, 1, 1), date(2026, 6, 1))
LATER_EXPORT = (date(2026, 6, 2), date(2026, 11, 20))


def when(span: tuple[date, date]) -> st.SearchStrategy[date | None]:
    return st.one_of(st.none(), st.dates(min_value=span[0], max_value=span[1]))


@st.composite
def people(draw: st.DrawFn, span: tuple[date, date] = FIRST_EXPORT) -> list[Person]:
    slugs = draw(st.lists(st.integers(0, 30), min_size=1, max_size=14))  # repeats: merged rows
    found = []
    for i in slugs:
        found.append(
            Person(
                draw(names.filter(bool)),
                draw(names),
                f"p-{i}",
                email=draw(st.sampled_from(["", f"p{i}@example.com"])),
                company=draw(companies),
                position=draw(companies),
                connected=draw(when(span)),
            )
        )
    return found


@st.composite
def changed(draw: st.DrawFn, before: list[Person]) -> list[Person]:
    """A later export: some people renamed or moved company, some gone, some new."""
    after = []
    for person in before:
        fate = draw(st.sampled_from(["same", "same", "same", "moved", "renamed", "gone"]))
        if fate == "gone":
            continue
        if fate == "moved":
            person = Person(person.first, person.last, person.slug, person.email,
                            draw(companies), person.position, person.connected)  # fmt: skip
        elif fate == "renamed":
            person = Person(draw(names.filter(bool)), person.last, person.slug, person.email,
                            person.company, person.position, person.connected)  # fmt: skip
        after.append(person)
    return after + draw(people(LATER_EXPORT))


def _messages(network: list[Person], seed: int) -> bytes:
    start = datetime(2024, 1, 1, 9, 0)
    msgs = []
    for i, person in enumerate(network):
        other = P(f"{person.first} {person.last}".strip(), person.slug)
        for k in range((i + seed) % 3):
            at = start + timedelta(days=i * 3 + k + seed)
            sender, to = (OWNER, [other]) if (i + k) % 2 else (other, [OWNER])
            msgs.append(Msg(sender, to, at, conversation=f"c{i}"))
    return messages_csv(msgs)


def _invitations(network: list[Person], seed: int) -> bytes:
    invs = [
        Inv(
            P(f"{p.first} {p.last}".strip(), p.slug),
            "INCOMING" if (i + seed) % 2 else "OUTGOING",
            datetime(2023, 1, 1) + timedelta(days=i),
            "let's connect" if i % 3 == 0 else "",
        )
        for i, p in enumerate(network)
        if (i + seed) % 4
    ]
    return invitations_csv(invs)


def _export(folder: Path, network: list[Person], generation: str, seed: int) -> dict[str, Path]:
    folder.mkdir(parents=True)
    files = {
        "connections": folder / "Connections.csv",
        "messages": folder / "messages.csv",
        "invitations": folder / "Invitations.csv",
    }
    files["connections"].write_bytes(connections_csv(network, generation))
    files["messages"].write_bytes(_messages(network, seed))
    files["invitations"].write_bytes(_invitations(network, seed))
    return files


def table_dump(db_path: Path) -> dict[str, list[Any]]:
    conn = sqlite3.connect(db_path)
    try:
        dump = {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for table in ("connections", "evidence", "removals", "criteria", "settings")
        }
        # The oracle predates the memory of the newest export seen (export_dates.py).
        dump["settings"] = [row for row in dump["settings"] if row[0] != "import.newest_export"]
        return dump
    finally:
        conn.close()


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(
    data=st.data(),
    first=people(),
    generation=st.sampled_from(["2023", "2021", "excel-dayfirst", "2026"]),
    with_evidence=st.booleans(),
)
def test_streaming_import_and_reimport_give_the_old_database(
    data: st.DataObject, first: list[Person], generation: str, with_evidence: bool
) -> None:
    second = data.draw(changed(first))
    # Both paths stamp this import's changes with the same time (no second boundary between).
    import legacy_import as legacy

    import prune_tui.services.importer as importer

    real_now = importer.utc_now
    stamps: dict[str, Any] = {}
    importer.utc_now = legacy.utc_now = lambda: stamps["now"]
    try:
        _compare(first, second, generation, with_evidence, stamps)
    finally:
        importer.utc_now = legacy.utc_now = real_now


def _compare(
    first: list[Person],
    second: list[Person],
    generation: str,
    with_evidence: bool,
    stamps: dict[str, Any],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        exports = [
            _export(work / "one", first, generation, 1),
            _export(work / "two", second, generation, 2),
        ]
        new_db, old_db = work / "new.db", work / "old.db"
        for month, files in enumerate(exports, start=1):
            stamps["now"] = f"2026-{month:02d}-01T00:00:00+00:00"
            kinds = {"messages": [files["messages"]], "invitations": [files["invitations"]]}
            new = open_database(new_db)
            try:
                if with_evidence:
                    import_path(
                        new, files["connections"].parent, allow_shrink=True, allow_older=True
                    )
                else:
                    import_path(new, files["connections"], allow_shrink=True, allow_older=True)
            finally:
                new.close()
            old = open_database(old_db)
            try:
                legacy_import(old, files["connections"], kinds if with_evidence else None)
            finally:
                old.close()
            assert table_dump(new_db) == table_dump(old_db)
