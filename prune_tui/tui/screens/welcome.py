"""The first screen on an empty database: how to get the export, and importing it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, ProgressBar, Static

from prune_tui.tui.failures import worker_safe
from prune_tui.tui.messages import ImportFailed, ImportFinished, ImportProgressed
from prune_tui.tui.safe import safe_line

if TYPE_CHECKING:
    from prune_tui.services.facades import Imports

INTRO = Content.assemble(
    ("Welcome to prune-tui", "bold $accent"),
    "\n\n",
    "Prune your LinkedIn network card by card, privately and offline. Nothing leaves this "
    "computer; you remove people on LinkedIn by hand from the checklist prune-tui makes.\n\n",
    ("Get your data from LinkedIn", "bold"),
)
STEPS = [
    "On linkedin.com open Me › Settings & Privacy › Data privacy.",
    "Choose “Get a copy of your data”, pick “Connections” (or everything), and request it.",
    "LinkedIn emails you a link, usually within minutes (a day for the full archive).",
    "Download the .zip. You can import the .zip, the unzipped folder or Connections.csv.",
]
THEN = Content.styled("Then type or paste its path below and press Enter.", "bold")


def clean_path(text: str) -> str:
    """A path as people paste it: quoted, with a trailing space, or a file:// URL."""
    value = text.strip().strip("'\"").strip()
    if value.startswith("file://"):
        from urllib.parse import unquote

        value = unquote(value[len("file://") :])
    return value.replace("\\ ", " ")


class WelcomeScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "leave", "quit")]

    def __init__(self, imports: Imports, *, returning: bool = False) -> None:
        super().__init__()
        self.imports = imports
        # Opened from inside the app (the command palette): escape goes back, not out.
        self.returning = returning
        if returning:
            self._bindings.key_to_bindings["escape"] = [Binding("escape", "leave", "back")]

    def action_leave(self) -> None:
        if self.returning:
            self.app.pop_screen()
        else:
            self.app.exit()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="welcome"):
            yield Static(INTRO, id="welcome-intro")
            # Numbers and steps in two columns: a step that wraps stays under its own text.
            with Grid(id="welcome-steps"):
                for number, step in enumerate(STEPS, 1):
                    yield Static(f"{number}.", classes="welcome-number")
                    yield Static(step, markup=False)
            yield Static(THEN, id="welcome-then")
            with Horizontal(id="welcome-import"):
                yield Input(
                    placeholder="~/Downloads/Basic_LinkedInDataExport_….zip", id="welcome-path"
                )
                yield Button("Import", id="welcome-go", variant="primary", compact=True)
            yield ProgressBar(id="welcome-progress", show_eta=False)
            yield Static(id="welcome-message", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#welcome-progress").display = False
        self.query_one(Input).focus()

    @on(Input.Submitted, "#welcome-path")
    @on(Button.Pressed, "#welcome-go")
    def start_import(self) -> None:
        raw = self.query_one("#welcome-path", Input).value
        value = clean_path(raw)
        message = self.query_one("#welcome-message", Static)
        if not value:
            message.update(
                Content.styled("Type or paste the path of your export first.", "$warning")
            )
            return
        path = Path(value).expanduser()
        message.update(Content.assemble("Importing ", (safe_line(str(path)), "bold"), "…"))
        bar = self.query_one(ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.query_one(Input).disabled = True
        self.query_one("#welcome-go", Button).disabled = True
        self.run_import(path)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    @worker_safe
    def run_import(self, path: Path) -> None:
        from prune_tui.errors import UserError

        def progress(done: int, total: int) -> None:
            self.post_message(ImportProgressed(done, total))

        try:
            summary = self.imports.run(path, progress)
        except UserError as exc:  # a refusal or a storage problem, in words
            self.post_message(ImportFailed(str(exc)))
        except Exception as exc:  # shown, never a crash: the database is unchanged
            self.post_message(ImportFailed(f"something went wrong: {type(exc).__name__}: {exc}"))
        else:
            self.post_message(ImportFinished(summary))

    @on(ImportProgressed)
    def _progress(self, message: ImportProgressed) -> None:
        self.query_one(ProgressBar).update(total=message.total or None, progress=message.done)

    def _ready_for_another(self) -> None:
        self.query_one(ProgressBar).display = False
        self.query_one(Input).disabled = False
        self.query_one("#welcome-go", Button).disabled = False
        self.query_one(Input).focus()

    @on(ImportFailed)
    def failed(self, event: ImportFailed) -> None:
        self._ready_for_another()
        self.query_one("#welcome-message", Static).update(
            Content.assemble(
                ("That did not work: ", "bold $error"),
                safe_line(event.problem),
                "\nNothing was changed. Check the path and try again.",
            )
        )

    @on(ImportFinished)
    def finished(self, event: ImportFinished) -> None:
        from prune_tui.services.importer import describe_summary

        self._ready_for_another()
        summary = event.summary
        if summary.rows == 0 and summary.restored == 0 and not self.returning:
            self.query_one("#welcome-message", Static).update(
                Content.assemble(
                    safe_line(describe_summary(summary)),
                    "\nThere are no connections to review yet: import your Connections.csv "
                    "or the whole export.",
                )
            )
            return
        self.app.notify(
            safe_line(describe_summary(summary)), title="Imported", timeout=8, markup=False
        )
        from prune_tui.tui.app import PruneApp

        if isinstance(self.app, PruneApp):
            self.app.start_review()
