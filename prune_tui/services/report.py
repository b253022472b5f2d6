"""`prune-tui stats` in words, with text charts made of plain characters where a chart reads
better than a number. The stats screen draws the same charts (`bar_segments`) in colour."""

from __future__ import annotations

from prune_tui.model import DUNBAR, Stats
from prune_tui.services.insights import Insights, gather
from prune_tui.store.database import Database
from prune_tui.store.insights import CompanyCount, YearSplit
from prune_tui.text.plain import fit_cells, one_line
from prune_tui.text.words import duration, n, plural, rate

BAR_WIDTH = 40
NAME_WIDTH = 24
# One character per decision in the stacked bars, and the legend that explains them.
MARKS: dict[str, str] = {"keep": "=", "nurture": "+", "remove": "x", "undecided": "."}
LEGEND = "  = keep  + nurture  x remove  . undecided"
KINDS = ("keep", "nurture", "remove", "undecided")


def describe_stats(db: Database) -> str:
    """Everything `prune-tui stats` says, the counts read with the rest in one consistent
    snapshot."""
    from prune_tui.services.bulk import describe_rules

    text = describe_insights(gather(db))
    rules = describe_rules(db)
    return f"{text}\n\n{rules}" if rules else text


def describe_insights(insights: Insights) -> str:
    sections = [
        _decisions(insights.stats),
        _dunbar(insights.stats),
        _kept_warm(insights),
        _removals(insights),
        _pace(insights),
        _years(insights.years),
        _companies(insights.companies),
    ]
    return "\n\n".join(s for s in sections if s)


def bar(value: int, scale: int, width: int = BAR_WIDTH, mark: str = "#") -> str:
    """A bar of `mark`s, `value` out of `scale` over `width` (at least one mark if not zero)."""
    if value <= 0 or scale <= 0:
        return ""
    return mark * max(1, round(width * min(value, scale) / scale))


def bar_segments(
    counts: dict[str, int], scale: int, width: int = BAR_WIDTH
) -> list[tuple[str, int]]:
    """A stacked bar as (kind, length) pieces, in KINDS order. The whole bar is as long as
    `bar(total, scale, width)`; lengths are shared out by largest remainder, and a kind with
    any count gets at least one character when the bar has room for it."""
    total = sum(counts.get(k, 0) for k in KINDS)
    length = len(bar(total, scale, width))
    if not length:
        return []
    exact = {k: length * counts.get(k, 0) / total for k in KINDS}
    sizes = {k: int(exact[k]) for k in KINDS}
    by_remainder = sorted(KINDS, key=lambda k: (-(exact[k] - sizes[k]), KINDS.index(k)))
    for k in by_remainder[: length - sum(sizes.values())]:
        sizes[k] += 1
    # Never hide a kind that is there: borrow a character from the longest piece.
    for k in KINDS:
        if counts.get(k, 0) and not sizes[k]:
            longest = max(KINDS, key=lambda j: sizes[j])
            if sizes[longest] > 1:
                sizes[longest] -= 1
                sizes[k] = 1
    return [(k, sizes[k]) for k in KINDS if sizes[k]]


def stacked_bar(counts: dict[str, int], scale: int, width: int = BAR_WIDTH) -> str:
    return "".join(MARKS[k] * size for k, size in bar_segments(counts, scale, width))


def split_of(row: YearSplit | CompanyCount) -> dict[str, int]:
    return {
        "keep": row.keep,
        "nurture": row.nurture,
        "remove": row.remove,
        "undecided": row.undecided,
    }


def _decisions(s: Stats) -> str:
    if not s.total:
        return "No connections yet: import your LinkedIn export with `prune-tui import FILE`."
    scale = max(s.keep, s.nurture, s.remove, s.undecided, 1)
    rows = [
        f"{n(s.decided)} of {plural(s.total, 'connection')} decided "
        f"({n(s.undecided)} still to decide)"
    ]
    for label, value in (
        ("keep", s.keep),
        ("nurture", s.nurture),
        ("remove", s.remove),
        ("undecided", s.undecided),
    ):
        rows.append(f"  {label:<10}{n(value):>7}  {bar(value, scale)}")
    return "\n".join(rows)


def dunbar_words(s: Stats) -> str:
    if s.dunbar > DUNBAR:
        return f"{n(s.dunbar - DUNBAR)} over: be choosier with keep and nurture"
    if s.dunbar == DUNBAR:
        return "right at the limit"
    return f"room for {n(DUNBAR - s.dunbar)} more"


def _dunbar(s: Stats) -> str:
    gauge = bar(s.dunbar, DUNBAR, BAR_WIDTH).ljust(BAR_WIDTH, "-")
    return (
        f"Dunbar gauge: {n(s.dunbar)} of {DUNBAR} (keep + nurture), {dunbar_words(s)}\n"
        f"  [{gauge}]{'+' if s.dunbar > DUNBAR else ''}"
    )


def kept_warm_words(insights: Insights) -> str:
    """'5 of 8 nurtured people in touch within their cadence (63%); 3 to reach out to'."""
    c = insights.circle
    if c is None or not c.with_cadence:
        return "no one with a cadence yet (nurture someone, or press d on a card)"
    words = []
    if c.nurtured:
        share = c.warm_share or 0.0
        words.append(
            f"{n(c.kept_warm)} of {plural(c.nurtured, 'nurtured person', 'nurtured people')} "
            f"in touch within their cadence ({share:.0%})"
        )
    words.append(
        f"{plural(c.due, 'person', 'people')} to reach out to now"
        if c.due
        else "no one to reach out to now"
    )
    return "; ".join(words)


def _kept_warm(insights: Insights) -> str:
    if not insights.stats.total:
        return ""
    return f"Kept warm: {kept_warm_words(insights)}"


def removal_words(insights: Insights) -> list[str]:
    r = insights.removals
    if not r.to_remove:
        return ["Removals: none decided yet"]
    lines = [
        f"Removals: {n(r.done)} of {n(r.to_remove)} removed on LinkedIn "
        f"({n(r.ticked)} ticked off, {n(r.confirmed)} confirmed by a later export); "
        f"{n(r.left)} to go"
    ]
    if r.flagged:
        lines.append(
            f"{plural(r.flagged, 'connection')} marked removed but still in your newer "
            "export: look at them again on the checklist"
        )
    return lines


def _removals(insights: Insights) -> str:
    r = insights.removals
    lines = removal_words(insights)
    if r.to_remove:
        done_bar = bar(r.done, r.to_remove).ljust(BAR_WIDTH, "-")
        lines.insert(1, f"  [{done_bar}]")
    return "\n".join(lines)


def pace_words(insights: Insights) -> str:
    p = insights.pace
    if not p.active_days or p.per_active_day is None:
        return "Pace: no decisions yet"
    decided = insights.stats.decided
    words = (
        f"Pace: {plural(decided, 'decision')} over {plural(p.active_days, 'day')} "
        f"(about {rate(p.per_active_day)} a day); {n(p.last_days)} in the last 7 days"
    )
    if not insights.stats.undecided:
        words += "; everyone is decided"
    elif p.per_minute is not None and p.minutes_left is not None:
        words += (
            f"; while deciding, {rate(p.per_minute)} a minute: {duration(p.minutes_left)} "
            "of deciding left"
        )
    if p.removals_last_days:
        words += f". {plural(p.removals_last_days, 'removal')} ticked off in the last 7 days"
    return words


def _pace(insights: Insights) -> str:
    return pace_words(insights) if insights.stats.total else ""


def _years(years: list[YearSplit]) -> str:
    if not years:
        return ""
    scale = max(y.total for y in years)
    lines = ["Connections per year connected", LEGEND]
    for y in years:
        label = str(y.year) if y.year is not None else "no date"
        lines.append(f"  {label:<8}{n(y.total):>7}  {stacked_bar(split_of(y), scale)}")
    return "\n".join(lines)


def _companies(companies: list[CompanyCount]) -> str:
    if not companies:
        return ""
    scale = max(c.total for c in companies)
    lines = ["Top companies", LEGEND]
    for c in companies:
        name = fit_cells(c.company, NAME_WIDTH)
        lines.append(f"  {name}{n(c.total):>6}  {stacked_bar(split_of(c), scale, 30)}")
    return "\n".join(lines)


def clip(text: str, width: int) -> str:
    """One line of at most `width` characters, control characters dropped."""
    return one_line(text, width)
