"""The keys, said once (issue 12): the help is built from the bindings, and this test fails when
a binding has no help line, a help line names an action nothing binds, a footer key is not the
binding's, or the README's key table lists a key the card does not bind (or misses one)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from textual.binding import Binding

from prune_tui.tui.app import PruneApp
from prune_tui.tui.keys import (
    BROWSE,
    CARD,
    CHECKLIST,
    Line,
    browse_bindings,
    card_bindings,
    checklist_bindings,
    help_rows,
    help_sections,
    keys_column,
    shown_key,
)
from prune_tui.tui.widgets.keybar import Key

Clock = Callable[[], datetime]
README = Path(__file__).resolve().parents[2] / "README.md"

SECTIONS = [
    pytest.param(CARD, card_bindings, id="card"),
    pytest.param(BROWSE, browse_bindings, id="browse"),
    pytest.param(CHECKLIST, checklist_bindings, id="checklist"),
]


@pytest.mark.parametrize(("lines", "bindings"), SECTIONS)
def test_every_binding_has_a_help_line_and_every_line_a_binding(
    lines: tuple[Line, ...], bindings: object
) -> None:
    bound = {b.action for b in bindings()}  # type: ignore[operator]
    explained = {action for line in lines for action in line.actions}
    assert bound - explained == set(), "bound, with no line in the help (tui/keys.py)"
    assert explained - bound == set(), "in the help, bound to no key"
    assert len(help_rows(lines, bindings())) == len(lines)  # type: ignore[operator]


def test_the_help_shows_the_keys_as_bound() -> None:
    rows = dict((text, key) for _title, section in help_sections() for key, text in section)
    assert rows["this help"] == "?"
    assert rows["answer a criterion: yes, no, or back to unanswered"] == "1 – 5"
    assert rows["back through the cards shown / next card, without deciding"] == "←  →"
    assert rows["undo the last tick"] == "u  ctrl+z"
    assert keys_column(["1", "3", "4"]) == "1  3  4"  # not a run: each key


def _footer_cases() -> list[tuple[str, Key, list[Binding]]]:
    from prune_tui.tui.screens import browse, checklist, review

    app = list(Binding.make_bindings(PruneApp.BINDINGS))
    return [
        ("review", key, [*card_bindings(), *app])
        for key in review.FOOTER_KEYS
        if key.action is not None
    ] + [
        (name, key, [*bindings(), *app])
        for name, module, bindings in (
            ("browse", browse, browse_bindings),
            ("checklist", checklist, checklist_bindings),
        )
        for key in module.FOOTER_KEYS
        if key.action is not None
    ]


# Enter on a list is the table's own key (it selects the row); the screen opens what is selected.
TABLE_ENTER = {"checklist": ("open_profile", "open_selected")}


@pytest.mark.parametrize(("screen", "key", "bindings"), _footer_cases())
def test_each_footer_key_is_the_bindings(screen: str, key: Key, bindings: list[Binding]) -> None:
    """A click on a footer key runs the action its key runs, and the footer writes the key as
    the binding does."""
    from prune_tui.tui.screens.checklist import ChecklistScreen

    assert key.action is not None
    action = key.action.split(".", 1)[1]
    if key.key == "enter" and screen in TABLE_ENTER:
        opens, handler = TABLE_ENTER[screen]
        assert action == opens and callable(getattr(ChecklistScreen, handler))
        return
    keys = [shown_key(b) for b in bindings if b.action == action]
    assert keys, f"{screen}: {key.key} runs {action}, which no key binds"
    assert key.key.replace("^", "ctrl+") in keys, f"{screen}: the footer says {key.key}"


def readme_card_keys() -> set[str]:
    text = README.read_text(encoding="utf-8")
    table = text.split("On the card:", 1)[1].split("\n\n", 2)[1]
    keys: set[str] = set()
    for row in table.splitlines()[2:]:
        first = row.split("|")[1]
        span = re.fullmatch(r"\s*`(\d)`–`(\d)`\s*", first)
        if span:
            keys |= {str(n) for n in range(int(span[1]), int(span[2]) + 1)}
        else:
            keys |= set(re.findall(r"`([^`]+)`", first))
    return keys


def test_the_readme_key_table_lists_exactly_what_the_card_binds() -> None:
    listed = readme_card_keys()
    bound = {shown_key(b) for b in card_bindings()}
    assert listed - bound == set(), "the README lists keys the app does not bind"
    assert bound - listed == set(), "keys the card binds that the README does not list"


async def test_the_palette_names_each_command_by_its_bound_key(
    hostile_db: Path, clock: Clock
) -> None:
    from tui_helpers import settle

    from prune_tui.tui.app import create_app

    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        commands = list(app.get_system_commands(app.screen))
    from textual.screen import Screen

    from prune_tui.tui.keys import bindings_of

    # The card's keys, the app's, and Textual's own on every screen (tab moves the focus).
    bound = {shown_key(b) for b in [*card_bindings(), *bindings_of(Screen.BINDINGS)]}
    named = [c.help.removeprefix("key: ") for c in commands if c.help.startswith("key: ")]
    assert len(named) >= 20  # every key of the card, and the app's screens
    assert set(named) <= bound, set(named) - bound
    titles = {c.title: c.help for c in commands}
    assert titles["Removal checklist"] == "key: l"
    assert titles["Help: every key"] == "key: ?"
