"""Every date LinkedIn (and Excel, re-saving its files) has written (docs/PRODUCT.md §4)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

# "dec" → "-12-", and "4" or "04" → "04" for the days every month has.
_MONTH_PARTS = {name: f"-{number:02d}-" for name, number in MONTHS.items()}
_EVERY_MONTH_HAS = {
    **{f"{day:02d}": f"{day:02d}" for day in range(1, 29)},
    **{str(day): f"{day:02d}" for day in range(1, 10)},
}

_SLASHED = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b")
_DOTTED = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})\b")
_DAY_MON_YEAR = re.compile(r"^\s*(\d{1,2})[ \-]([A-Za-z]{3,9})\.?[ \-,]+(\d{2}|\d{4})\b")
_MON_DAY_YEAR = re.compile(r"^\s*([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})\b")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?"
    r"\s*(UTC|Z|[+-]00:?00)?$"
)


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if year < 100 else year


def _make(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def slashed_day_first(values: Iterable[str]) -> bool:
    """Slashed dates are LinkedIn's month-first, unless one of them cannot be: then the whole
    file is day-first (an Excel re-save in a day-first locale)."""
    for value in values:
        m = _SLASHED.match(value)
        if m and int(m.group(1)) > 12:
            return True
    return False


def parse_date(value: str, *, day_first: bool = False) -> str | None:
    """`value` as YYYY-MM-DD, or None when it cannot be read."""
    if not value:
        return None
    parts = value.split(" ")
    if len(parts) == 3 and len(parts[2]) == 4:
        # LinkedIn's own form since 2019, "04 Dec 2025": split, no pattern matching, and a
        # day every month has (1–28) needs no calendar (thousands of distinct dates a file).
        day_text, month_text, year_text = parts
        lowered = month_text.lower()
        day = _EVERY_MONTH_HAS.get(day_text)
        if day and lowered in _MONTH_PARTS and year_text.isdigit() and year_text[0] != "0":
            return year_text + _MONTH_PARTS[lowered] + day
        number = MONTHS.get(lowered)
        if number and day_text.isdigit() and year_text.isdigit():
            return _make(int(year_text), number, int(day_text))
    m = _ISO.match(value)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _SLASHED.match(value)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), _year(m.group(3))
        if day_first:
            return _make(year, b, a)
        # Month-first, as LinkedIn writes them; a value that cannot be is read day-first.
        return _make(year, a, b) or _make(year, b, a)
    m = _DAY_MON_YEAR.match(value)
    if m:
        month = MONTHS.get(m.group(2).lower())
        return _make(_year(m.group(3)), month, int(m.group(1))) if month else None
    m = _DOTTED.match(value)
    if m:
        return _make(_year(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = _MON_DAY_YEAR.match(value)
    if m:
        month = MONTHS.get(m.group(1).lower())
        return _make(int(m.group(3)), month, int(m.group(2))) if month else None
    return None


def parse_timestamp(value: str, *, day_first: bool = False) -> str | None:
    """A date with an optional time, as ISO 8601 (`2024-12-16T18:24:37+00:00` for UTC
    timestamps, `2024-12-15T07:47` for local ones), or None when it cannot be read."""
    text = value.strip()
    if not text:
        return None
    m = _ISO_TIME.match(text)
    if m:
        day = _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if day is None:
            return None
        stamp = f"{day}T{int(m.group(4)):02d}:{m.group(5)}:{m.group(6) or '00'}"
        return stamp + "+00:00" if m.group(7) else stamp
    day = parse_date(text, day_first=day_first)
    if day is None:
        return None
    t = re.search(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?\s*$", text)
    if not t:
        return day
    hour = int(t.group(1))
    if t.group(4):
        pm = t.group(4).lower() == "pm"
        hour = hour % 12 + (12 if pm else 0)
    if hour > 23:
        return day
    return f"{day}T{hour:02d}:{t.group(2)}:{t.group(3) or '00'}"
