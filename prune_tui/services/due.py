"""`prune-tui due`: who to reach out to now, and when the others fall due (docs/PRODUCT.md §12).

Three forms of one list (everyone kept or nurtured with a cadence, sorted by due day):
- words (the default), for a person at a terminal;
- `--json`: a list of objects with `url`, `first_name`, `last_name`, `decision`,
  `cadence_days`, `last_contact_at` (ISO 8601 or null) and `due_on` (YYYY-MM-DD);
- `--format ics`: an iCalendar file (RFC 5545) with one all-day event per person on the day
  they fall due (today for anyone overdue), so the user's own calendar reminds them. Each
  event's UID comes from the person's identity, so importing a newer file updates the events
  instead of adding them again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from prune_tui.atomic import write_atomically
from prune_tui.formats.identity import profile_link
from prune_tui.services.nurture import Person, cadence_label, day_words, due_words, local_day
from prune_tui.text.choices import DUE_FORMATS
from prune_tui.text.plain import one_line
from prune_tui.text.words import plural

FORMATS = DUE_FORMATS
PRODID = "-//prune-tui//reach out//EN"
UID_DOMAIN = "prune-tui"


def sort_key(person: Person, today: date) -> tuple[date, str, int]:
    return (person.due_on(today) or today, person.full_name.casefold(), person.id)


def due_objects(people: Iterable[Person], today: date) -> list[dict[str, Any]]:
    """The `--json` list, sorted by `due_on` (then name)."""
    ordered = sorted(people, key=lambda p: sort_key(p, today))
    out = []
    for p in ordered:
        due = p.due_on(today)
        out.append(
            {
                "url": p.url,
                "first_name": p.first_name,
                "last_name": p.last_name,
                "decision": p.decision.value if p.decision else None,
                "cadence_days": p.cadence_days,
                "last_contact_at": p.last_contact_at,
                "due_on": due.isoformat() if due else None,
            }
        )
    return out


def due_text(people: Iterable[Person], today: date) -> str:
    """Who is due now, then when the others fall due, in plain words."""
    ordered = sorted(people, key=lambda p: sort_key(p, today))
    if not ordered:
        return (
            "No one has a cadence yet. People you nurture are due every quarter; on a card, "
            "press d to choose how often to be in touch."
        )
    now = [p for p in ordered if p.is_due(today)]
    later = [p for p in ordered if not p.is_due(today)]
    lines: list[str] = []
    if now:
        lines.append(f"{plural(len(now), 'person', 'people')} to reach out to:")
        for p in now:
            lines.append("  " + _line(p, today))
    else:
        lines.append("No one to reach out to today.")
    if later:
        lines.append("")
        lines.append("Coming up:")
        for p in later:
            due = p.due_on(today)
            assert due is not None
            lines.append(f"  {day_words(due)}  {_line(p, today)}")
    return "\n".join(lines)


def _line(p: Person, today: date) -> str:
    parts = [one_line(p.full_name) or "(no name)"]
    if p.what_they_do:
        parts.append(one_line(p.what_they_do, 60))
    parts.append(_contact_words(p, today))
    return " · ".join(parts)


def _contact_words(p: Person, today: date) -> str:
    last = p.last_contact_at
    due = p.due_on(today)
    contact = f"last contact {day_words(local_day(last))}" if last else "never in touch"
    return f"{contact} · {due_words(due, today)}" if due else contact


# -- iCalendar (RFC 5545) ---------------------------------------------------------------------


def ics_text(value: str) -> str:
    """A TEXT value escaped (RFC 5545 §3.3.11): backslash, `;`, `,` and line breaks; control
    characters from the data dropped."""
    lines = (one_line(part) for part in value.replace("\r\n", "\n").split("\n"))
    clean = "\n".join(line for line in lines if line)
    return clean.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded to 75 octets (RFC 5545 §3.1): CRLF and a space before each
    continuation, never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    parts: list[str] = []
    start = 0
    limit = 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1  # back to the start of a character
        parts.append(data[start:end].decode("utf-8"))
        start = end
        limit = 74  # continuation lines begin with one space
    return "\r\n ".join(parts) + "\r\n"


def uid_for(person: Person) -> str:
    """Stable across exports and re-imports: from the person's identity (profile slug)."""
    digest = hashlib.sha256(person.key.encode("utf-8")).hexdigest()[:32]
    return f"{digest}@{UID_DOMAIN}"


def write_ics(people: Iterable[Person], today: date, now: datetime) -> str:
    """The whole calendar, CRLF line endings."""
    stamp = now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:prune-tui: reach out",
    ]
    for p in sorted(people, key=lambda q: sort_key(q, today)):
        due = p.due_on(today)
        if due is None:
            continue
        day = max(due, today)
        name = one_line(p.full_name) or "someone"
        details = [p.what_they_do] if p.what_they_do else []
        details.append(f"{cadence_label(p.cadence_days)}; {_contact_words(p, today)}")
        if p.last_touch and p.last_touch.note:
            details.append(f"last touch: {p.last_touch.note}")
        link = profile_link(p.url)
        if link:
            details.append(link)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid_for(p)}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(day + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{ics_text(f'Reach out to {name}')}",
            # One line of the description per detail: a line break inside the data is a space.
            f"DESCRIPTION:{ics_text(chr(10).join(one_line(d) for d in details))}",
            "TRANSP:TRANSPARENT",
        ]
        if link:
            lines.append(f"URL;VALUE=URI:{link}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)


def render(fmt: str, people: list[Person], today: date, now: datetime) -> str:
    if fmt == "json":
        return json.dumps(due_objects(people, today), ensure_ascii=False, indent=1) + "\n"
    if fmt == "ics":
        return write_ics(people, today, now)
    return due_text(people, today) + "\n"


def run_due(args: Any, db_path: Path) -> int:
    """The `due` command: words, `--json` or `--format ics`, to stdout or `-o FILE`."""
    import sys

    from prune_tui.errors import UserError
    from prune_tui.services.nurture import Nurture
    from prune_tui.services.review import Review
    from prune_tui.store import open_database

    fmt = args.format or ("json" if args.json else "text")
    if args.json and fmt != "json":
        raise UserError(f"--json and --format {fmt} ask for two different things; choose one")
    target = Path(args.output).expanduser() if args.output else None
    if target is not None and target.is_dir():
        raise UserError(f"{target} is a directory; give a file name with -o")
    db = open_database(db_path, create=False)
    try:
        review = Review(db)
        nurture = Nurture(review)
        people = nurture.people()
        today, now = nurture.today(), review.now()
    finally:
        db.close()
    text = render(fmt, people, today, now)
    if target is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    write_atomically(target, lambda out: out.write(text))
    print(f"Wrote {plural(len(people), 'person', 'people')} to {target}", file=sys.stderr)
    return 0
