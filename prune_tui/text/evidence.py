"""Evidence in words, for the card and the browse view: one line per kind of evidence, plain
text (already free of control characters; show it as data, never as markup)."""

from __future__ import annotations

from datetime import date

from prune_tui.model import Evidence, day_of
from prune_tui.text.plain import one_line

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
NOTE_WIDTH = 90


def when(stamp: str | None, today: date) -> str | None:
    """ "today", "yesterday", "12 days ago" within a month, else "Mar 2024"."""
    day = day_of(stamp)
    if day is None:
        return None
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if 1 < days < 30:
        return f"{days} days ago"
    return f"{MONTHS[day.month - 1]} {day.year}"


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


BY_NAME = "matched by name only"


def describe_messages(ev: Evidence, today: date) -> str | None:
    if ev.message_count <= 0:
        return "Never messaged" if ev.messages_known else None
    n = ev.message_count
    parts = [f"{n} message" if n == 1 else f"{n:,} messages"]
    last = when(ev.last_message_at, today)
    if last:
        parts.append(f"last {last}")
    if ev.last_message_from == "them":
        parts.append("they wrote last")
    elif ev.last_message_from == "me":
        parts.append("you wrote last")
    if "messages" in ev.by_name:
        parts.append(BY_NAME)
    return " · ".join(parts)


def describe_invitation(ev: Evidence, note_width: int | None = NOTE_WIDTH) -> str | None:
    """Who invited whom, with their note cut to `note_width` (None: the whole note)."""
    if ev.invited_by == "them":
        lead = "They invited you"
    elif ev.invited_by == "me":
        lead = "You invited them"
    else:
        return None
    if "invitation" in ev.by_name:
        lead = f"{lead} ({BY_NAME})"
    note = one_line(ev.invitation_message or "", note_width)
    return f"{lead}: '{note}'" if note else f"{lead} (no note)"


def describe_endorsements(ev: Evidence) -> str | None:
    parts = []
    if ev.recommendations_received:
        parts.append("recommended you")
    if ev.recommendations_given:
        parts.append("you recommended them")
    if ev.endorsements_received:
        parts.append(f"endorsed you {_times(ev.endorsements_received)}")
    if ev.endorsements_given:
        parts.append(f"you endorsed them {_times(ev.endorsements_given)}")
    if not parts:
        return None
    if ev.by_name & {
        "endorsements_given",
        "endorsements_received",
        "recommendations_given",
        "recommendations_received",
    }:
        parts.append(BY_NAME)
    line = " · ".join(parts)
    return line[0].upper() + line[1:]


def describe_evidence(ev: Evidence | None, today: date) -> list[str]:
    """The card's evidence lines, for example::

        23 messages · last Mar 2024 · they wrote last
        They invited you: 'Great meeting you at the summit!'
        Recommended you · endorsed you 3 times

    Empty when nothing is known. Lines with nothing to say are left out."""
    if ev is None:
        return []
    lines = (describe_messages(ev, today), describe_invitation(ev), describe_endorsements(ev))
    return [line for line in lines if line]
