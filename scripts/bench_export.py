#!/usr/bin/env python3
"""Export benchmarks (issue 17) at 30,000 connections, whole processes, each against an
independent floor: a plain script over a plain table, never prune-tui's own query.

    python scripts/bench.py export       # these cases, in bench.py's table

- JSON: `prune-tui export --only all --format json` against a script that builds the same JSON
  inside SQLite, `json_group_array(json_object(...))` over one plain table holding exactly the
  backup's columns (filled from the backup itself beforehand, untimed), its rows stored in the
  backup's order (`ORDER BY seq`, the primary key):
  within 1.2×.
- md, csv, urls, html: `prune-tui export --only all --format F` against a script that dumps the
  same columns from a plain table in the same format (csv.writer for csv; one f-string per line
  for md and urls, no escaping; for html one `<li>` per person with a tick box, the link, name,
  role and note through html.escape, in a bare page): within 2×.

Every floor imports SQLAlchemy (the stack floor of docs/PRODUCT.md §10: the least any program on
this stack can take) and nothing of ours. All write to a pipe to /dev/null; several runs, in
turns, the best counts. `scripts/bench.py` collects `cases()` from here.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from bench import best_of, case, make_connections_csv  # noqa: E402

FLOOR_JSON = r"""
import sqlite3, sys
import sqlalchemy  # the stack floor: the least any program on this stack can take
db, obj = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
(text,) = con.execute(
    f"SELECT json_group_array(json(o)) FROM (SELECT {obj} AS o FROM plain ORDER BY seq)"
).fetchone()
sys.stdout.write(text)
sys.stdout.write("\n")
"""

FLOOR_CSV = r"""
import csv, sqlite3, sys
import sqlalchemy  # the stack floor
db = sys.argv[1]
con = sqlite3.connect(db)
cur = con.execute("SELECT * FROM plain ORDER BY seq")
columns = [d[0] for d in cur.description][1:]
writer = csv.writer(sys.stdout, lineterminator="\r\n")
writer.writerow(columns)
writer.writerows(row[1:] for row in cur)
"""

FLOOR_MD = r"""
import sqlite3, sys
import sqlalchemy  # the stack floor
db = sys.argv[1]
con = sqlite3.connect(db)
out = sys.stdout
out.write("# All connections\n\n")
for first, last, url, company, position, note, removed in con.execute(
    "SELECT first_name, last_name, url, company, position, note, removed_at FROM plain "
    "ORDER BY seq"
):
    out.write(f"- [{'x' if removed else ' '}] [{first} {last}]({url}) · {position} at {company}\n")
    if note:
        out.write(f"  - note: {note}\n")
"""

FLOOR_URLS = r"""
import sqlite3, sys
import sqlalchemy  # the stack floor
db = sys.argv[1]
con = sqlite3.connect(db)
out = sys.stdout
for (url,) in con.execute("SELECT url FROM plain WHERE removed_at = '' ORDER BY seq"):
    out.write(f"{url}\n")
"""


FLOOR_HTML = r"""
import html, sqlite3, sys
import sqlalchemy  # the stack floor
db = sys.argv[1]
con = sqlite3.connect(db)
out = sys.stdout
e = html.escape
out.write("<!doctype html>\n<meta charset=utf-8>\n<title>All connections</title>\n<ul>\n")
for first, last, url, company, position, note, removed in con.execute(
    "SELECT first_name, last_name, url, company, position, note, removed_at FROM plain "
    "ORDER BY seq"
):
    out.write(
        f'<li><input type=checkbox{" checked" if removed else ""}>'
        f'<a href="{e(url)}">{e(first)} {e(last)}</a> <span>{e(position)} at {e(company)}</span>'
    )
    if note:
        out.write(f'<div class="note">Note: {e(note)}</div>')
    out.write("</li>\n")
out.write("</ul>\n")
"""


def _export(db: Path, fmt: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "prune_tui", "export", "--only", "all", "--format", fmt,
         "--db", str(db)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout  # fmt: skip


def json_floor(db: Path, work: Path) -> tuple[Path, str]:
    """A plain table holding the backup's columns (from the backup itself) and the
    json_object(...) expression that rebuilds one backup object from a row of it."""
    items = json.loads(_export(db, "json"))
    # Keys every object has (the invitations ride on the first one only: left out, so the
    # floor does a little less than the export, never more).
    keys = [k for k in items[0] if all(k in item for item in items)]
    nested = {k: list(items[0][k]) for k in keys if isinstance(items[0][k], dict)}
    lists = {k for k in keys if any(isinstance(item[k], list) for item in items)}
    columns: list[str] = []
    parts: list[str] = []
    for key in keys:
        if key in nested:
            inner = []
            for sub in nested[key]:
                columns.append(f"{key}__{sub}")
                inner.append(f"'{sub}', json(\"{key}__{sub}\")")
            parts.append(f"'{key}', json_object({', '.join(inner)})")
        elif key in lists:  # the touch log: stored as JSON text, put back as JSON
            columns.append(key)
            parts.append(f"'{key}', json(\"{key}\")")
        else:
            columns.append(key)
            parts.append(f"'{key}', \"{key}\"")
    floor_db = work / "floor-json.db"
    con = sqlite3.connect(floor_db)
    with con:
        con.execute(
            "CREATE TABLE plain (seq INTEGER PRIMARY KEY, "
            + ", ".join(f'"{c}"' for c in columns)
            + ")"
        )
        rows = []
        for i, item in enumerate(items):
            row: list[Any] = [i]
            for key in keys:
                if key in nested:
                    row.extend(json.dumps(v) for v in item[key].values())
                elif key in lists:
                    row.append(json.dumps(item[key]))
                else:
                    row.append(item[key])
            rows.append(row)
        con.executemany(f"INSERT INTO plain VALUES ({', '.join('?' * (len(columns) + 1))})", rows)
    con.close()
    return floor_db, f"json_object({', '.join(parts)})"


def table_floor(db: Path, work: Path) -> Path:
    """A plain table holding the csv export's columns and rows, in its order."""
    rows = list(csv.reader(_export(db, "csv").splitlines()))
    header, body = rows[0], rows[1:]
    floor_db = work / "floor-table.db"
    con = sqlite3.connect(floor_db)
    with con:
        con.execute(
            "CREATE TABLE plain (seq INTEGER PRIMARY KEY, "
            + ", ".join(f'"{c}"' for c in header)
            + ")"
        )
        con.executemany(
            f"INSERT INTO plain VALUES ({', '.join('?' * (len(header) + 1))})",
            [[i, *r] for i, r in enumerate(body)],
        )
    con.close()
    return floor_db


def prepare(work: Path) -> Path:
    """30,000 imported connections, a third of them decided, some with criteria and ticks."""
    csv_path = make_connections_csv(work / "Connections.csv")
    db = work / "export.db"
    subprocess.run(
        [sys.executable, "-m", "prune_tui", "import", str(csv_path), "--db", str(db)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    con = sqlite3.connect(db)
    with con:
        con.execute(
            "UPDATE connections SET decision = CASE id % 3 WHEN 0 THEN 'keep' "
            "WHEN 1 THEN 'remove' END, decided_at = '2026-11-20T12:00:00+00:00', "
            "note = CASE WHEN id % 7 = 0 THEN 'met at a conference' ELSE '' END "
            "WHERE id % 3 != 2"
        )
        con.execute(
            "INSERT INTO criteria (connection_id, criterion, value) "
            "SELECT id, 1 + id % 5, id % 2 FROM connections WHERE id % 4 = 0"
        )
        con.execute(
            "INSERT INTO removals (connection_id, marked_at) "
            "SELECT id, '2026-11-21T08:00:00+00:00' FROM connections WHERE id % 9 = 1"
        )
    con.close()
    return db


def cases() -> list[dict[str, Any]]:
    found = []
    with tempfile.TemporaryDirectory(prefix="prune-bench-export-") as tmp:
        work = Path(tmp)
        db = prepare(work)
        floor_db, obj = json_floor(db, work)
        table_db = table_floor(db, work)

        def ours(fmt: str) -> Any:
            return lambda _i: [sys.executable, "-m", "prune_tui", "export", "--only", "all",
                               "--format", fmt, "--db", str(db)]  # fmt: skip

        (floor_t, _), (ours_t, _) = best_of(
            lambda _i: [sys.executable, "-c", FLOOR_JSON, str(floor_db), obj], ours("json")
        )
        found.append(
            case(
                "export 30,000 connections as JSON (whole process), vs json_group_array over "
                "a plain table",
                ours_t,
                floor_t,
                "≤ 1.2×",
                1.2,
            )
        )
        for fmt, floor in (
            ("md", FLOOR_MD),
            ("csv", FLOOR_CSV),
            ("urls", FLOOR_URLS),
            ("html", FLOOR_HTML),
        ):
            (floor_t, _), (ours_t, _) = best_of(
                lambda _i, floor=floor: [sys.executable, "-c", floor, str(table_db)], ours(fmt)
            )
            found.append(
                case(
                    f"export 30,000 connections as {fmt} (whole process), vs a plain {fmt} dump",
                    ours_t,
                    floor_t,
                    "≤ 2×",
                    2.0,
                )
            )
    return found


def main() -> int:
    rows = cases()
    print("| target | measured | floor | ratio | goal | ok |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['name']} | {r['measured']:.3f} s | {r['floor']:.3f} s | {r['ratio']:.2f}× | "
            f"{r['target']} | {'yes' if r['ok'] else 'NO'} |"
        )
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
