"""Re-importing a newer export reads its messages.csv only where it is new (issue 17): the
database comes out exactly as reading the whole file again would make it, whatever the newer
file holds (rows added before the earlier ones, an earlier row changed, another header or
encoding, a quoted field across the boundary), and the earlier rows are not parsed again."""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
import zlib
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from builders import Person, connections_csv
from evidence_files import AD, ANN, BO, LINNEA, OWNER, Msg, P, messages_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import prune_tui.services.importer as importer
from prune_tui.formats import messages as messages_format
from prune_tui.formats.tables import crc32_combine
from prune_tui.services.importer import import_path
from prune_tui.store import message_tally, open_database

NETWORK = [ANN, BO, LINNEA, P("Zoë Okafor", "zoe-okafor"), P("Mo Chen", "mo-chen"), P("Ida Ng")]
CONNECTIONS = connections_csv(
    [
        Person(p.name.split(" ")[0], p.name.split(" ", 1)[1], p.slug, company="Acme")
        for p in NETWORK
        if p.slug
    ]
)
START = datetime(2024, 3, 1, 9, 30)

contents = st.sampled_from(
    ["Hello", "see you, then", 'a "quoted" word', "two\nlines", 'end with a quote "', 'x,\n"y']
)


@st.composite
def message_lists(draw: st.DrawFn, count: int) -> list[Msg]:
    found = []
    for _ in range(count):
        other = draw(st.sampled_from([*NETWORK, AD]))
        outgoing = draw(st.booleans())
        found.append(
            Msg(
                OWNER if outgoing else other,
                [other] if outgoing else [OWNER],
                START + timedelta(hours=draw(st.integers(0, 400))),
                content=draw(contents),
                conversation=f"c{draw(st.integers(0, 5))}",
                folder=draw(st.sampled_from(["INBOX", "INBOX", "SENT", "SPAM"])),
            )
        )
    return found


def _write(folder: Path, messages: bytes, zipped: bool) -> Path:
    folder.mkdir(parents=True)
    if not zipped:
        (folder / "Connections.csv").write_bytes(CONNECTIONS)
        (folder / "messages.csv").write_bytes(messages)
        return folder
    archive = folder / "Basic_LinkedInDataExport.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("export/Connections.csv", CONNECTIONS)
        zf.writestr("export/messages.csv", messages)
    return archive


def dump(db: Path) -> dict[str, Any]:
    conn = sqlite3.connect(db)
    try:
        found: dict[str, Any] = {
            table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in (
                "connections",
                "evidence",
                "settings",
                "removals",
                "last_messages",
                "name_matches",
            )
        }
        # The file read last, as a later re-import needs it; its digest is kept only when the
        # rest of the file was read (an archive's member is checked by its CRC-32 instead).
        found["message_file"] = [
            {**json.loads(shape), "shape": {**json.loads(shape)["shape"], "body": None}}
            for (shape,) in conn.execute("SELECT shape FROM message_file")
        ]
        found["counts"] = conn.execute("SELECT counts FROM import_runs ORDER BY id").fetchall()
        found["tally"] = sorted(
            conn.execute("SELECT token, count, first_at, last_at, last_from FROM message_tally")
        )
        found["names"] = sorted(conn.execute("SELECT name, slug FROM message_names"))
        return found
    finally:
        conn.close()


def _import(db: Path, path: Path, *, whole: bool = False) -> None:
    database = open_database(db)
    real_shape = message_tally.earlier_shape
    if whole:  # the way before: the earlier file is not looked at, the newer one read whole
        message_tally.earlier_shape = lambda _conn: None  # type: ignore[assignment]
    try:
        import_path(database, path, allow_shrink=True, allow_older=True)
    finally:
        message_tally.earlier_shape = real_shape  # type: ignore[assignment]
        database.close()


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(
    earlier=st.integers(1, 8).flatmap(message_lists),
    newer=st.integers(0, 5).flatmap(message_lists),
    change=st.sampled_from(["added", "added", "added", "edited", "generation", "same"]),
    encoding=st.sampled_from(["utf-8", "utf-8", "utf-8", "cp1252", "utf-16"]),
    zipped=st.booleans(),
)
def test_a_newer_export_gives_the_database_a_whole_read_gives(
    earlier: list[Msg], newer: list[Msg], change: str, encoding: str, zipped: bool
) -> None:
    before = messages_csv(earlier, encoding=encoding)
    if change == "same":
        after = before
    elif change == "generation":
        after = messages_csv(newer + earlier, "2018", encoding=encoding)
    elif change == "edited" and earlier:
        edited = [Msg(m.sender, m.to, m.at, m.content + "!", m.conversation) for m in earlier]
        after = messages_csv(newer + edited, encoding=encoding)
    else:
        after = messages_csv(newer + earlier, encoding=encoding)
    real_now = importer.utc_now
    importer.utc_now = lambda: "2026-11-01T00:00:00+00:00"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            first = _write(work / "one", before, zipped)
            second = _write(work / "two", after, zipped)
            read_in_part, read_whole = work / "part.db", work / "whole.db"
            for db in (read_in_part, read_whole):
                _import(db, first)
            _import(read_in_part, second)
            _import(read_whole, second, whole=True)
            assert dump(read_in_part) == dump(read_whole)
    finally:
        importer.utc_now = real_now


def _folded_rows(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many rows of messages.csv each read folds into a tally."""
    counts: list[int] = []
    real_fold = messages_format.MessageTally._fold

    def counting_fold(self: Any, rows: Any, col: Any, draft: Any) -> None:
        seen = [row for row in rows]
        counts.append(len(seen))
        real_fold(self, iter(seen), col, draft)

    monkeypatch.setattr(messages_format.MessageTally, "_fold", counting_fold)
    return counts


def test_only_the_new_rows_of_a_newer_messages_file_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier = [Msg(ANN, [OWNER], START - timedelta(days=d)) for d in range(50)]
    newer = [Msg(OWNER, [BO], START + timedelta(days=d), "two\nlines") for d in range(3)]
    db = tmp_path / "prune.db"
    _import(db, _write(tmp_path / "one", messages_csv(earlier), zipped=True))
    folded = _folded_rows(monkeypatch)
    _import(db, _write(tmp_path / "two", messages_csv(newer + earlier), zipped=True))
    assert folded == [3]
    conn = sqlite3.connect(db)
    counts = dict(conn.execute("SELECT person, message_count FROM evidence").fetchall())
    conn.close()
    assert counts["ann-lee"] == 50 and counts["bo-berg"] == 3


def test_an_unchanged_messages_file_in_a_changed_archive_is_not_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    msgs = messages_csv([Msg(ANN, [OWNER], START - timedelta(days=d)) for d in range(5)])
    db = tmp_path / "prune.db"
    _import(db, _write(tmp_path / "one", msgs, zipped=True))
    later = tmp_path / "two"
    later.mkdir()
    with zipfile.ZipFile(later / "export.zip", "w") as zf:
        zf.writestr("export/Connections.csv", CONNECTIONS.replace(b"Acme", b"Globex"))
        zf.writestr("export/messages.csv", msgs)
    opened = Counter[str]()
    real_open = zipfile.ZipFile.open

    def counting_open(self: zipfile.ZipFile, name: Any, *args: Any, **kw: Any) -> Any:
        opened[getattr(name, "filename", str(name)).rsplit("/", 1)[-1]] += 1
        return real_open(self, name, *args, **kw)

    monkeypatch.setattr(zipfile.ZipFile, "open", counting_open)
    _import(db, later / "export.zip")
    assert opened == Counter({"Connections.csv": 1})
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT message_count FROM evidence WHERE person = 'ann-lee'").fetchone()
    conn.close()


@pytest.mark.parametrize(
    "prefix",
    [
        # A new row whose last field opens a quote the earlier rows close: the boundary is
        # inside a field, so the newer file is read whole.
        b"c9,,Ann Lee,https://www.linkedin.com/in/ann-lee,Olive Owner,,"
        b'2024-05-01 10:00:00 UTC,,"an open quote\n',
        # The end-of-part marker's own text in the data, on a line of its own.
        "\ufdd0\ufdd1prune-tui: end of the part read\ufdd1\ufdd0\n".encode(),
    ],
)
def test_a_newer_file_that_only_looks_like_rows_added_is_read_whole(
    tmp_path: Path, prefix: bytes
) -> None:
    earlier = messages_csv(
        [Msg(ANN, [OWNER], START - timedelta(days=d), f'say "{d}", then') for d in range(4)]
    )
    header_end = earlier.index(b"\n") + 1
    newer = earlier[:header_end] + prefix + earlier[header_end:]
    outcomes = []
    for whole in (False, True):
        work = tmp_path / str(whole)
        db = work / "prune.db"
        _import(db, _write(work / "one", earlier, zipped=False))
        try:
            _import(db, _write(work / "two", newer, zipped=False), whole=whole)
        except Exception as exc:  # the same refusal either way
            outcomes.append(str(exc).replace(str(work), "<work>"))
        else:
            outcomes.append(dump(db))
    assert outcomes[0] == outcomes[1]


@settings(max_examples=60, deadline=None)
@given(first=st.binary(max_size=300), second=st.binary(max_size=3000))
def test_crc32_combine_is_the_crc_of_both(first: bytes, second: bytes) -> None:
    assert crc32_combine(zlib.crc32(first), zlib.crc32(second), len(second)) == zlib.crc32(
        first + second
    )
