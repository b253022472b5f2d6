#!/usr/bin/env python3
"""Benchmark for issue 5: an archive with 30,000 connections and 200,000 messages imports
within 3× the stack floor, with peak memory under 150 MiB (PRODUCT.md §10).

    python scripts/bench.py archive       # just these cases, in bench.py's table

The floor is a plain script that loads both files of the same archive with `csv` + `sqlite3`
into two tables, with SQLAlchemy imported. Both run as whole processes, several times, keeping
the best run, measured by bench.py's `best_of` (time and each child's own peak memory).
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


def _connections_csv(people: list[tuple[str, str, str, str]], rng: random.Random) -> bytes:
    buf = io.StringIO()
    buf.write('Notes:\n"When exporting your connection data, you may notice..."\n\n')
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    )
    for i, (first, last, url, _) in enumerate(people):
        day = f"{rng.randint(1, 28):02d} {rng.choice(MONTHS)} {2026 - i * 20 // CONNECTIONS}"
        writer.writerow([first, last, url, "", "Acme", "Engineer", day])
    return buf.getvalue().encode()


def _messages_csv(people: list[tuple[str, str, str, str]], rng: random.Random) -> bytes:
    """Conversations with a third of the network, some groups, a few ads; newest first."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    talked = rng.sample(people, CONNECTIONS // 3)
    stamp = 1_800_000_000
    for n in range(MESSAGES):
        stamp -= rng.randint(1, 600)
        when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(stamp))
        content = " ".join(rng.choices(WORDS, k=rng.randint(5, 40)))
        if n % 7 == 0:
            content += "\n\nBest,\nO."
        if n % 500 == 0:
            writer.writerow(
                [f"ad{n}", "", "LinkedIn Member", "", OWNER[0], OWNER[1], when, "Sponsored",
                 content, "INBOX", ""]
            )  # fmt: skip
            continue
        group = rng.sample(talked, 3 if n % 50 == 0 else 1)
        names = ", ".join(f"{p[0]} {p[1]}" for p in group)
        urls = ",".join(p[3] for p in group)
        conv = f"2-{hash(urls) & 0xFFFFFFFF:08x}"
        if rng.random() < 0.5:
            writer.writerow(
                [conv, "", *OWNER[:1], OWNER[1], names, urls, when, "", content, "INBOX", ""]
            )
        else:
            sender = group[0]
            others = [OWNER[1]] + [p[3] for p in group[1:]]
            writer.writerow(
                [conv, "", f"{sender[0]} {sender[1]}", sender[3], OWNER[0], ",".join(others),
                 when, "", content, "INBOX", ""]
            )  # fmt: skip
    return buf.getvalue().encode()


def make_archive(path: Path, seed: int = 5) -> Path:
    rng = random.Random(seed)
    people = _people(rng)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        top = "Complete_LinkedInDataExport_11-20-2026/"
        zf.writestr(top + "Connections.csv", _connections_csv(people, rng))
        zf.writestr(top + "messages.csv", _messages_csv(people, rng))
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
    with tempfile.TemporaryDirectory(prefix="prune-bench-evidence-") as tmp:
        work = Path(tmp)
        archive = make_archive(work / "Complete_LinkedInDataExport_11-20-2026.zip")

        def floor_cmd(i: int) -> list[str]:
            return [sys.executable, "-c", FLOOR, str(archive), str(work / f"floor{i}.db")]

        def ours_cmd(i: int) -> list[str]:
            return [sys.executable, "-m", "prune_tui", "import", str(archive), "--db",
                    str(work / f"ours{i}.db")]  # fmt: skip

        (floor, floor_peak), (ours, ours_peak) = best_of(floor_cmd, ours_cmd, runs=RUNS)
    return [
        case(
            "import archive: 30,000 connections + 200,000 messages (whole process)",
            ours,
            floor,
            "≤ 3×",
            3,
        ),
        {
            "name": "import archive peak memory",
            "measured": ours_peak / MIB,
            "floor": floor_peak / MIB,
            "ratio": ours_peak / floor_peak,
            "target": "≤ 150 MiB",
            "ok": ours_peak <= 150 * MIB,
            "unit": "MiB",
        },
    ]
