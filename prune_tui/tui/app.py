"""The app and its one factory, `create_app`, used by the command line, the tests and the
screenshot script.

The app holds the services (`prune_tui.services.facades.Services`, over one database) and hands each
screen the ones it needs when it builds it: no screen holds a `Database`.

Adding a screen: build it in `build_screen` (by name, with its services) and give it a key in
`BINDINGS` such as `Binding("l", "open_screen('checklist')", "checklist")`; its bindings show up
in the command palette by themselves (see `get_system_commands`).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Input, TextArea

from prune_tui.errors import UserError
from prune_tui.services.facades import Services
from prune_tui.services.review import Review
from prune_tui.tui.messages import ExportRefused, ExportSaved
from prune_tui.tui.screens.review import ReviewScreen

# Everything imported so far (Textual, Rich, SQLAlchemy, the review) lives as long as the
# process. Moved out of the garbage collector's sight, it is not walked again by each full
# collection while the first screen is built, nor once more at exit: the app starts and quits
# sooner. Other screens are imported when first opened.
gc.freeze()


class PruneApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "prune-tui"
    ENABLE_COMMAND_PALETTE = True

    # The screens `open_screen` shows, one at a time; each is built once and kept.
    SCREEN_NAMES = ("checklist", "stats", "invitations", "reach-out")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "help", key_display="?", tooltip="Help: every key"),
        Binding("l", "open_screen('checklist')", "checklist", tooltip="Removal checklist"),
        Binding("s", "open_screen('stats')", "stats", tooltip="Stats and charts"),
        Binding(
            "i", "open_screen('invitations')", "invitations", tooltip="Screen pending invitations"
        ),
        Binding("w", "open_screen('reach-out')", "reach out", tooltip="Who to reach out to"),
        Binding("q", "quit", "quit"),
    ]

    def __init__(
        self,
        db_path: Path,
        *,
        demo: bool = False,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.demo = demo
        self.clock = clock
        self.services = Services(self.db_path, clock)
        # An unexpected error that ended the app (the command line reports it in one line).
        self.crash: BaseException | None = None
        if demo:
            self.sub_title = "demo: sample data, thrown away when you quit"

    # The database opens on first use (not in __init__) so building the app costs nothing.
    @property
    def review(self) -> Review:
        return self.services.review

    def build_screen(self, name: str) -> Screen[Any]:
        """One of `SCREEN_NAMES`, with the services it needs."""
        services = self.services
        if name == "checklist":
            from prune_tui.tui.screens.checklist import ChecklistScreen

            return ChecklistScreen(services.review, services.removals(), services.exports())
        if name == "stats":
            from prune_tui.tui.screens.stats import StatsScreen

            return StatsScreen(services.figures(), services.exports())
        if name == "invitations":
            from prune_tui.tui.screens.invitations import InvitationsScreen

            return InvitationsScreen(services.screening())
        if name == "reach-out":
            from prune_tui.tui.screens.reach_out import ReachOutScreen

            return ReachOutScreen(services.nurture())
        raise ValueError(f"no screen named {name!r}")

    def kept_screen(self, name: str) -> Screen[Any]:
        """The screen `name`, built on first use and kept (its place is there next time)."""
        if not self.is_screen_installed(name):
            self.install_screen(self.build_screen(name), name)
        return self.get_screen(name)

    def get_default_screen(self) -> Screen[Any]:
        """The review opens as the first screen itself (nothing to build and cover first);
        an empty database gets a plain screen, under the welcome screen of `on_mount`."""
        from prune_tui.config import saved_theme

        # Chosen before any style is worked out, so it is worked out once.
        theme = saved_theme()
        if theme and theme in self.available_themes:
            self.theme = theme
        if self.review.is_empty():
            return Screen(id="_default")
        return ReviewScreen(self.review)

    async def _on_key(self, event: events.Key) -> None:
        """A typed character that came up to the app unread while a text box has the focus.
        Textual gives each key to the widget focused when the key arrives, and a box takes
        every character it is given: so this one was given to another widget, before a key
        sent with it (`/` of `/ada`, pasted or typed in a burst) put the focus in the box.
        It is the box's, not a command of the screen behind it (`k` would decide a card)."""
        focused = self.focused
        if event.is_printable and isinstance(focused, (Input, TextArea)):
            event.prevent_default()  # App's own handler: the bindings, then the app's keys
            focused.post_message(events.Key(event.key, event.character))

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if len(self.screen_stack) == 1 and self.screen.id == "_default":
            from prune_tui.tui.screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen(self.services.imports()))
        else:
            # Paint first: who is due is counted once the first card is on screen.
            self.call_after_refresh(self._welcome_back)

    def _welcome_back(self) -> None:
        """Welcome back: how many people are due to hear from the user (one indexed read of
        those with a cadence, on the event loop so that it never races the first keys)."""
        due = self.services.nurture().due_count()
        if due:
            from prune_tui.text.words import plural

            self.notify(
                f"{plural(due, 'person', 'people')} to reach out to. Press w to see who.",
                title="Welcome back",
                timeout=10,
            )

    def start_review(self) -> None:
        base = self.screen_stack[0]
        if isinstance(base, ReviewScreen):
            # An import from inside the app: back to the cards, which show what it brought.
            self.back_to_cards()
            base.reload()
            return
        screen = ReviewScreen(self.review)
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def _remember_theme(self, theme: Theme) -> None:
        from prune_tui.config import save_theme

        try:
            save_theme(theme.name)
        except OSError as exc:
            self.notify(f"Could not save the theme: {exc.strerror}", severity="warning")
        except UserError as exc:  # a full disk or a read-only folder: the old config is intact
            self.notify(f"Could not save the theme: {exc}", severity="warning", markup=False)

    def action_help(self) -> None:
        from prune_tui.tui.screens.dialogs import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every key of the current screen, by name, then Textual's own (themes, quit…)."""
        from prune_tui.tui.keys import bindings_of, shown_key

        seen: set[str] = set()
        for _key, binding in screen._bindings:
            if not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            title = binding.tooltip or binding.description.capitalize()
            yield SystemCommand(
                title, f"key: {shown_key(binding)}", partial(screen.run_action, binding.action)
            )
        # Every screen and every action, from anywhere (the palette is how people find them).
        if not isinstance(screen, ReviewScreen) and isinstance(self.screen_stack[0], ReviewScreen):
            yield SystemCommand("Cards: review one by one", "back to the cards", self.back_to_cards)
        app_keys = bindings_of(self.BINDINGS)
        for binding in app_keys:
            if binding.action.startswith("open_screen("):
                yield SystemCommand(
                    binding.tooltip,
                    f"key: {shown_key(binding)}",
                    partial(self.run_action, binding.action),
                )
        yield SystemCommand(
            "Import a LinkedIn export",
            "a newer export: new people, confirmed removals (or a JSON backup)",
            self.action_import,
        )
        yield SystemCommand(
            "Export the checklist (HTML and Markdown)",
            "the removals to make, saved in your documents folder",
            partial(self.export_lists, "remove"),
        )
        yield SystemCommand(
            "Export everyone (CSV, HTML and a JSON backup)",
            "saved in your documents folder",
            partial(self.export_lists, "all"),
        )
        for binding in app_keys:
            if binding.action == "help":
                yield SystemCommand(binding.tooltip, f"key: {shown_key(binding)}", self.action_help)
        yield from super().get_system_commands(screen)

    def back_to_cards(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_import(self) -> None:
        """The import screen over the app: escape comes back, an import goes to the cards."""
        from prune_tui.tui.screens.welcome import WelcomeScreen

        if not isinstance(self.screen, WelcomeScreen):
            self.push_screen(WelcomeScreen(self.services.imports(), returning=True))

    def export_lists(self, only: str) -> None:
        from prune_tui.tui.saving import save_exports

        if only == "remove":
            save_exports(
                self.screen,
                self.services.exports(),
                formats=("html", "md"),
                only="remove",
                what="The checklist",
                hint="Open the HTML file to tick people off in your browser.",
            )
        else:
            save_exports(
                self.screen,
                self.services.exports(),
                formats=("csv", "html", "json"),
                only="all",
                what="Every list",
                hint="The JSON file is a full backup: prune-tui import restores it.",
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # `w` means "withdrawn" on the invitations screen; its other views leave it unused,
        # and the key must not fall through to "who to reach out to" there.
        if action == "open_screen" and parameters == ("reach-out",):
            from prune_tui.tui.screens.invitations import InvitationsScreen

            return not isinstance(self.screen, InvitationsScreen)
        return True

    def action_open_screen(self, name: str) -> None:
        """The checklist and stats screens: one at a time, never stacked on each other."""
        target = self.kept_screen(name)
        if self.screen is target:
            return
        if any(
            self.is_screen_installed(other) and self.screen is self.get_screen(other)
            for other in self.SCREEN_NAMES
        ):
            self.switch_screen(target)
        else:
            self.push_screen(target)

    # -- failures -------------------------------------------------------------------------
    #
    # Textual prints an unexpected error as a traceback with every local variable (personal
    # data) once the app has closed, and the process exits 0. Here the error is kept for the
    # command line, which writes it to a private log file and prints one line (exit 1).

    def _handle_exception(self, error: Exception) -> None:
        if self.crash is None:
            self.crash = error
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        self.bell()
        self._close_messages_no_wait()

    # -- what workers say when they are done ------------------------------------------------

    @on(ExportSaved)
    def _export_saved(self, message: ExportSaved) -> None:
        names = ", ".join(message.names)
        self.notify(
            f"Saved {names} in {message.folder}. {message.hint}".strip(),
            title=f"{message.what} saved",
            timeout=10,
            markup=False,
        )

    @on(ExportRefused)
    def _export_refused(self, message: ExportRefused) -> None:
        self.notify(
            f"Could not save {message.what.lower()}: {message.reason}. "
            "Try `prune-tui export -o FILE` instead.",
            severity="error",
            markup=False,
        )

    def on_unmount(self) -> None:
        self.services.close()  # quitting never waits for a count


def create_app(
    db_path: Path, *, demo: bool = False, clock: Callable[[], datetime] | None = None
) -> PruneApp:
    """The app on the database at `db_path`. A fixed `clock` makes ages, pace and screenshots
    repeatable."""
    return PruneApp(db_path, demo=demo, clock=clock)
