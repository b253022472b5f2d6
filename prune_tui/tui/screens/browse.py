"""Browse everyone in a table, filtered; Enter opens the card. Rows load a page at a time."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from prune_tui.review import FILTER_LABELS, Filter, Queue, Review, Row
from prune_tui.tui.text import data

PAGE = 200
FILTER_CYCLE = [
    Filter.ALL,
    Filter.UNDECIDED,
    Filter.KEEP,
    Filter.NURTURE,
    Filter.REMOVE,
    Filter.NEW,
]
DECISION_STYLE = {"keep": "$success", "nurture": "$warning", "remove": "$error"}


class BrowseScreen(Screen[int | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "back to the card"),
        Binding("ctrl+f", "cycle_filter", "filter", priority=True),
        Binding("slash", "focus_search", "search", key_display="/"),
    ]

    def __init__(self, review: Review, queue: Queue) -> None:
        super().__init__()
        self.review = review
        self.queue = Queue(queue.order, Filter.ALL, "")
        self.last_id: int | None = None
        self.exhausted = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="browse-bar"):
            yield Input(placeholder="search names, companies, positions…", id="browse-search")
            yield Static(id="browse-status", markup=False)
        table: DataTable[Content] = DataTable(
            id="browse-table", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Name", key="name", width=30)
        table.add_column("Decision", key="decision", width=9)
        table.add_column("Connected", key="connected", width=10)
        table.add_column("Company", key="company", width=22)
        table.add_column("Position", key="position")
        self.reload()
        table.focus()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.last_id = None
        self.exhausted = False
        self.load_more()
        self._status()

    def load_more(self) -> None:
        if self.exhausted:
            return
        rows = self.review.rows(self.queue, after=self.last_id, limit=PAGE)
        if len(rows) < PAGE:
            self.exhausted = True
        table = self.query_one(DataTable)
        for row in rows:
            table.add_row(*self._cells(row), key=str(row.id))
        if rows:
            self.last_id = rows[-1].id

    def _cells(self, row: Row) -> tuple[Content, ...]:
        decision = row.decision.value if row.decision else ""
        return (
            data(row.name or "(no name)"),
            Content.styled(decision or "·", DECISION_STYLE.get(decision, "dim")),
            Content(row.connected_on or ""),
            data(row.company),
            data(row.position),
        )

    def _status(self) -> None:
        count = self.review.count(self.queue)
        self.query_one("#browse-status", Static).update(
            Content.assemble(
                (f"{count:,} ", "bold"),
                FILTER_LABELS[self.queue.filter],
                ("  ctrl+f filter", "dim"),
            )
        )

    @on(DataTable.RowHighlighted)
    def near_the_end(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= event.data_table.row_count - 20:
            self.load_more()

    @on(DataTable.RowSelected)
    def open_card(self, event: DataTable.RowSelected) -> None:
        self.dismiss(int(event.row_key.value or 0))

    @on(Input.Changed, "#browse-search")
    def search(self, event: Input.Changed) -> None:
        self.queue = Queue(self.queue.order, self.queue.filter, event.value.strip())
        self.reload()

    @on(Input.Submitted, "#browse-search")
    def to_table(self) -> None:
        self.query_one(DataTable).focus()

    def action_cycle_filter(self) -> None:
        index = FILTER_CYCLE.index(self.queue.filter) if self.queue.filter in FILTER_CYCLE else 0
        self.queue = Queue(
            self.queue.order, FILTER_CYCLE[(index + 1) % len(FILTER_CYCLE)], self.queue.search
        )
        self.reload()

    def action_focus_search(self) -> None:
        self.query_one(Input).focus()

    def action_close(self) -> None:
        self.dismiss(None)
