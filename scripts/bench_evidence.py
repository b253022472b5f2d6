#!/usr/bin/env python3
"""Archive imports: 30,000 connections and 200,000 messages import within 3× the stack floor
(issue 5); peak memory stays flat in the number of rows, within 40 MiB of the floor's, at
200,000 and at 1,000,000 messages (a heavy Complete export; issue 17).

    python scripts/bench.py evidence      # just these cases, in bench.py's table

The floor is a plain script that loads both files of the same archive with `csv` + `sqlite3`
into two plain tables (every row, every column, executemany straight from the csv reader),
with SQLAlchemy imported. Both run as whole processes, several times, keeping the best run,
measured by bench.py's `best_of` (time and each child's own peak memory); the 1,000,000-message
case runs once (it is about memory).
"""

from __future__ import annotations

import csv
import io
import os
import random
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from bench import FIRST, LAST, MONTHS, best_of, case

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
CONNECTIONS = 30_000
MESSAGES = 200_000
HEAVY = 1_000_000  # message rows in a heavy Complete export
MIB = 1024 * 1024

WORDS = [
    "thanks",
    "for",
    "the",
    "intro",
    "happy",
    "to",
    "help",
    "let",
    "us",
    "catch",
    "up",
    "next",
    "week",
    "the",
    "deck",
    "looks",
    "great",
    "could",
    "you",
    "send",
    "the",
    "numbers",
    "I",
    "will",
    "be",
    "in",
    "town",
    "on",
    "Friday",
    "congratulations",
    "on",
    "the",
    "new",
    "role",
]
OWNER = ("Olive Owner", "https://www.linkedin.com/in/olive-owner")
HEADER = [
    "CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
    "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER", "ATTACHMENTS",
]  # fmt: skip


def _people(rng: random.Random) -> list[tuple[str, str, str, str]]:
    """(first, last, encoded URL as in Connections.csv, decoded URL as in messages.csv)."""
    found = []
    for i in range(CONNECTIONS):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        slug = f"{first}-{last}-{i:05d}".lower()
        encoded = slug.replace("é", "%C3%A9").replace("ë", "%C3%AB").replace("ö", "%C3%B6")
        found.append(
            (first, last, f"https://www.linkedin.com/in/{encoded}",
             f"https://www.linkedin.com/in/{slug}")
        )  # fmt: skip
    return found


def _connections_csv(
    people: list[tuple[str, str, str, str]], rng: random.Random, changed: float = 0.0
) -> bytes:
    """Connections.csv; `changed` of the people (a share) have moved to another company."""
    buf = io.StringIO()
    buf.write('Notes:\n"When exporting your connection data, you may notice..."\n\n')
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    )
    moved = random.Random(99)
    for i, (first, last, url, _) in enumerate(people):
        day = f"{rng.randint(1, 28):02d} {rng.choice(MONTHS)} {2026 - i * 20 // CONNECTIONS}"
        company = "Globex" if moved.random() < changed else "Acme"
        writer.writerow([first, last, url, "", company, "Engineer", day])
    return buf.getvalue().encode()


def _message_rows(
    people: list[tuple[str, str, str, str]], rng: random.Random, count: int, stamp: int
) -> list[list[str]]:
    """Conversations with a third of the network, some groups, a few ads; newest first,
    the newest at `stamp`."""
    rows = []
    talked = rng.sample(people, CONNECTIONS // 3)
    for n in range(count):
        stamp -= rng.randint(1, 600)
        when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(stamp))
        content = " ".join(rng.choices(WORDS, k=rng.randint(5, 40)))
        if n % 7 == 0:
            content += "\n\nBest,\nO."
        if n % 500 == 0:
            rows.append(
                [f"ad{n}", "", "LinkedIn Member", "", OWNER[0], OWNER[1], when, "Sponsored",
                 content, "INBOX", ""]
            )  # fmt: skip
            continue
        group = rng.sample(talked, 3 if n % 50 == 0 else 1)
        names = ", ".join(f"{p[0]} {p[1]}" for p in group)
        urls = ",".join(p[3] for p in group)
        conv = f"2-{hash(urls) & 0xFFFFFFFF:08x}"
        if rng.random() < 0.5:
            rows.append(
                [conv, "", *OWNER[:1], OWNER[1], names, urls, when, "", content, "INBOX", ""]
            )
        else:
            sender = group[0]
            others = [OWNER[1]] + [p[3] for p in group[1:]]
            rows.append(
                [conv, "", f"{sender[0]} {sender[1]}", sender[3], OWNER[0], ",".join(others),
                 when, "", content, "INBOX", ""]
            )  # fmt: skip
    return rows


def make_archive(
    path: Path,
    seed: int = 5,
    messages: int = MESSAGES,
    *,
    changed: float = 0.0,
) -> Path:
    """A Complete export. With `changed` (a share), the same export made later: that share
    of the people changed company and that share more messages came in (the older ones
    unchanged, as in a real later export)."""
    rng = random.Random(seed)
    people = _people(rng)
    connections = _connections_csv(people, rng, changed)
    rows = _message_rows(people, rng, messages, 1_800_000_000)
    if changed:
        rows = _message_rows(people, random.Random(seed + 1), int(messages * changed),
                             1_800_000_000 + 700 * int(messages * changed)) + rows  # fmt: skip
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        top = "Complete_LinkedInDataExport_11-20-2026/"
        zf.writestr(top + "Connections.csv", connections)
        with (
            zf.open(top + "messages.csv", "w") as raw,
            io.TextIOWrapper(raw, encoding="utf-8", newline="") as fh,
        ):
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(HEADER)
            for start in range(0, len(rows), 10_000):
                writer.writerows(rows[start : start + 10_000])
    return path


FLOOR = r"""
import csv, io, sqlite3, sys, zipfile
import sqlalchemy  # the stack floor: the least any program on this stack can take
archive, db = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
con.execute("CREATE TABLE c (first, last, url, email, company, position, connected_on)")
con.execute("CREATE TABLE m (cid, title, sender, sender_url, recipients, recipient_urls, date, "
            "subject, content, folder, attachments)")
top = "Complete_LinkedInDataExport_11-20-2026/"
with zipfile.ZipFile(archive) as zf:
    with io.TextIOWrapper(zf.open(top + "Connections.csv"), encoding="utf-8", newline="") as fh:
        for _ in range(3):
            fh.readline()
        reader = csv.reader(fh)
        next(reader)
        con.executemany("INSERT INTO c VALUES (?,?,?,?,?,?,?)", reader)
    with io.TextIOWrapper(zf.open(top + "messages.csv"), encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        con.executemany("INSERT INTO m VALUES (?,?,?,?,?,?,?,?,?,?,?)", reader)
con.commit()
"""


def cases() -> list[dict[str, Any]]:
    found = []
    with tempfile.TemporaryDirectory(prefix="prune-bench-evidence-") as tmp:
        work = Path(tmp)
        archive = make_archive(work / "Complete_LinkedInDataExport_11-20-2026.zip")

        def floor_cmd(i: int) -> list[str]:
            return [sys.executable, "-c", FLOOR, str(archive), str(work / f"floor{i}.db")]

        def ours_cmd(i: int) -> list[str]:
            return [sys.executable, "-m", "prune_tui", "import", str(archive), "--db",
                    str(work / f"ours{i}.db")]  # fmt: skip

        (floor, floor_peak), (ours, ours_peak) = best_of(floor_cmd, ours_cmd, runs=RUNS)
        found.append(
            case(
                "import archive: 30,000 connections + 200,000 messages (whole process)",
                ours,
                floor,
                "≤ 3×",
                3,
            )
        )
        found.append(
            {
                "name": "import archive peak memory (200,000 messages)",
                "measured": ours_peak / MIB,
                "floor": floor_peak / MIB,
                "ratio": ours_peak / floor_peak,
                "target": "≤ floor + 40 MiB",
                "ok": ours_peak <= floor_peak + 40 * MIB,
                "unit": "MiB",
            }
        )
    with tempfile.TemporaryDirectory(prefix="prune-bench-evidence-") as tmp:
        work = Path(tmp)
        heavy = make_archive(work / "Complete_LinkedInDataExport_11-20-2026.zip", messages=HEAVY)
        (_, floor_peak), (_, ours_peak) = best_of(
            lambda i: [sys.executable, "-c", FLOOR, str(heavy), str(work / f"floor{i}.db")],
            lambda i: [
                sys.executable,
                "-m",
                "prune_tui",
                "import",
                str(heavy),
                "--db",
                str(work / f"ours{i}.db"),
            ],
            runs=1,
        )
        found.append(
            {
                "name": f"import archive peak memory: 30,000 connections + {HEAVY:,} messages",
                "measured": ours_peak / MIB,
                "floor": floor_peak / MIB,
                "ratio": ours_peak / floor_peak,
                "target": "≤ floor + 40 MiB",
                "ok": ours_peak <= floor_peak + 40 * MIB,
                "unit": "MiB",
            }
        )
    return found
