"""Exports (PRODUCT.md §7): md / csv / html / json / urls, each with its own escaping.

Which connections: `--only remove|nurture|keep` selects that decision, `undecided` those not
decided yet, `all` everyone. The md, csv, html and urls exports list the people you are still
connected to (status active); the json export is the full backup (see `prune_tui.backup`) and
also carries those no longer in your latest export.

Order, the same in md, csv, html and urls and on every run: grouped by decision (remove,
nurture, keep, then undecided), and within a group by name (first name first, compared
case-insensitively, as stored in `name_key`), then by profile URL, then by the order of import.

Formats:
- md: a `- [ ]` checklist, one section per decision, removals already ticked off shown `- [x]`.
  Every text from the data is backslash-escaped so no link, emphasis or HTML can come from it;
  only `https://…linkedin.com/…` profile URLs become links.
- csv: one row per connection with its note and criteria (yes / no / empty); a cell that a
  spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading `'`.
- html: one standalone page (no external resources, a Content-Security-Policy that forbids
  them) with a tick box per person, remembered in the browser (localStorage, keyed per list
  and profile), today's share of the removals first; profile links open in a new tab. Every
  text is HTML-escaped. See prune_tui/exports_html.py.
- urls: one profile URL per line, the same people as the other formats, except that
  `--only remove` (the to-do list) leaves out removals already ticked off: a plain list of
  addresses has no tick box to show them with. Only https LinkedIn addresses are written
  (percent-encoded where needed); people without one are left out.
- json: the backup format of PRODUCT.md §3.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from prune_tui.atomic import write_atomically
from prune_tui.errors import UserError
from prune_tui.formats.identity import parse_profile_url
from prune_tui.model import CRITERIA, CRITERIA_KEYS, Decision
from prune_tui.plaintext import keep_lines, one_line
from prune_tui.store.database import Database
from prune_tui.store.queries import FLAGGED_SQL, REMOVAL_JOINS

if TYPE_CHECKING:
    from prune_tui.query import Where

FORMATS = ("md", "csv", "html", "json", "urls")
ONLY = ("remove", "nurture", "keep", "undecided", "all")
GROUP_ORDER: tuple[str | None, ...] = ("remove", "nurture", "keep", None)
FILE_SUFFIX = {"md": "md", "csv": "csv", "html": "html", "json": "json", "urls": "txt"}

TITLES = {
    "remove": "Connections to remove",
    "nurture": "Connections to nurture",
    "keep": "Connections to keep",
    "undecided": "Connections not decided yet",
    "all": "All connections",
}
SECTION = {
    "remove": "Remove",
    "nurture": "Nurture",
    "keep": "Keep",
    None: "Not decided yet",
}


@dataclass(frozen=True)
class ExportRow:
    id: int
    first_name: str
    last_name: str
    url: str
    email: str
    company: str
    position: str
    connected_on: str | None
    decision: str | None
    decided_at: str | None
    note: str
    removed_at: str | None  # ticked off on the checklist (and not seen again since)
    criteria: dict[int, bool | None]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def ticked(self) -> bool:
        return self.removed_at is not None


def write_export(
    db: Database, out: TextIO, *, fmt: str, only: str, where: Where | None = None
) -> int:
    """Write the connections selected by `only` (and `where`, a query, when given) to `out`
    in `fmt`; returns how many."""
    if only not in ONLY:
        raise UserError(f"--only must be one of {', '.join(ONLY)}, not {only!r}")
    if fmt == "json":
        from prune_tui.backup import export_json

        return export_json(db, out, only=only, where=where)
    if fmt == "html":  # today's share follows the daily pace chosen in the app
        from prune_tui.removals import per_day

        return write_html(select_rows(db, only, where), out, only, per_day(db))
    writers = {"md": write_md, "csv": write_csv, "urls": write_urls}
    if fmt not in writers:
        raise UserError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return writers[fmt](select_rows(db, only, where), out, only)


def export_file_name(fmt: str, only: str, stamp: str) -> str:
    """A file name for an export made from the app, e.g. `prune-tui-remove-20261121-2015.md`."""
    return f"prune-tui-{only}-{stamp}.{FILE_SUFFIX[fmt]}"


def export_to_folder(
    db: Database, folder: Path, *, formats: Sequence[str], only: str, stamp: str
) -> list[tuple[Path, int]]:
    """Write one file per format into `folder` (made 0700; files 0600, never overwriting an
    earlier export). Returns each file with how many connections it lists."""
    from prune_tui.paths import ensure_private_dir

    ensure_private_dir(folder)
    written = []
    for fmt in formats:
        name = export_file_name(fmt, only, stamp)
        while True:
            target = _free_name(folder, name)
            try:
                count = write_atomically(
                    target, partial(write_export, db, fmt=fmt, only=only), exclusive=True
                )
            except FileExistsError:
                continue  # made by another window meanwhile: the next free name
            break
        written.append((target, count))
    return written


def _free_name(folder: Path, name: str) -> Path:
    target = folder / name
    stem, dot, suffix = name.rpartition(".")
    n = 2
    while target.exists():
        target = folder / f"{stem}-{n}{dot}{suffix}"
        n += 1
    return target


# --- selecting ------------------------------------------------------------------------------

_WHERE = {
    "remove": "c.decision = 'remove'",
    "nurture": "c.decision = 'nurture'",
    "keep": "c.decision = 'keep'",
    "undecided": "c.decision IS NULL",
    "all": "1",
}

_ROWS_SQL = """
SELECT c.id, c.first_name, c.last_name, c.url, c.email, c.company, c.position,
  c.connected_on, c.decision, c.decided_at, c.note,
  CASE WHEN r.marked_at IS NOT NULL AND NOT {flagged} THEN r.marked_at END
{joins}
WHERE c.status = 'active' AND {where}
ORDER BY CASE c.decision WHEN 'remove' THEN 0 WHEN 'nurture' THEN 1 WHEN 'keep' THEN 2
  ELSE 3 END, c.name_key, c.url, c.id
"""

_CRITERIA_SQL = """
SELECT k.connection_id, k.criterion, k.value FROM criteria k
JOIN connections c ON c.id = k.connection_id
WHERE c.status = 'active' AND {where}
"""


def select_rows(db: Database, only: str, query: Where | None = None) -> list[ExportRow]:
    """The connections an export lists, in the documented order."""
    where = _WHERE[only]
    params: tuple[object, ...] = ()
    if query is not None:
        where = f"{where} AND {query.sql}"
        params = query.params
    with db.read() as conn:
        answers: dict[int, dict[int, bool | None]] = {}
        for cid, criterion, value in conn.exec_driver_sql(
            _CRITERIA_SQL.format(where=where), params
        ):
            answers.setdefault(int(cid), {})[int(criterion)] = bool(value)
        result = conn.exec_driver_sql(
            _ROWS_SQL.format(flagged=FLAGGED_SQL, joins=REMOVAL_JOINS, where=where), params
        )
        return [
            ExportRow(
                id=int(r[0]),
                first_name=r[1],
                last_name=r[2],
                url=r[3],
                email=r[4],
                company=r[5],
                position=r[6],
                connected_on=r[7],
                decision=r[8],
                decided_at=r[9],
                note=r[10],
                removed_at=r[11],
                criteria={n: answers.get(int(r[0]), {}).get(n) for n in CRITERIA},
            )
            for r in result
        ]


def _groups(rows: list[ExportRow], only: str) -> list[tuple[str | None, list[ExportRow]]]:
    if only != "all":
        return [(None if only == "undecided" else only, rows)]
    return [(d, [r for r in rows if r.decision == d]) for d in GROUP_ORDER]


# --- shared text cleaning -------------------------------------------------------------------

_WHITESPACE = re.compile(r"\s+")
# Unicode category Cc: C0, DEL and C1 (escape sequences start here).


def clean(text: str | None) -> str:
    """One line of text from the data, safe in any format."""
    return one_line(text)


# A profile URL exactly as Connections.csv writes it, without `%`: already what `opened` gives.
_PLAIN_PROFILE = re.compile(r"https://(?:www\.)?linkedin\.com/in/[A-Za-z0-9._~-]+\Z")


def profile_link(url: str | None) -> str | None:
    """The URL as a link target (percent-encoded), or None unless it is a profile under the
    one URL policy (`prune_tui.formats.identity`)."""
    if url and _PLAIN_PROFILE.match(url):
        return url  # the common case, already as safe as it gets
    found = parse_profile_url(url)
    return found.opened if found else None


def _criteria_words(row: ExportRow) -> str:
    parts = []
    for n, question in CRITERIA.items():
        answer = row.criteria.get(n)
        if answer is not None:
            parts.append(f"{question}: {'yes' if answer else 'no'}")
    return "; ".join(parts)


def _role(row: ExportRow) -> str:
    position, company = clean(row.position), clean(row.company)
    if position and company:
        return f"{position} at {company}"
    return position or company


def _progress_line(rows: list[ExportRow]) -> str:
    removals = [r for r in rows if r.decision == Decision.REMOVE.value]
    done = sum(r.ticked for r in removals)
    return f"{done} of {len(removals)} removed"


# --- md -------------------------------------------------------------------------------------

# What Markdown (CommonMark, and the GitHub flavour's strikethrough and bare links) would act on
# in the middle of a line: code, emphasis, strikethrough, link brackets, HTML and autolinks,
# backslashes, entities (`&amp;`), and the dot, colon and at sign that make `example.com`,
# `https://…` or `a@b.example` a link. Commas, full stops and the rest stay as they are
# (`Acme, Inc.`); the text never starts a line, so line-start syntax cannot apply.
_MD_ACTIVE = re.compile(r"[\\`*_\[\]<~]|&(?=#?\w+;)|\.(?=\w)|:(?=/)|(?<=mailto):|@(?=\w)", re.I)


def md_text(text: str | None) -> str:
    """Literal Markdown: only the characters Markdown would act on are backslash-escaped, so
    data cannot open a link, an emphasis, a tag or an autolink, and reads as written."""
    return _MD_ACTIVE.sub(r"\\\g<0>", clean(text))


def write_md(rows: list[ExportRow], out: TextIO, only: str) -> int:
    out.write(f"# {TITLES[only]}\n\n")
    if only in ("remove", "all"):
        out.write(
            f"{_progress_line(rows)}. Open each profile, choose More → Remove connection, "
            "then tick it off here.\n"
        )
    else:
        out.write(f"{len(rows)} {'connection' if len(rows) == 1 else 'connections'}.\n")
    for decision, group in _groups(rows, only):
        if only == "all":
            out.write(f"\n## {SECTION[decision]} ({len(group)})\n")
        out.write("\n")
        for row in group:
            out.write(_md_item(row))
    return len(rows)


# Text that needs md_text's work: spacing to tidy (a field's ends, a double space) or a
# character Markdown acts on. Fields are joined by NUL to be tested in one search.
_MD_BUSY = re.compile(r"(?:\A|\x00)\s|\s(?:\x00|\Z)|\s\s|" + _MD_ACTIVE.pattern, re.I)


def _md_item(row: ExportRow) -> str:
    first, last, position, company, note = (
        row.first_name, row.last_name, row.position, row.company, row.note
    )  # fmt: skip
    if "".join((first, last, position, company, note)).isprintable() and not _MD_BUSY.search(
        f"{first}\x00{last}\x00{position}\x00{company}\x00{note}"
    ):
        # The common row: nothing to clean or escape (the same text md_text would give).
        name = f"{first} {last}".strip() or "(no name)"
        role = f"{position} at {company}" if position and company else position or company
    else:
        name = md_text(row.full_name) or "(no name)"
        role = md_text(_role(row))
        note = md_text(clean(note))
    link = profile_link(row.url)
    head = f"[{name}]({link})" if link else name
    lines = [f"- [{'x' if row.ticked else ' '}] {head} · {role}\n" if role
             else f"- [{'x' if row.ticked else ' '}] {head}\n"]  # fmt: skip
    if not link and clean(row.url):
        lines.append(f"  - profile: {md_text(row.url)}\n")
    if note:
        lines.append(f"  - note: {note}\n")
    if criteria := _criteria_words(row):
        lines.append(f"  - {criteria}\n")  # our own words, nothing from the data
    return "".join(lines)


# --- csv ------------------------------------------------------------------------------------

CSV_COLUMNS = [
    "first_name",
    "last_name",
    "url",
    "email",
    "company",
    "position",
    "connected_on",
    "decision",
    "decided_at",
    "note",
    "removed_at",
    *CRITERIA_KEYS.values(),
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str | None) -> str:
    """A cell a spreadsheet shows as text: a leading `'` stops a formula from running."""
    text = value or ""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


# A cell a spreadsheet would run as a formula, in cells joined by NUL and led by one.
_CSV_FORMULA = re.compile(r"\x00[=+\-@\t\r]")
_ANSWER = {None: "", True: "yes", False: "no"}


def write_csv(rows: list[ExportRow], out: TextIO, only: str) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    write = writer.writerow
    for row in rows:
        answers = [_ANSWER[v] for v in row.criteria.values()]
        cells: list[str | None] = [
            row.first_name,
            row.last_name,
            row.url,
            row.email,
            row.company,
            row.position,
            row.connected_on,
            row.decision,
            row.decided_at,
            row.note,
            row.removed_at,
            *answers,
        ]
        text = [c or "" for c in cells]
        if "".join(text).isprintable() and not _CSV_FORMULA.search("\x00" + "\x00".join(text)):
            write(text)  # the common row: nothing to neutralise or drop
        else:
            write([csv_cell(_no_controls(c)) for c in cells])
    return len(rows)


def _no_controls(text: str | None) -> str:
    """Keep newlines inside a quoted cell; drop other control characters."""
    return keep_lines(text)


# --- html: the checklist page lives in prune_tui/exports_html.py ----------------------------


def write_html(rows: list[ExportRow], out: TextIO, only: str, per_day: int | None = None) -> int:
    from prune_tui.exports_html import write_page

    return write_page(rows, out, only, per_day=per_day)


# --- urls -----------------------------------------------------------------------------------


def write_urls(rows: list[ExportRow], out: TextIO, only: str) -> int:
    count = 0
    for row in rows:
        url = profile_link(row.url)
        if url is None or (only == "remove" and row.ticked):
            continue
        out.write(f"{url}\n")
        count += 1
    return count
