"""One source for each vocabulary (issue 12): decision labels and styles in one table, one
profile-URL check for every screen that opens or copies a profile."""

from __future__ import annotations

import ast
import webbrowser
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_hostile import ROWS, hostile_urls  # noqa: F401 - the fixture
from tui_helpers import settle

import prune_tui.tui
from prune_tui.formats.identity import parse_profile_url, profile_link
from prune_tui.model import Decision
from prune_tui.text.plain import one_line
from prune_tui.text.words import DECISION_LABELS, DECISION_VERBS
from prune_tui.tui.app import create_app
from prune_tui.tui.browser import profile_to_copy
from prune_tui.tui.safe import DECISION_LOOKS, look
from prune_tui.tui.screens.checklist import ChecklistScreen
from prune_tui.tui.screens.review import ReviewScreen

Clock = Callable[[], datetime]
TUI = Path(prune_tui.tui.__file__).parent
DECISION_WORDS = {"keep", "nurture", "remove"}


def _decision_key(node: ast.expr | None) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in DECISION_WORDS
    return isinstance(node, ast.Attribute) and node.attr in ("KEEP", "NURTURE", "REMOVE")


def test_decision_labels_and_styles_are_one_table() -> None:
    """No screen or widget keeps its own dictionary keyed by the decisions (there were five,
    in three spellings); the table is `tui.text.DECISION_LOOKS`, its words `words.py`'s."""
    for path in sorted(TUI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict) and sum(map(_decision_key, node.keys)) >= 2:
                where = f"{path.relative_to(TUI)}:{node.lineno}"
                assert path.name == "safe.py", f"{where}: a second table of decisions"


def test_the_table_covers_every_decision_and_undecided() -> None:
    assert set(DECISION_LOOKS) == {*Decision, None}
    for decision, shown in DECISION_LOOKS.items():
        value = decision.value if decision else None
        assert shown.label == DECISION_LABELS[value]
        assert value in DECISION_VERBS
        assert look(value) is shown and look(decision) is shown
    assert look("undecided") is DECISION_LOOKS[None]


@given(st.text())
def test_one_check_for_a_profile(url: str) -> None:
    """What `c` copies, what `o` opens and what an export links are the same decision."""
    found = parse_profile_url(url)
    assert profile_to_copy(url) == (found.opened if found else one_line(url))
    assert profile_link(url) == (found.opened if found else None)


def test_only_the_browser_module_opens_or_copies() -> None:
    for path in sorted(TUI.rglob("*.py")):
        if path.name == "browser.py":
            continue
        text = path.read_text(encoding="utf-8")
        for call in ("copy_to_clipboard(", "open_in_browser(", "open_url(", "webbrowser"):
            assert call not in text, f"{path.relative_to(TUI)} calls {call}"


async def test_the_card_opens_what_the_checklist_opens_and_nothing_else(
    hostile_urls: Path,  # noqa: F811
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    app = create_app(hostile_urls, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        for _ in ROWS:
            await pilot.press("o")
            await pilot.press("r")  # to the checklist with them
            await settle(pilot)
        from_card = list(opened)
        opened.clear()
        await pilot.press("l")
        await settle(pilot)
        checklist = app.screen
        assert isinstance(checklist, ChecklistScreen)
        assert checklist.table.total == len(ROWS)
        for _ in ROWS:
            await pilot.press("o", "down")
            await settle(pilot)
    assert len(from_card) == 3  # the real profile, Zoë's and Maryam's
    assert sorted(opened) == sorted(from_card)
