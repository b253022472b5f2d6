"""Browse everyone in a table, filtered, searched and sorted; Enter opens the card.

The table is paged (widgets/paged.py): whatever the size of the network, it holds a window
of rows around the cursor. The screen stays installed between visits, so its query and
position are there when the user comes back. The query runs in a worker after a short pause
in typing; `current_query()` is the one place that turns what the screen shows into a query.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from prune_tui.evidence_text import when
from prune_tui.paging import BrowsePager
from prune_tui.review import FILTER_LABELS, Filter, Order, Queue, Review, Row
from prune_tui.tui.text import data
from prune_tui.tui.widgets.keybar import Key, KeyBar
from prune_tui.tui.widgets.paged import PagedTable
from prune_tui.tui.widgets.table import Fit, Share

# A pause in typing this long (seconds) runs the search: not one query per key.
SEARCH_PAUSE = 0.25
FILTER_CYCLE = [
    Filter.ALL,
    Filter.UNDECIDED,
    Filter.KEEP,
    Filter.NURTURE,
    Filter.REMOVE,
    Filter.NEW,
    Filter.GONE,
]
DECISION_STYLE = {"keep": "$success", "nurture": "$warning", "remove": "$error"}
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
    Key("esc", "back to the card", "screen.close"),
    Key("enter", "open the card", None, rank=3),
    Key("/", "search", "screen.focus_search"),
    Key("^f", "filter", "screen.cycle_filter"),
    Key("o", "sort", "screen.cycle_sort", rank=1),
    Key("end", "last row", None, rank=2),
    Key("?", "help", "app.help", rank=4),
)
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


class BrowseScreen(Screen[int | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "back to the card"),
        Binding("ctrl+f", "cycle_filter", "filter", priority=True),
        Binding("slash", "focus_search", "search", key_display="/"),
        Binding("o", "cycle_sort", "sort", tooltip="Sort by another column"),
        Binding("down", "to_table", "to the table", show=False),
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
        self._search_timer: Timer | None = None
        self._visited = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="browse-bar"):
            yield Input(placeholder="search names, companies, positions…", id="browse-search")
            yield Static(id="browse-status", markup=False)
        yield PagedTable(
            [share for _, _, share in COLUMNS],
            key=lambda row: row.id,
            cells=self._cells,
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

    def rows_on_screen(self) -> list[int]:
        """The ids of the rows drawn on screen now."""
        return [row.id for row in self.table.visible_items()]

    def redraw_rows(self, ids: Sequence[int]) -> None:
        """Repaint these rows (if held) with what the database holds now."""
        for row in self.review.rows_by_id(ids).values():
            self.table.redraw(row)

    # -- drawing ------------------------------------------------------------------------------

    def _cells(self, row: Row) -> tuple[Fit, ...]:
        decision = row.decision.value if row.decision else ""
        connected = (
            Content.styled(GONE_WORDS, "$warning") if row.gone else Content(row.connected_on or "")
        )
        return (
            Fit(data(row.name or "(no name)")),
            Fit(Content.styled(decision or "·", DECISION_STYLE.get(decision, "dim"))),
            Fit(connected),
            Fit(data(row.company)),
            Fit(data(row.position)),
            evidence_cell(row, self.review.today()),
        )

    def _status(self) -> None:
        table = self.table
        self.query_one("#browse-status", Static).update(
            Content.assemble(
                (f"{table.total:,} ", "bold"),
                FILTER_LABELS[self.filter],
                ("  ctrl+f filter", "dim"),
            )
        )
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

    @on(PagedTable.RowsLoaded)
    def show_status(self) -> None:
        self._status()

    @on(PagedTable.Moved)
    def show_where(self) -> None:
        self._where()

    @on(PagedTable.LoadFailed)
    def say_load_failed(self, event: PagedTable.LoadFailed) -> None:
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
        if text == self.search_text:
            return
        self.search_text = text
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_PAUSE, self._search_now)

    def _search_now(self) -> None:
        self._search_timer = None
        self.run_query()

    @on(Input.Submitted, "#browse-search")
    def to_table(self) -> None:
        self.action_to_table()

    def action_cycle_filter(self) -> None:
        index = FILTER_CYCLE.index(self.filter) if self.filter in FILTER_CYCLE else 0
        self.filter = FILTER_CYCLE[(index + 1) % len(FILTER_CYCLE)]
        self.run_query()

    def action_to_table(self) -> None:
        """Enter or Down from the search box goes to the table (the table's own Down moves
        its cursor), running a search still waiting for a pause in typing at once."""
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_now()
        self.table.focus()

    def action_focus_search(self) -> None:
        self.query_one(Input).focus()

    def action_close(self) -> None:
        if self.is_current:
            self.dismiss(None)
