"""The folded words a query's text terms are looked up in (`search_texts`): right after every
way a connection is written or renamed (an import, a re-import that renames someone, a backup
restored into a new or an existing database, the demo), filled for a database from before
them, and matching exactly what folding each row in Python matches."""

from __future__ import annotations

import io
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from builders import Person, has_urls, write_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection

from prune_tui.demo import make_demo_database
from prune_tui.services.backup import export_json
from prune_tui.services.importer import import_path
from prune_tui.services.query import Context, compile_query, parse
from prune_tui.services.review import Review
from prune_tui.store import open_database
from prune_tui.store.bulk import query_context
from prune_tui.store.database import Database
from prune_tui.store.search import words_stored
from prune_tui.text.folding import fold

JOSE = Person("José", "Álvarez", "jose-alvarez", company="Café Ñandú", position="Jefe  de Cocina")
SOREN = Person("Søren", "Kierkegaard", "soren-k", company="Acme", position="Philosopher")


def every_row_agrees(db: Database) -> int:
    """Each connection's stored words are its fields folded now; returns how many there are."""
    with db.read() as conn:
        rows = conn.exec_driver_sql(
            "SELECT id, first_name, last_name, company, position FROM connections"
        ).all()
        stored = {
            int(r[0]): (r[1], r[2], r[3])
            for r in conn.exec_driver_sql(
                "SELECT connection_id, name, company, position FROM search_texts"
            )
        }
    assert len(stored) == len(rows)
    for cid, first, last, company, position in rows:
        assert stored[int(cid)] == (fold(f"{first} {last}"), fold(company), fold(position))
    return len(rows)


def stored_words(conn: Connection, connection_id: int) -> tuple[str, str, str] | None:
    row = conn.exec_driver_sql(
        "SELECT name, company, position FROM search_texts WHERE connection_id = ?",
        (connection_id,),
    ).first()
    return None if row is None else (str(row[0]), str(row[1]), str(row[2]))


def words_of(db: Database, slug: str) -> tuple[str, str, str] | None:
    with db.read() as conn:
        cid = conn.exec_driver_sql("SELECT id FROM connections WHERE slug = ?", (slug,)).scalar()
        return stored_words(conn, int(cid))


def names(db: Database, text: str) -> list[str]:
    return [row.name for row in Review(db).find(text)]


def test_an_import_stores_each_connection_folded(db: Database, tmp_path: Path) -> None:
    import_path(db, write_connections(tmp_path, [JOSE, SOREN]))
    assert words_of(db, "jose-alvarez") == ("jose alvarez", "cafe nandu", "jefe de cocina")
    assert words_of(db, "soren-k") == ("soren kierkegaard", "acme", "philosopher")
    assert every_row_agrees(db) == 2
    assert names(db, "jose") == ["José Álvarez"]
    assert names(db, "NANDU cocina") == ["José Álvarez"]


def test_a_re_import_that_renames_someone_moves_their_words(db: Database, tmp_path: Path) -> None:
    import_path(db, write_connections(tmp_path, [JOSE, SOREN]))
    renamed = Person(
        "Josefina", "Ström", "jose-alvarez", company="Globex", position="Chef", connected=None
    )
    import_path(db, write_connections(tmp_path, [renamed, SOREN], name="later.csv"))
    assert words_of(db, "jose-alvarez") == ("josefina strom", "globex", "chef")
    assert words_of(db, "soren-k") == ("soren kierkegaard", "acme", "philosopher")
    assert every_row_agrees(db) == 2
    assert names(db, "strom") == ["Josefina Ström"]
    assert names(db, "alvarez") == []
    assert names(db, "nandu") == []
    assert names(db, "company:globex") == ["Josefina Ström"]
    assert names(db, "position:chef -name:soren") == ["Josefina Ström"]


def test_a_backup_restored_brings_its_words(db: Database, tmp_path: Path) -> None:
    import_path(db, write_connections(tmp_path, [JOSE, SOREN]))
    backup = tmp_path / "backup.json"
    out = io.StringIO()
    export_json(db, out)
    backup.write_text(out.getvalue(), encoding="utf-8")

    # Into a new database.
    fresh = open_database(tmp_path / "fresh.db")
    try:
        import_path(fresh, backup)
        assert every_row_agrees(fresh) == 2
        assert names(fresh, "jose cafe") == ["José Álvarez"]
    finally:
        fresh.close()

    # Into one where the same person has another name: the backup's wins, words and all.
    other = open_database(tmp_path / "other.db")
    try:
        earlier = Person("Joe", "Alvarez", "jose-alvarez", company="Initech", position="Cook")
        import_path(other, write_connections(tmp_path, [earlier], name="earlier.csv"))
        assert names(other, "initech") == ["Joe Alvarez"]
        import_path(other, backup)
        assert words_of(other, "jose-alvarez") == ("jose alvarez", "cafe nandu", "jefe de cocina")
        assert every_row_agrees(other) == 2
        assert names(other, "initech") == []
        assert names(other, "søren") == ["Søren Kierkegaard"]
    finally:
        other.close()


def test_the_demo_stores_its_words(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    make_demo_database(path, size=120, today=date(2026, 11, 20))
    db = open_database(path)
    try:
        assert every_row_agrees(db) >= 120
    finally:
        db.close()


def test_a_database_from_before_the_words_gets_them_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = open_database(path)
    import_path(db, write_connections(tmp_path, [JOSE, SOREN]))
    db.close()
    raw = sqlite3.connect(path)
    for statement in (
        "DROP TRIGGER search_texts_added",
        "DROP TRIGGER search_texts_changed",
        "DROP TABLE search_texts",
    ):
        raw.execute(statement)
    raw.commit()
    raw.close()

    db = open_database(path)
    try:
        assert every_row_agrees(db) == 2
        assert names(db, "jose") == ["José Álvarez"]
        # And kept from then on.
        with db.write() as conn:
            conn.exec_driver_sql("UPDATE connections SET company = 'Ünïcorn' WHERE id = 2")
        assert names(db, "unicorn") == ["Søren Kierkegaard"]
        assert every_row_agrees(db) == 2
    finally:
        db.close()


def test_unchanged_words_are_not_rewritten(db: Database, tmp_path: Path) -> None:
    """A re-import sets every column of everyone in the file; only changed words are folded
    again (the stored row keeps its place)."""
    import_path(db, write_connections(tmp_path, [JOSE, SOREN]))
    with db.write() as conn:
        conn.exec_driver_sql("UPDATE search_texts SET name = 'marker' WHERE connection_id = 2")
        conn.exec_driver_sql("UPDATE connections SET first_name = first_name, note = 'x'")
        assert stored_words(conn, 2) == ("marker", "acme", "philosopher")
        conn.exec_driver_sql("UPDATE connections SET last_name = 'K.' WHERE id = 2")
        assert stored_words(conn, 2) == ("soren k.", "acme", "philosopher")


def test_stored_words_match_what_folding_each_row_matches(db: Database, tmp_path: Path) -> None:
    """A database without the stored words (an old one opened read-only) is searched by
    folding every row: both ways find the same people."""
    people = [
        JOSE,
        SOREN,
        Person("Zoë", "Ström", "zoe", company="Crème Brûlée Ltd", position="CEO"),
        Person("Ada", "", "ada", company="  Acme  Corp ", position="de la Cruz"),
        Person("Иван", "Йорк", "ivan", company="ΣΊΣΥΦΟΣ", position="Straße"),
    ]
    import_path(db, write_connections(tmp_path, people))
    with db.read() as conn:
        assert words_stored(conn)
        context = query_context(conn)
        texts = [
            "jose", "JOSÉ", "soren", "strom", "acme corp", '"acme corp"', "creme", "de la",
            "йорк", "иван", "сисуфос", "σίσυφος", "strasse", "name:ada", "company:corp",
            "position:ceo", "-acme", "zoe or ivan", "name:y",
        ]  # fmt: skip
        for text in texts:
            query = parse(text)
            found = []
            for ctx in (context, Context(messages_known=False, words_stored=False)):
                where = compile_query(query, ctx)
                sql = f"SELECT c.slug FROM connections c WHERE {where.sql} ORDER BY c.slug"
                found.append([r[0] for r in conn.exec_driver_sql(sql, where.params)])
            assert found[0] == found[1], text


# Any text a Connections.csv field can hold (as tests/test_properties.py generates it).
field_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"),
    max_size=20,
).map(str.strip)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(field_text.filter(bool), field_text, field_text, field_text),
        min_size=1,
        max_size=6,
    ),
    renamed=st.tuples(field_text.filter(bool), field_text, field_text, field_text),
)
def test_any_text_is_stored_as_fold_makes_it(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[str, str, str, str]],
    renamed: tuple[str, str, str, str],
) -> None:
    """Whatever the text, the words stored by the triggers are `fold` of it, on import and
    after a re-import renames the first person."""
    assert has_urls("2023")
    folder = tmp_path_factory.mktemp("words")
    people = [
        Person(first, last, f"p-{i}", company=company, position=position)
        for i, (first, last, company, position) in enumerate(rows)
    ]
    db = open_database(folder / "t.db")
    try:
        import_path(db, write_connections(folder, people))
        assert every_row_agrees(db) == len(people)
        first, last, company, position = renamed
        people[0] = Person(first, last, "p-0", company=company, position=position)
        import_path(db, write_connections(folder, people, name="later.csv"))
        assert every_row_agrees(db) == len(people)
    finally:
        db.close()


def test_a_first_import_folds_its_rows_as_the_trigger_would(tmp_path: Path) -> None:
    """A first import writes its rows with the per-row trigger dropped and folds them all at
    once (store/search.py): the same words as the trigger's, for accented, empty and oddly
    spaced names, a name key made before a repeated row filled in a first name, and a file
    read again day-first; the trigger is back afterwards."""
    people = [
        JOSE,
        SOREN,
        Person("", "Solo", "only-last", company="", position=""),
        Person("Ann", "", "only-first", company="Ünïcorn", position="  "),
        Person(" Mary  Ann ", "de\tla  Cruz", "spaced", company="Acme  Corp", position="CTO"),
        Person("Straße", "Kelvin\u212a", "odd-ascii-key", company="ΣΊΣΥΦΟΣ", position="ﬁne"),
        Person("", "Later", "merged", company="", connected=date(2021, 2, 3)),
        Person("Filled", "Later", "merged", company="Globex", connected=date(2020, 2, 3)),
        Person("Ünnamed", "", "", company="No URL"),
        # Day-first in the Excel file (25/01): the file is read again, day-first.
        Person("Dag", "Först", "dag", company="Frö", connected=date(2020, 1, 25)),
    ]
    for generation in ("2023", "excel-dayfirst"):
        folder = tmp_path / generation
        folder.mkdir()
        db = open_database(folder / "t.db")
        try:
            import_path(db, write_connections(folder, people, generation))
            assert every_row_agrees(db) == 9
            assert words_of(db, "merged") == ("filled later", "globex", "")
            with db.read() as conn:
                day = conn.exec_driver_sql(
                    "SELECT connected_on FROM connections WHERE slug = 'dag'"
                )
                assert day.scalar_one() == "2020-01-25"
            with db.read() as conn:
                triggers = conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
                ).all()
            assert [t[0] for t in triggers] == ["search_texts_added", "search_texts_changed"]
            # Kept from then on: someone added later gets their words from the trigger.
            later = Person("Zoë", "Nöel", "zoe-noel", company="Crème")
            import_path(db, write_connections(folder, [*people, later], generation, name="b.csv"))
            assert every_row_agrees(db) == 10
        finally:
            db.close()


def test_a_first_import_of_a_whole_export_folds_its_rows_as_the_trigger_would(
    tmp_path: Path,
) -> None:
    """An export's folder (Connections.csv with messages.csv) into an empty database: the rows
    come from the staging table, repeated rows already merged (a name key made before a later
    row filled in the first name), and are folded at once all the same."""
    from evidence_files import ANN, OWNER, Msg, messages_csv

    people = [
        JOSE,
        Person("", "Later", "merged", company="", connected=date(2021, 2, 3)),
        Person("Filled", "Later", "merged", company="Globex", connected=date(2020, 2, 3)),
        Person("Ann", "Lee", "ann-lee", company="  Acme  Corp ", position="CTO"),
        Person("Zoë", "", "zoe", company="Crème Brûlée", position="de\tla"),
    ]
    export = tmp_path / "Basic_LinkedInDataExport_11-20-2026"
    export.mkdir()
    write_connections(export, people)
    (export / "messages.csv").write_bytes(
        messages_csv([Msg(ANN, [OWNER], datetime(2024, 5, 1, 9, 0))])
    )
    db = open_database(tmp_path / "t.db")
    try:
        summary = import_path(db, export)
        assert summary.new == 4
        assert summary.duplicates_merged == 1
        assert every_row_agrees(db) == 4
        assert words_of(db, "merged") == ("filled later", "globex", "")
        with db.read() as conn:
            triggers = conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
            ).all()
        assert [t[0] for t in triggers] == ["search_texts_added", "search_texts_changed"]
    finally:
        db.close()


def test_an_ascii_name_key_is_the_folded_name() -> None:
    """What the first import's fold relies on: whenever `name_key` is ASCII it equals `fold` of
    the name, for every code point alone, beside letters and doubled."""
    from prune_tui.formats.identity import name_key

    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        c = chr(cp)
        for first, last in ((c, ""), ("A" + c, "b"), ("a", c + "B"), (c + c, " " + c)):
            key = name_key(first, last)
            if key.isascii():
                assert fold(f"{first} {last}") == key, hex(cp)
