"""A varied network written straight into a database, for the query and bulk tests: accents,
empty fields, undated people, evidence under the profile slug or under the name, criteria,
notes, removals, decisions, two imports (so some people are new) and a few gone."""

from __future__ import annotations

import json
import random

from prune_tui.store.database import Database
from prune_tui.store.evidence_read import MESSAGES_READ

FIRST = ["Ada", "José", "Søren", "Zoë", "Linnéa", "Bob", "ÉMILE", "Wei", "Anne-Marie", "Olu"]
LAST = ["Lovelace", "Kierkegård", "Muñoz", "Ström", "Dubois", "O'Brien", "Chen", "de la Cruz"]
COMPANIES = ["Acme", "ACME Corp", "Globex", "Café Noir", "", "Initech", "Zürich Re"]
POSITIONS = ["Engineer", "Head of Sales", "CEO", "", "Ingénieure", "Recruiter"]
NOTES = [
    None,
    "",
    "Hi, we met at the conference last week, great talk!",
    "I help companies like yours scale your revenue. Book a 15 minute demo?",
    "Hello",
]


def fill(db: Database, size: int = 80, seed: int = 7) -> None:
    rng = random.Random(seed)
    with db.write() as conn:
        for run in (1, 2):
            conn.exec_driver_sql(
                "INSERT INTO import_runs (id, file_name, sha256, kind, imported_at, counts) "
                "VALUES (?, 'Connections.csv', ?, 'connections', ?, '{}')",
                (run, f"sha{run}", f"2026-0{run}-01T00:00:00+00:00"),
            )
        for i in range(size):
            first = rng.choice(FIRST)
            last = rng.choice(LAST)
            slug = f"person-{i}" if rng.random() < 0.85 else None
            year = rng.randint(2008, 2026)
            connected = (
                None
                if rng.random() < 0.1
                else f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            )
            first_import = 2 if rng.random() < 0.2 else 1
            status = "gone" if rng.random() < 0.1 else "active"
            decision = rng.choice([None, None, None, "keep", "nurture", "remove"])
            note = rng.choice(["", "", "", "met in Berlin", "owes me a call"])
            name_key = f"{first} {last}".casefold()
            cid = conn.exec_driver_sql(
                "INSERT INTO connections (key, slug, first_name, last_name, name_key, url, "
                "company, position, connected_on, first_import_id, last_import_id, status, "
                "decision, decided_at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 2, ?, ?, ?, ?)",
                (
                    slug or f"name:{name_key}|{connected}|{i}",
                    slug,
                    first,
                    last,
                    name_key,
                    f"https://www.linkedin.com/in/{slug}" if slug else "",
                    rng.choice(COMPANIES),
                    rng.choice(POSITIONS),
                    connected,
                    first_import,
                    status,
                    decision,
                    "2026-02-02T10:00:00+00:00" if decision else None,
                    note,
                ),
            ).lastrowid
            for criterion in range(1, 6):
                answer = rng.choice([None, None, 0, 1])
                if answer is not None:
                    conn.exec_driver_sql(
                        "INSERT INTO criteria (connection_id, criterion, value) VALUES (?, ?, ?)",
                        (cid, criterion, answer),
                    )
            if rng.random() < 0.15:
                conn.exec_driver_sql(
                    "INSERT INTO removals (connection_id, marked_at, confirmed_at) "
                    "VALUES (?, ?, ?)",
                    (
                        cid,
                        rng.choice([None, "2026-03-01T00:00:00+00:00"]),
                        rng.choice([None, "2026-04-01T00:00:00+00:00"]),
                    ),
                )
            people = [slug] if slug else []
            if rng.random() < 0.3 or not slug:
                people.append(f"name:{name_key}")
            for person in people:
                if rng.random() < 0.3:
                    continue
                count = rng.choice([0, 0, 1, 2, 5, 12])
                last_at = (
                    f"{rng.randint(2012, 2026)}-{rng.randint(1, 12):02d}-"
                    f"{rng.randint(1, 28):02d}T09:30:00+00:00"
                    if count
                    else None
                )
                invited = rng.choice([None, "me", "them"])
                message = rng.choice(NOTES) if invited else None
                conn.exec_driver_sql(
                    "INSERT INTO evidence (person, message_count, last_message_at, "
                    "last_message_from, invited_by, invitation_message) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(person) DO NOTHING",
                    (person, count, last_at, "them" if count else None, invited, message),
                )
        conn.exec_driver_sql(
            "INSERT INTO settings (key, value) VALUES (?, ?)", (MESSAGES_READ, json.dumps(True))
        )
