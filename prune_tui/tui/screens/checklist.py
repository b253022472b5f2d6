"""The removal checklist (docs/PRODUCT.md §7): a removal session, the removals to make on
LinkedIn one row each, at a daily pace.

The loop is "open the profile (enter or o), remove them on LinkedIn, come back, X": `x` ticks
the row off and moves to the next, `X` ticks it off and opens the next profile at once, `u`
undoes. `p` changes the daily pace, `f` the order, `e` saves the checklist as HTML and
Markdown. The header says how today and the whole job stand. Rows ticked during this session
stay in place, so the list does not move under the cursor; anyone ticked in an earlier session
is listed at the end, greyed, and can be unticked. Anyone marked removed but still in a newer
export comes first, flagged.

The table is paged (widgets/paged.py), so the screen opens as fast on 10,000 removals as on
ten, and it stays installed: a return to it reads one page again, not the whole list.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from sqlalchemy.exc import SQLAlchemyError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.timer import Timer
from textual.widgets import DataTable, Static

from prune_tui.formats.identity import parse_profile_url
from prune_tui.services.facades import ListExports, Removals
from prune_tui.services.removals import (
    ChecklistPager,
    RemovalOrder,
    RemovalPace,
    RemovalRow,
    local_midnight,
    stamp,
)
from prune_tui.services.review import Review
from prune_tui.store.problems import StorageFailed
from prune_tui.text.words import plural
from prune_tui.tui.browser import copy_profile, open_profile
from prune_tui.tui.failures import storage_safe, tell, worker_safe
from prune_tui.tui.messages import (
    CursorMoved,
    LoadFailed,
    PaceCounted,
    RemovalsChanged,
    RowsLoaded,
)
from prune_tui.tui.safe import data, safe_line
from prune_tui.tui.saving import save_exports
from prune_tui.tui.screens.guarded import GuardedScreen
from prune_tui.tui.widgets.keybar import Key, KeyBar
from prune_tui.tui.widgets.paged import PagedTable
from prune_tui.tui.widgets.table import Fit, Share

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
TODAY = "○"  # one of today's share
LATER = "·"
ORDER_CYCLE = list(RemovalOrder)
# The keys at the foot of the screen: one line drawn by one widget (Textual's Footer builds
# a widget per key, some 100 ms more to open the screen on a busy machine). Every key is also
# in the help screen and the command palette.
FOOTER_KEYS = (
    Key("esc", "back", "screen.close"),
    Key("enter", "open", "screen.open_profile", rank=2),
    Key("x", "removed", "screen.tick"),
    Key("X", "removed, open next", "screen.tick_and_open_next"),
    Key("u", "undo", "screen.undo", rank=1),
    Key("p", "pace", "screen.change_pace", rank=3),
    Key("f", "order", "screen.cycle_order", rank=4),
    Key("e", "export", "screen.export", rank=5),
    Key("c", "copy", "screen.copy_url", rank=6),
    Key("?", "help", "app.help", rank=7),
)
# How often the header looks at the clock (a new day starts a new session).
DAY_CHECK_SECONDS = 60
# Seconds after the last tick before the header's figures are counted again.
RECOUNT_PAUSE = 2.0
EXPORT_FORMATS = ("html", "md")


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


def pace_words(pace: RemovalPace) -> Content:
    """ "today 12 of 25 · 212 of 3,040 removed · about 113 days at this pace", and a quiet
    note once today's pace is met."""
    parts: list[Content | tuple[str, str] | str] = [
        (f"today {pace.removed_today:,} of {pace.per_day:,}", "bold"),
        f" · {pace.done:,} of {pace.to_remove:,} removed",
    ]
    days = pace.days_left
    if days is not None:
        parts.append(f" · about {plural(days, 'day')} at this pace")
    if pace.met_today and days is not None:
        parts.append(("  today's pace is met: the rest can wait for tomorrow", "$success"))
    if pace.confirmed:
        parts.append((f" · {pace.confirmed:,} confirmed by a later export", "dim"))
    if pace.flagged:
        flagged = f" · {FLAG} {pace.flagged:,} marked removed but still in your newer export"
        parts.append((flagged, "$warning"))
    return Content.assemble(*parts)


class ChecklistScreen(GuardedScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "back", tooltip="Back to the cards"),
        Binding("o", "open_profile", "open", tooltip="Open the profile in your browser"),
        Binding("x", "tick", "removed", tooltip="Tick off as removed on LinkedIn, then the next"),
        Binding(
            "X",
            "tick_and_open_next",
            "removed, open next",
            key_display="X",
            tooltip="Tick off as removed and open the next profile",
        ),
        Binding("u,ctrl+z", "undo", "undo", tooltip="Undo the last tick"),
        Binding("p", "change_pace", "pace", tooltip="Change the daily pace of removals"),
        Binding("f", "cycle_order", "order", tooltip="Change the order of the checklist"),
        Binding("c", "copy_url", "copy", tooltip="Copy the profile URL"),
        Binding("e", "export", "export", tooltip="Save the checklist as HTML and Markdown"),
    ]

    DEFAULT_CSS = """
    ChecklistScreen #checklist-progress {
        height: auto;
        min-height: 1;
        padding: 0 1;
        background: $panel;
    }
    ChecklistScreen #checklist-hint {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    ChecklistScreen #checklist-where {
        height: 1;
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
    ChecklistScreen.-empty #checklist-table, ChecklistScreen.-empty #checklist-where {
        display: none;
    }
    """

    def __init__(self, review: Review, removals: Removals, exports: ListExports) -> None:
        super().__init__()
        self.review = review
        self.removals = removals
        self.exports = exports
        self.pace: RemovalPace | None = None
        self._counted_with_rows = False  # the figures of the rows being read are on their way
        self.order = RemovalOrder.OLDEST
        self.session: datetime | None = None  # when this session began (a new one each day)
        self.day: date | None = None
        self.parts = (0, 0)  # (rows before those ticked earlier, rows ticked earlier)
        self._url_width = 0
        self._longest_url = ""
        self._header_lines = 1  # the header's height as laid out (one line at first)
        self._recount_timer: Timer | None = None
        self._pager: ChecklistPager | None = None
        self._visited = False

    @property
    def table(self) -> PagedTable:
        return self.query_one(PagedTable)

    @property
    def loaded(self) -> bool:
        return self.table.loaded

    def compose(self) -> ComposeResult:
        yield Static(id="checklist-progress", markup=False)
        yield Static(
            Content(
                "Open a profile (enter), choose More → Remove connection on LinkedIn, come "
                "back and press X: ticked, and the next one opens. A later export confirms it."
            ),
            id="checklist-hint",
        )
        yield PagedTable(
            [share for _, _, share in COLUMNS],
            key=lambda row: row.id,
            cells=self._cells,
            id="checklist-table",
            zebra_stripes=True,
        )
        yield Static(id="checklist-where", markup=False)
        yield Static(id="checklist-empty", markup=False)
        yield KeyBar(FOOTER_KEYS, id="checklist-keys")

    def on_mount(self) -> None:
        table = self.table
        for key, heading, share in COLUMNS:
            table.add_column(heading, key=key, width=share.least)
        # The table is laid out (empty) while its rows are read, so their arrival draws the
        # rows alone, not a new layout of the screen.
        # Focused before its rows come: a change of focus would draw every row again.
        table.focus()
        self.set_interval(DAY_CHECK_SECONDS, self._check_day)

    def on_screen_resume(self) -> None:
        # The app keeps this screen installed. The first visit reads the list; a later one
        # reads the page around the cursor again (a decision may have added or taken a row).
        if not self._visited or self._new_day():
            self._visited = True
            self._start_session()
        else:
            self._look_again()

    # -- the session --------------------------------------------------------------------------

    def _now(self) -> datetime:
        return self.review.now()

    def _new_day(self) -> bool:
        return self.day is not None and local_midnight(self._now()).date() != self.day

    def _check_day(self) -> None:
        if self._new_day():
            self._start_session()

    def _start_session(self) -> None:
        """A new session (each day): ticks made before it are listed at the end."""
        now = self._now()
        self.session = now
        self.day = local_midnight(now).date()
        self.order = self.removals.order()
        self._read()

    def pager(self) -> ChecklistPager:
        """The checklist in this session's order: one pager kept while they stay the same
        (it keeps the order's keys, read again only when the removals change)."""
        assert self.session is not None
        held = self._pager
        session = stamp(self.session)
        if held is None or held.order is not self.order or held.session != session:
            held = self._pager = self.removals.pager(self.order, session)
        return held

    def _read(self, keep: RemovalRow | None = None) -> None:
        # The figures are counted while the rows are read and drawn, in a worker of their own
        # (their count is in SQLite, which leaves Python free for the drawing): they follow
        # the rows by a few milliseconds rather than by a count after the rows' paint.
        self.table.load(self.pager(), around=keep)
        self._counted_with_rows = True
        self._count()

    @work(thread=True, exclusive=True, group="checklist-count", exit_on_error=False)
    @worker_safe
    def _look_again(self) -> None:
        """On a return: the rows held are shown at once; they are read again only if the
        removals changed meanwhile (a decision on a card, an import). The figures are
        counted again either way."""
        if self.pager().changed():
            self.post_message(RemovalsChanged())
        self._count_now()

    @on(RemovalsChanged)
    def _removals_changed(self) -> None:
        self.table.load(self.pager(), around=self.current)

    @work(thread=True, exclusive=True, group="checklist-count", exit_on_error=False)
    @worker_safe
    def _count(self) -> None:
        self._count_now()

    def _count_now(self) -> None:
        """The header's figures: a count over every removal, off the event loop."""
        pace = self.removals.pace(self._now(), self.session)
        self.post_message(PaceCounted(pace, (pace.listed - pace.earlier, pace.earlier)))

    @on(PaceCounted)
    def _counted(self, message: PaceCounted) -> None:
        was = self._share_end()
        self.pace = message.pace
        self.parts = message.parts
        self._show_pace()
        self._show_where()
        # Today's share known (or changed, with the pace): its rows drawn again.
        self.table.redraw_range(min(was, self._share_end()), max(was, self._share_end()))

    @on(RowsLoaded)
    def _rows_loaded(self) -> None:
        self._show_where()
        self._update_empty()
        if self._counted_with_rows:  # counted alongside (_read)
            self._counted_with_rows = False
        else:
            self._count()

    @on(CursorMoved)
    def _moved(self) -> None:
        self._show_where()

    @on(LoadFailed)
    def _load_failed(self, event: LoadFailed) -> None:
        self.notify(event.reason, severity="error", markup=False)

    # -- drawing ------------------------------------------------------------------------------

    def _cells(self, item: RemovalRow) -> tuple[Fit, ...]:
        index = self.table.drawing
        if item.ticked:
            mark = Content.styled(TICK, "dim" if item.earlier else "$success bold")
        elif item.flagged:
            mark = Content.styled(FLAG, "$warning bold")
        elif index < self._share_end():
            mark = Content.styled(TODAY, "$accent bold")
        else:
            mark = Content.styled(LATER, "dim")
        style = "strike" if item.ticked else ""
        if item.earlier:
            style = "dim strike" if item.ticked else "dim"
        url = short_url(item.url)
        # Whole addresses when the column has room for the longest, else all from /in/ on.
        longest = self._pager.longest_url if self._pager is not None else ""
        if longest != self._longest_url:
            self._longest_url = longest
            self._url_width = len(short_url(longest))
        # Room for the longest address of the whole list where the width allows it.
        self.table.column_at_least("url", self._url_width)
        return (
            Fit(mark),
            Fit(data(item.full_name or "(no name)", style)),
            Fit(data(item.position, "dim" if item.earlier else "")),
            Fit(data(item.company, "dim" if item.earlier else "")),
            # A narrow column drops the host every row shares, not the end that tells rows apart.
            Fit(data(url), data(profile_path(item.url)), full_from=self._url_width),
        )

    def _share_end(self) -> int:
        """Rows before this place in the list (flagged and to do, as the session began; those
        ticked since stay in place) are today's share."""
        return self.pace.todays_share if self.pace is not None else 0

    def _show_pace(self) -> None:
        if self.pace is not None:
            header = self.query_one("#checklist-progress", Static)
            words = pace_words(self.pace)
            # A new layout (which draws the whole screen again) only when the header takes
            # another number of lines: not on every tick.
            room = max(header.content_region.width, 1)
            lines = -(-words.cell_length // room)
            header.update(words, layout=lines != self._header_lines)
            self._header_lines = lines
        self._update_empty()

    def _show_where(self) -> None:
        table = self.table
        earlier = self.parts[1]
        words = [table.position_words() or "nothing to remove", self.order.label]
        if earlier:
            words.append(f"{earlier:,} ticked earlier, at the end")
        words.append("f order · p pace")
        # One line, always: no new layout for it.
        self.query_one("#checklist-where", Static).update(Content(" · ".join(words)), layout=False)

    def _update_empty(self) -> None:
        table = self.table
        empty = table.loaded and table.total == 0
        self.set_class(empty, "-empty")
        if empty:
            to_remove = self.pace.to_remove if self.pace else 0
            words = (
                "Nothing left to remove on LinkedIn. Well pruned."
                if to_remove
                else "No removals yet: press r on a card to decide to remove someone."
            )
            self.query_one("#checklist-empty", Static).update(Content(words))

    # -- the row under the cursor -------------------------------------------------------------

    @property
    def current(self) -> RemovalRow | None:
        item = self.table.current
        return item if isinstance(item, RemovalRow) else None

    def _set_removed(self, item: RemovalRow, removed: bool) -> bool:
        """Write the tick (or untick); False (and a message) when it could not be written."""
        try:
            if removed and item.flagged:
                # Ticked before, yet a newer export still had them: this tick is the new one.
                self.review.set_removed(item.id, False)
            self.review.set_removed(item.id, removed)
        except StorageFailed as failure:
            tell(self, failure, "Press x again")
            return False
        except SQLAlchemyError:
            self.notify(
                "The tick could not be saved: the database is busy in another window. "
                "Try again in a moment.",
                severity="error",
            )
            return False
        return True

    def action_tick(self) -> None:
        """Tick off the row under the cursor and move to the next (on a ticked row: untick)."""
        self._tick(open_next=False)

    def action_tick_and_open_next(self) -> None:
        self._tick(open_next=True)

    def _tick(self, *, open_next: bool) -> None:
        table = self.table
        item = self.current
        if item is None or table.reading:
            return
        if self._new_day():
            self._start_session()
            return
        index = table.cursor_row
        if item.ticked and not open_next:
            if not self._set_removed(item, False):
                return
            self._redraw(index, item, change=-1, today=-int(self._ticked_today(item)))
            back = f"{safe_line(item.full_name)} is back on the list."
            self.notify(back, timeout=2, markup=False)
            return
        if not item.ticked:
            if not self._set_removed(item, True):
                return
            self._redraw(index, item, change=+1, unflagged=int(item.flagged))
        table.action_cursor_down()
        if open_next:
            following = self.current
            if following is None or following.id == item.id or following.ticked:
                self.notify("That was the last one to remove in this list.", timeout=3)
            else:
                self.action_open_profile()

    def _ticked_today(self, item: RemovalRow) -> bool:
        midnight = stamp(local_midnight(self._now()))
        return item.marked_at is not None and item.marked_at >= midnight

    def _redraw(
        self,
        index: int,
        item: RemovalRow,
        *,
        change: int,
        today: int | None = None,
        unflagged: int = 0,
    ) -> None:
        """Repaint one row and the header at once (no recount); the exact figures follow
        from a worker."""
        fresh = self.pager().fresh(item)
        if fresh is not None:
            self.table.redraw_at(index, fresh)
        if self.pace is not None:
            self.pace = self.pace.ticked_by(change, today, unflagged=unflagged)
            self._show_pace()
        # The figures above are exact; a recount (a scan of every removal) after a pause
        # catches what another window did meanwhile, without slowing a run of ticks.
        if self._recount_timer is not None:
            self._recount_timer.stop()
        self._recount_timer = self.set_timer(RECOUNT_PAUSE, self._count)

    @storage_safe
    def action_undo(self) -> None:
        try:
            result = self.review.undo()
        except SQLAlchemyError:
            self.notify("Nothing was undone: the database is busy in another window.")
            return
        if result is None:
            self.notify("Nothing to undo.", timeout=3)
            return
        table = self.table
        ids = [row.id for row in table.items]
        held = ids.index(result.connection_id) if result.connection_id in ids else None
        name = "a connection"
        if held is not None:
            name = safe_line(table.items[held].full_name)
        self.notify(result.describe(name), timeout=3, markup=False)
        if result.field == "removed" and held is not None:
            item = table.items[held]
            if result.new:  # a tick taken back
                self._redraw(held, item, change=-1, today=-int(self._ticked_today(item)))
            else:
                self._redraw(held, item, change=+1)
            table.move_cursor(row=held)
        else:
            # A decision undone adds or takes a removal: the page around the cursor again.
            self._read(keep=self.current)

    def action_change_pace(self) -> None:
        from prune_tui.tui.screens.pace import PaceScreen

        self.app.push_screen(PaceScreen(self.removals.per_day()), self._pace_chosen)

    @storage_safe
    def _pace_chosen(self, value: int | None) -> None:
        if value is None:
            return
        self.removals.set_per_day(value)
        self.notify(f"The daily pace is now {value:,} removals.", timeout=3)
        # Today's share changes with the pace: the rows are drawn again.
        self._read(keep=self.current)

    @storage_safe
    def action_cycle_order(self) -> None:
        index = ORDER_CYCLE.index(self.order)
        self.order = ORDER_CYCLE[(index + 1) % len(ORDER_CYCLE)]
        self.removals.set_order(self.order)
        self.table.load(self.pager())
        self.notify(f"Checklist {self.order.label}.", timeout=2)

    def action_open_profile(self) -> None:
        item = self.current
        if item is not None:
            open_profile(
                self,
                item.url,
                "Opened the profile in your browser. Once they are removed, press X here.",
            )

    def action_copy_url(self) -> None:
        item = self.current
        if item is not None:
            copy_profile(self, item.url)

    # -- export -------------------------------------------------------------------------------

    def action_export(self) -> None:
        save_exports(
            self,
            self.exports,
            formats=EXPORT_FORMATS,
            only="remove",
            what="The checklist",
            hint="Open the HTML file to tick people off in your browser.",
        )

    def action_close(self) -> None:
        if self.is_current:
            self.dismiss(None)

    @on(DataTable.RowSelected)
    def open_selected(self) -> None:
        self.action_open_profile()
