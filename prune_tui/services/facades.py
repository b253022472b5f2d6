"""The services the app hands its screens, over one database: built once by the app factory
(`tui.app.create_app`), so that no screen holds a `Database` or a connection.

Each is a small façade over the modules that do the work: `Review` (the cards, decisions, undo),
`Removals` (the checklist's session and pace), `Figures` (the stats), `Imports`, `ListExports`,
`BulkDecisions` (the confirm dialog of a decision by rule), `Screening` (invitations) and
`Nurture` (who to reach out to). The database opens on first use, so building the app costs
nothing. No Textual here: the core runs without it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from prune_tui.services.review import Review

if TYPE_CHECKING:
    from prune_tui.model import Decision
    from prune_tui.services.bulk import Preview, Selection
    from prune_tui.services.insights import Insights
    from prune_tui.services.nurture import Nurture
    from prune_tui.services.removals import ChecklistPager, RemovalOrder, RemovalPace
    from prune_tui.services.screening import Screening
    from prune_tui.store.bulk import Batch
    from prune_tui.store.database import Database
    from prune_tui.text.summary import ImportSummary

Clock = Callable[[], datetime]


class Removals:
    """The removal checklist: its order, its daily pace, its pages and its figures."""

    def __init__(self, review: Review) -> None:
        self._review = review
        self._db = review.db

    def now(self) -> datetime:
        return self._review.now()

    def order(self) -> RemovalOrder:
        from prune_tui.services.removals import removal_order

        return removal_order(self._db)

    def set_order(self, order: RemovalOrder) -> None:
        from prune_tui.services.removals import set_removal_order

        set_removal_order(self._db, order)

    def per_day(self) -> int:
        from prune_tui.services.removals import per_day

        return per_day(self._db)

    def set_per_day(self, value: int) -> None:
        from prune_tui.services.removals import set_per_day

        set_per_day(self._db, value)

    def pager(self, order: RemovalOrder, session: str) -> ChecklistPager:
        """The checklist in `order`, ticks since `session` (a stamp) kept in place."""
        from prune_tui.services.removals import ChecklistPager

        return ChecklistPager(self._db, order, session)

    def pace(self, now: datetime, session: datetime | None) -> RemovalPace:
        """The header's figures: a count over every removal (run it in a worker)."""
        from prune_tui.services.removals import ensure_removals_index, removal_pace

        ensure_removals_index(self._db)
        return removal_pace(self._db, now, session)


class Figures:
    """The stats screen's figures."""

    def __init__(self, db: Database, clock: Clock | None) -> None:
        self._db = db
        self._clock = clock

    def gather(self) -> Insights:
        from prune_tui.services.insights import gather

        # A fixed clock keeps "the last 7 days" repeatable.
        today: date | None = self._clock().date() if self._clock else None
        return gather(self._db, today=today)


class Imports:
    """An import from inside the app."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def run(self, path: Path, progress: Callable[[int, int], None]) -> ImportSummary:
        """Import `path`; every refusal and storage problem is a `UserError` in words (never
        the driver's text: no SQL, no values), with the database unchanged."""
        from sqlalchemy.exc import DBAPIError

        from prune_tui.errors import UserError
        from prune_tui.services.importer import import_path
        from prune_tui.store.problems import Kind, classify, describe

        try:
            return import_path(self._db, path, progress=progress)
        except DBAPIError as exc:
            kind = classify(exc, self._db.path) or Kind.DISK
            raise UserError(describe(kind, self._db.path)) from exc


class ListExports:
    """Lists saved into the user's documents folder (files 0600, the folder 0700)."""

    def __init__(self, review: Review) -> None:
        self._review = review

    def save(self, *, formats: Sequence[str], only: str) -> list[Path]:
        """Write one file per format; raises OSError or UserError when it cannot."""
        from prune_tui.exports.formats import export_to_folder
        from prune_tui.paths import exports_dir

        stamp = self._review.now().astimezone().strftime("%Y%m%d-%H%M")
        written = export_to_folder(
            self._review.db, exports_dir(), formats=formats, only=only, stamp=stamp
        )
        return [path for path, _count in written]


class BulkDecisions:
    """A decision by rule: counted and sampled first, then written as one change."""

    def __init__(self, review: Review) -> None:
        self._review = review

    def preview(
        self, selection: Selection, decision: Decision | None, *, include_decided: bool
    ) -> Preview:
        from prune_tui.services.bulk import preview

        return preview(self._review.db, selection, decision, include_decided=include_decided)

    def apply(
        self, selection: Selection, decision: Decision | None, *, include_decided: bool
    ) -> Batch | None:
        return self._review.decide_matching(selection, decision, include_decided=include_decided)


class Services:
    """Every service of the app, over the database at `db_path` (opened on first use)."""

    def __init__(self, db_path: Path, clock: Clock | None = None) -> None:
        self.db_path = Path(db_path)
        self.clock = clock
        self._db: Database | None = None
        self._review: Review | None = None

    @property
    def _database(self) -> Database:
        if self._db is None:
            from prune_tui.store import open_database

            self._db = open_database(self.db_path)
        return self._db

    @property
    def review(self) -> Review:
        if self._review is None:
            self._review = Review(self._database, clock=self.clock)
        return self._review

    def removals(self) -> Removals:
        return Removals(self.review)

    def figures(self) -> Figures:
        return Figures(self._database, self.clock)

    def imports(self) -> Imports:
        return Imports(self._database)

    def exports(self) -> ListExports:
        return ListExports(self.review)

    def bulk(self) -> BulkDecisions:
        return BulkDecisions(self.review)

    def screening(self) -> Screening:
        from prune_tui.services.screening import Screening

        return Screening(self._database, clock=self.clock)

    def nurture(self) -> Nurture:
        from prune_tui.services.nurture import Nurture

        return Nurture(self.review)

    def close(self) -> None:
        """At the app's end: a count under way stops, the database closes."""
        if self._review is not None:
            self._review.stop_counting()  # quitting never waits for a count
        if self._db is not None:
            self._db.close()
