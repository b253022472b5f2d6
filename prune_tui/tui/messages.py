"""Every message the app's widgets and workers post, in one place, each named for what happened.

Slow work (a count, a list read, an import, an export) runs in a thread worker started with
`@work(thread=True, exclusive=True, exit_on_error=False)` and wrapped in
`tui.failures.worker_safe`. It never touches a widget: it posts one of the messages below, and
a handler on the event loop updates the screen. An error in a worker becomes a notification
(`tui.failures`), then `WorkFailed` tells the node that started it, so it can put its state
back; the app goes on. `tests/tui/test_workers.py` keeps it so: no `call_from_thread`, no
worker without `exit_on_error=False`, no message declared elsewhere, none posted or handled by
nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from prune_tui.services.bulk import Preview
    from prune_tui.services.insights import Insights
    from prune_tui.services.nurture import Person
    from prune_tui.services.paging import BrowsePager
    from prune_tui.services.removals import RemovalPace
    from prune_tui.services.review import Progress, Queue, Row
    from prune_tui.store.bulk import Batch
    from prune_tui.text.summary import ImportSummary
    from prune_tui.tui.widgets.paged import PagedTable, Window


class WorkFailed(Message):
    """A worker met an error (already told to the user as a notification): the node that
    started it puts back what it changed while waiting (`worker` is the method's name)."""

    def __init__(self, worker: str) -> None:
        super().__init__()
        self.worker = worker


# -- the card --------------------------------------------------------------------------------


class ProgressCounted(Message):
    """The totals, and the count of the queue `queue` when the strip shows it."""

    def __init__(self, progress: Progress, count: tuple[int, int] | None, queue: Queue) -> None:
        super().__init__()
        self.progress = progress
        self.count = count
        self.queue = queue


class RowsFound(Message):
    """Find: the people matching `text`."""

    def __init__(self, text: str, rows: list[Row]) -> None:
        super().__init__()
        self.text = text
        self.rows = rows


class QueryRefused(Message):
    """Find: `text` reads as a query that cannot be answered (`problem` says why)."""

    def __init__(self, text: str, problem: str) -> None:
        super().__init__()
        self.text = text
        self.problem = problem


class QueryChecked(Message):
    """Browse: the typed `text` waited out its pause and was checked; `problem` says why it
    cannot be answered here (None: it can). `first` is its list and first rows, read by the
    same worker (None: not read; the table reads them)."""

    def __init__(
        self, text: str, problem: str | None, first: tuple[BrowsePager, Window] | None = None
    ) -> None:
        super().__init__()
        self.text = text
        self.problem = problem
        self.first = first


# -- lists -----------------------------------------------------------------------------------


class RowsPlaced(Message):
    """Sent to the screen: a paged table has placed a new list's rows (laid out). A `GuardedScreen`
    paints them as soon as it is idle, not at its next frame (tui/screens/guarded.py)."""


class WindowRead(Message):
    """A paged table's worker read a window of rows (shown on the event loop)."""

    def __init__(self, generation: int, window: Window) -> None:
        super().__init__()
        self.generation = generation
        self.window = window


class ListCounted(Message):
    """A paged table's worker counted the list whose first rows are shown (`count_later`)."""

    def __init__(self, generation: int, total: int) -> None:
        super().__init__()
        self.generation = generation
        self.total = total


class RowsLoaded(Message):
    """A list's first rows (or those around the row kept) are on screen."""

    def __init__(self, table: PagedTable, total: int) -> None:
        super().__init__()
        self.table = table
        self.total = total

    @property
    def control(self) -> PagedTable:
        return self.table


class LoadFailed(Message):
    """Reading a list failed (the database was busy, or damaged); the table kept the rows it
    had."""

    def __init__(self, table: PagedTable, reason: str) -> None:
        super().__init__()
        self.table = table
        self.reason = reason

    @property
    def control(self) -> PagedTable:
        return self.table


class CursorMoved(Message):
    """A paged table's cursor moved: `position` (0-based) of `total`."""

    def __init__(self, table: PagedTable, position: int, total: int) -> None:
        super().__init__()
        self.table = table
        self.position = position
        self.total = total

    @property
    def control(self) -> PagedTable:
        return self.table


class RowsMarked(Message):
    """Browse: every row of `queue` was read, to be marked."""

    def __init__(self, ids: list[int], queue: Queue) -> None:
        super().__init__()
        self.ids = ids
        self.queue = queue


# -- decisions for many ----------------------------------------------------------------------


class PreviewCounted(Message):
    """The confirm dialog's count and sample for a decision by rule."""

    def __init__(self, preview: Preview) -> None:
        super().__init__()
        self.preview = preview


class BatchApplied(Message):
    """A decision by rule was written (`batch` None: nobody changed)."""

    def __init__(self, batch: Batch | None) -> None:
        super().__init__()
        self.batch = batch


# -- the checklist ---------------------------------------------------------------------------


class PaceCounted(Message):
    """The checklist header's figures were counted again."""

    def __init__(self, pace: RemovalPace, parts: tuple[int, int]) -> None:
        super().__init__()
        self.pace = pace
        self.parts = parts


class RemovalsChanged(Message):
    """Removals were added or taken away (or an export imported) since the checklist was
    read: it is read again around the row under the cursor."""


class ExportSaved(Message):
    """Exports were written into the documents folder: `names` in `folder`."""

    def __init__(self, what: str, names: list[str], folder: str, hint: str) -> None:
        super().__init__()
        self.what = what
        self.names = names
        self.folder = folder
        self.hint = hint


class ExportRefused(Message):
    """Exports could not be written (a full disk, a read-only folder): `reason` in words."""

    def __init__(self, what: str, reason: str) -> None:
        super().__init__()
        self.what = what
        self.reason = reason


# -- other screens ---------------------------------------------------------------------------


class FiguresGathered(Message):
    """The stats screen's figures are ready."""

    def __init__(self, insights: Insights) -> None:
        super().__init__()
        self.insights = insights


class PeopleLoaded(Message):
    """Who to reach out to: everyone with a cadence, read again."""

    def __init__(self, people: list[Person]) -> None:
        super().__init__()
        self.people = people


class ImportProgressed(Message):
    """An import read `done` of `total` bytes (total 0: not known)."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class ImportFinished(Message):
    def __init__(self, summary: ImportSummary) -> None:
        super().__init__()
        self.summary = summary


class ImportFailed(Message):
    """An import changed nothing: `problem` says why, in words."""

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem
