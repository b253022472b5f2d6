"""Text from the data never carries a control character or a bidi override to the screen."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from prune_tui.plaintext import fit_cells, keep_lines, one_line

UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_examples() -> None:
    assert one_line("  Zoë \U0001f331\n\tBerg, PhD ") == "Zoë \U0001f331 Berg, PhD"
    assert one_line("Esc\x1b[31mape\x07") == "Esc[31mape"
    assert one_line("\u202eevil\u202c name") == "evil name"
    assert one_line("محمد العربي") == "محمد العربي"  # right-to-left text itself stays
    assert one_line("👩‍💻 Dev") == "👩‍💻 Dev"  # the zero-width joiner inside an emoji stays
    assert one_line("abcdefghij", 5) == "abcd…"
    assert one_line(None) == ""
    assert keep_lines("line one\r\nline\x1b two\tend") == "line one\r\nline two\tend"


@given(st.text(), st.integers(min_value=1, max_value=80))
def test_one_line_is_one_safe_line(text: str, width: int) -> None:
    line = one_line(text, width)
    assert not UNSAFE.search(line)
    assert "\n" not in line and "\r" not in line
    assert len(line) <= width


@given(st.text())
def test_keep_lines_drops_only_unsafe_characters(text: str) -> None:
    kept = keep_lines(text)
    assert not UNSAFE.search(kept)
    assert kept.count("\n") == text.count("\n")


def test_fit_cells_counts_terminal_cells() -> None:
    from rich.cells import cell_len

    assert fit_cells("Acme", 6) == "Acme  "
    assert fit_cells("🏢 Co", 6) == "🏢 Co "  # the emoji takes two cells
    assert cell_len(fit_cells("🏢 Co", 6)) == 6
    assert fit_cells("Zoë 🌱 Berg and Partners", 10) == "Zoë 🌱 Be…"
    assert cell_len(fit_cells("漢字漢字漢字", 5)) == 5
