"""Text from the user's data, made safe to show: never markup, never terminal control, never
an invisible mark (one sanitiser for the whole program: `prune_tui.plaintext`)."""

from __future__ import annotations

import re

from textual.content import Content

from prune_tui.plaintext import HIDDEN

_BREAKS = re.compile("[\t\n\r\u2028\u2029\x0b\x0c\x85]+")


def safe_line(text: str | None) -> str:
    """One line of data text: hidden characters dropped (see `prune_tui.plaintext`), line
    breaks folded to spaces."""
    if not text:
        return ""
    return HIDDEN.sub("", _BREAKS.sub(" ", text)).strip()


def safe_block(text: str | None) -> str:
    """Several lines of data text (a note, a message): newlines kept, other hidden characters
    dropped."""
    if not text:
        return ""
    return HIDDEN.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    "))


def data(text: str | None, style: str = "") -> Content:
    """Data as literal content: `[bold]` stays `[bold]`."""
    return Content.styled(safe_line(text), style)
