"""Who to reach out to (docs/PRODUCT.md §12): everyone due or overdue, most overdue first.

`o` opens the profile, `t` logs a touch ("I reached out today", with an optional line of what
happened) and drops them off the list, `z` snoozes them a week, `u` undoes. prune-tui never
messages anyone: it says whom, and when.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, Static
from textual.worker import get_current_worker

from prune_tui.services.nurture import Nurture, Person, cadence_label, day_words, local_day
from prune_tui.text.words import plural
from prune_tui.tui.browser import open_profile
from prune_tui.tui.failures import worker_safe
from prune_tui.tui.messages import PeopleLoaded, WorkFailed
from prune_tui.tui.safe import data, safe_line
from prune_tui.tui.screens.guarded import GuardedModalScreen
from prune_tui.tui.widgets.table import Fit, FittedTable, Share

COLUMNS = [
    ("overdue", "Overdue", Share("overdue", 9)),
    ("name", "Name", Share("name", 14, 2, 30)),
    ("what", "What they do", Share("what", 12, 3)),
    ("last", "Last contact", Share("last", 12)),
    ("touch", "Last touch", Share("touch", 10, 2)),
]


def overdue_words(due: date, today: date) -> str:
    days = (today - due).days
    if days <= 0:
        return "today"
    # No thousands separator: "3175 days" fits the column's nine cells.
    return f"{days} day" if days == 1 else f"{days} days"


class TouchScreen(GuardedModalScreen[str | None]):
    """Log a touch: enter saves (the line is optional), escape logs nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.person = name

    def compose(self) -> ComposeResult:
        with Vertical(id="touch-dialog", classes="dialog"):
            yield Label(
                Content.assemble("You reached out to ", data(self.person, "bold"), " today.")
            )
            yield Input(
                placeholder="what happened, in a line (optional): coffee, talked about…",
                id="touch-note",
                max_length=500,
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Log it  enter", id="log", variant="primary", compact=True)
                yield Button("Cancel  esc", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#log")
    def _log(self) -> None:
        self.dismiss(self.query_one(Input).value.strip())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ReachOutScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "back", tooltip="Back to the cards"),
        Binding("o", "open_profile", "open", tooltip="Open the profile in your browser"),
        Binding("t", "log_touch", "touch", tooltip="I reached out today: log a touch"),
        Binding("z", "snooze", "snooze", tooltip="Snooze: due again in a week"),
        Binding("u,ctrl+z", "undo", "undo", tooltip="Undo the last change"),
    ]

    DEFAULT_CSS = """
    ReachOutScreen #reach-title {
        height: auto;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    ReachOutScreen #reach-hint {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    ReachOutScreen #reach-table {
        height: 1fr;
    }
    ReachOutScreen #reach-empty {
        display: none;
        height: 1fr;
        padding: 1 2;
        content-align: center middle;
        color: $text-muted;
    }
    ReachOutScreen.-empty #reach-empty {
        display: block;
    }
    ReachOutScreen.-empty #reach-table {
        display: none;
    }
    """

    def __init__(self, nurture: Nurture) -> None:
        super().__init__()
        self.nurture = nurture
        self.people: dict[int, Person] = {}
        self.everyone: list[Person] = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static(Content("Who to reach out to"), id="reach-title")
        yield Static(
            Content("o opens the profile · t: you reached out (logs a touch) · z snoozes a week"),
            id="reach-hint",
        )
        yield FittedTable(
            [share for _, _, share in COLUMNS],
            id="reach-table",
            cursor_type="row",
            zebra_stripes=True,
        )
        yield Static(Content("Loading…"), id="reach-empty")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, heading, share in COLUMNS:
            table.add_column(heading, key=key, width=share.least)
        self.add_class("-empty")

    def on_screen_resume(self) -> None:
        # Kept installed by the app: each visit starts from who is due now.
        self.load()

    # -- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="reach-out-load", exit_on_error=False)
    @worker_safe
    def load(self) -> None:
        everyone = self.nurture.people()
        if not get_current_worker().is_cancelled:
            self.post_message(PeopleLoaded(everyone))

    @on(PeopleLoaded)
    def _fill(self, message: PeopleLoaded) -> None:
        everyone = message.people
        today = self.nurture.today()
        self.everyone = everyone
        due = [p for p in everyone if p.is_due(today)]
        table = self.query_one(DataTable)
        table.clear()
        self.people = {p.id: p for p in due}
        for person in due:
            table.add_row(*self._cells(person, today), key=str(person.id))
        self.loaded = True
        self._show_title()
        table.focus()

    @on(WorkFailed)
    def _not_loaded(self) -> None:
        """Said in a notification already; the screen says what to do."""
        self.query_one("#reach-empty", Static).update(
            Content("The list could not be read just now. Press escape, then w to try again.")
        )

    def _cells(self, p: Person, today: date) -> tuple[Fit, ...]:
        due = p.due_on(today) or today
        last = p.last_contact_at
        touch = p.last_touch.note if p.last_touch else ""
        return (
            Fit(Content.styled(overdue_words(due, today), "bold" if due < today else "")),
            Fit(data(p.full_name or "(no name)")),
            Fit(data(p.what_they_do)),
            Fit(Content(day_words(local_day(last))) if last else Content.styled("never", "dim")),
            Fit(data(touch)),
        )

    def _show_title(self) -> None:
        count = len(self.people)
        title = self.query_one("#reach-title", Static)
        if count:
            title.update(
                Content(f"{plural(count, 'person', 'people')} to reach out to, most overdue first")
            )
        else:
            title.update(Content("Who to reach out to"))
        self.set_class(not count, "-empty")
        if not count:
            self.query_one("#reach-empty", Static).update(self._empty_words())

    def _empty_words(self) -> Content:
        today = self.nurture.today()
        upcoming = [p for p in self.everyone if p.id not in self.people and not p.is_due(today)]
        if not self.everyone:
            return Content(
                "No one has a cadence yet. People you nurture (n) are due every quarter; "
                "on a card, d chooses how often to be in touch."
            )
        if not upcoming:
            return Content("No one to reach out to today.")
        following = min(upcoming, key=lambda p: p.due_on(today) or today)
        due = following.due_on(today) or today
        return Content.assemble(
            "No one to reach out to today. Next: ",
            data(following.full_name, "bold"),
            f", {day_words(due)} ({cadence_label(following.cadence_days)}).",
        )

    # -- the row under the cursor -------------------------------------------------------------

    @property
    def current(self) -> Person | None:
        table = self.query_one(DataTable)
        if not self.people or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return self.people.get(int(key.value or 0))

    def _drop(self, person: Person) -> None:
        self.people.pop(person.id, None)
        self.query_one(DataTable).remove_row(str(person.id))
        self._show_title()

    def action_log_touch(self) -> None:
        person = self.current
        if person is None:
            return

        def log(note: str | None) -> None:
            if note is None:
                return
            self.nurture.log_touch(person.id, note)
            if person.id in self.people:
                self._drop(person)
            self.notify(
                f"Touch logged for {safe_line(person.full_name)}: "
                f"next {cadence_label(person.cadence_days)}.",
                timeout=3,
                markup=False,
            )

        self.app.push_screen(TouchScreen(person.full_name), log)

    def action_snooze(self) -> None:
        person = self.current
        if person is None:
            return
        until = self.nurture.snooze(person.id)
        self._drop(person)
        self.notify(
            f"Snoozed: {safe_line(person.full_name)} is due again on {day_words(until)}.",
            timeout=3,
            markup=False,
        )

    def action_undo(self) -> None:
        result = self.nurture.review.undo()
        if result is None:
            self.notify("Nothing to undo.", timeout=3)
            return
        card = self.nurture.review.card(result.connection_id)
        name = safe_line(card.full_name) if card else "a connection"
        self.notify(result.describe(name), timeout=3, markup=False)
        self.load()

    def action_open_profile(self) -> None:
        person = self.current
        if person is not None:
            open_profile(
                self,
                person.url,
                "Opened the profile in your browser. Press t once you have reached out.",
            )

    def action_close(self) -> None:
        self.dismiss(None)

    @on(DataTable.RowSelected)
    def open_selected(self) -> None:
        self.action_open_profile()
