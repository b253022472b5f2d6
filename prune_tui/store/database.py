"""Opening the database: WAL, private file modes, version checks and in-place upgrades."""

from __future__ import annotations

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

from prune_tui.atomic import write_atomically
from prune_tui.errors import DatabaseProblem
from prune_tui.paths import create_private_file, ensure_private_dir
from prune_tui.store import problems
from prune_tui.store.schema_sql import APPLICATION_ID, SCHEMA_VERSION, STATEMENTS, TABLES
from prune_tui.store.settings import get_setting, put_setting
from prune_tui.text.folding import fold

SQLITE_MAGIC = b"SQLite format 3\x00"
# How long a write waits for another prune-tui's (an import in another window, say) to finish.
BUSY_TIMEOUT_MS = 10_000


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
        """One setting, read in its own transaction (store/settings.py)."""
        with self.read() as conn:
            return get_setting(conn, key, default)

    def set_setting(self, key: str, value: Any) -> None:
        """One setting, written in its own transaction (store/settings.py)."""
        with self.write() as conn:
            put_setting(conn, key, value)

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
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
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
    from prune_tui.text.notes import note_kind

    return note_kind(message)


def _check_file(path: Path) -> bool:
    """Refuse anything that is not an SQLite file. Returns True when the file is new/empty."""
    if path.is_dir():
        raise DatabaseProblem(f"{path} is a directory, not a database file")
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
    """Copy the database (consistently, even in WAL mode) next to itself, mode 0600, written
    atomically: a full disk leaves no half copy (and no upgrade)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{stamp}{suffix}.bak")
    image = _database_image(path)
    write_atomically(target, lambda out: out.write(image), binary=True)
    return target


def _database_image(path: Path) -> bytes:
    """The database as one consistent file image (its WAL folded in), made in memory."""
    src = sqlite3.connect(path)
    try:
        copy = sqlite3.connect(":memory:")
        try:
            src.backup(copy)
            serialize = getattr(copy, "serialize", None)  # Python 3.11 and later
            if serialize is not None:
                return bytes(serialize())
        finally:
            copy.close()
        import tempfile

        # Python 3.10: through a private scratch file, read back whole.
        with tempfile.TemporaryDirectory(prefix="prune-tui-") as scratch:
            dst = sqlite3.connect(Path(scratch) / "copy.db")
            try:
                src.backup(dst)
            finally:
                dst.close()
            return (Path(scratch) / "copy.db").read_bytes()
    finally:
        src.close()


def open_database(
    path: Path,
    *,
    create: bool = True,
    first_fill: bool = False,
    read_only: bool = False,
    verify: bool = False,
) -> Database:
    """Open (and if needed create or upgrade) the database at `path`.

    `first_fill`: the caller (the `import` command) fills a database it may have just created
    in one big transaction. A new database then keeps a rollback journal until `close()`,
    which writes each page once, where WAL writes it to the log and again at the checkpoint;
    `close()` switches it to WAL like every other (and so does any other opening meanwhile).

    `read_only`: the caller only reads (`stats`, `export`): a database that this process
    cannot write (a read-only file or folder, a copy on a read-only disk) is opened read-only
    instead of refused. Nothing is created or upgraded then.

    `verify`: run SQLite's quick_check first (about 40 ms at 30,000 connections) and refuse a
    damaged file; the import command and the app ask for it before they write.

    Raises DatabaseProblem for anything that is not a usable prune-tui database, saying what
    is really wrong (damaged, read-only, disk full, locked); such files are never written to.
    """
    path = Path(path)
    is_new = _check_file(path)
    can_write = _check_access(path, is_new, create=create, read_only=read_only)
    if is_new:
        ensure_private_dir(path.parent)
        create_private_file(path)
    engine = _writable_engine(path) if can_write else _read_only_engine(path)
    rollback_journal = is_new and first_fill
    # A rollback journal is synced in full at each commit (WAL's NORMAL would not be enough).
    _configure(engine, synchronous="FULL" if rollback_journal else "NORMAL")
    db = Database(path, engine)
    try:
        _prepare(db, wal=not rollback_journal, verify=verify, writable=can_write)
    except SADatabaseError as exc:
        engine.dispose()
        kind = problems.classify(exc, path)
        if read_only and can_write and kind in _CANNOT_WRITE_NOW:
            # A full disk (SQLite cannot even make its shared-memory file) or a file that
            # turned out read-only: reading needs neither.
            return _open_read_only(path)
        if kind is None or kind is problems.Kind.DAMAGED:
            raise DatabaseProblem(
                f"{path} is damaged or not a prune-tui database; it was left untouched. "
                "Choose another file with --db, or restore a backup into a new one: "
                "`prune-tui import backup.json --db new.db`"
            ) from exc
        raise DatabaseProblem(problems.describe(kind, path)) from exc
    except BaseException:
        engine.dispose()
        raise
    return db


def _check_access(path: Path, is_new: bool, *, create: bool, read_only: bool) -> bool:
    """Whether this process can write the database (or create it); refuses with what to do
    when it must and cannot, or when there is nothing to open."""
    if is_new and (not create or read_only):
        raise DatabaseProblem(
            f"there is no prune-tui database at {path} yet: "
            "import your LinkedIn export first with `prune-tui import FILE`"
        )
    can_write = problems.writable(path)
    if not can_write and not read_only:
        if is_new and not path.exists():
            raise DatabaseProblem(
                f"cannot create the database {path}: the folder is read-only. "
                "Choose another place with --db"
            )
        raise DatabaseProblem(problems.describe(problems.Kind.READ_ONLY, path))
    return can_write


def _writable_engine(path: Path) -> Engine:
    return create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False},
        poolclass=NullPool if os.environ.get("PRUNE_TUI_NULLPOOL") else None,
    )


_CANNOT_WRITE_NOW = (problems.Kind.FULL, problems.Kind.READ_ONLY, problems.Kind.DISK)


def _open_read_only(path: Path) -> Database:
    engine = _read_only_engine(path)
    _configure(engine)
    db = Database(path, engine)
    try:
        _prepare(db, wal=True, writable=False)
    except SADatabaseError as exc:
        engine.dispose()
        kind = problems.classify(exc, path) or problems.Kind.DAMAGED
        raise DatabaseProblem(problems.describe(kind, path)) from exc
    except BaseException:
        engine.dispose()
        raise
    return db


def _read_only_engine(path: Path) -> Engine:
    """A database this process may only read. In a read-only folder SQLite cannot make the
    shared-memory file WAL needs, so unless a WAL holds changes the file is opened as
    immutable: this process cannot write it, and neither can another prune-tui of this user."""
    from urllib.parse import quote

    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    if not _wal_files_exist(path):
        uri += "&immutable=1"  # no -shm file is made, nor left behind

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    return create_engine("sqlite://", creator=connect, poolclass=NullPool)


def _wal_files_exist(path: Path) -> bool:
    """Changes not yet folded into the file itself (immutable would not see them)."""
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except OSError:
        return False


def _prepare(db: Database, *, wal: bool, verify: bool = False, writable: bool = True) -> None:
    with db.engine.connect() as conn:
        app_id = conn.exec_driver_sql("PRAGMA application_id").scalar_one()
        version = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
        tables = {
            name
            for (name,) in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
        }
        damaged = False
        if verify and tables:
            # quick_check(1): stop at the first problem; a healthy file is read once.
            damaged = conn.exec_driver_sql("PRAGMA quick_check(1)").scalar_one() != "ok"
        conn.rollback()
    _check_usable(db.path, app_id, version, tables, damaged=damaged)
    has_tables = bool(tables)
    if not writable:
        if version < SCHEMA_VERSION:
            raise DatabaseProblem(
                f"{db.path} was made by an older prune-tui and must be upgraded, which needs "
                "write access: the file or its folder is read-only. Make it writable and try "
                "again"
            )
        return
    if wal:
        _use_wal(db)
    else:
        db.wal_on_close = True
    if not has_tables:
        with db.write() as conn:
            create_schema(conn)  # there are no tables: checked above
            conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
        _tighten_modes(db.path)
        return
    if version < SCHEMA_VERSION:
        upgrade(db, version)
    elif not set(TABLES) <= tables:
        # A table added without a schema step (a new capability's own table): created empty.
        from prune_tui.store.schema import metadata

        with db.write() as conn:
            metadata.create_all(conn)
    if "name_matches" not in tables:
        # A database from before evidence attribution: match its name-keyed evidence now.
        from prune_tui.store.attribution import match_names

        with db.write() as conn:
            match_names(conn)


def create_schema(conn: Connection) -> None:
    """Every table, index and trigger of a new database (store/schema_sql.py: what
    `metadata.create_all` would run, without building and compiling the tables first)."""
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    for statement in STATEMENTS:
        driver.execute(statement)


def _check_usable(
    path: Path, app_id: int, version: int, tables: set[str], *, damaged: bool
) -> None:
    """Refuse a file that is not prune-tui's, is damaged, is newer than this prune-tui, or
    has prune-tui's tables but no schema version an upgrade starts from."""
    has_tables = bool(tables)
    if has_tables and app_id != APPLICATION_ID:
        raise DatabaseProblem(
            f"{path} is an SQLite file but not a prune-tui database; it was left untouched. "
            "Choose another file with --db."
        )
    if damaged:
        raise DatabaseProblem(problems.damaged(path))
    if version > SCHEMA_VERSION:
        raise DatabaseProblem(
            f"{path} was written by a newer prune-tui (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade prune-tui to open it"
        )
    if (
        has_tables
        and version < SCHEMA_VERSION
        and any(step not in MIGRATIONS for step in range(version, SCHEMA_VERSION))
    ):
        # prune-tui's tables but no schema version (or one no release ever had): upgrading
        # would be guesswork, and no copy is made of a file that cannot be upgraded.
        raise DatabaseProblem(
            f"{path} holds prune-tui's tables but no known schema version ({version}), so "
            "it cannot be upgraded; it was left untouched. Restore a backup into a new "
            "database: `prune-tui import backup.json --db new.db`"
        )


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
    from prune_tui.store.schema import metadata

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
