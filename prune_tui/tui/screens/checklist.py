"""The removal checklist (PRODUCT.md §7): the removals still to make on LinkedIn, one row each.

`o` opens the profile, `x` ticks it off as removed on LinkedIn (again to untick), `u` undoes,
`e` saves the checklist as HTML and Markdown into the documents folder. Rows ticked during a
visit stay in place, shown ticked, so the list does not jump under the cursor. Anyone marked
removed but still in a newer export comes first, flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, get_current_worker

from prune_tui.errors import UserError
from prune_tui.exports import profile_link
from prune_tui.formats.identity import parse_profile_url
from prune_tui.review import Review
from prune_tui.store.database import Database
from prune_tui.store.insights import (
    ChecklistItem,
    RemovalProgress,
    checklist_item,
    removal_checklist,
    removal_progress,
)
from prune_tui.tui.browser import NO_BROWSER, open_in_browser
from prune_tui.tui.failures import storage_safe
from prune_tui.tui.screens.guarded import GuardedScreen
from prune_tui.tui.text import data, safe_line
from prune_tui.tui.widgets.progress import bar
from prune_tui.tui.widgets.table import Fit, FittedTable, Share

# (key, heading, share of the width): at 80 columns name, company and URL stay readable.
COLUMNS = [
    ("tick", " ", Share("tick", 1)),
    ("name", "Name", Share("name", 16, 2, 30)),
    ("position", "Position", Share("position", 8, 3)),
    ("company", "Company", Share("company", 12, 2, 30)),
    ("url", "Profile", Share("url", 26, 2, 48)),
]
TICK = "✓"
FLAG = "!"
EXPORT_FORMATS = ("html", "md")


def save_exports(
    screen: Screen[Any],
    db: Database,
    *,
    formats: Sequence[str],
    only: str,
    what: str,
    hint: str = "",
) -> None:
    """Write exports into the documents folder in a thread (files 0600, folder 0700); a
    notification says where they are."""
    from prune_tui.exports import export_to_folder
    from prune_tui.paths import exports_dir

    app = screen.app
    clock = getattr(app, "clock", None)
    moment = clock() if clock else datetime.now(timezone.utc)
    stamp = moment.astimezone().strftime("%Y%m%d-%H%M")

    def run() -> None:
        try:
            written = export_to_folder(db, exports_dir(), formats=formats, only=only, stamp=stamp)
        except (OSError, UserError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            app.call_from_thread(
                app.notify,
                f"Could not save {what.lower()}: {reason}. Try `prune-tui export -o FILE` instead.",
                severity="error",
                markup=False,
            )
            return
        names = ", ".join(path.name for path, _ in written)
        folder = written[0][0].parent
        app.call_from_thread(
            app.notify,
            f"Saved {names} in {folder}. {hint}".strip(),
            title=f"{what} saved",
            timeout=10,
            markup=False,
        )

    screen.notify(f"Saving {what.lower()}…", timeout=2)
    screen.run_worker(run, thread=True, exclusive=True, group="export", exit_on_error=False)


def short_url(url: str) -> str:
    """A profile without the parts every row shares (`https://www.`), decoded
    (`linkedin.com/in/zoë-berg`); any other address as it is."""
    found = parse_profile_url(url)
    if found is None:
        return url.strip()
    host = found.host.removeprefix("www.")
    return f"{host}/in/{found.path_slug}"


def profile_path(url: str) -> str:
    """'linkedin.com/in/ada-l' → '/in/ada-l'; anything that is not a profile as it is."""
    found = parse_profile_url(url)
    return f"/in/{found.path_slug}" if found else url


def progress_words(progress: RemovalProgress) -> str:
    return f"{progress.done:,} of {progress.to_remove:,} removed"


class ChecklistScreen(GuardedScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "back", tooltip="Back to the cards"),
        Binding("o", "open_profile", "open", tooltip="Open the profile in your browser"),
        Binding("x", "toggle_removed", "removed", tooltip="Tick off as removed on LinkedIn"),
        Binding("u,ctrl+z", "undo", "undo", tooltip="Undo the last change"),
        Binding("c", "copy_url", "copy", tooltip="Copy the profile URL"),
        Binding("e", "export", "export", tooltip="Save the checklist as HTML and Markdown"),
    ]

    DEFAULT_CSS = """
    ChecklistScreen #checklist-progress {
        height: auto;
        padding: 0 1;
        background: $panel;
    }
    ChecklistScreen #checklist-hint {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    ChecklistScreen #checklist-table {
        height: 1fr;
    }
    ChecklistScreen #checklist-empty {
        display: none;
        height: 1fr;
        content-align: center middle;
        color: $text-muted;
    }
    ChecklistScreen.-empty #checklist-empty {
        display: block;
    }
    ChecklistScreen.-empty #checklist-table {
        display: none;
    }
    """

    def __init__(self, review: Review | None = None) -> None:
        super().__init__()
        self._review = review
        self.items: dict[int, ChecklistItem] = {}
        self.ticked: set[int] = set()
        self.progress: RemovalProgress | None = None
        self.loaded = False
        self._url_width = 0

    @property
    def review(self) -> Review:
        if self._review is None:
            self._review = self.app.review  # type: ignore[attr-defined]
        assert self._review is not None
        return self._review

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        from prune_tui.tui.app import PruneApp

        if isinstance(self.app, PruneApp):
            self.app.report_worker_failure(event)

    def compose(self) -> ComposeResult:
        yield Static(id="checklist-progress", markup=False)
        yield Static(
            Content(
                "Open each profile (o), choose More → Remove connection on LinkedIn, "
                "then tick it off here (x). A later export confirms it."
            ),
            id="checklist-hint",
        )
        yield FittedTable(
            [share for _, _, share in COLUMNS],
            id="checklist-table",
            cursor_type="row",
            zebra_stripes=True,
        )
        yield Static(Content("Loading…"), id="checklist-empty")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, heading, share in COLUMNS:
            table.add_column(heading, key=key, width=share.least)
        self.add_class("-empty")

    def on_screen_resume(self) -> None:
        # The app keeps this screen installed: each visit starts from what is left to do.
        self.load()

    # -- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="checklist-load", exit_on_error=False)
    @storage_safe
    def load(self) -> None:
        """At 30,000 connections the query takes a moment: off the event loop."""
        items = removal_checklist(self.review.db)
        progress = removal_progress(self.review.db)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._fill, items, progress)

    def _fill(self, items: list[ChecklistItem], progress: RemovalProgress) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.items = {item.id: item for item in items}
        # Whole addresses when the column has room for the longest, else all from /in/ on.
        self._url_width = max((len(short_url(item.url)) for item in items), default=0)
        self.ticked.clear()
        for item in items:
            table.add_row(*self._cells(item), key=str(item.id))
        self.loaded = True
        self._show_progress(progress)
        self._update_empty()
        table.focus()

    def _cells(self, item: ChecklistItem) -> tuple[Fit, ...]:
        if item.id in self.ticked:
            mark = Content.styled(TICK, "$success bold")
        elif item.flagged:
            mark = Content.styled(FLAG, "$warning bold")
        else:
            mark = Content("·")
        name = data(item.full_name or "(no name)", "strike" if item.id in self.ticked else "")
        url = short_url(item.url)
        return (
            Fit(mark),
            Fit(name),
            Fit(data(item.position)),
            Fit(data(item.company)),
            # A narrow column drops the host every row shares, not the end that tells rows apart.
            Fit(data(url), data(profile_path(item.url)), full_from=self._url_width),
        )

    def _refresh_row(self, item: ChecklistItem) -> None:
        table = self.query_one(DataTable)
        for column, cell in zip(
            ("tick", "name", "position", "company", "url"), self._cells(item), strict=True
        ):
            table.update_cell(str(item.id), column, cell)

    def _show_progress(self, progress: RemovalProgress | None = None) -> None:
        self.progress = progress or removal_progress(self.review.db)
        p = self.progress
        width = max(10, min(40, self.size.width - 60))
        parts: list[Content | tuple[str, str] | str] = [
            (progress_words(p), "bold"),
            "  ",
            bar(p.done, p.to_remove, width, "$success"),
            f"  {p.left:,} to go",
        ]
        if p.confirmed:
            parts.append(f" · {p.confirmed:,} confirmed by a later export")
        if p.flagged:
            parts.append(
                (
                    f" · {FLAG} {p.flagged:,} marked removed but still in your newer export",
                    "$warning",
                )
            )
        self.query_one("#checklist-progress", Static).update(Content.assemble(*parts))

    def _update_empty(self) -> None:
        empty = not self.items
        self.set_class(empty, "-empty")
        if empty and self.progress is not None:
            words = (
                "Nothing left to remove on LinkedIn. Well pruned."
                if self.progress.to_remove
                else "No removals yet: press r on a card to decide to remove someone."
            )
            self.query_one("#checklist-empty", Static).update(Content(words))

    # -- the row under the cursor -------------------------------------------------------------

    @property
    def current(self) -> ChecklistItem | None:
        table = self.query_one(DataTable)
        if not self.items or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return self.items.get(int(key.value or 0))

    @storage_safe
    def action_toggle_removed(self) -> None:
        item = self.current
        if item is None:
            return
        review = self.review
        if item.id in self.ticked:
            review.set_removed(item.id, False)
            self.ticked.discard(item.id)
            self.notify(
                f"{safe_line(item.full_name)} is back on the list.", timeout=2, markup=False
            )
        else:
            if item.flagged:
                # Ticked before, yet a newer export still had them: this tick is the new one.
                review.set_removed(item.id, False)
            review.set_removed(item.id, True)
            self.ticked.add(item.id)
            self.query_one(DataTable).action_cursor_down()
        self._reload_item(item.id)
        self._show_progress()

    def _reload_item(self, connection_id: int) -> None:
        fresh = checklist_item(self.review.db, connection_id)
        if fresh is None or connection_id not in self.items:
            return
        if fresh.marked_at is not None and not fresh.flagged:
            self.ticked.add(connection_id)
        else:
            self.ticked.discard(connection_id)
        self.items[connection_id] = fresh
        self._refresh_row(fresh)

    @storage_safe
    def action_undo(self) -> None:
        result = self.review.undo()
        if result is None:
            self.notify("Nothing to undo.", timeout=3)
            return
        item = checklist_item(self.review.db, result.connection_id)
        name = safe_line(item.full_name) if item else "a connection"
        self.notify(result.describe(name), timeout=3, markup=False)
        if result.field == "removed" and result.connection_id in self.items:
            self._reload_item(result.connection_id)
            self._show_progress()
        elif result.field == "decision":
            self.load()  # the set of removals itself changed
        else:
            self._show_progress()

    def action_open_profile(self) -> None:
        item = self.current
        if item is None:
            return
        if not item.url.strip():
            self.notify("This connection has no profile URL in the export.", severity="warning")
            return
        link = profile_link(item.url)
        if link is None:
            self.notify(
                "This link does not look like a LinkedIn profile, so it was not opened. "
                "Press c to copy it instead.",
                severity="warning",
            )
            return
        if open_in_browser(self.app, link):
            self.notify("Opened the profile in your browser. Press x once you have removed them.")
        else:
            self.notify(NO_BROWSER, severity="warning", timeout=6)

    def action_copy_url(self) -> None:
        item = self.current
        if item is None or not item.url.strip():
            self.notify("This connection has no profile URL to copy.", severity="warning")
            return
        link = profile_link(item.url)
        self.app.copy_to_clipboard(link or safe_line(item.url))
        self.notify("Profile URL copied.", timeout=2)

    # -- export -------------------------------------------------------------------------------

    def action_export(self) -> None:
        save_exports(
            self,
            self.review.db,
            formats=EXPORT_FORMATS,
            only="remove",
            what="The checklist",
            hint="Open the HTML file to tick people off in your browser.",
        )

    def action_close(self) -> None:
        self.dismiss(None)

    @on(DataTable.RowSelected)
    def open_selected(self) -> None:
        self.action_open_profile()
