"""The tables. Current state lives on `connections`; every change is also logged in `history`,
which is what undo reads (so undo survives a restart)."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import (
    DDL,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    event,
    text,
)

SCHEMA_VERSION = 2
# PRAGMA application_id, "PRUN": tells our databases apart from any other SQLite file.
APPLICATION_ID = 0x5052554E

metadata = MetaData()

connections = Table(
    "connections",
    metadata,
    Column("id", Integer, primary_key=True),
    # Identity: the normalized profile slug, or "name:<name>|<connected_on>" for exports
    # without URLs (adopted by a later export that has them).
    Column("key", Text, nullable=False),
    Column("slug", Text),
    Column("first_name", Text, nullable=False, server_default=""),
    Column("last_name", Text, nullable=False, server_default=""),
    # casefolded NFC "first last": A–Z order, search, and matching evidence without URLs.
    # Indexed only once needed (A–Z order, an export without URLs): every index slows imports.
    Column("name_key", Text, nullable=False, server_default=""),
    Column("url", Text, nullable=False, server_default=""),
    Column("email", Text, nullable=False, server_default=""),
    Column("company", Text, nullable=False, server_default=""),
    Column("position", Text, nullable=False, server_default=""),
    # Earlier values, shown as "was: …" after a re-import changed them.
    Column("was_name", Text),
    Column("was_company", Text),
    Column("was_position", Text),
    Column("connected_on", Text),  # YYYY-MM-DD or NULL when unreadable
    Column("status", Text, nullable=False, server_default="active"),
    Column("gone_since", Text),
    Column("first_import_id", Integer),
    Column("last_import_id", Integer),
    Column("decision", Text),
    Column("decided_at", Text),
    Column("note", Text, nullable=False, server_default=""),
    CheckConstraint("status IN ('active', 'gone')", name="status_known"),
    CheckConstraint(
        "decision IS NULL OR decision IN ('keep', 'nurture', 'remove')", name="decision_known"
    ),
)
# Named (not an inline UNIQUE) so that a first import can build it after the bulk insert.
Index("ix_connections_key", connections.c.key, unique=True)
# The review's date orders walk (status, connected_on, id): SQLite ends every index entry with
# the row's id, so listing `id` again would only make the index bigger and slower to build.
Index("ix_connections_order", connections.c.status, connections.c.connected_on)

history = Table(
    "history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("connection_id", Integer, ForeignKey("connections.id"), nullable=False),
    # "decision", "note", "removed" or "criterion:N"
    Column("field", Text, nullable=False),
    Column("old", Text),
    Column("new", Text),
    Column("at", Text, nullable=False),
    Column("undone", Integer, nullable=False, server_default=text("0")),
    # Rows written by one bulk decision share a batch id, so one undo takes the whole batch
    # back (schema 2).
    Column("batch_id", Integer),
)
Index("ix_history_connection", history.c.connection_id)

criteria = Table(
    "criteria",
    metadata,
    Column("connection_id", Integer, ForeignKey("connections.id"), primary_key=True),
    Column("criterion", Integer, primary_key=True),
    Column("value", Integer, nullable=False),  # 1 yes, 0 no; no row means not answered
    CheckConstraint("criterion BETWEEN 1 AND 5", name="criterion_known"),
)

# Evidence is keyed by person (the profile slug, or "name:<name_key>" for old files without
# URLs) rather than by connection, so it can arrive before or after Connections.csv.
evidence = Table(
    "evidence",
    metadata,
    Column("person", Text, primary_key=True),
    Column("message_count", Integer, nullable=False, server_default=text("0")),
    Column("first_message_at", Text),
    Column("last_message_at", Text),
    Column("last_message_from", Text),  # "me" | "them"
    Column("invited_by", Text),  # "me" | "them"
    Column("invited_at", Text),
    Column("invitation_message", Text),
    Column("endorsements_given", Integer, nullable=False, server_default=text("0")),
    Column("endorsements_received", Integer, nullable=False, server_default=text("0")),
    Column("recommendations_given", Integer, nullable=False, server_default=text("0")),
    Column("recommendations_received", Integer, nullable=False, server_default=text("0")),
)

removals = Table(
    "removals",
    metadata,
    Column("connection_id", Integer, ForeignKey("connections.id"), primary_key=True),
    Column("marked_at", Text),  # ticked off on the checklist
    Column("confirmed_at", Text),  # a later export no longer has them
    Column("confirmed_import_id", Integer),
)

import_runs = Table(
    "import_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("file_name", Text, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("imported_at", Text, nullable=False),
    Column("counts", Text, nullable=False),  # JSON object
)
Index("ix_import_runs_sha", import_runs.c.sha256)

settings = Table(
    "settings",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),  # JSON
)

# -- Evidence attribution (issue 10) ----------------------------------------------------------
# Which connection takes which name-keyed evidence row (store/attribution.py): recomputed by
# every import, so a name shared by two connections attaches to neither.
name_matches = Table(
    "name_matches",
    metadata,
    Column("connection_id", Integer, primary_key=True),
    Column("alias", Text),  # "aka:<name key>": URL evidence for a connection without a slug
    Column("person", Text),  # "name:<name key>": evidence from files without URLs
)

# ---------------------------------------------------------------------------------------------
# Invitations: screening the pending ones (docs/PRODUCT.md §13). One row per other person and
# direction; the import keeps the latest invitation's facts, the user's decision stays.

invitations = Table(
    "invitations",
    metadata,
    Column("id", Integer, primary_key=True),
    # The other person: the profile slug, or "name:<name key>" for files without URLs.
    Column("key", Text, nullable=False),
    Column("direction", Text, nullable=False),  # "incoming" (they invited me) | "outgoing"
    Column("name", Text, nullable=False, server_default=""),
    Column("name_key", Text, nullable=False, server_default=""),
    Column("slug", Text),
    Column("url", Text, nullable=False, server_default=""),
    Column("sent_at", Text),  # ISO 8601
    Column("message", Text),  # their (or my) note, NULL when none was written
    # The date (YYYY-MM-DD) of the export that last listed it: staleness is measured from it.
    Column("export_date", Text),
    # pending: not connected at that export; accepted: connected since; gone: no longer listed
    Column("status", Text, nullable=False, server_default="pending"),
    Column("decision", Text),
    Column("decided_at", Text),
    # The newest import when it was decided: an export imported after it that still lists the
    # invitation as pending flags it (not done on LinkedIn yet), whatever the clocks say.
    Column("decided_import_id", Integer),
    # A later export showed the decision carried out (the accept connected, the ignore gone).
    Column("closed_at", Text),
    Column("first_import_id", Integer),
    Column("last_import_id", Integer),
    CheckConstraint("direction IN ('incoming', 'outgoing')", name="invitation_direction_known"),
    CheckConstraint("status IN ('pending', 'accepted', 'gone')", name="invitation_status_known"),
    CheckConstraint(
        "decision IS NULL OR decision IN ('accept', 'ignore', 'withdraw')",
        name="invitation_decision_known",
    ),
)
Index("ix_invitations_key", invitations.c.key, invitations.c.direction, unique=True)

invitation_criteria = Table(
    "invitation_criteria",
    metadata,
    Column("invitation_id", Integer, ForeignKey("invitations.id"), primary_key=True),
    Column("criterion", Integer, primary_key=True),
    Column("value", Integer, nullable=False),  # 1 yes, 0 no; no row means not answered
    CheckConstraint("criterion BETWEEN 1 AND 5", name="invitation_criterion_known"),
)

# What undo reads on the invitations screen (`history` belongs to connections).
invitation_history = Table(
    "invitation_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("invitation_id", Integer, ForeignKey("invitations.id"), nullable=False),
    Column("field", Text, nullable=False),  # "decision" or "criterion:N"
    Column("old", Text),
    Column("new", Text),
    Column("at", Text, nullable=False),
    Column("undone", Integer, nullable=False, server_default=text("0")),
)

# -- nurture (issue 15, docs/PRODUCT.md §12): cadences, touches, and the last message seen ---

cadences = Table(
    "cadences",
    metadata,
    Column("connection_id", Integer, ForeignKey("connections.id"), primary_key=True),
    # NULL: the decision's default (nurture: a quarter; keep: none); 0: none, chosen; else days.
    Column("cadence_days", Integer),
    Column("snoozed_until", Text),  # YYYY-MM-DD: not due before this day
    CheckConstraint("cadence_days IS NULL OR cadence_days >= 0", name="cadence_known"),
)

# "I reached out today", with what happened: a dated log per person.
touches = Table(
    "touches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("connection_id", Integer, ForeignKey("connections.id"), nullable=False),
    Column("at", Text, nullable=False),  # ISO 8601, UTC
    Column("note", Text, nullable=False, server_default=""),
)
Index("ix_touches_connection", touches.c.connection_id, touches.c.at)

# The latest message with each connection in any export imported so far: each messages file
# replaces the evidence, so a newer file that lacks a conversation must not move it back.
last_messages = Table(
    "last_messages",
    metadata,
    Column("connection_id", Integer, ForeignKey("connections.id"), primary_key=True),
    Column("at", Text, nullable=False),  # ISO 8601, UTC
)

# -- bulk decisions (issue 13) ----------------------------------------------------------------
# One row per decision made by rule ("remove everyone matching messages:0"). Its history rows
# carry its id as `batch_id` and are the ids first_history_id..last_history_id (written by one
# statement under the write lock), so undo takes the whole batch back in one statement.
batches = Table(
    "batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("query", Text, nullable=False),  # as the user typed it, or "12 marked people"
    Column("decision", Text),  # keep | nurture | remove | NULL (back to undecided)
    Column("count", Integer, nullable=False, server_default=text("0")),
    Column("at", Text, nullable=False),
    Column("include_decided", Integer, nullable=False, server_default=text("0")),
    Column("first_history_id", Integer),
    Column("last_history_id", Integer),
    Column("undone", Integer, nullable=False, server_default=text("0")),
)

# When a rule changes a decision made before, the time of that decision, so undo restores it
# exactly (history rows keep only the decisions themselves).
batch_previous = Table(
    "batch_previous",
    metadata,
    Column("history_id", Integer, primary_key=True),
    Column("decided_at", Text),
)

# -- accent-blind search (issue 13) -----------------------------------------------------------
# Each connection's name, company and position as a typed word is compared with them: folded
# (`prune_tui.text.folding.fold`, registered in SQLite as `fold`: no case, no accents, spaces
# collapsed). A query's words are then found by SQLite's own instr(), not by a Python function
# called for every row (some 37 ms a word at 30,000 people, for the count and again for each
# page). Triggers keep the table in step with `connections`, whoever writes it (an import, a
# re-import that renames someone, a backup restored, the demo); a database from before it has it
# filled when it is opened (`_prepare` creates a table a database lacks).
search_texts = Table(
    "search_texts",
    metadata,
    Column(
        "connection_id",
        Integer,
        ForeignKey("connections.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("name", Text, nullable=False),  # fold(first_name || ' ' || last_name)
    Column("company", Text, nullable=False),
    Column("position", Text, nullable=False),
)
# A delete first: the outer statement's conflict clause (INSERT OR IGNORE, say) would override
# one given here.
_REFOLD = (
    "DELETE FROM search_texts WHERE connection_id = new.id; "
    "INSERT INTO search_texts (connection_id, name, company, position) VALUES (new.id, "
    "fold(new.first_name || ' ' || new.last_name), fold(new.company), fold(new.position)); "
)
# (A first import drops this one while it writes, and folds its rows at once: store/search.py.)
SEARCH_TEXTS_ADDED = (
    f"CREATE TRIGGER search_texts_added AFTER INSERT ON connections BEGIN {_REFOLD} END"
)
# Everyone already there (a database from before this table).
_FILL_SEARCH_TEXTS = (
    "INSERT INTO search_texts (connection_id, name, company, position) "
    "SELECT id, fold(first_name || ' ' || last_name), fold(company), fold(position) "
    "FROM connections"
)
for _statement in (
    SEARCH_TEXTS_ADDED,
    # Only when the words change: a re-import sets every column of everyone in the file.
    "CREATE TRIGGER search_texts_changed "
    "AFTER UPDATE OF first_name, last_name, company, position ON connections "
    "WHEN old.first_name IS NOT new.first_name OR old.last_name IS NOT new.last_name "
    f"OR old.company IS NOT new.company OR old.position IS NOT new.position BEGIN {_REFOLD} END",
    _FILL_SEARCH_TEXTS,
):
    event.listen(search_texts, "after_create", DDL(_statement))  # type: ignore[no-untyped-call]
# -- re-import of a newer export (issue 17) ----------------------------------------------------
# The last messages.csv read whole, kept so that the same file in a newer export is read only
# where it is new: a later export holds the older messages again, byte for byte, after the new
# ones (formats/messages.py `FileShape`). Its tally (store/message_tally.py) is each participant's
# share before names are folded into URLs, in the order the file first named them.
message_file = Table(
    "message_file",
    metadata,
    Column("id", Integer, primary_key=True),  # always 1: one file remembered
    Column("shape", Text, nullable=False),  # JSON: sizes, digests and counts of that file
)

message_tally = Table(
    "message_tally",
    metadata,
    Column("seq", Integer, primary_key=True),  # the order the file first named them
    Column("token", Text, nullable=False),  # a profile slug, `name:<name key>` or the owner
    Column("count", Integer, nullable=False),
    Column("first_at", Text),
    Column("last_at", Text),
    Column("last_from", Text, nullable=False),
)

message_names = Table(
    "message_names",
    metadata,
    Column("seq", Integer, primary_key=True),
    Column("name", Text, nullable=False),  # `name:<name key>`
    Column("slug", Text, nullable=False),  # a URL seen with that name
)


# ---------------------------------------------------------------------------------------------
# The schema as SQL (store/schema_sql.py): a new database is made from those statements, as
# SQLAlchemy compiled them from the tables above, without building and compiling every table
# each time a database is created (a third of a first import's start). Written by
# scripts/write_schema_sql.py; tests/test_schema_sql.py fails when it lags behind this file.


def schema_statements() -> list[str]:
    """What `metadata.create_all` runs on a new SQLite database, in its order; a table's
    indexes (a set, in any order from one process to the next) by name."""
    from sqlalchemy import create_mock_engine

    found: list[str] = []

    def collect(sql: Any, *_args: object, **_kw: object) -> None:
        found.append(str(sql.compile(dialect=engine.dialect)).strip())

    engine = create_mock_engine("sqlite://", collect)
    metadata.create_all(engine, checkfirst=False)
    # Each run of index statements (one table's, just after it) sorted by index name.
    runs = itertools.groupby(found, key=lambda sql: " INDEX " in sql.split(" ON ", 1)[0])
    return [sql for is_index, run in runs for sql in (sorted(run, key=_name) if is_index else run)]


def _name(statement: str) -> str:
    """`CREATE [UNIQUE] INDEX name ON …` → name."""
    return statement.split(" ON ", 1)[0].split()[-1]
