"""Text from the user's data, made safe to show: never markup, never terminal control, never
an invisible mark. The sanitising is `prune_tui.plaintext`'s (one filter for the whole
program); here it becomes Textual `Content`."""

from __future__ import annotations

from textual.content import Content

from prune_tui.plaintext import one_line, screen_lines


def safe_line(text: str | None) -> str:
    """One line of data text: hidden characters dropped, line breaks and runs of spaces one
    space (`plaintext.one_line`)."""
    return one_line(text)


def safe_block(text: str | None) -> str:
    """Several lines of data text (a note, a message): newlines kept, other hidden characters
    dropped (`plaintext.screen_lines`)."""
    return screen_lines(text)


def data(text: str | None, style: str = "") -> Content:
    """Data as literal content: `[bold]` stays `[bold]`."""
    return Content.styled(one_line(text), style)
