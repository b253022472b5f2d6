"""Browse everyone in a table, filtered; Enter opens the card. Rows load a page at a time."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import DataTable, Footer, Input, Static

from prune_tui.evidence_text import when
from prune_tui.review import FILTER_LABELS, Filter, Queue, Review, Row
from prune_tui.tui.failures import storage_safe
from prune_tui.tui.screens.guarded import GuardedScreen
from prune_tui.tui.text import data
from prune_tui.tui.widgets.table import Fit, FittedTable, Share

PAGE = 200
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


class BrowseScreen(GuardedScreen[int | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "back to the card"),
        Binding("ctrl+f", "cycle_filter", "filter", priority=True),
        Binding("slash", "focus_search", "search", key_display="/"),
        Binding("down", "to_table", "to the table", show=False),
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
        yield FittedTable(
            [share for _, _, share in COLUMNS],
            id="browse-table",
            cursor_type="row",
            zebra_stripes=True,
        )
        yield Footer()

    @storage_safe
    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, heading, share in COLUMNS:
            table.add_column(heading, key=key, width=share.least)
        self.reload()
        table.focus()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.last_id = None
        self.exhausted = False
        self.load_more()
        self._status()

    @storage_safe
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

    @storage_safe
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

    def action_to_table(self) -> None:
        """Down from the search box goes to the table (the table's own Down moves its cursor)."""
        self.query_one(DataTable).focus()

    def action_focus_search(self) -> None:
        self.query_one(Input).focus()

    def action_close(self) -> None:
        self.dismiss(None)
