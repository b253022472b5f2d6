"""Browse everyone in a table, filtered, searched and sorted; Enter opens the card.

Deciding many at once (docs/PRODUCT.md §11): `m` marks a row, `M` every row the query matches
(again: none); `k`/`n`/`r` with rows marked asks first (a dialog with the count and a few names)
and applies in a worker; without marks they decide the row under the cursor. `u` undoes, a whole
decision for many in one step. The search box reads the query language.

The table is paged (widgets/paged.py): whatever the size of the network, it holds a window
of rows around the cursor. The screen stays installed between visits, so its query and
position are there when the user comes back. A query typed runs after a short pause in typing,
waited out in an exclusive worker (a newer key cancels it), and is read in the table's worker:
never on the event loop. `current_query()` is the one place that turns what the screen shows
into a query.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual._time import get_time
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from prune_tui.model import Decision
from prune_tui.services.bulk import Marks, describe_batch
from prune_tui.services.paging import BrowsePager
from prune_tui.services.query import QueryError, parse
from prune_tui.services.review import (
    FILTER_LABELS,
    ChangedElsewhere,
    Filter,
    Order,
    Queue,
    Review,
    Row,
)
from prune_tui.store.bulk import Batch
from prune_tui.text.evidence import when
from prune_tui.tui.failures import storage_safe, worker_safe
from prune_tui.tui.messages import (
    CursorMoved,
    LoadFailed,
    QueryChecked,
    RowsLoaded,
    RowsMarked,
    WorkFailed,
)
from prune_tui.tui.safe import data, look, safe_line
from prune_tui.tui.screens.guarded import GuardedScreen
from prune_tui.tui.widgets.keybar import Key, KeyBar
from prune_tui.tui.widgets.paged import PagedTable, Window
from prune_tui.tui.widgets.table import Fit, Share

# A pause in typing this long (seconds, from the key) runs the search: keys that come faster than
# this (a paste, a burst the terminal delivers at once) make one query, not one each; a person's
# keys come 60 ms or more apart, and a newer key cancels a search still waiting. Short, because it
# is part of the 50 ms from the last key to its rows (issue 13) and the query is cheap: its words
# are looked up in C (store/schema.py `search_texts`), off the event loop, its rows painted before
# the count.
SEARCH_PAUSE = 0.01
FILTER_CYCLE = [
    Filter.ALL,
    Filter.UNDECIDED,
    Filter.KEEP,
    Filter.NURTURE,
    Filter.REMOVE,
    Filter.NEW,
    Filter.GONE,
]
# (key, heading, share of the width): every column shows from 80 columns up.
COLUMNS = [
    ("name", "Name", Share("name", 12, 3, 40)),
    ("decision", "Decision", Share("decision", 8)),
    ("connected", "Connected", Share("connected", 10)),
    ("company", "Company", Share("company", 10, 2, 32)),
    ("position", "Position", Share("position", 10, 3)),
    ("messages", "Messages", Share("messages", 13, 3, 28)),
]
# The order a click on a column's heading sorts by (Connected again: newest first).
SORT_BY_COLUMN = {
    "name": Order.NAME,
    "connected": Order.OLDEST,
    "company": Order.COMPANY,
    "messages": Order.NEVER_MESSAGED,
}
SORT_CYCLE = [Order.OLDEST, Order.NEWEST, Order.NEVER_MESSAGED, Order.COMPANY, Order.NAME]
SORTED_COLUMN = {
    Order.OLDEST: ("connected", "↑"),
    Order.NEWEST: ("connected", "↓"),
    Order.NEVER_MESSAGED: ("messages", "↑"),
    Order.COMPANY: ("company", "↑"),
    Order.NAME: ("name", "↑"),
}
# The keys at the foot of the screen: one line drawn by one widget, as on the card (Textual's
# Footer builds a widget per key, slower to open).
FOOTER_KEYS = (
    Key("esc", "back", "screen.close"),
    Key("enter", "open the card", None, rank=5),
    Key("/", "search", "screen.focus_search"),
    Key("^f", "filter", "screen.cycle_filter"),
    Key("o", "sort", "screen.cycle_sort", rank=2),
    Key("m", "mark", "screen.toggle_mark", rank=1),
    Key("M", "mark all", "screen.mark_all", rank=1),
    Key("k n r", "decide", None, rank=1),
    Key("u", "undo", "screen.undo", rank=3),
    Key("end", "last row", None, rank=4),
    Key("?", "help", "app.help", rank=6),
)
MARK = "● "  # before the name of a marked row
GONE_WORDS = "no longer"  # under "Connected": no longer connected
INVITED = {"them": "they invited", "me": "you invited"}


def evidence_cell(row: Row, today: date) -> Fit:
    """ "23 · Mar 2024 · they invited" (who invited whom only where it fits), "—" when never
    messaged, nothing when no messages file was imported."""
    messages = ""
    if row.message_count:
        last = when(row.last_message_at, today)
        messages = f"{row.message_count:,} · {last}" if last else f"{row.message_count:,}"
    elif row.messages_known:
        messages = "—"
    invited = INVITED.get(row.invited_by or "")
    if not invited:
        return Fit(Content(messages))
    return Fit(Content(" · ".join(p for p in (messages, invited) if p)), Content(messages))


class SearchBox(Input):
    """Browse's search box. Enter goes to the table there and then (`on_enter`), as the box
    reads the key, rather than by a binding run once the key has travelled up to the app:
    Textual routes each key to the focused widget as it arrives, so keys sent together with
    the Enter (`Enter M r`) are already queued here. They are sent on to the table."""

    def __init__(self, on_enter: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._hand_over = on_enter

    async def _on_key(self, event: events.Key) -> None:
        if self.screen.focused is not self:  # sent with the Enter that went to the table
            event.stop()
            event.prevent_default()
            self.app.post_message(events.Key(event.key, event.character))
        elif event.key == "enter":
            event.stop()
            event.prevent_default()
            self._hand_over()


class BrowseScreen(GuardedScreen[int | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "back to the card"),
        Binding("ctrl+f", "cycle_filter", "filter", priority=True),
        Binding("slash", "focus_search", "search", key_display="/"),
        Binding("o", "cycle_sort", "sort", tooltip="Sort by another column"),
        Binding("down", "to_table", "to the table", show=False),
        Binding("m", "toggle_mark", "mark", tooltip="Mark or unmark this row"),
        Binding(
            "M", "mark_all", "mark all", tooltip="Mark every row matching (again: clear marks)"
        ),
        Binding("k", "decide('keep')", "keep", tooltip="Keep the marked people (or this row)"),
        Binding(
            "n", "decide('nurture')", "nurture", tooltip="Nurture the marked people (or this row)"
        ),
        Binding(
            "r", "decide('remove')", "remove", tooltip="Remove the marked people (or this row)"
        ),
        Binding("u,ctrl+z", "undo", "undo", tooltip="Undo the last change"),
    ]

    DEFAULT_CSS = """
    BrowseScreen #browse-table {
        height: 1fr;
    }
    BrowseScreen #browse-where {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """

    def __init__(self, review: Review, queue: Queue) -> None:
        super().__init__()
        self.review = review
        self.order = queue.order
        self.filter = Filter.ALL
        self.search_text = ""
        self._pending: str | None = None  # the search text waiting out its pause
        self._status_width = -1  # of the status line as last shown
        self._visited = False
        self.marks = Marks()
        self.marking = False  # M is reading every row of the query
        self._decide_when_marked: Decision | None = None  # k/n/r typed meanwhile

    def compose(self) -> ComposeResult:
        with Horizontal(id="browse-bar"):
            yield SearchBox(
                self.action_to_table,
                placeholder="search names, companies, positions… or a query: messages:0",
                id="browse-search",
            )
            yield Static(id="browse-status", markup=False)
        yield PagedTable(
            [share for _, _, share in COLUMNS],
            key=lambda row: row.id,
            cells=self._cells,
            count_later=True,  # a search's rows first, then how many match
            id="browse-table",
            zebra_stripes=True,
        )
        yield Static(id="browse-where", markup=False)
        yield KeyBar(FOOTER_KEYS, id="browse-keys")

    @property
    def table(self) -> PagedTable:
        return self.query_one(PagedTable)

    def on_mount(self) -> None:
        table = self.table
        for key, heading, share in COLUMNS:
            table.add_column(heading, key=key, width=share.least)
        self._mark_sorted_column()
        self.run_query()
        table.focus()

    def on_screen_resume(self) -> None:
        # Back from a card: the same query and row, each row read again (a decision may have
        # changed it, or moved it out of the filter).
        if self._visited:
            self.run_query(keep=self.table.current)
        self._visited = True

    # -- the query: what bulk actions and the status line read --------------------------------

    def current_query(self) -> Queue:
        """The query the table shows: filter, order and the search typed."""
        return Queue(self.order, self.filter, self.search_text)

    def run_query(self, keep: Row | None = None) -> None:
        """Count and read the first rows (or those around `keep`) in a worker."""
        self.table.load(BrowsePager(self.review, self.current_query()), around=keep)

    @storage_safe
    def redraw_rows(self, ids: Sequence[int]) -> None:
        """Repaint these rows (if held) with what the database holds now."""
        for row in self.review.rows_by_id(ids).values():
            self.table.redraw(row)

    # -- drawing ------------------------------------------------------------------------------

    def _cells(self, row: Row) -> tuple[Fit, ...]:
        shown = look(row.decision)
        connected = (
            Content.styled(GONE_WORDS, "$warning") if row.gone else Content(row.connected_on or "")
        )
        return (
            self._name_cell(row),
            Fit(Content.styled(shown.label if row.decision else "·", shown.style)),
            Fit(connected),
            Fit(data(row.company)),
            Fit(data(row.position)),
            evidence_cell(row, self.review.today()),
        )

    def _name_cell(self, row: Row) -> Fit:
        name = data(row.name or "(no name)")
        if row.id in self.marks:
            name = Content.assemble((MARK, "bold $accent"), name)
        return Fit(name)

    def _status(self) -> None:
        table = self.table
        marked = (
            Content.assemble(("  ·  ", "dim"), (f"{len(self.marks):,} marked", "bold $accent"))
            if self.marks
            else Content("")
        )
        status = Content.assemble(
            (f"{table.total:,} ", "bold"),
            FILTER_LABELS[self.filter],
            marked,
            ("  ctrl+f filter", "dim"),
        )
        shown = self.query_one("#browse-status", Static)
        # The screen is laid out again only when the line's width changes (a search's count
        # of another length): a layout costs as much as the rows' paint.
        width = status.cell_length
        shown.update(status, layout=width != self._status_width)
        self._status_width = width
        self._where()

    def _where(self) -> None:
        """The line under the table (one line: no new layout for it, on every move)."""
        table = self.table
        where = table.position_words() if table.total else "No one here."
        if self.search_text and not table.total:
            where = "No one matches this search."
        self.query_one("#browse-where", Static).update(
            Content(f"{where} · {self.order.label} · o or a click on a heading sorts"),
            layout=False,
        )

    def _mark_sorted_column(self) -> None:
        table = self.table
        sorted_key, arrow = SORTED_COLUMN[self.order]
        for key, heading, _share in COLUMNS:
            label = f"{heading}{arrow}" if key == sorted_key else heading
            table.columns[key].label = Text(label)  # type: ignore[index]
        table.fit_columns()
        table.refresh()

    @on(RowsLoaded)
    def show_status(self) -> None:
        self._status()

    @on(CursorMoved)
    def show_where(self) -> None:
        self._where()

    @on(LoadFailed)
    def say_load_failed(self, event: LoadFailed) -> None:
        self.notify(event.reason, severity="error", markup=False)

    @on(DataTable.RowSelected)
    def open_card(self, event: DataTable.RowSelected) -> None:
        if self.is_current:  # a second key in the same instant finds the screen gone
            self.dismiss(int(event.row_key.value or 0))

    @on(DataTable.HeaderSelected)
    def sort_by_column(self, event: DataTable.HeaderSelected) -> None:
        order = SORT_BY_COLUMN.get(str(event.column_key.value))
        if order is None:
            self.notify("This column cannot be sorted; try Name, Connected, Company or Messages.")
            return
        if order is Order.OLDEST and self.order is Order.OLDEST:
            order = Order.NEWEST
        self._sort(order)

    def action_cycle_sort(self) -> None:
        index = SORT_CYCLE.index(self.order) if self.order in SORT_CYCLE else -1
        self._sort(SORT_CYCLE[(index + 1) % len(SORT_CYCLE)])

    def _sort(self, order: Order) -> None:
        self.order = order
        self._mark_sorted_column()
        self.run_query()  # a new order starts from its top

    @on(Input.Changed, "#browse-search")
    def search(self, event: Input.Changed) -> None:
        text = event.value.strip()
        try:
            parse(text)
        except QueryError as exc:
            # Said at once under the table; the rows of the last readable query stay.
            self._cancel_search()
            self._say_problem(str(exc))
            return
        if text == self.search_text:
            self._cancel_search()
            self._where()
            return
        self._pending = text
        self.search_after_pause(text, event.time)

    def _cancel_search(self) -> None:
        self._pending = None
        self.workers.cancel_group(self, "search")

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    @worker_safe
    def search_after_pause(self, text: str, typed_at: float) -> None:
        """Wait out the pause in typing (from the key typed at `typed_at`, Textual's clock; a
        newer key cancels this worker), then see whether the query can be answered here and
        read its first rows, all off the event loop. The pause is waited here, not by a timer
        on the event loop, so painting the key typed does not lengthen it."""
        worker = get_current_worker()
        time.sleep(max(0.0, SEARCH_PAUSE - (get_time() - typed_at)))
        if worker.is_cancelled:
            return
        first = None
        try:
            problem = self.review.check_query(text) if text else None
            if problem is None and not worker.is_cancelled:
                pager = BrowsePager(self.review, Queue(self.order, self.filter, text))
                first = (pager, self.table.read_first(pager))
        except Exception:
            # A read that fails fails again in the table's own read, which says so.
            problem, first = None, None
        if not worker.is_cancelled:
            self.post_message(QueryChecked(text, problem, first))

    @on(QueryChecked)
    def _query_checked(self, message: QueryChecked) -> None:
        self._search_ready(message.text, message.problem, message.first)

    def _search_ready(
        self, text: str, problem: str | None, first: tuple[BrowsePager, Window] | None = None
    ) -> None:
        if text != self._pending:
            return  # typed on meanwhile: the newer text's worker is on its way
        self._pending = None
        if problem is not None:  # readable, yet not answerable here (messages unknown)
            self._say_problem(problem)
            return
        self.search_text = text
        if first is not None and first[0].queue == self.current_query():
            self.table.show_first(*first)
        else:  # not read, or the order or filter changed meanwhile
            self.run_query()

    def _say_problem(self, problem: str) -> None:
        self.query_one("#browse-where", Static).update(
            Content.styled(safe_line(problem), "$text-warning"), layout=False
        )

    def action_cycle_filter(self) -> None:
        index = FILTER_CYCLE.index(self.filter) if self.filter in FILTER_CYCLE else 0
        self.filter = FILTER_CYCLE[(index + 1) % len(FILTER_CYCLE)]
        self.run_query()

    def action_to_table(self) -> None:
        """Enter or Down from the search box goes to the table (the table's own Down moves
        its cursor), running a search still waiting for a pause in typing at once (so an
        Enter that follows opens the new list's first row)."""
        text = self._pending
        if text is not None:
            self._cancel_search()
            self._pending = text
            self._search_ready(text, self.review.check_query(text) if text else None)
        # At once, not at the next turn of the event loop (`focus()`): keys sent with this one
        # (`Enter M r`) are already on their way, and are the table's.
        self.set_focus(self.table)

    # -- marks and decisions for many ---------------------------------------------------------

    def _redraw_held(self) -> None:
        """Repaint the name of every row held (marks shown or cleared): a window of rows,
        never the whole list, and only the column a mark changes."""
        table = self.table
        for row in table.items:
            table.update_cell(str(row.id), "name", self._name_cell(row))

    def action_toggle_mark(self) -> None:
        row = self.table.current
        if row is None or self.marking:
            return
        self.marks.toggle(row.id)
        self.table.redraw(row)
        self._status()
        self.table.action_cursor_down()

    def action_mark_all(self) -> None:
        if self.marking:
            return
        # M again (every row of this very list marked) clears; after marks made one by one,
        # or on another list, M marks every row of this one.
        if self.marks and self.marks.queue == self.current_query():
            self.marks.clear()
            self._redraw_held()
            self._status()
            self.notify("Marks cleared.", timeout=2)
            return
        self.marking = True
        self.query_one("#browse-where", Static).update(
            Content.styled("Marking every row of this list…", "dim"), layout=False
        )
        self.mark_every_row(self.current_query())

    @work(thread=True, exclusive=True, group="marks", exit_on_error=False)
    @worker_safe
    def mark_every_row(self, queue: Queue) -> None:
        self.post_message(RowsMarked(self.review.matching_ids(queue), queue))

    @on(RowsMarked)
    def _marked_every_row(self, message: RowsMarked) -> None:
        ids, queue = message.ids, message.queue
        self.marking = False
        waiting, self._decide_when_marked = self._decide_when_marked, None
        if queue != self.current_query():
            self._where()
            return  # the query changed meanwhile: those rows are not the ones shown
        self.marks.mark_all(ids, queue)
        self._redraw_held()
        self._status()
        if waiting is not None:  # `M r` typed together: the confirm opens now
            self.action_decide(waiting.value)

    @on(WorkFailed)
    def _marking_failed(self, message: WorkFailed) -> None:
        if message.worker == "mark_every_row":  # said in a notification already
            self.marking = False
            self._decide_when_marked = None
            self._where()

    def action_decide(self, value: str) -> None:
        decision = Decision(value)
        if self.marking:
            # Typed while M reads the rows (`M r` sent together): the confirm for all of them
            # opens once they are marked, not the row under the cursor decided now.
            self._decide_when_marked = decision
            return
        if not self.marks:
            self._decide_row(decision)
            return
        from prune_tui.services.facades import BulkDecisions
        from prune_tui.tui.screens.bulk import BulkDecisionScreen

        selection = self.marks.selection(self.review)
        self.app.push_screen(
            BulkDecisionScreen(BulkDecisions(self.review), selection, decision),
            self._decided_many,
        )

    def _decided_many(self, batch: Batch | None) -> None:
        if batch is None:
            return
        self.marks.clear()
        self.run_query(keep=self.table.current)
        self.notify(
            f"{describe_batch(batch)[0].upper()}{describe_batch(batch)[1:]}. u takes it all back.",
            timeout=6,
            markup=False,
        )

    def _decide_row(self, decision: Decision) -> None:
        """No rows marked: the decision is for the row under the cursor, and on to the next."""
        row = self.table.current
        if row is None:
            return
        try:
            self.review.record_decision(row.id, decision, expected=row.decision)
        except ChangedElsewhere:
            self.notify(
                "Changed in another window meanwhile: shown as it is now. Press the key "
                "again to decide.",
                severity="warning",
                timeout=5,
            )
        self.redraw_rows([row.id])
        self.table.action_cursor_down()

    def action_undo(self) -> None:
        result = self.review.undo()
        if result is None:
            self.notify("Nothing to undo.", timeout=3)
            return
        card = self.review.card(result.connection_id)
        name = safe_line(card.full_name) if card is not None else "someone"
        self.notify(result.describe(name), timeout=5, markup=False)
        self.run_query(keep=self.table.current)

    def action_focus_search(self) -> None:
        # At once: the letters sent with `/` (`/ada` pasted or typed in a burst) are the box's.
        self.set_focus(self.query_one(SearchBox))

    def action_close(self) -> None:
        if self.is_current:
            self.dismiss(None)
