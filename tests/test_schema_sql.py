"""A new database is made from store/schema_sql.py, the SQL of store/schema.py's tables written
out ahead (scripts/write_schema_sql.py): it must say exactly what `metadata.create_all` says,
so the tables stay the one source of truth."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, event

from prune_tui.store import open_database, schema, schema_sql
from prune_tui.text.folding import fold

REGENERATE = "store/schema.py changed: run `python scripts/write_schema_sql.py`"


def test_the_written_schema_is_what_the_tables_compile_to() -> None:
    assert tuple(schema.schema_statements()) == schema_sql.STATEMENTS, REGENERATE
    assert tuple(schema.metadata.tables) == schema_sql.TABLES, REGENERATE
    assert schema_sql.SCHEMA_VERSION == schema.SCHEMA_VERSION, REGENERATE
    assert schema_sql.APPLICATION_ID == schema.APPLICATION_ID, REGENERATE


def master(path: Path) -> list[tuple[str, str, str, str | None]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
    finally:
        conn.close()


def test_a_new_database_has_what_create_all_makes(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.db")
    db.close()

    engine = create_engine(f"sqlite:///{tmp_path / 'create_all.db'}")
    event.listen(engine, "connect", lambda conn, _record: conn.create_function("fold", 1, fold))
    with engine.begin() as conn:
        schema.metadata.create_all(conn, checkfirst=False)
    engine.dispose()

    made = master(tmp_path / "new.db")
    assert made == master(tmp_path / "create_all.db")
    assert {name for kind, name, _table, _sql in made if kind == "table"} == set(
        schema.metadata.tables
    )
