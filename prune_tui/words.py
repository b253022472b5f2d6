"""Counts in plain words: "1 connection", "29,700 connections"."""

from __future__ import annotations


def n(value: int) -> str:
    """A count with thousands separators."""
    return f"{value:,}"


def plural(count: int, one: str, many: str | None = None) -> str:
    """`plural(1, "person", "people")` → "1 person"; `plural(3, "row")` → "3 rows"."""
    return f"{n(count)} {one if count == 1 else (many or one + 's')}"
