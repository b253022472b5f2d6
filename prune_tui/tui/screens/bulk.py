"""The confirm dialog of a decision by rule: "Remove 1,234 people matching messages:0?" with a
few names, undecided people only unless the user includes those decided already; Enter
applies. Counting and applying run in a worker, so the screen keeps repainting meanwhile."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Checkbox, Static

from prune_tui.model import Decision
from prune_tui.services.bulk import DONE_WORDS, Preview, Selection
from prune_tui.services.facades import BulkDecisions
from prune_tui.store.bulk import Batch
from prune_tui.text.words import DECISION_VERBS, n
from prune_tui.tui.failures import worker_safe
from prune_tui.tui.messages import BatchApplied, PreviewCounted, WorkFailed
from prune_tui.tui.safe import look, safe_line
from prune_tui.tui.screens.guarded import GuardedModalScreen


class BulkDecisionScreen(GuardedModalScreen[Batch | None]):
    """Dismissed with the batch applied, or None when cancelled (or nobody changed)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "apply", "apply", priority=True),
        Binding("escape", "cancel", "cancel"),
        Binding("d", "toggle_decided", "include decided", show=False),
    ]

    def __init__(
        self, bulk: BulkDecisions, selection: Selection, decision: Decision | None
    ) -> None:
        super().__init__()
        self.bulk = bulk
        self.selection = selection
        self.decision = decision
        self.seen: Preview | None = None
        self.applying = False

    def compose(self) -> ComposeResult:
        with Vertical(id="bulk-dialog", classes="dialog"):
            yield Static(self._question(None), id="bulk-question", markup=False)
            yield Static(Content.styled("Counting…", "dim"), id="bulk-scope", markup=False)
            yield Static(id="bulk-sample", markup=False)
            yield Checkbox(
                "Also change people decided already  d",
                value=False,
                id="bulk-include",
                compact=True,
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply  enter", id="bulk-apply", variant="primary", compact=True)
                yield Button("Cancel  esc", id="bulk-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#bulk-apply", Button).disabled = True
        self.count()

    @property
    def include_decided(self) -> bool:
        return self.query_one("#bulk-include", Checkbox).value

    def _question(self, seen: Preview | None) -> Content:
        value = self.decision.value if self.decision else None
        if seen is None:
            who = (
                f"the {self.selection.label}"
                if not self.selection.is_query
                else (f"everyone matching {self.selection.label}")
            )
            return Content.assemble(
                (f"{DECISION_VERBS[value]} ", look(value).style if value else "bold"),
                safe_line(who),
                "?",
            )
        text = seen.question()
        head, _, rest = text.partition(" ")
        return Content.assemble(
            (head, f"bold {look(value).style}" if value else "bold"),
            " ",
            Content.styled(safe_line(rest), "bold"),
        )

    def count(self) -> None:
        self._count(self.include_decided)

    @work(thread=True, exclusive=True, group="bulk-count", exit_on_error=False)
    @worker_safe
    def _count(self, include_decided: bool) -> None:
        seen = self.bulk.preview(self.selection, self.decision, include_decided=include_decided)
        self.post_message(PreviewCounted(seen))

    @on(PreviewCounted)
    def _show(self, message: PreviewCounted) -> None:
        seen = message.preview
        if seen.include_decided != self.include_decided:
            return  # counted for the other choice: a newer count is on its way
        self.seen = seen
        self.query_one("#bulk-question", Static).update(self._question(seen))
        self.query_one("#bulk-scope", Static).update(Content.styled(seen.scope(), "dim"))
        sample = ""
        if seen.sample:
            names = ", ".join(safe_line(name) for name in seen.sample)
            more = seen.count - len(seen.sample)
            sample = f"For example: {names}" + (f", and {n(more)} more" if more > 0 else "")
        elif seen.count == 0:
            sample = "Nobody would change."
        self.query_one("#bulk-sample", Static).update(sample)
        checkbox = self.query_one("#bulk-include", Checkbox)
        decided = seen.tally.decided
        checkbox.display = bool(decided) or seen.include_decided
        if not seen.include_decided:
            checkbox.label = f"Also change the {n(decided)} decided already  d"
        button = self.query_one("#bulk-apply", Button)
        button.disabled = seen.count == 0
        word = DONE_WORDS[self.decision.value if self.decision else None]
        button.label = f"Apply to {n(seen.count)}  enter" if seen.count else "Apply  enter"
        button.tooltip = f"{n(seen.count)} {word}, one change that u takes back"

    @on(Checkbox.Changed, "#bulk-include")
    def _recount(self) -> None:
        self.seen = None
        self.query_one("#bulk-apply", Button).disabled = True
        self.query_one("#bulk-scope", Static).update(Content.styled("Counting…", "dim"))
        self.count()

    def action_toggle_decided(self) -> None:
        checkbox = self.query_one("#bulk-include", Checkbox)
        if checkbox.display and not self.applying:
            checkbox.toggle()

    def action_apply(self) -> None:
        seen = self.seen
        if seen is None or seen.count == 0 or self.applying:
            return
        self.applying = True
        self.query_one("#bulk-apply", Button).disabled = True
        self.query_one("#bulk-include", Checkbox).disabled = True
        word = DONE_WORDS[self.decision.value if self.decision else None]
        self.query_one("#bulk-scope", Static).update(
            Content.styled(f"Saving: {n(seen.count)} {word}…", "dim")
        )
        self.apply(seen.include_decided)

    @work(thread=True, exclusive=True, group="bulk-apply", exit_on_error=False)
    @worker_safe
    def apply(self, include_decided: bool) -> None:
        batch = self.bulk.apply(self.selection, self.decision, include_decided=include_decided)
        self.post_message(BatchApplied(batch))

    @on(BatchApplied)
    def _applied(self, message: BatchApplied) -> None:
        self.dismiss(message.batch)

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        """Said in a notification already (the decision by rule was one transaction: nothing
        was changed). The dialog can be used again."""
        if message.worker == "apply":
            self.applying = False
            self.query_one("#bulk-include", Checkbox).disabled = False
            self.count()

    def action_cancel(self) -> None:
        if not self.applying:
            self.dismiss(None)

    @on(Button.Pressed, "#bulk-apply")
    def _apply_pressed(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#bulk-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
