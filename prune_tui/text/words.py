"""Counts in plain words: "1 connection", "29,700 connections"."""

from __future__ import annotations


def n(value: int) -> str:
    """A count with thousands separators."""
    return f"{value:,}"


def rate(value: float) -> str:
    """A rate to one decimal place, with thousands separators and no needless ".0":
    10000.0 → "10,000", 2.5 → "2.5", 1234567.25 → "1,234,567.2"."""
    text = f"{value:,.1f}"
    return text.removesuffix(".0")


def plural(count: int, one: str, many: str | None = None) -> str:
    """`plural(1, "person", "people")` → "1 person"; `plural(3, "row")` → "3 rows"."""
    return f"{n(count)} {one if count == 1 else (many or one + 's')}"


def duration(minutes: float) -> str:
    """How long, roughly: "under a minute", "about 12 min", "about 3 h", "about 4 days"."""
    if minutes < 1:
        return "under a minute"
    if minutes < 90:
        return f"about {round(minutes)} min"
    hours = minutes / 60
    return f"about {hours:.0f} h" if hours < 48 else f"about {hours / 24:.0f} days"


# The decisions in words, one table each, keyed by `Decision.value` (None: undecided). The app
# adds its colours (`tui.text.DECISION_LOOKS`); `bulk` and the confirm dialog ask with the verbs.
DECISION_LABELS: dict[str | None, str] = {
    "keep": "keep",
    "nurture": "nurture",
    "remove": "remove",
    None: "undecided",
}
# "Remove 1,234 people matching …?", the buttons under the card ("Keep  k").
DECISION_VERBS: dict[str | None, str] = {
    "keep": "Keep",
    "nurture": "Nurture",
    "remove": "Remove",
    None: "Make undecided",
}
