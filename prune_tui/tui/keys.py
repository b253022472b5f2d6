"""The help screen's lines, each tied to the actions it explains; the keys it shows come from
the bindings themselves, so the help can never name a key the app does not bind.

`tests/tui/test_keys.py` holds the rest together: every action a screen binds has a line here,
every line's action is bound, each footer key is the binding's, and the README's key table
lists exactly the keys the card binds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from textual.binding import Binding, BindingType

from prune_tui.model import CRITERIA

# How a key is written for people where its binding gives no `key_display`.
KEY_NAMES = {
    "escape": "esc",
    "space": "space",
    "slash": "/",
    "question_mark": "?",
    "left": "←",
    "right": "→",
    "down": "↓",
    "enter": "enter",
}
# Textual binds the command palette itself (App.COMMAND_PALETTE_BINDING).
PALETTE_ACTION = "command_palette"


@dataclass(frozen=True)
class Line:
    """One line of the help: the actions it explains (as bound: `decide('keep')`) and what
    they do."""

    actions: tuple[str, ...]
    text: str


def criterion_bindings() -> list[Binding]:
    """Keys 1–5, on a card and on an invitation: answer a criterion (out of the footer: the
    card lists the questions with their keys)."""
    return [
        Binding(
            str(n),
            f"criterion({n})",
            f"criterion {n}",
            show=False,
            tooltip=f"Criterion {n}: {question}",
        )
        for n, question in CRITERIA.items()
    ]


def _line(*actions: str, text: str) -> Line:
    return Line(tuple(actions), text)


# On the card: the review screen's keys and the app's.
CARD = (
    _line("decide('keep')", text="keep: a real relationship"),
    _line("decide('nurture')", text="nurture: worth getting back in touch"),
    _line("decide('remove')", text="remove: goes on the checklist to remove on LinkedIn by hand"),
    _line("skip", text="decide later: skip to the next card"),
    _line("accept", text="accept the card's suggestion as the decision (when it has one)"),
    _line(
        "undo",
        text="undo the last change (many levels, also after a restart); "
        "a decision by rule is one change",
    ),
    _line("previous", "next", text="back through the cards shown / next card, without deciding"),
    _line(
        *(f"criterion({n})" for n in CRITERIA),
        text="answer a criterion: yes, no, or back to unanswered",
    ),
    _line("edit_note", text="edit the note"),
    _line("open_profile", text="open the profile in your browser"),
    _line("copy_url", text="copy the profile URL"),
    _line("find", text="find someone and jump to their card"),
    _line("choose_queue", text="order and filter the cards"),
    _line("browse", text="browse everyone in a table (Enter opens the card)"),
    _line(
        "cycle_cadence",
        text="how often to be in touch (kept or nurtured): 2 weeks, month, quarter, half-year, "
        "year, none",
    ),
    _line("log_touch", text="I reached out today: log a touch, with a line of what happened"),
    _line(
        "open_screen('reach-out')",
        text="who to reach out to: everyone due, most overdue first (t logs, z snoozes a week)",
    ),
    _line(
        "open_screen('checklist')",
        text="the checklist: the removals to make on LinkedIn, ticked off one by one",
    ),
    _line("open_screen('stats')", text="stats and charts"),
    _line(
        "open_screen('invitations')",
        text="invitations: a accept, x ignore, space later; tab for yours to withdraw (w ticks) "
        "and the list of what to do on LinkedIn",
    ),
    _line(PALETTE_ACTION, text="command palette: every action by name, and themes"),
    _line("help", text="this help"),
    _line("quit", text="quit (every decision is already saved)"),
)

# Browse (b): the table, and deciding many at once.
BROWSE = (
    _line("toggle_mark", text="mark the row (and move down); m again unmarks it"),
    _line(
        "mark_all",
        text="mark every row matching the search and filter; M again clears the marks",
    ),
    _line(
        "decide('keep')",
        "decide('nurture')",
        "decide('remove')",
        text="with rows marked: decide for all of them, after a confirm with the count and "
        "a few names (undecided people only, unless you include those decided already); "
        "without marks, for the row under the cursor",
    ),
    _line("undo", text="undo the last change: a decision for many is taken back in one step"),
    _line("focus_search", text="search: names, companies, positions, or a query"),
    _line("to_table", text="from the search box to the table"),
    _line("cycle_filter", text="filter: everyone, still to decide, a decision, new, gone"),
    _line("cycle_sort", text="sort by another column (or click its heading)"),
    _line("close", text="back to the card"),
)

# The removal checklist (l).
CHECKLIST = (
    _line("open_profile", text="open the profile in your browser (enter too)"),
    _line("tick", text="tick off as removed on LinkedIn and go to the next (again: untick)"),
    _line("tick_and_open_next", text="tick off as removed and open the next profile at once"),
    _line("undo", text="undo the last tick"),
    _line("change_pace", text="the daily pace of removals"),
    _line("cycle_order", text="the order of the checklist"),
    _line("copy_url", text="copy the profile URL"),
    _line("export", text="save the checklist as HTML and Markdown in your documents folder"),
    _line("close", text="back to the cards"),
)


def bindings_of(*sources: Iterable[BindingType]) -> list[Binding]:
    """The bindings, one per key (`u,ctrl+z` is two)."""
    found: list[Binding] = []
    for source in sources:
        found.extend(Binding.make_bindings(source))
    return found


def shown_key(binding: Binding) -> str:
    """A key as people read it: the binding's `key_display`, or a known name, or the key."""
    return binding.key_display or KEY_NAMES.get(binding.key, binding.key)


def keys_for(actions: Sequence[str], bindings: Sequence[Binding]) -> list[str]:
    """Every key bound to `actions`, in the order of the actions then of the bindings."""
    keys: list[str] = []
    for action in actions:
        for binding in bindings:
            if binding.action == action and shown_key(binding) not in keys:
                keys.append(shown_key(binding))
    return keys


def keys_column(keys: Sequence[str]) -> str:
    """`u  ctrl+z`, `←  →`; a run of digits as `1 – 5`."""
    if len(keys) > 2 and all(k.isdigit() for k in keys):
        numbers = [int(k) for k in keys]
        if numbers == list(range(numbers[0], numbers[-1] + 1)):
            return f"{keys[0]} – {keys[-1]}"
    return "  ".join(keys)


def help_rows(lines: Sequence[Line], bindings: Sequence[Binding]) -> list[tuple[str, str]]:
    """The help's (keys, words) rows; a line whose actions nothing binds is left out (and the
    test says so)."""
    rows = []
    for line in lines:
        keys = keys_for(line.actions, bindings)
        if keys:
            rows.append((keys_column(keys), line.text))
    return rows


def palette_binding(key: str) -> Binding:
    """Textual's own binding of the command palette, as a binding the help can read."""
    return Binding(key, PALETTE_ACTION, "palette")


def card_bindings() -> list[Binding]:
    """What the card binds: the review screen's keys, the app's, and the command palette."""
    from prune_tui.tui.app import PruneApp
    from prune_tui.tui.screens.review import ReviewScreen

    palette = palette_binding(PruneApp.COMMAND_PALETTE_BINDING)
    return bindings_of(ReviewScreen.BINDINGS, PruneApp.BINDINGS, [palette])


def browse_bindings() -> list[Binding]:
    from prune_tui.tui.screens.browse import BrowseScreen

    return bindings_of(BrowseScreen.BINDINGS)


def checklist_bindings() -> list[Binding]:
    from prune_tui.tui.screens.checklist import ChecklistScreen

    return bindings_of(ChecklistScreen.BINDINGS)


def help_sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """The help screen's sections of keys: (title, rows)."""
    return [
        ("Keys", help_rows(CARD, card_bindings())),
        ("In browse (b)", help_rows(BROWSE, browse_bindings())),
        ("On the checklist (l)", help_rows(CHECKLIST, checklist_bindings())),
    ]
