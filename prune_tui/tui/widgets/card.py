"""The review card: everything the export says about one connection, and the user's answers."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from prune_tui.evidence_text import describe_evidence
from prune_tui.model import CRITERIA, Card, Decision, Evidence, Status
from prune_tui.review import age
from prune_tui.suggest import suggest
from prune_tui.tui.text import data, safe_block, safe_line

DECISION_STYLE: dict[Decision, str] = {
    Decision.KEEP: "bold $success",
    Decision.NURTURE: "bold $warning",
    Decision.REMOVE: "bold $error",
}
DECISION_WORD: dict[Decision, str] = {
    Decision.KEEP: "keep",
    Decision.NURTURE: "nurture",
    Decision.REMOVE: "remove",
}


def _day(iso: str | None) -> str:
    """'2024-12-16T18:24:37+00:00' → '16 Dec 2024'."""
    if not iso:
        return ""
    try:
        return date.fromisoformat(iso[:10]).strftime("%d %b %Y")
    except ValueError:
        return safe_line(iso)


EVIDENCE_LABEL = "Evidence  "
NO_EVIDENCE = "nothing known yet (import the whole .zip export for messages)"


def evidence_lines(ev: Evidence | None, today: date) -> list[Content]:
    """The evidence in words (`describe_evidence`), shown as data under one label."""
    lines = describe_evidence(ev, today)
    if not lines:
        return [Content.assemble((EVIDENCE_LABEL, "bold"), (NO_EVIDENCE, "dim"))]
    indent = " " * len(EVIDENCE_LABEL)
    return [
        Content.assemble((EVIDENCE_LABEL, "bold") if i == 0 else indent, data(line))
        for i, line in enumerate(lines)
    ]


def describe_criteria(card: Card) -> list[Content]:
    lines = []
    for number, question in CRITERIA.items():
        answer = card.criteria.get(number)
        if answer is True:
            mark = ("✔ yes", "bold $success")
        elif answer is False:
            mark = ("✘ no ", "bold $error")
        else:
            mark = ("· ?  ", "dim")
        lines.append(Content.assemble((f" {number} ", "reverse"), " ", mark, "  ", question))
    return lines


class CardView(VerticalScroll, can_focus=False):
    """One connection. `show(card)` repaints it; `show(None)` shows the end of the queue."""

    def __init__(self, *, today: date, id: str | None = None) -> None:
        super().__init__(id=id)
        self.today = today
        self.card: Card | None = None
        self._shown: dict[str, Content] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="card-name", markup=False)
        yield Static(id="card-role", markup=False)
        yield Static(id="card-meta", markup=False)
        yield Static(id="card-evidence", markup=False)
        yield Static(id="card-criteria", markup=False)
        yield Static(id="card-suggestion", markup=False)
        yield Static(id="card-note", markup=False)

    def show(self, card: Card | None, *, empty_message: Content | None = None) -> None:
        self.card = card
        parts = {
            name: self.query_one(f"#card-{name}", Static)
            for name in ("name", "role", "meta", "evidence", "criteria", "suggestion", "note")
        }
        if card is None:
            self._put(parts["name"], Content.styled("Nothing left in this queue", "bold"))
            self._put(parts["role"], empty_message or Content(""))
            for name in ("meta", "evidence", "criteria", "suggestion", "note"):
                self._put(parts[name], Content(""))
                parts[name].display = False
            return
        for widget in parts.values():
            widget.display = True
        put = self._put
        put(parts["name"], self._name_line(card))
        put(parts["role"], self._role(card))
        put(parts["meta"], Content("\n").join(self._meta(card)))
        put(parts["evidence"], Content("\n").join(evidence_lines(card.evidence, self.today)))
        put(parts["criteria"], Content("\n").join(describe_criteria(card)))
        hint = suggest(card)
        if hint.decision is None:
            suggestion = Content.assemble(("Suggestion  ", "bold"), hint.reason)
        else:
            suggestion = Content.assemble(
                ("Suggestion  ", "bold"),
                ("maybe " + DECISION_WORD[hint.decision], DECISION_STYLE[hint.decision]),
                f": {hint.reason}",
            )
        put(parts["suggestion"], suggestion)
        note = safe_block(card.note)
        put(
            parts["note"],
            Content.assemble(("Note  ", "bold"), note)
            if note
            else Content.assemble(("Note  ", "bold"), ("none yet, press e to write one", "dim")),
        )
        if self.scroll_y:
            self.scroll_home(animate=False)

    def _put(self, widget: Static, content: Content) -> None:
        """Show `content` in one part of the card. A part that did not change is left alone, and
        the layout is only redone when a part's height changes: most keys change words, not
        sizes, and a relayout repaints the whole screen."""
        name = widget.id or ""
        old = self._shown.get(name)
        if old is not None and old.plain == content.plain and old.spans == content.spans:
            return
        width = widget.content_region.width
        styles: Any = widget.styles  # a mapping of style rules, as Static itself passes it
        resized = (
            old is None
            or not width
            or old.get_height(styles, width) != content.get_height(styles, width)
        )
        self._shown[name] = content
        widget.update(content, layout=resized)

    def _name_line(self, card: Card) -> Content:
        parts: list[str | Content | tuple[str, str]] = [data(card.full_name or "(no name)", "bold")]
        if card.decision is not None:
            parts += [
                "  ",
                (f" {DECISION_WORD[card.decision]} ", f"reverse {DECISION_STYLE[card.decision]}"),
            ]
        if card.is_new:
            parts += ["  ", (" new ", "reverse bold $accent")]
        if card.status is Status.GONE:
            parts += ["  ", (" no longer connected ", "reverse $warning")]
        if card.removed_at:
            parts += ["  ", (" removed on LinkedIn ", "reverse $secondary")]
        return Content.assemble(*parts)

    def _role(self, card: Card) -> Content:
        position, company = safe_line(card.position), safe_line(card.company)
        if position and company:
            line = Content.assemble(data(position), (" at ", "dim"), data(company))
        else:
            line = (
                data(position or company)
                if (position or company)
                else Content.styled("no position or company in the export", "dim")
            )
        was = [w for w in (card.was_position, card.was_company, card.was_name) if w]
        if was:
            line = Content.assemble(
                line, ("  (was: ", "dim"), data(" · ".join(was), "dim"), (")", "dim")
            )
        return line

    def _meta(self, card: Card) -> list[Content]:
        lines: list[Content] = []
        if card.connected_on:
            how_long = age(card.connected_on, self.today)
            lines.append(
                Content.assemble(
                    ("Connected  ", "bold"),
                    _day(card.connected_on),
                    (f"  ·  {how_long}" if how_long else "", "dim"),
                )
            )
        else:
            lines.append(Content.assemble(("Connected  ", "bold"), ("date unknown", "dim")))
        if card.email:
            lines.append(Content.assemble(("Email  ", "bold"), data(card.email)))
        lines.append(
            Content.assemble(
                ("Profile  ", "bold"),
                data(card.url) if card.url else ("no URL in the export", "dim"),
            )
        )
        return lines
