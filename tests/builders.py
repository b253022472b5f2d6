"""Connections.csv files of every generation LinkedIn (and Excel) has produced, written from the
facts in docs/PRODUCT.md §4, for tests."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are '
    "missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more about this here: "
    'https://www.linkedin.com/help/linkedin/answer/261"\n'
    "\n"
)
OLD_HEADER = ["First Name", "Last Name", "Email Address", "Company", "Position", "Connected On"]
NEW_HEADER = [
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

GENERATIONS = (
    "2016",  # no preamble, no URL, "1/8/18, 6:14 PM"
    "2019",  # no preamble, no URL, "07 Mar 2020"
    "2021",  # preamble, no URL
    "2023",  # preamble, URL, "04 Dec 2025"
    "2026",  # like 2023, every field quoted
    "excel-bom",  # UTF-8 with BOM, CRLF
    "excel-semicolon",  # cp1252, ';', CRLF, "16.09.2021", header "Connected on"
    "excel-dayfirst",  # slashed dates day-first ("13/02/2021")
    "excel-monyy",  # "06-May-22"
)


@dataclass
class Person:
    first: str
    last: str
    slug: str = ""
    email: str = ""
    company: str = ""
    position: str = ""
    connected: date | None = date(2020, 3, 7)

    @property
    def url(self) -> str:
        return f"https://www.linkedin.com/in/{self.slug}" if self.slug else ""


def has_urls(generation: str) -> bool:
    return generation not in ("2016", "2019", "2021")


def format_date(d: date, generation: str) -> str:
    if generation == "2016":
        return f"{d.month}/{d.day}/{d.year % 100:02d}, 6:14 PM"
    if generation == "excel-semicolon":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if generation == "excel-dayfirst":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if generation == "excel-monyy":
        return f"{d.day:02d}-{MONTHS[d.month - 1]}-{d.year % 100:02d}"
    return f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}"


def connections_csv(people: list[Person], generation: str = "2023", hidden: int = 0) -> bytes:
    """The file's bytes. `hidden` date-only rows (closed accounts) are added at the end."""
    urls = has_urls(generation)
    header = list(NEW_HEADER if urls else OLD_HEADER)
    delimiter = ";" if generation == "excel-semicolon" else ","
    if generation == "excel-semicolon":
        header[-1] = "Connected on"
    quoting = csv.QUOTE_ALL if generation == "2026" else csv.QUOTE_MINIMAL
    newline = "\r\n" if generation.startswith("excel") else "\n"
    buf = io.StringIO()
    if generation in ("2021", "2023", "2026", "excel-bom"):
        buf.write(PREAMBLE.replace("\n", newline))
    writer = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator=newline)
    writer.writerow(header)
    for p in people:
        when = format_date(p.connected, generation) if p.connected else ""
        cells = [p.first, p.last, p.email, p.company, p.position, when]
        if urls:
            cells.insert(2, p.url.replace("é", "%C3%A9"))
        writer.writerow(cells)
    for _ in range(hidden):
        writer.writerow([""] * (len(header) - 1) + [format_date(date(2021, 5, 4), generation)])
    text = buf.getvalue()
    if generation == "excel-semicolon":
        return text.encode("cp1252", errors="replace")
    if generation == "excel-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode("utf-8")


def write_connections(
    folder: Path,
    people: list[Person],
    generation: str = "2023",
    hidden: int = 0,
    name: str = "Connections.csv",
) -> Path:
    path = folder / name
    path.write_bytes(connections_csv(people, generation, hidden))
    return path


HOSTILE = [
    Person("[bold]Markup[/bold]", "[link=https://evil]x[/link]", "markup-person", company="=1+2"),
    Person('=HYPERLINK("http://evil")', "Formula", "formula-person", position="+cmd|' /C calc'!A0"),
    Person("Zoë 🌱", "Berg, PhD", "zoe-berg", company="Acme, Inc", position='The "best"'),
    Person("محمد", "العربي", "mohammed-rtl", company="شركة"),
    Person("Linnéa", "Ström", "linnéa-ström", email="linnea@example.com"),
    Person("Esc\x1b[31mape", "Ctrl\x07Bell", "control-chars"),
    Person("A" * 300, "Long", "very-long-name", company="C" * 500),
    Person("<script>alert(1)</script>", "](javascript:alert(1))", "script-person"),
]
