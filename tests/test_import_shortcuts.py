"""Work a first import skips (issue 17) gives what the work would have given: the newest date
of the export is read from the reader's date cache unless rows were merged, and a first import
does not scan the rows it just wrote for a newer one."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from datetime import date
from pathlib import Path

from builders import Person, connections_csv
from hypothesis import example, given
from hypothesis import strategies as st
from test_streaming_import import SETTINGS, people

from prune_tui.formats.connections import read_connections
from prune_tui.formats.tables import Source
from prune_tui.services.importer import import_path
from prune_tui.store import open_database

# A repeated row whose newer date is not kept: the merged row keeps the first row's date.
REPEATED = [
    Person("Ada", "Lovelace", "p-1", connected=date(2020, 1, 2)),
    Person("Bob", "Builder", "p-2", connected=date(2019, 5, 6)),
    Person("Ada", "Lovelace", "p-1", connected=date(2024, 3, 4)),
]


@SETTINGS
@example(network=REPEATED, generation="2023")
@given(
    network=people(),
    generation=st.sampled_from(["2023", "2021", "excel-dayfirst", "2026"]),
)
def test_the_newest_export_remembered_is_the_newest_date_imported(
    network: list, generation: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = folder / "Connections.csv"
        csv_path.write_bytes(connections_csv(network, generation))
        db = open_database(folder / "prune.db")
        try:
            import_path(db, csv_path)
        finally:
            db.close()
        conn = sqlite3.connect(folder / "prune.db")
        try:
            stored = conn.execute("SELECT max(connected_on) FROM connections").fetchone()[0]
            (value,) = conn.execute(
                "SELECT value FROM settings WHERE key = 'import.newest_export'"
            ).fetchone()
        finally:
            conn.close()
        # The list reader merges repeated rows in Python: an oracle apart from temp.incoming.
        merged = read_connections(Source("Connections.csv", csv_path, size=csv_path.stat().st_size))
    newest = max((row.connected_on for row in merged.people() if row.connected_on), default=None)
    assert stored == newest
    assert json.loads(value) == {"named": None, "connected": newest, "file": "Connections.csv"}
