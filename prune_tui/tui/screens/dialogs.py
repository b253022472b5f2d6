"""Small modal screens over the card: help, note, find-and-jump, order and filter."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import (
    Button,
    Input,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from prune_tui.model import CRITERIA
from prune_tui.services.query import HELP as QUERY_HELP
from prune_tui.services.query import QueryError, parse
from prune_tui.services.review import FILTER_LABELS, ORDER_LABELS, Filter, Order, Queue, Review, Row
from prune_tui.tui.failures import storage_safe, worker_safe
from prune_tui.tui.messages import QueryRefused, RowsFound, WorkFailed
from prune_tui.tui.safe import data, look, safe_block, safe_line
from prune_tui.tui.screens.guarded import GuardedModalScreen


def _key_grid(rows: list[tuple[str, str]]) -> ComposeResult:
    """Two columns, so a long line wraps under its own text, not under the keys."""
    with Grid(classes="help-keys"):
        for key, text in rows:
            yield Static(Content.styled(key, "bold $accent"), classes="help-key")
            yield Static(text)


class HelpScreen(GuardedModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss_help", "close"),
    ]

    def compose(self) -> ComposeResult:
        from prune_tui.tui.keys import help_sections

        (_, card), *others = help_sections()
        with VerticalScroll(id="help", classes="dialog"):
            yield Static(Content.styled("Keys", "bold $accent"), classes="title")
            yield from _key_grid(card)
            yield Static(
                Content.styled("The five questions (keys 1–5)", "bold $accent"), classes="title"
            )
            with Grid(classes="help-keys"):
                for number, question in CRITERIA.items():
                    yield Static(Content.styled(str(number), "bold $accent"), classes="help-key")
                    yield Static(question)
            for title, rows in others:
                yield Static(Content.styled(title, "bold $accent"), classes="title")
                yield from _key_grid(rows)
            yield Static(
                Content.styled("Queries (find /, order and filter f, browse)", "bold $accent"),
                classes="title",
            )
            with Grid(classes="help-keys help-query"):
                for term, text in QUERY_HELP:
                    yield Static(Content.styled(term, "bold $accent"), classes="help-key")
                    yield Static(text)
            yield Static(
                Content.styled(
                    "Everything is saved as you go. Nothing is ever removed for you: prune-tui "
                    "makes the checklist, you remove people on LinkedIn by hand.",
                    "dim",
                ),
                classes="footnote",
            )
            yield Static(Content.styled("Press escape to close.", "dim"))

    def action_dismiss_help(self) -> None:
        self.dismiss(None)


class NoteScreen(GuardedModalScreen[str | None]):
    """Edit a note; ctrl+s saves, escape leaves it as it was."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "save", priority=True),
        Binding("escape", "cancel", "cancel"),
    ]

    def __init__(self, name: str, note: str) -> None:
        super().__init__()
        self.person = name
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog", classes="dialog"):
            yield Label(Content.assemble("Note about ", data(self.person, "bold")))
            yield TextArea(safe_block(self.note), id="note-text", soft_wrap=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save  ctrl+s", id="save", variant="primary", compact=True)
                yield Button("Cancel  esc", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip("\n"))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()


def show_problem(widget: Static, problem: str | None) -> None:
    """A query that cannot be read, said under the box it was typed in (hidden when none)."""
    widget.display = problem is not None
    widget.update(Content.styled(safe_line(problem or ""), "$text-warning"))


def row_label(row: Row) -> Content:
    who = data(row.name or "(no name)", "bold")
    where = " · ".join(p for p in (safe_line(row.position), safe_line(row.company)) if p)
    return Content.assemble(
        who, ("  " + where if where else "", "dim"), (f"  [{look(row.decision).label}]", "italic")
    )


class FindScreen(GuardedModalScreen[int | None]):
    """Type part of a name, company or position, or any query (`company:acme messages:0`);
    Enter jumps to the card. A query that cannot be read is said so under the box."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    # A pause in typing before the search runs (in a worker, never on the event loop).
    PAUSE = 0.12

    def __init__(self, review: Review) -> None:
        super().__init__()
        self.review = review
        self.shown_for: str | None = None  # the text whose results are listed
        self._timer: Timer | None = None
        self._jump_for: str | None = None  # Enter was pressed before these results came

    def compose(self) -> ComposeResult:
        with Vertical(id="find-dialog", classes="dialog"):
            yield Label("Find someone (name, company, position or a query), Enter to jump")
            yield Input(
                placeholder="type to search… or a query: company:acme messages:0",
                id="find-input",
            )
            yield Static(id="find-message", classes="query-problem", markup=False)
            yield OptionList(id="find-results")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed, "#find-input")
    @storage_safe
    def search(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        try:
            parse(event.value)
        except QueryError as exc:
            # Said at once; the results of the last readable query stay.
            show_problem(self.query_one("#find-message", Static), str(exc))
            return
        text = event.value
        self._timer = self.set_timer(self.PAUSE, lambda: self.look_up(text))

    @work(thread=True, exclusive=True, group="find", exit_on_error=False)
    @worker_safe
    def look_up(self, text: str) -> None:
        try:
            rows = self.review.find(text, limit=50)
        except QueryError as exc:
            self.post_message(QueryRefused(text, str(exc)))
            return
        self.post_message(RowsFound(text, rows))

    @on(QueryRefused)
    def _problem(self, message: QueryRefused) -> None:
        if message.text == self.query_one(Input).value:
            show_problem(self.query_one("#find-message", Static), message.problem)
        if self._jump_for == message.text:
            self._jump_for = None
            self.notify(message.problem, severity="warning", timeout=4, markup=False)

    @on(RowsFound)
    def _found(self, message: RowsFound) -> None:
        self._show_rows(message.text, message.rows)
        if self._jump_for == message.text == self.query_one(Input).value:
            self._jump_for = None
            self._jump()

    def _show_rows(self, text: str, rows: list[Row]) -> None:
        if text != self.query_one(Input).value:
            return  # typed on since: a newer search is on its way
        show_problem(self.query_one("#find-message", Static), None)
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options([Option(row_label(r), id=str(r.id)) for r in rows])
        if rows:
            results.highlighted = 0
        self.shown_for = text

    @on(Input.Submitted, "#find-input")
    def submit(self) -> None:
        text = self.query_one(Input).value
        if self.shown_for == text:
            self._jump()
            return
        try:
            parse(text)
        except QueryError as exc:
            self.notify(str(exc), severity="warning", timeout=4, markup=False)
            return
        # Enter straight after typing: search now (in the worker, never on the event loop),
        # then jump once the results are in.
        if self._timer is not None:
            self._timer.stop()
        self._jump_for = text
        self.look_up(text)

    @on(WorkFailed)
    def _not_found(self, message: WorkFailed) -> None:
        if message.worker == "look_up":  # said in a notification already
            self._jump_for = None

    def _jump(self) -> None:
        """To the highlighted result's card."""
        results = self.query_one(OptionList)
        if results.option_count == 0:
            self.notify("Nobody matches that.", timeout=2)
            return
        option = results.get_option_at_index(results.highlighted or 0)
        self.dismiss(int(option.id or 0))

    @on(OptionList.OptionSelected, "#find-results")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def on_key(self, event: events.Key) -> None:
        # Arrow keys move through the results while typing in the box.
        key = event.key
        results = self.query_one(OptionList)
        if key in ("down", "up") and results.option_count and self.query_one(Input).has_focus:
            current = results.highlighted or 0
            step = 1 if key == "down" else -1
            results.highlighted = max(0, min(results.option_count - 1, current + step))
            event.stop()

    def action_cancel(self) -> None:
        self.dismiss(None)


class QueueScreen(GuardedModalScreen[Queue | None]):
    """Choose the order, the filter and an optional search; Enter applies."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "cancel"),
        Binding("ctrl+s", "apply", "apply", priority=True),
    ]

    def __init__(self, queue: Queue, check: Callable[[str], str | None] | None = None) -> None:
        super().__init__()
        self.queue = queue
        self.check = check  # what is wrong with a typed query (None: nothing)

    def compose(self) -> ComposeResult:
        with Vertical(id="queue-dialog", classes="dialog"):
            yield Label(Content.styled("Order and filter", "bold $accent"))
            with Horizontal(id="queue-choices"):
                with RadioSet(id="order"):
                    for order, label in ORDER_LABELS.items():
                        yield RadioButton(
                            label,
                            value=order is self.queue.order,
                            name=order.value,
                            id=f"order-{order.value}",
                        )
                with RadioSet(id="filter"):
                    for filt, label in FILTER_LABELS.items():
                        yield RadioButton(
                            label,
                            value=filt is self.queue.filter,
                            name=filt.value,
                            id=f"filter-{filt.value}",
                        )
            yield Input(
                self.queue.search,
                placeholder="only people matching… (optional; e.g. company:acme messages:0)",
                id="queue-search",
            )
            yield Static(id="queue-message", classes="query-problem", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply  ctrl+s", id="apply", variant="primary", compact=True)
                yield Button("Cancel  esc", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.call_after_refresh(self._highlight_current)

    def _highlight_current(self) -> None:
        """Start each list on the current choice, not on its first line (Textual's RadioSet
        highlights its first button on mount, and has no public way to say otherwise)."""
        for radio_set in self.query(RadioSet):
            if radio_set.pressed_index >= 0:
                radio_set._selected = radio_set.pressed_index

    def selected(self) -> Queue:
        order_button = self.query_one("#order", RadioSet).pressed_button
        filter_button = self.query_one("#filter", RadioSet).pressed_button
        order = Order(order_button.name) if order_button and order_button.name else self.queue.order
        filt = (
            Filter(filter_button.name)
            if filter_button and filter_button.name
            else self.queue.filter
        )
        return Queue(order, filt, self.query_one("#queue-search", Input).value.strip())

    def action_apply(self) -> None:
        queue = self.selected()
        problem = self.check(queue.search) if self.check and queue.search else None
        if problem is not None:
            show_problem(self.query_one("#queue-message", Static), problem)
            self.query_one("#queue-search", Input).focus()
            return
        self.dismiss(queue)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#queue-search")
    def _submitted(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()
