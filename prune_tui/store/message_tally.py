"""The messages file the last import read, and its tally (schema.py: message_file,
message_tally, message_names), so that a newer export's messages.csv is read only where it is
new (formats/messages.py `FileShape`). Kept as the file's own facts, before anything of the
database (the owner, the connections) is applied to them: always valid, whatever happened to
the database since."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection

from prune_tui.formats.messages import Exchange, FileShape, MessageTally


def earlier_shape(conn: Connection) -> tuple[FileShape, dict[str, Any]] | None:
    """The shape of the last messages file read whole, and its counts; None when there is
    none to build on."""
    row = conn.exec_driver_sql("SELECT shape FROM message_file WHERE id = 1").first()
    if row is None:
        return None
    try:
        value = json.loads(row[0])
        shape = FileShape.from_json(value["shape"])
    except (ValueError, KeyError, TypeError):
        return None
    return None if shape is None else (shape, value)


def earlier_tally(conn: Connection, counts: dict[str, Any]) -> MessageTally:
    """That file's tally, each participant in the order the file first named them."""
    driver = conn.connection.driver_connection
    assert driver is not None
    tally = MessageTally(
        messages=int(counts["messages"]),
        ignored=int(counts["ignored"]),
        undated=int(counts["undated"]),
        has_direction=bool(counts["has_direction"]),
    )
    people = tally.people
    for token, count, first, last, last_from in driver.execute(
        "SELECT token, count, first_at, last_at, last_from FROM message_tally ORDER BY seq"
    ):
        people[token] = Exchange(count, first, last, last_from)
    names = tally.names
    for name, slug in driver.execute("SELECT name, slug FROM message_names ORDER BY seq"):
        names.setdefault(name, set()).add(slug)
    return tally


def remember_tally(conn: Connection, tally: MessageTally) -> None:
    """Keep `tally` (before its names are folded) as the file read last; a tally of no single
    file that can be read in part later forgets the one kept."""
    forget_tally(conn)
    shape = tally.shape
    if shape is None:
        return
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.executemany(
        "INSERT INTO message_tally (token, count, first_at, last_at, last_from) "
        "VALUES (?, ?, ?, ?, ?)",
        [(t, s.count, s.first, s.last, s.last_from) for t, s in tally.people.items()],
    )
    driver.executemany(
        "INSERT INTO message_names (name, slug) VALUES (?, ?)",
        [(name, slug) for name, slugs in tally.names.items() for slug in sorted(slugs)],
    )
    value = {
        "shape": shape.to_json(),
        "messages": tally.messages,
        "ignored": tally.ignored,
        "undated": tally.undated,
        "has_direction": tally.has_direction,
    }
    conn.exec_driver_sql("INSERT INTO message_file (id, shape) VALUES (1, ?)", (json.dumps(value),))


def forget_tally(conn: Connection) -> None:
    for table in ("message_file", "message_tally", "message_names"):
        conn.exec_driver_sql(f"DELETE FROM {table}")
