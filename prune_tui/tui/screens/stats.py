"""The stats screen (docs/PRODUCT.md §7): decisions so far, the Dunbar gauge, removals done, pace,
connections per year connected split by decision, and the top companies — as charts.

The figures are gathered in a thread (a few aggregate queries over up to 30,000 rows) and
arrive as a `FiguresGathered` message, so the screen paints at once and fills in after.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from prune_tui.model import DUNBAR
from prune_tui.services.facades import Figures, ListExports
from prune_tui.services.insights import Insights
from prune_tui.services.report import (
    KINDS,
    bar_segments,
    clip,
    dunbar_words,
    kept_warm_words,
    pace_words,
    removal_words,
    split_of,
)
from prune_tui.store.insights import CompanyCount, YearSplit
from prune_tui.tui.failures import worker_safe
from prune_tui.tui.messages import FiguresGathered, WorkFailed
from prune_tui.tui.safe import look
from prune_tui.tui.screens.guarded import GuardedScreen
from prune_tui.tui.widgets.progress import bar

BLOCK = "█"
LABEL_WIDTH = 12
COMPANY_WIDTH = 24


def stacked(counts: dict[str, int], scale: int, width: int) -> Content:
    return Content.assemble(
        *((BLOCK * size, look(kind).fill) for kind, size in bar_segments(counts, scale, width))
    )


def legend() -> Content:
    parts: list[tuple[str, str] | str] = []
    for kind in KINDS:
        parts += [(BLOCK, look(kind).fill), f" {look(kind).label}   "]
    return Content.assemble(*parts)


class StatsScreen(GuardedScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "back", tooltip="Back to the cards"),
        Binding("r", "refresh_stats", "refresh", tooltip="Count again"),
        Binding("e", "export", "export", tooltip="Save everyone as CSV, HTML and a JSON backup"),
    ]

    DEFAULT_CSS = """
    StatsScreen #stats-body {
        padding: 0 2;
        height: 1fr;
    }
    StatsScreen .stats-title {
        margin-top: 1;
        text-style: bold;
        color: $accent;
    }
    StatsScreen .stats-chart {
        height: auto;
    }
    """

    def __init__(self, figures: Figures, exports: ListExports) -> None:
        super().__init__()
        self.figures = figures
        self.exports = exports
        self.insights: Insights | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stats-body"):
            for section, title in (
                ("decisions", "Decisions so far"),
                ("dunbar", "Dunbar gauge (keep + nurture)"),
                ("warm", "Kept warm"),
                ("removals", "Removals on LinkedIn"),
                ("pace", "Pace"),
                ("years", "Connections per year connected"),
                ("companies", "Top companies"),
            ):
                yield Static(Content(title), classes="stats-title", id=f"{section}-title")
                yield Static(Content("Counting…"), classes="stats-chart", id=f"stats-{section}")
        yield Footer()

    def on_screen_resume(self) -> None:
        # The app keeps this screen installed: count again on every visit.
        self.gather_figures()

    def action_refresh_stats(self) -> None:
        self.gather_figures()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_export(self) -> None:
        from prune_tui.tui.saving import save_exports

        save_exports(
            self,
            self.exports,
            formats=("csv", "html", "json"),
            only="all",
            what="Every list",
            hint="The JSON file is a full backup: prune-tui import restores it.",
        )

    @work(thread=True, exclusive=True, group="stats", exit_on_error=False)
    @worker_safe
    def gather_figures(self) -> None:
        self.post_message(FiguresGathered(self.figures.gather()))

    @on(FiguresGathered)
    def show_figures(self, message: FiguresGathered) -> None:
        self.insights = insights = message.insights
        # Room for the label, the count and the words after the bar.
        width = max(10, min(44, self.size.width - 56))
        self._set("decisions", self._decisions(insights, width))
        self._set("dunbar", self._dunbar(insights, width))
        self._set("warm", self._warm(insights, width))
        self._set("removals", self._removals(insights, width))
        self._set("pace", Content(pace_words(insights).removeprefix("Pace: ")))
        self._set("years", self._years(insights.years, width))
        self._set("companies", self._companies(insights.companies, width))

    @on(WorkFailed)
    def _not_gathered(self) -> None:
        """Said in a notification already; figures counted before stay, or else each section
        says what to do."""
        if self.insights is None:
            for chart in self.query(".stats-chart").results(Static):
                chart.update(Content("Could not count just now: press r to try again."))

    def _set(self, section: str, content: Content) -> None:
        self.query_one(f"#stats-{section}", Static).update(content)

    # -- the charts ---------------------------------------------------------------------------

    def _decisions(self, insights: Insights, width: int) -> Content:
        s = insights.stats
        if not s.total:
            return Content("No connections yet: import your LinkedIn export first.")
        scale = max(s.keep, s.nurture, s.remove, s.undecided, 1)
        lines = [Content(f"{s.decided:,} of {s.total:,} decided, {s.undecided:,} to go")]
        for kind, value in (
            ("keep", s.keep),
            ("nurture", s.nurture),
            ("remove", s.remove),
            ("undecided", s.undecided),
        ):
            lines.append(
                Content.assemble(
                    f"{look(kind).label:<{LABEL_WIDTH}}{value:>7,}  ",
                    stacked({kind: value}, scale, width),
                )
            )
        return Content("\n").join(lines)

    def _dunbar(self, insights: Insights, width: int) -> Content:
        s = insights.stats
        style = "$error" if s.dunbar > DUNBAR else "$success"
        return Content.assemble(
            f"{'':<{LABEL_WIDTH}}{s.dunbar:>7,}  ",
            bar(min(s.dunbar, DUNBAR), DUNBAR, width, style),
            f"  of {DUNBAR}: {dunbar_words(s)}",
        )

    def _warm(self, insights: Insights, width: int) -> Content:
        c = insights.circle
        words = Content(kept_warm_words(insights))
        if c is None or not c.nurtured:
            return words
        return Content("\n").join(
            [
                Content.assemble(
                    f"{'warm':<{LABEL_WIDTH}}{c.kept_warm:>7,}  ",
                    bar(c.kept_warm, c.nurtured, width, "$success"),
                    f"  of {c.nurtured:,}",
                ),
                words,
            ]
        )

    def _removals(self, insights: Insights, width: int) -> Content:
        r = insights.removals
        words = removal_words(insights)
        if not r.to_remove:
            return Content("None decided yet: press r on a card to decide to remove someone.")
        lines = [
            Content.assemble(
                f"{'removed':<{LABEL_WIDTH}}{r.done:>7,}  ",
                bar(r.done, r.to_remove, width, "$success"),
                f"  of {r.to_remove:,}",
            ),
            Content(words[0].removeprefix("Removals: ")),
        ]
        if r.flagged:
            lines.append(Content.styled(words[1], "$warning"))
        return Content("\n").join(lines)

    def _years(self, years: list[YearSplit], width: int) -> Content:
        if not years:
            return Content("No connections yet.")
        scale = max(y.total for y in years)
        lines = [legend()]
        for y in years:
            label = str(y.year) if y.year is not None else "no date"
            lines.append(
                Content.assemble(
                    f"{label:<{LABEL_WIDTH}}{y.total:>7,}  ", stacked(split_of(y), scale, width)
                )
            )
        return Content("\n").join(lines)

    def _companies(self, companies: list[CompanyCount], width: int) -> Content:
        if not companies:
            return Content("No companies in your export.")
        scale = max(c.total for c in companies)
        chart_width = max(10, width - (COMPANY_WIDTH - LABEL_WIDTH))
        lines = [legend()]
        for c in companies:
            # Company names are data: plain Content, never markup; control characters dropped.
            name = clip(c.company, COMPANY_WIDTH - 1)
            lines.append(
                Content.assemble(
                    Content(f"{name:<{COMPANY_WIDTH}}"),
                    f"{c.total:>7,}  ",
                    stacked(split_of(c), scale, chart_width),
                )
            )
        return Content("\n").join(lines)
