"""Text from the user's data, made safe to show: never markup, never terminal control."""

from __future__ import annotations

import re

from textual.content import Content

# C0/C1 controls (escape sequences start here) and the bidi embedding/override/isolate marks,
# which could reorder the rest of a line. Joiners inside emoji are left alone.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile("[\t\n\r\u2028\u2029\x0b\x0c]+")


def safe_line(text: str | None) -> str:
    """One line of data text: control characters dropped, line breaks folded to spaces."""
    if not text:
        return ""
    return _CONTROL.sub("", _BREAKS.sub(" ", text)).strip()


def safe_block(text: str | None) -> str:
    """Several lines of data text (a note, a message): newlines kept, other controls dropped."""
    if not text:
        return ""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    "))


def data(text: str | None, style: str = "") -> Content:
    """Data as literal content: `[bold]` stays `[bold]`."""
    return Content.styled(safe_line(text), style)
