"""The app and its one factory, `create_app`, used by the command line, the tests and the
screenshot script.

Adding a screen: put it in `SCREENS` (by name) and a key in `BINDINGS` such as
`Binding("l", "app.push_screen('checklist')", "checklist")`; its bindings show up in the
command palette by themselves (see `get_system_commands`).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme

from prune_tui.review import Review
from prune_tui.store.database import Database
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

    SCREENS: ClassVar[dict[str, Callable[[], Screen[Any]]]] = {
        "checklist": lambda: _checklist_screen(),
        "stats": lambda: _stats_screen(),
        "reach-out": lambda: _reach_out_screen(),
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "help", key_display="?"),
        Binding("l", "open_screen('checklist')", "checklist", tooltip="The removal checklist"),
        Binding("s", "open_screen('stats')", "stats", tooltip="Stats and charts"),
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
        self._db: Database | None = None
        self._review: Review | None = None
        if demo:
            self.sub_title = "demo: sample data, thrown away when you quit"

    # The database opens on first use (not in __init__) so building the app costs nothing.
    @property
    def db(self) -> Database:
        if self._db is None:
            from prune_tui.store import open_database

            self._db = open_database(self.db_path)
        return self._db

    @property
    def review(self) -> Review:
        if self._review is None:
            self._review = Review(self.db, clock=self.clock)
        return self._review

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

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if len(self.screen_stack) == 1 and self.screen.id == "_default":
            from prune_tui.tui.screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen(self.db))
        else:
            # Paint first: who is due is counted once the first card is on screen.
            self.call_after_refresh(self._welcome_back)

    def _welcome_back(self) -> None:
        """Welcome back: how many people are due to hear from the user (one indexed read of
        those with a cadence, on the event loop so that it never races the first keys)."""
        from prune_tui.nurture import Nurture

        due = Nurture(self.review).due_count()
        if due:
            from prune_tui.words import plural

            self.notify(
                f"{plural(due, 'person', 'people')} to reach out to. Press w to see who.",
                title="Welcome back",
                timeout=10,
            )

    def start_review(self) -> None:
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

    def action_help(self) -> None:
        from prune_tui.tui.screens.dialogs import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every key of the current screen, by name, then Textual's own (themes, quit…)."""
        seen: set[str] = set()
        for _key, binding in screen._bindings:
            if not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            title = binding.tooltip or binding.description.capitalize()
            keys = binding.key_display or binding.key
            yield SystemCommand(title, f"key: {keys}", partial(screen.run_action, binding.action))
        yield SystemCommand(
            "Removal checklist", "key: l", partial(self.action_open_screen, "checklist")
        )
        yield SystemCommand("Stats and charts", "key: s", partial(self.action_open_screen, "stats"))
        yield SystemCommand(
            "Who to reach out to", "key: w", partial(self.action_open_screen, "reach-out")
        )
        yield from super().get_system_commands(screen)

    def action_open_screen(self, name: str) -> None:
        """The checklist and stats screens: one at a time, never stacked on each other."""
        target = self.get_screen(name)
        if self.screen is target:
            return
        if any(self.screen is self.get_screen(other) for other in self.SCREENS):
            self.switch_screen(target)
        else:
            self.push_screen(target)

    def on_unmount(self) -> None:
        if self._review is not None:
            self._review.stop_counting()  # quitting never waits for a count
        if self._db is not None:
            self._db.close()


def _checklist_screen() -> Screen[Any]:
    from prune_tui.tui.screens.checklist import ChecklistScreen

    return ChecklistScreen()


def _stats_screen() -> Screen[Any]:
    from prune_tui.tui.screens.stats import StatsScreen

    return StatsScreen()


def _reach_out_screen() -> Screen[Any]:
    from prune_tui.tui.screens.reach_out import ReachOutScreen

    return ReachOutScreen()


def create_app(
    db_path: Path, *, demo: bool = False, clock: Callable[[], datetime] | None = None
) -> PruneApp:
    """The app on the database at `db_path`. A fixed `clock` makes ages, pace and screenshots
    repeatable."""
    return PruneApp(db_path, demo=demo, clock=clock)
