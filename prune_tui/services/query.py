"""The query language (docs/PRODUCT.md §11): one way to say who, wherever a user narrows the list
(find, browse, the order-and-filter dialog, `export --where`, `decide --where`).

    ada "acme corp" connected:<2016 messages:0 -decision:keep invited:them or invited:none

- Free words must each occur in the name, company or position; `"a quoted phrase"` too.
  Case and accents never matter (`jose` finds José): both sides go through `fold()`.
- `key:value` terms (see TERMS and `HELP`); a value with spaces is quoted: `company:"acme corp"`.
  Several values of one term are alternatives: `decision:keep,nurture`.
- `-term` negates a term. Terms combine with AND; `or` between two terms makes them
  alternatives and binds tighter than AND (as in mail search): `company:acme or company:globex
  messages:0` is (acme or globex) and never messaged.
- A query that cannot be read raises `QueryError`, whose message names the term; nothing here
  ever falls back to matching everyone.

`parse()` turns the text into a `Query`; `compile_query()` turns that into a parameterised SQL
condition on `connections c` that stands on its own (evidence, criteria and removals are read
by correlated lookups on their primary keys), so any statement over `connections c` can use it.
"""

from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

# The parsed query and its condition are storage's words (store/conditions.py); the condition
# itself is built in store/query_sql.py. Re-exported: callers speak of the query language.
from prune_tui.store.conditions import CRITERION_KEYS as CRITERION_KEYS
from prune_tui.store.conditions import Context as Context
from prune_tui.store.conditions import Query as Query
from prune_tui.store.conditions import QueryError as QueryError
from prune_tui.store.conditions import Span as Span
from prune_tui.store.conditions import Term as Term
from prune_tui.store.conditions import Where as Where
from prune_tui.store.query_sql import MATCH_EVERYONE as MATCH_EVERYONE
from prune_tui.store.query_sql import compile_query as compile_query
from prune_tui.text.folding import fold

# -- the terms --------------------------------------------------------------------------------

TEXT_KEYS = ("name", "company", "position")
DATE_KEYS = ("connected", "last-message")
CHOICES: dict[str, tuple[str, ...]] = {
    "invited": ("me", "them", "none"),
    "invitation": ("personal", "pitch", "none"),
    "decision": ("keep", "nurture", "remove", "undecided"),
    "status": ("active", "gone"),
    "new": ("yes", "no"),
    "note": ("yes", "no"),
    "removed": ("yes", "no"),
    **dict.fromkeys(CRITERION_KEYS, ("yes", "no", "unanswered")),
}
KEYS = (*TEXT_KEYS, *DATE_KEYS, "messages", *CHOICES)
# Other spellings people type for the same terms.
ALIASES = {
    "last-messaged": "last-message",
    "lastmessage": "last-message",
    "last_message": "last-message",
    "message": "messages",
    "msgs": "messages",
    "title": "position",
    "role": "position",
    "know_what_they_do": "know-what",
    "can_help_them": "can-help",
    "can_help_me": "they-help",
    "would_answer": "answer",
}

# One line per term, for the help screen, the README and `decide --help`.
HELP: tuple[tuple[str, str], ...] = (
    ("ada lovelace", "each word in the name, company or position (case and accents never matter)"),
    ('"acme corp"', "a phrase, as written"),
    ("name: company: position:", 'contains: company:acme, name:"de la"'),
    ("connected:<2016", "before 1 Jan 2016; also >=2020-06, 2012..2014 (both years whole), none"),
    ("messages:0", "never messaged; also >5, 1..3"),
    ("last-message:<2020", "last message before 2020 (dates as for connected:); none"),
    ("invited:them", "who sent the invitation: me, them or none (not known)"),
    ("invitation:pitch", "their note: personal (a note, not a pitch), pitch or none"),
    ("decision:undecided", "keep, nurture, remove or undecided; keep,nurture for either"),
    ("status:gone", "active, or gone (no longer in your latest export)"),
    ("new:yes", "joined in the latest import"),
    ("note:yes  removed:yes", "has a note; ticked off or confirmed as removed"),
    ("spoken:yes", "criterion 1 (yes, no or unanswered); also know-what: (2), can-help: (3),"),
    ("", "they-help: (4), answer: (5)"),
    ("-term", "not: -decision:keep, -acme"),
    ("a or b", "either (binds tighter than the and between terms)"),
)


# -- reading the text -------------------------------------------------------------------------


@dataclass
class _Token:
    text: str  # as typed
    body: str = ""  # without a leading "-"
    negated: bool = False
    key: str | None = None
    value: str = ""
    quoted: bool = False  # the value (or the whole free text) was in quotes


_KEY = re.compile(r"([A-Za-z][A-Za-z_-]*):(.*)", re.DOTALL)


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        parts: list[str] = []
        quoted = False
        while i < n and not text[i].isspace():
            if text[i] == '"':
                end = text.find('"', i + 1)
                if end < 0:
                    raise QueryError(
                        'a quote is not closed; close it (like "acme corp") or leave the quote out',
                        text[start:].strip(),
                    )
                parts.append(text[i + 1 : end])
                quoted = True
                i = end + 1
            else:
                parts.append(text[i])
                i += 1
        tokens.append(_token(text[start:i], parts, quoted))
    return tokens


def _token(raw: str, parts: list[str], quoted: bool) -> _Token:
    token = _Token(raw)
    body = "".join(parts)
    if raw.startswith("-"):
        token.negated = True
        body = body[1:]
    token.body = body
    token.quoted = quoted
    # A key is only ever typed unquoted: `"re:invent"` is text.
    unquoted_head = raw[1:] if token.negated else raw
    found = _KEY.fullmatch(body)
    if found and not unquoted_head.startswith('"'):
        token.key = found.group(1)
        token.value = found.group(2)
    return token


def parse(text: str) -> Query:
    """Read a query. Raises QueryError naming the first term that cannot be read.

    An empty (or blank) text is an empty Query: callers decide what that means (browse shows
    everyone; a bulk decision refuses it)."""
    groups: list[list[Term]] = []
    pending_or = False
    previous = ""
    for token in _tokens(text):
        word = token.text.casefold()
        if not token.quoted and word in ("or", "|", "||"):
            if not groups or pending_or:
                raise QueryError(
                    "“or” needs a term on each side, like invited:me or note:yes",
                    token.text,
                )
            pending_or = True
            previous = token.text
            continue
        if not token.quoted and word in ("and", "&", "&&"):
            continue
        term = _term(token)
        if pending_or:
            groups[-1].append(term)
            pending_or = False
        else:
            groups.append([term])
    if pending_or:
        raise QueryError("“or” needs a term on each side, like invited:me or note:yes", previous)
    return Query(text.strip(), tuple(tuple(g) for g in groups))


def _term(token: _Token) -> Term:
    if token.negated and not token.body:
        raise QueryError("a “-” needs a term right after it, like -decision:keep", token.text)
    if token.key is None:
        needle = fold(token.body)
        if not needle:
            raise QueryError("there is nothing to look for in quotes", token.text)
        return Term("text", needle, token.text, token.negated)
    key = token.key.casefold()
    key = ALIASES.get(key, key)
    if key not in KEYS:
        raise QueryError(_unknown_key(token), token.text)
    value = token.value.strip()
    if not value:
        raise QueryError(f"needs a value, like {_example(key)}", token.text)
    parsed: Any
    if key in TEXT_KEYS:
        parsed = fold(value)
        if not parsed:
            raise QueryError("there is nothing to look for", token.text)
    elif key in DATE_KEYS:
        parsed = _span(token, value)
    elif key == "messages":
        parsed = _count(token, value)
    else:
        parsed = _choices(token, key, value)
    return Term(key, parsed, token.text, token.negated)


def _unknown_key(token: _Token) -> str:
    key = token.key or ""
    close = difflib.get_close_matches(key.casefold(), [*KEYS, *ALIASES], n=1, cutoff=0.6)
    hint = f"; did you mean {ALIASES.get(close[0], close[0])}:?" if close else ""
    return (
        f"there is no term “{key}:”{hint} "
        f'(to look for the text itself, put it in quotes: "{token.body}")'
    )


def _example(key: str) -> str:
    if key in TEXT_KEYS:
        return f"{key}:acme"
    if key in DATE_KEYS:
        return f"{key}:<2016"
    if key == "messages":
        return "messages:0"
    return f"{key}:{CHOICES[key][0]}"


def _choices(token: _Token, key: str, value: str) -> frozenset[str]:
    allowed = CHOICES[key]
    chosen: set[str] = set()
    for part in re.split(r"[,|]", value.casefold()):
        part = part.strip()
        if part in ("undecided", "none") and key == "decision":
            part = "undecided"
        if part not in allowed:
            raise QueryError(f"choose one of {', '.join(allowed)}, not “{part}”", token.text)
        chosen.add(part)
    return frozenset(chosen)


def _count(token: _Token, value: str) -> tuple[int, int | None]:
    def number(text: str) -> int:
        if not text.isdigit() or not text.isascii():
            raise QueryError(
                "takes a whole number, like messages:0, messages:>5 or messages:1..3",
                token.text,
            )
        return int(text)

    if ".." in value:
        low_text, high_text = value.split("..", 1)
        low = number(low_text) if low_text else 0
        high = number(high_text) if high_text else None
        if high is not None and high < low:
            raise QueryError(
                "the range is backwards; write the smaller number first",
                token.text,
            )
        return (low, high)
    op, rest = _operator(value)
    n = number(rest)
    if op == "<":
        if n == 0:
            raise QueryError("nobody has fewer than 0 messages", token.text)
        return (0, n - 1)
    if op == "<=":
        return (0, n)
    if op == ">":
        return (n + 1, None)
    if op == ">=":
        return (n, None)
    return (n, n)


def _operator(value: str) -> tuple[str, str]:
    for op in (">=", "<=", ">", "<", "="):
        if value.startswith(op):
            return op, value[len(op) :].strip()
    return "", value


_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def _period(token: _Token, text: str) -> tuple[date, date]:
    """A year, year-month or date as [first day, day after the last]."""
    found = _DATE.fullmatch(text.strip())
    if not found:
        raise QueryError(
            f"“{text}” is not a date; write a year (2016), a month (2020-06) or a day (2020-06-15)",
            token.text,
        )
    year = int(found.group(1))
    month = int(found.group(2) or 0)
    day = int(found.group(3) or 0)
    try:
        if year < 1 or year > 9998:
            raise ValueError
        if not found.group(2):
            return date(year, 1, 1), date(year + 1, 1, 1)
        if not found.group(3):
            last = calendar.monthrange(year, month)[1]
            first = date(year, month, 1)
            return first, first + timedelta(days=last)
        first = date(year, month, day)
        return first, first + timedelta(days=1)
    except ValueError:
        raise QueryError(f"there is no such date as “{text}”", token.text) from None


def _span(token: _Token, value: str) -> Span:
    if value.casefold() == "none":
        return Span(none=True)
    if ".." in value:
        low_text, high_text = value.split("..", 1)
        if not low_text and not high_text:
            raise QueryError("a range needs at least one end", token.text)
        start = _period(token, low_text)[0] if low_text else None
        end = _period(token, high_text)[1] if high_text else None
        if start is not None and end is not None and end <= start:
            raise QueryError("the range is backwards; write the earlier date first", token.text)
        return Span(_iso(start), _iso(end))
    op, rest = _operator(value)
    first, after = _period(token, rest)
    if op == "<":
        return Span(None, first.isoformat())
    if op == "<=":
        return Span(None, after.isoformat())
    if op == ">":
        return Span(after.isoformat(), None)
    if op == ">=":
        return Span(first.isoformat(), None)
    return Span(first.isoformat(), after.isoformat())


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
