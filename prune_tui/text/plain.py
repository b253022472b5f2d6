"""The one text sanitiser: text from the data (and file names in messages), made safe to show
on a terminal, a page or in a file. Every place that shows such text goes through here: the
app (`prune_tui.tui.safe`), the exports, `prune-tui stats` and the command line's messages.
`HIDDEN` is the one control-character filter of the program (tests/test_plaintext.py keeps any
other from appearing).

Dropped: C0 and C1 controls (escape sequences start with them) but the line breaks and tab,
which become spaces where one line is wanted; DEL; the bidi embeddings, overrides and isolates
and the marks U+200E, U+200F and U+061C (which could reorder the rest of a line); the invisible
U+200B (zero-width space), U+200C (non-joiner), U+2060–U+2064 and U+FEFF; lone surrogates (from
bytes that were not text). The zero-width joiner stays only between two pictographs, where it
joins an emoji sequence (👩‍💻); anywhere else it is dropped too. Right-to-left text itself stays.
"""

from __future__ import annotations

import re

_PICTOGRAPH = "\u2600-\u27bf\U0001f000-\U0001faff"
_HIDDEN_CHARS = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b\u200c\u200e\u200f"
    "\u202a-\u202e\u2060-\u2069\ufeff\ud800-\udfff"
)
# What never reaches the screen: the characters above, and a joiner outside an emoji sequence.
HIDDEN = re.compile(f"[{_HIDDEN_CHARS}]|\u200d(?![{_PICTOGRAPH}])|(?<![{_PICTOGRAPH}\ufe0f])\u200d")
_BREAKS = re.compile("[\t\n\r\u2028\u2029\x0b\x0c\x85]+")
_SPACES = re.compile(r"\s+")


def escaped(text: str) -> str:
    """For a message that names a file or quotes the data: every hidden character shown as
    an escape (`\\u202e`), so the user sees it is there and the terminal never acts on it."""
    return HIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def one_line(text: str | None, width: int | None = None) -> str:
    """One line: controls dropped, every run of whitespace (line breaks too) one space, and
    cut to `width` characters with an ellipsis."""
    if not text:
        return ""
    line = _SPACES.sub(" ", HIDDEN.sub("", _BREAKS.sub(" ", text))).strip()
    if width is not None and len(line) > width:
        line = line[: max(width - 1, 0)].rstrip() + "…"
    return line


def escaped_line(text: str) -> str:
    """One line for a message that quotes the data: every run of whitespace (line breaks too)
    one space, every other hidden character shown as an escape."""
    return escaped(_SPACES.sub(" ", text).strip())


def keep_lines(text: str | None) -> str:
    """Several lines (a note, a CSV cell): controls dropped, but line breaks and tabs kept as
    they are (a CSV writer quotes them; a widget lays them out)."""
    if not text:
        return ""
    return HIDDEN.sub("", text)


def screen_lines(text: str | None) -> str:
    """Several lines for a terminal (a note, a message): line endings made `\n`, a tab four
    spaces, every other hidden character dropped."""
    if not text:
        return ""
    return HIDDEN.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    "))


def fit_cells(text: str | None, width: int) -> str:
    """One line exactly `width` terminal cells wide: cut with an ellipsis, or padded with spaces.
    Cells, not characters: an emoji or a CJK character takes two, so columns stay aligned."""
    from rich.cells import cell_len, set_cell_size

    line = one_line(text)
    if cell_len(line) > width:
        line = set_cell_size(line, max(width - 1, 0)) + "…"
    return set_cell_size(line, width)
