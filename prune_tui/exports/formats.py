"""Exports (docs/PRODUCT.md §7): md / csv / html / json / urls, each with its own escaping.

Which connections: `--only remove|nurture|keep` selects that decision, `undecided` those not
decided yet, `all` everyone. The md, csv, html and urls exports list the people you are still
connected to (status active); the json export is the full backup (see `services.backup`) and
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
  text is HTML-escaped. See prune_tui/exports/html.py.
- urls: one profile URL per line, the same people as the other formats, except that
  `--only remove` (the to-do list) leaves out removals already ticked off: a plain list of
  addresses has no tick box to show them with. Only https LinkedIn addresses are written
  (percent-encoded where needed); people without one are left out.
- json: the backup format of docs/PRODUCT.md §3.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Final, TextIO

from prune_tui.atomic import write_atomically
from prune_tui.errors import UserError
from prune_tui.formats.identity import profile_link
from prune_tui.model import CRITERIA, CRITERIA_KEYS, Decision
from prune_tui.store.database import Database
from prune_tui.store.exports import checklist_rows, full_rows, profile_urls
from prune_tui.text.choices import EXPORT_FORMATS, EXPORT_ONLY
from prune_tui.text.plain import keep_lines, one_line

if TYPE_CHECKING:
    from prune_tui.store.conditions import Where

FORMATS = EXPORT_FORMATS
ONLY = EXPORT_ONLY
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
        from prune_tui.services.backup import export_json

        return export_json(db, out, only=only, where=where)
    if fmt == "html":  # today's share follows the daily pace chosen in the app
        from prune_tui.exports.html import write_page
        from prune_tui.services.removals import per_day

        return write_page(select_checklist_items(db, only, where), out, only, per_day=per_day(db))
    if fmt == "md":  # the columns a checklist shows, as plain tuples
        return _write_md_items(select_checklist_items(db, only, where), out, only)
    if fmt == "urls":  # the addresses alone, streamed
        return _write_links(select_urls(db, only, where), out)
    if fmt != "csv":
        raise UserError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return write_csv(select_rows(db, only, where), out, only)


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


# --- selecting (the SQL is in prune_tui/store/exports.py) ----------------------------------


def select_rows(db: Database, only: str, query: Where | None = None) -> list[ExportRow]:
    """The connections an export lists, in the documented order."""
    rows, answers = full_rows(db, only, query)
    result = []
    for cid, first, last, url, email, company, position, on, decision, at, note, ticked in rows:
        given = answers.get(cid)
        criteria = {n: given.get(n) for n in CRITERIA} if given is not None else dict(_NO_ANSWERS)
        result.append(
            ExportRow(
                cid,
                first,
                last,
                url,
                email,
                company,
                position,
                on,
                decision,
                at,
                note,
                ticked,
                criteria,
            )
        )
    return result


_NO_ANSWERS: dict[int, bool | None] = dict.fromkeys(CRITERIA)


def select_urls(db: Database, only: str, query: Where | None = None) -> Iterator[str]:
    """The profile URLs as stored of the people the urls export lists (the rows of
    `select_rows`, in its order; for `--only remove` without the removals ticked off)."""
    return profile_urls(db, only, query)


# What a checklist item (md or html) shows: decision, first name, last name, position,
# company, note, URL, connected on, ticked off (0 or 1), the criteria in words.
ChecklistItem = tuple[str | None, str, str, str, str, str, str, str | None, int, str]
# Where these are in a ChecklistItem.
DECISION: Final = 0
TICKED: Final = 8


def select_checklist_items(
    db: Database, only: str, query: Where | None = None
) -> list[ChecklistItem]:
    """The md and html exports' rows (those of `select_rows`, in its order), only the columns
    they show."""
    rows, answers = checklist_rows(db, only, query)
    words = {cid: _answer_words(given) for cid, given in answers.items()}
    return [(*r[1:], words.get(r[0], "")) for r in rows]


def _answer_words(answers: dict[int, bool]) -> str:
    return "; ".join(
        f"{question}: {'yes' if answers[n] else 'no'}"
        for n, question in CRITERIA.items()
        if n in answers
    )


def _groups(rows: list[ExportRow], only: str) -> list[tuple[str | None, list[ExportRow]]]:
    if only != "all":
        return [(None if only == "undecided" else only, rows)]
    return [(d, [r for r in rows if r.decision == d]) for d in GROUP_ORDER]


# --- shared text cleaning -------------------------------------------------------------------


def clean(text: str | None) -> str:
    """One line of text from the data, safe in any format."""
    return one_line(text)


def _criteria_words(row: ExportRow) -> str:
    answers = list(row.criteria.values())
    if answers.count(None) == len(answers):
        return ""  # the common row: nothing answered
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
    return _write_md_items([checklist_item(r) for r in rows], out, only)


def checklist_item(row: ExportRow) -> ChecklistItem:
    """What a checklist (md or html) shows of a full row."""
    return (
        row.decision,
        row.first_name,
        row.last_name,
        row.position,
        row.company,
        row.note,
        row.url,
        row.connected_on,
        row.ticked,
        _criteria_words(row),
    )


def _write_md_items(items: list[ChecklistItem], out: TextIO, only: str) -> int:
    out.write(f"# {TITLES[only]}\n\n")
    if only in ("remove", "all"):
        removals = [item[TICKED] for item in items if item[DECISION] == Decision.REMOVE.value]
        out.write(
            f"{sum(removals)} of {len(removals)} removed. Open each profile, choose More → "
            "Remove connection, then tick it off here.\n"
        )
    else:
        out.write(f"{len(items)} {'connection' if len(items) == 1 else 'connections'}.\n")
    groups = (
        [(d, [i for i in items if i[DECISION] == d]) for d in GROUP_ORDER]
        if only == "all"
        else [(None, items)]
    )
    for decision, group in groups:
        if only == "all":
            out.write(f"\n## {SECTION[decision]} ({len(group)})\n")
        out.write("\n")
        out.write("".join([_md_item(*item[1:]) for item in group]))
    return len(items)


# Text that may need md_text's work: a character Markdown may act on (any the escapes above
# start with: a plain class, searched much faster than _MD_ACTIVE's alternatives). Spacing to
# tidy (a field's ends, a double space) is looked for in the fields joined by NUL.
_MD_BUSY = re.compile(r"[\\`*_\[\]<~&.:@]")


def _md_item(
    first: str,
    last: str,
    position: str,
    company: str,
    note: str,
    url: str,
    _connected_on: str | None,
    ticked: object,
    criteria: str,
) -> str:
    joined = f"\x00{first}\x00{last}\x00{position}\x00{company}\x00{note}\x00"
    if (
        "".join((first, last, position, company, note)).isprintable()
        and "  " not in joined
        and "\x00 " not in joined
        and " \x00" not in joined
        and not _MD_BUSY.search(joined)
    ):
        # The common row: nothing to clean or escape (the same text md_text would give).
        name = f"{first} {last}".strip() or "(no name)"
        role = f"{position} at {company}" if position and company else position or company
    else:
        name = md_text(f"{first} {last}".strip()) or "(no name)"
        cleaned_position, cleaned_company = clean(position), clean(company)
        role = md_text(
            f"{cleaned_position} at {cleaned_company}"
            if cleaned_position and cleaned_company
            else cleaned_position or cleaned_company
        )
        note = md_text(clean(note))
    box = "- [x] " if ticked else "- [ ] "
    link = profile_link(url)
    head = f"{box}[{name}]({link})" if link else box + name
    text = f"{head} · {role}\n" if role else head + "\n"
    if not link and clean(url):
        text += f"  - profile: {md_text(url)}\n"
    if note:
        text += f"  - note: {note}\n"
    if criteria:
        text += f"  - {criteria}\n"  # our own words, nothing from the data
    return text


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


# --- html: the checklist page lives in prune_tui/exports/html.py ----------------------------


def write_html(rows: list[ExportRow], out: TextIO, only: str, per_day: int | None = None) -> int:
    from prune_tui.exports.html import write_page

    return write_page([checklist_item(r) for r in rows], out, only, per_day=per_day)


# --- urls -----------------------------------------------------------------------------------


def write_urls(rows: list[ExportRow], out: TextIO, only: str) -> int:
    return _write_links((row.url for row in rows if not (only == "remove" and row.ticked)), out)


def _write_links(urls: Iterable[str], out: TextIO) -> int:
    """One line per profile link under the URL policy; anything else is left out."""
    lines = [f"{link}\n" for link in map(profile_link, urls) if link is not None]
    out.write("".join(lines))
    return len(lines)
