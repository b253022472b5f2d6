"""The daily pace of removals: one number, typed; Enter saves, escape leaves it as it was."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static

from prune_tui.services.removals import MOST_PER_DAY, parse_per_day
from prune_tui.tui.screens.guarded import GuardedModalScreen


class PaceScreen(GuardedModalScreen[int | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    DEFAULT_CSS = """
    PaceScreen #pace-dialog {
        width: 60;
        height: auto;
    }
    PaceScreen #pace-problem {
        color: $error;
        height: auto;
    }
    """

    def __init__(self, per_day: int) -> None:
        super().__init__()
        self.per_day = per_day

    def compose(self) -> ComposeResult:
        with Vertical(id="pace-dialog", classes="dialog"):
            yield Label(Content.styled("Removals a day", "bold $accent"), classes="title")
            yield Static(
                Content(
                    "Each removal takes 20–30 seconds on LinkedIn. A few a day adds up; "
                    f"anything from 1 to {MOST_PER_DAY:,}."
                )
            )
            yield Input(str(self.per_day), id="pace-input", type="integer", max_length=4)
            yield Static(id="pace-problem", markup=False)
            yield Static(Content("Enter saves · esc keeps the pace as it was"), classes="footnote")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def save(self, event: Input.Submitted) -> None:
        try:
            value = parse_per_day(event.value)
        except ValueError as exc:
            self.query_one("#pace-problem", Static).update(Content(str(exc)))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
