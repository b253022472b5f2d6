"""The review queue's words: order and filter labels, the queue's one-line description, what
undo says it took back, and how long ago a connection was made. Keyed by the stored values
("oldest", "undecided", "decision"…), so this module needs none of the services' types."""

from __future__ import annotations

from datetime import date

# Order.value -> label (prune_tui.services.review.Order).
ORDER_WORDS: dict[str, str] = {
    "oldest": "oldest connection first",
    "newest": "newest connection first",
    "never-messaged": "never messaged first",
    "company": "by company",
    "name": "by name, A–Z",
}

# Filter.value -> label (prune_tui.services.review.Filter).
FILTER_WORDS: dict[str, str] = {
    "undecided": "still to decide",
    "keep": "kept",
    "nurture": "to nurture",
    "remove": "to remove",
    "new": "new since the last import",
    "gone": "no longer connected",
    "all": "everyone",
}

# Undo's words for the nurture changes (prune_tui.services.nurture).
NURTURE_UNDONE = {
    "cadence": "the cadence change",
    "snooze": "the snooze",
    "touch": "the touch logged",
}


def describe_queue(filter_label: str, order_label: str, search: str) -> str:
    """ "still to decide, oldest connection first, matching “acme”"."""
    text = f"{filter_label}, {order_label}"
    if search:
        text += f", matching “{search}”"
    return text


def undo_sentence(
    field: str, name: str, *, new: str | None, superseded: bool, now: str | None
) -> str:
    """What undo says it did for one change of `field` ("decision", "note", "criterion:2"…);
    `new` is the value taken back, `now` the value another window left when `superseded`."""
    if superseded:
        what = "decision" if field == "decision" else "change"
        now_text = f" (now: {now})" if field == "decision" and now else ""
        return (
            f"Not undone: the {what} for {name} was changed in another window since{now_text}. "
            "Press u again for the change before."
        )
    return f"Undid {undone_change(field, name, new=new)}"


def undone_change(field: str, name: str, *, new: str | None) -> str:
    """Which change to `field` undo took back, in words ("“nurture” for Ann Lee", "the note
    change for Ann Lee"…); `new` is the value taken back. The app and `prune-tui undo` say it
    alike."""
    if field == "decision":
        return f"“{new or 'undecided'}” for {name}"
    if field == "note":
        return f"the note change for {name}"
    if field == "removed":
        return f"the removal tick for {name}"
    if field.startswith("criterion:"):
        return f"criterion {field.split(':', 1)[1]} for {name}"
    if field in NURTURE_UNDONE:
        return f"{NURTURE_UNDONE[field]} for {name}"
    return f"a change for {name}"


def capitalised(text: str) -> str:
    """The first letter upper case, the rest as it is ("took back…" -> "Took back…")."""
    return text[0].upper() + text[1:] if text else text


def age(connected_on: str | None, today: date) -> str:
    """ "9 years", "3 months", "12 days": how long ago a connection was made."""
    if not connected_on:
        return ""
    try:
        then = date.fromisoformat(connected_on)
    except ValueError:
        return ""
    days = (today - then).days
    if days < 0:
        return ""
    months = (today.year - then.year) * 12 + today.month - then.month
    if today.day < then.day:
        months -= 1
    if months >= 12:
        years = months // 12
        return f"{years} year{'s' if years != 1 else ''}"
    if months >= 1:
        return f"{months} month{'s' if months != 1 else ''}"
    if days == 0:
        return "today"
    return f"{days} day{'s' if days != 1 else ''}"
