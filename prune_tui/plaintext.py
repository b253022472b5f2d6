"""Text from the data, made safe to show: control characters (escape sequences start with
them) and the bidi embedding/override/isolate marks (which could reorder the rest of a line)
never reach a terminal, a page or a file. Joiners inside emoji and ordinary right-to-left text
are left alone. Used by the app, the exports and `prune-tui stats`."""

from __future__ import annotations

import re

# C0 and C1 controls but the line breaks and tab, DEL, and the bidi controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile("[\t\n\r\u2028\u2029\x0b\x0c\x85]+")
_SPACES = re.compile(r"\s+")


def one_line(text: str | None, width: int | None = None) -> str:
    """One line: controls dropped, every run of whitespace (line breaks too) one space, and
    cut to `width` characters with an ellipsis."""
    if not text:
        return ""
    line = _SPACES.sub(" ", _CONTROL.sub("", _BREAKS.sub(" ", text))).strip()
    if width is not None and len(line) > width:
        line = line[: max(width - 1, 0)].rstrip() + "…"
    return line


def keep_lines(text: str | None) -> str:
    """Several lines (a note, a CSV cell): controls dropped, but line breaks and tabs kept as
    they are (a CSV writer quotes them; a widget lays them out)."""
    if not text:
        return ""
    return _CONTROL.sub("", text)


def fit_cells(text: str | None, width: int) -> str:
    """One line exactly `width` terminal cells wide: cut with an ellipsis, or padded with spaces.
    Cells, not characters: an emoji or a CJK character takes two, so columns stay aligned."""
    from rich.cells import cell_len, set_cell_size

    line = one_line(text)
    if cell_len(line) > width:
        line = set_cell_size(line, max(width - 1, 0)) + "…"
    return set_cell_size(line, width)
