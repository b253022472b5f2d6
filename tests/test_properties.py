"""Property tests: any export we can generate imports exactly; any backup round-trips."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from io import StringIO
from pathlib import Path

from builders import Person, connections_csv, has_urls
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prune_tui.services.backup import export_json
from prune_tui.services.importer import import_path
from prune_tui.store import open_database

# Text a CSV field can hold and that survives stripping: no surrogates, no NUL (csv refuses it),
# no line breaks at the ends.
field_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"),
    max_size=30,
).map(str.strip)
slug = st.from_regex(r"[a-z][a-z0-9-]{2,20}", fullmatch=True)
when = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 11, 1))


@st.composite
def networks(draw: st.DrawFn) -> list[Person]:
    slugs = draw(st.lists(slug, min_size=1, max_size=12, unique=True))
    return [
        Person(
            first=draw(field_text.filter(bool)),
            last=draw(field_text),
            slug=s,
            email=draw(st.sampled_from(["", f"{s}@example.com"])),
            company=draw(field_text),
            position=draw(field_text),
            connected=draw(when),
        )
        for s in slugs
    ]


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(network=networks(), generation=st.sampled_from(["2023", "2026", "excel-bom", "excel-monyy"]))
def test_generated_exports_import_exactly(network: list[Person], generation: str) -> None:
    assert has_urls(generation)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "Connections.csv"
        path.write_bytes(connections_csv(network, generation))
        db = open_database(Path(tmp) / "t.db")
        try:
            summary = import_path(db, path)
            with db.read() as conn:
                rows = conn.exec_driver_sql(
                    "SELECT slug, first_name, last_name, email, company, position, connected_on "
                    "FROM connections"
                ).all()
        finally:
            db.close()
    assert summary.new == len(network)
    want = {
        (p.slug, p.first, p.last, p.email, p.company, p.position, p.connected.isoformat())
        for p in network
    }
    assert set(map(tuple, rows)) == want


decisions = st.sampled_from([None, "keep", "nurture", "remove"])
answers = st.sampled_from([None, True, False])
stamp = st.sampled_from([None, "2026-03-01T10:00:00+00:00", "2026-11-20T08:30:00+00:00"])


@SETTINGS
@given(
    network=networks(),
    choices=st.lists(
        st.tuples(
            decisions,
            field_text,
            st.lists(answers, min_size=5, max_size=5),
            stamp,
            st.integers(0, 500),
            st.sampled_from([None, "me", "them"]),
            field_text,
        ),
        min_size=12,
        max_size=12,
    ),
)
def test_backup_round_trips_every_field(network: list[Person], choices: list[tuple]) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "Connections.csv"
        path.write_bytes(connections_csv(network, "2023"))
        db = open_database(Path(tmp) / "one.db")
        import_path(db, path)
        with db.write() as conn:
            ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM connections ORDER BY id")]
            for cid, (decision, note, crit, at, msgs, invited, invitation) in zip(
                ids, choices, strict=False
            ):
                conn.exec_driver_sql(
                    "UPDATE connections SET decision=?, note=?, decided_at=? WHERE id=?",
                    (decision, note, at if decision else None, cid),
                )
                for n, value in enumerate(crit, start=1):
                    if value is not None:
                        conn.exec_driver_sql(
                            "INSERT INTO criteria VALUES (?, ?, ?)", (cid, n, int(value))
                        )
                if at:
                    conn.exec_driver_sql(
                        "INSERT INTO removals (connection_id, marked_at) VALUES (?, ?)", (cid, at)
                    )
                if msgs or invited:
                    conn.exec_driver_sql(
                        "INSERT INTO evidence (person, message_count, last_message_at, "
                        "invited_by, invitation_message) "
                        "SELECT slug, ?, ?, ?, ? FROM connections WHERE id = ?",
                        (msgs, at, invited, invitation or None, cid),
                    )
        first = StringIO()
        export_json(db, first)
        db.close()

        backup = Path(tmp) / "backup.json"
        backup.write_text(first.getvalue(), encoding="utf-8")
        restored = open_database(Path(tmp) / "two.db")
        summary = import_path(restored, backup)
        second = StringIO()
        export_json(restored, second)
        restored.close()
    assert summary.restored == len(network)
    assert json.loads(second.getvalue()) == json.loads(first.getvalue())
    assert second.getvalue() == first.getvalue()
