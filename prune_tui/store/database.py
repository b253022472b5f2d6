"""Opening the database: WAL, private file modes, version checks and in-place upgrades."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.pool import NullPool

from prune_tui.errors import DatabaseProblem
from prune_tui.folding import fold
from prune_tui.paths import create_private_file, ensure_private_dir
from prune_tui.store.schema import APPLICATION_ID, SCHEMA_VERSION, metadata

SQLITE_MAGIC = b"SQLite format 3\x00"


def _add_history_batches(conn: Connection) -> None:
    conn.exec_driver_sql("ALTER TABLE history ADD COLUMN batch_id INTEGER")


# Upgrade steps: MIGRATIONS[n] takes a version-n database to version n+1, in one transaction.
# A step only changes tables that exist; tables new in a version are created by `upgrade()`
# (and by `_prepare()` for any table a database lacks).
MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _add_history_batches}


def utc_now() -> str:
    """Timestamps are stored as ISO 8601 in UTC, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class Database:
    """One prune-tui database file. Reads and writes go through `read()` and `write()`."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self.wal_on_close = False  # see open_database(first_fill=True)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One all-or-nothing transaction that holds the write lock from its start, so two
        processes on one file queue up instead of failing halfway."""
        with self.engine.connect().execution_options(prune_write=True) as conn, conn.begin():
            yield conn

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self.read() as conn:
            row = conn.exec_driver_sql("SELECT value FROM settings WHERE key = ?", (key,)).first()
        return default if row is None else json.loads(row[0])

    def set_setting(self, key: str, value: Any) -> None:
        with self.write() as conn:
            conn.exec_driver_sql(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )

    def close(self) -> None:
        if self.wal_on_close:
            self.wal_on_close = False
            _use_wal(self)
        self.engine.dispose()


def _configure(engine: Engine, *, synchronous: str = "NORMAL") -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # We issue BEGIN ourselves (below); pysqlite's implicit transactions get in the way.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 10000")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute(f"PRAGMA synchronous = {synchronous}")
        # A 30,000-connection database is ~10 MB: keep it and the importer's temp table in
        # memory rather than thrashing SQLite's default 2 MB cache and an on-disk temp file.
        cur.execute("PRAGMA cache_size = -32000")
        cur.execute("PRAGMA temp_store = MEMORY")
        cur.close()
        # `fold(x)`: the same case- and accent-blind text that typed queries are folded to.
        dbapi_conn.create_function("fold", 1, fold, deterministic=True)
        # `note_kind(x)`: an invitation's note as personal, pitch, plain or none (queries).
        dbapi_conn.create_function("note_kind", 1, _note_kind, deterministic=True)
        # `has_words(needle, name, company, position)`: a free word of a query, in one call
        # per row rather than three (a third faster at 30,000).
        dbapi_conn.create_function("has_words", 4, _has_words, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("prune_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _has_words(needle: str, name: str, company: str, position: str) -> bool:
    return needle in fold(name) or needle in fold(company) or needle in fold(position)


def _note_kind(message: str | None) -> str:
    from prune_tui.suggest import note_kind

    return note_kind(message)


def _describe(path: Path) -> str:
    return str(path)


def _check_file(path: Path) -> bool:
    """Refuse anything that is not an SQLite file. Returns True when the file is new/empty."""
    if path.is_dir():
        raise DatabaseProblem(f"{_describe(path)} is a directory, not a database file")
    if not path.exists():
        return True
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise DatabaseProblem(f"cannot read the database {path}: {exc.strerror}") from exc
    if not head:
        return True
    if head != SQLITE_MAGIC:
        raise DatabaseProblem(
            f"{path} is not a prune-tui database (or it is damaged); it was left untouched. "
            "Choose another file with --db."
        )
    return False


def backup_copy(path: Path, suffix: str = "") -> Path:
    """Copy the database (consistently, even in WAL mode) next to itself, mode 0600."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{stamp}{suffix}.bak")
    create_private_file(target)
    src = sqlite3.connect(path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def open_database(path: Path, *, create: bool = True, first_fill: bool = False) -> Database:
    """Open (and if needed create or upgrade) the database at `path`.

    `first_fill`: the caller (the `import` command) fills a database it may have just created
    in one big transaction. A new database then keeps a rollback journal until `close()`,
    which writes each page once, where WAL writes it to the log and again at the checkpoint;
    `close()` switches it to WAL like every other (and so does any other opening meanwhile).

    Raises DatabaseProblem for anything that is not a usable prune-tui database; such files
    are never written to.
    """
    path = Path(path)
    is_new = _check_file(path)
    if is_new and not create:
        raise DatabaseProblem(
            f"there is no prune-tui database at {path} yet: "
            "import your LinkedIn export first with `prune-tui import FILE`"
        )
    if is_new:
        ensure_private_dir(path.parent)
        create_private_file(path)
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False},
        poolclass=NullPool if os.environ.get("PRUNE_TUI_NULLPOOL") else None,
    )
    rollback_journal = is_new and first_fill
    # A rollback journal is synced in full at each commit (WAL's NORMAL would not be enough).
    _configure(engine, synchronous="FULL" if rollback_journal else "NORMAL")
    db = Database(path, engine)
    try:
        _prepare(db, wal=not rollback_journal)
    except SADatabaseError as exc:
        engine.dispose()
        raise DatabaseProblem(
            f"{path} is damaged or not a prune-tui database ({exc.orig}); it was left untouched"
        ) from exc
    except BaseException:
        engine.dispose()
        raise
    return db


def _prepare(db: Database, *, wal: bool) -> None:
    with db.engine.connect() as conn:
        app_id = conn.exec_driver_sql("PRAGMA application_id").scalar_one()
        version = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
        tables = {
            name
            for (name,) in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
        }
        conn.rollback()
    has_tables = bool(tables)
    if has_tables and app_id != APPLICATION_ID:
        raise DatabaseProblem(
            f"{db.path} is an SQLite file but not a prune-tui database; it was left untouched. "
            "Choose another file with --db."
        )
    if version > SCHEMA_VERSION:
        raise DatabaseProblem(
            f"{db.path} was written by a newer prune-tui (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade prune-tui to open it"
        )
    if wal:
        _use_wal(db)
    else:
        db.wal_on_close = True
    if not has_tables:
        with db.write() as conn:
            metadata.create_all(conn, checkfirst=False)  # there are no tables: checked above
            conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
        _tighten_modes(db.path)
        return
    if version < SCHEMA_VERSION:
        upgrade(db, version)
    elif not set(metadata.tables) <= tables:
        # A table added without a schema step (a new capability's own table): created empty.
        with db.write() as conn:
            metadata.create_all(conn)


def _use_wal(db: Database) -> None:
    """WAL is a property of the file, switched outside any transaction (so on the raw driver
    connection), and only once we know the file is ours."""
    raw = db.engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        driver.execute("PRAGMA journal_mode = WAL")
    finally:
        raw.close()


def upgrade(db: Database, version: int) -> None:
    """Upgrade in place, after a timestamped backup copy; every step in one transaction."""
    backup_copy(db.path, suffix=f"-schema{version}")
    with db.write() as conn:
        while version < SCHEMA_VERSION:
            MIGRATIONS[version](conn)
            version += 1
        metadata.create_all(conn)  # tables added since: created empty
        conn.exec_driver_sql(f"PRAGMA user_version = {version}")


def database_files(path: Path) -> list[Path]:
    """The database file and the journal files SQLite may keep beside it."""
    return [path.with_name(path.name + suffix) for suffix in ("", "-wal", "-shm", "-journal")]


def _tighten_modes(path: Path) -> None:
    for p in database_files(path):
        if p.exists():
            os.chmod(p, 0o600)
