"""The review screen: one card at a time, single keys decide (docs/PRODUCT.md §6)."""

from __future__ import annotations

import dataclasses
import functools
import time
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy.exc import DBAPIError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer

from prune_tui.model import Card, Decision, Status
from prune_tui.services.review import (
    ChangedElsewhere,
    CountStopped,
    Filter,
    Progress,
    Queue,
    Review,
)
from prune_tui.services.suggest import suggest
from prune_tui.store.problems import StorageFailed
from prune_tui.text.words import DECISION_VERBS
from prune_tui.tui.browser import copy_profile, open_profile
from prune_tui.tui.failures import storage_safe, tell, worker_safe
from prune_tui.tui.keys import criterion_bindings
from prune_tui.tui.messages import ProgressCounted
from prune_tui.tui.safe import safe_line
from prune_tui.tui.widgets.card import TOUCHES_SHOWN, BuiltCard, CardView
from prune_tui.tui.widgets.keybar import ClickKey, Key, KeyBar
from prune_tui.tui.widgets.progress import ProgressStrip

if TYPE_CHECKING:
    from prune_tui.services.nurture import Nurture, Person, Touch

# The footer, in the order shown; on a narrow terminal the highest ranks give way first.
FOOTER_KEYS = (
    Key("←", "prev", "screen.previous", rank=1),
    Key("→", "next", "screen.next", rank=1),
    Key("e", "note", "screen.edit_note", rank=2),
    Key("1-5", "criteria", None, rank=3),
    Key("f", "order", "screen.choose_queue", rank=4),
    Key("/", "find", "screen.find", rank=5),
    Key("b", "browse", "screen.browse", rank=6),
    Key("o", "open", "screen.open_profile", rank=7),
    Key("c", "copy", "screen.copy_url", rank=10),
    Key("l", "checklist", "app.open_screen('checklist')", rank=8),
    Key("s", "stats", "app.open_screen('stats')", rank=9),
    Key("?", "help", "app.help"),
    Key("q", "quit", "app.quit"),
)

# Cards shown this session that ← goes back through.
TRAIL_LENGTH = 200
# The browse screen's name once installed (kept between visits).
BROWSE = "browse"
# Below this many rows the card's spacing tightens, so a whole card fits (80×24).
SHORT_HEIGHT = 28
# Seconds after a decision key that the strip's counts move: once the next card is painted.
COUNTS_AFTER = 0.01
# Seconds after a card is shown that the one after it is read and built (`_read_ahead`), and
# for how long that stays good to show: another window may change their nurture state.
AHEAD_AFTER = 0.02
AHEAD_FRESH = 10.0


@dataclasses.dataclass(frozen=True)
class Ahead:
    """The card after the one on screen, read and built before the key that shows it."""

    at: float  # time.monotonic() when read
    built: BuiltCard
    person: Person | None  # their nurture state, as read


def shows_queue_count(queue: Queue) -> bool:
    """The strip shows the queue's own count unless it is the plain queue of everyone still
    to decide, whose count the totals already give."""
    return queue.filter is not Filter.UNDECIDED or bool(queue.search)


class ReviewScreen(Screen[None]):
    """Decisions are written before the next card shows; undo reads the history table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "decide('keep')", "keep", show=False, tooltip="Keep this connection"),
        Binding(
            "n", "decide('nurture')", "nurture", show=False, tooltip="Keep, and get back in touch"
        ),
        Binding("r", "decide('remove')", "remove", show=False, tooltip="Remove on LinkedIn later"),
        Binding("space", "skip", "later", key_display="space", show=False, tooltip="Decide later"),
        Binding(
            "a",
            "accept",
            "accept",
            show=False,
            tooltip="Accept the card's suggestion as the decision",
        ),
        Binding("u,ctrl+z", "undo", "undo", show=False, tooltip="Undo the last change"),
        Binding("left", "previous", "prev", key_display="←", tooltip="Previous card"),
        Binding("right", "next", "next", key_display="→", tooltip="Next card"),
        Binding("e", "edit_note", "note", tooltip="Edit the note"),
        Binding("o", "open_profile", "open", tooltip="Open the profile in your browser"),
        Binding("c", "copy_url", "copy", tooltip="Copy the profile URL"),
        Binding("slash", "find", "find", key_display="/", tooltip="Find someone and jump"),
        Binding("f", "choose_queue", "order", tooltip="Order and filter"),
        Binding("b", "browse", "browse", tooltip="Browse everyone"),
        Binding(
            "d", "cycle_cadence", "cadence", tooltip="How often to be in touch: the next cadence"
        ),
        Binding("t", "log_touch", "touch", tooltip="I reached out today: log a touch"),
        *criterion_bindings(),
    ]

    def __init__(self, review: Review) -> None:
        super().__init__()
        self.review = review
        self.queue: Queue = Queue()
        self.card: Card | None = None
        self.progress: Progress | None = None
        self.handler_times: list[float] = []  # seconds per decision (write + next card)
        self._recount_timer: Timer | None = None
        self.trail: list[int] = []  # ids of the cards shown this session, for ←
        self._nurture: Nurture | None = None
        self._shown_person: Person | None = None  # the card's nurture state, as shown
        self._buttons: list[ClickKey] | None = None  # the decision buttons, once mounted
        self._ahead: Ahead | None = None  # the card after this one, read ahead
        self._ahead_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield ProgressStrip(id="progress")
        yield CardView(today=self.review.today, id="card")
        with Horizontal(id="decisions"):
            for button_id, label, action in DECISION_BUTTONS:
                yield ClickKey(label, action, id=button_id, classes="decision")
        # The decision keys are on the buttons just above; the footer shows the rest.
        yield KeyBar(FOOTER_KEYS, id="keys")

    @storage_safe
    def on_mount(self) -> None:
        self.set_class(self.app.size.height < SHORT_HEIGHT, "-short")
        # Paint first, count later: the card comes from one indexed lookup, the totals from a
        # worker once it is on screen.
        self.queue = self.review.load_queue()
        self.query_one(ProgressStrip).show(None, self.queue)
        self.show(self.review.resume(self.queue))
        self.call_after_refresh(self.refresh_progress)
        self._read_ahead_soon()

    def reload(self) -> None:
        """After an import from inside the app: the queue, the card and the counts again."""
        self.queue = self.review.load_queue()
        self.show(self.review.resume(self.queue))
        self.refresh_progress()

    # -- showing ------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self.set_class(self.size.height < SHORT_HEIGHT, "-short")

    def show(self, card: Card | None, *, remember: bool = True, ahead: Ahead | None = None) -> None:
        """Show `card`; `remember` puts it on the trail ← goes back through. `ahead`: the
        card as read and built ahead of the key (`_read_ahead`), used when it is the same."""
        self.card = card
        self._ahead = None
        trail = self.trail
        if remember and card is not None and (not trail or trail[-1] != card.id):
            trail.append(card.id)
            del trail[:-TRAIL_LENGTH]
        view = self.query_one(CardView)
        if (
            card is not None
            and ahead is not None
            and ahead.built.card == card
            and ahead.built.width == view.text_width()
            and time.monotonic() - ahead.at <= AHEAD_FRESH
        ):
            self._shown_person = ahead.person
            view.show_built(ahead.built)
        else:
            reach_out, touches = self._nurture_of(card)
            empty = self._empty_message() if card is None else None  # shown only without a card
            view.show(card, empty_message=empty, reach_out=reach_out, touches=touches)
        # Each button set once, to its final state: a change of `disabled` restyles the button
        # (about a millisecond), so `accept` is not switched on only to be switched off again.
        # `a` takes the card's suggestion: offered only when there is one.
        no_accept = card is None or suggest(card, self.review.today()).decision is None
        if self._buttons is None:
            self._buttons = list(self.query(ClickKey))
        for button in self._buttons:
            if button.id == "accept":
                button.disabled = no_accept
            else:
                button.disabled = card is None and button.id != "undo"

    @property
    def nurture(self) -> Nurture:
        if self._nurture is None:
            from prune_tui.services.nurture import Nurture

            self._nurture = Nurture(self.review)
        return self._nurture

    def _nurture_of(self, card: Card | None) -> tuple[str | None, list[Touch]]:
        """The card's nurture line (when they have a cadence) and its touch log."""
        if card is None:
            return None, []
        person, line, touches = self._nurture_state(card.id)
        self._shown_person = person
        return line, touches

    def _nurture_state(self, connection_id: int) -> tuple[Person | None, str | None, list[Touch]]:
        nurture = self.nurture
        person, touches = nurture.card_state(connection_id, TOUCHES_SHOWN + 1)
        line = person.summary(nurture.today()) if person is not None else ""
        return person, line or None, touches

    def _read_ahead(self, shown: Card) -> None:
        """Read and build the card that follows `shown` in the queue, with its nurture state,
        while the user reads `shown`: when the next decision key leads to that same card (as
        read in the decision's own transaction), it is swapped in rather than built."""
        if self.card is not shown:
            return  # another card (or the same one read again) is on screen by now
        try:
            following = self.review.next_or_wrap(self.queue, shown.id)
            if following is None:
                return
            person, line, touches = self._nurture_state(following.id)
        except (StorageFailed, DBAPIError):
            return  # only the head start is lost: the key reads (and reports) for itself
        built = self.query_one(CardView).build(following, reach_out=line, touches=touches)
        self._ahead = Ahead(time.monotonic(), built, person)

    def _empty_message(self) -> Content:
        if self.queue.filter is Filter.UNDECIDED and not self.queue.search:
            return Content.assemble(
                ("Every connection has a decision. ", "bold $success"),
                "Next: press ",
                ("l", "bold $accent"),
                " for the checklist, and remove the people you chose on LinkedIn, ticking "
                "each one off as you go.\n\nPress f to change the order or filter, b to browse "
                "everyone, u to undo, or q to quit: everything is saved.",
            )
        return Content(
            "No connection matches this order and filter. Press f to change them, "
            "or b to browse everyone."
        )

    @work(thread=True, exclusive=True, group="progress", exit_on_error=False)
    @worker_safe
    def refresh_progress(self) -> None:
        queue = self.queue
        try:
            progress = self.review.progress()
        except CountStopped:
            return  # the app is closing
        count = self.review.queue_count(queue) if shows_queue_count(queue) else None
        self.post_message(ProgressCounted(progress, count, queue))

    @on(ProgressCounted)
    def _progress_counted(self, message: ProgressCounted) -> None:
        self._show_progress(message.progress, message.count, message.queue)

    def _show_progress(
        self,
        progress: Progress,
        count: tuple[int, int] | None = None,
        queue: Queue | None = None,
    ) -> None:
        self.progress = progress
        if queue is not None and queue != self.queue:
            count = None  # counted for a queue no longer shown
        self.query_one(ProgressStrip).show(progress, self.queue, count)

    def _adjust_counts(
        self, old: Decision | None, new: Decision | None, in_queue: bool = False
    ) -> None:
        """Move one connection between the counts at once; the worker recounts after."""
        if self.progress is None or old == new:
            return
        strip = self.query_one(ProgressStrip)
        if in_queue and strip.queue_count is not None and self.queue.filter is Filter.UNDECIDED:
            left, total = strip.queue_count
            left += (old is not None) - (new is not None)
            strip.queue_count = (left, total)
        changes = dict.fromkeys(("keep", "nurture", "remove", "undecided"), 0)
        changes[old.value if old else "undecided"] -= 1
        changes[new.value if new else "undecided"] += 1
        s = self.progress.stats
        stats = dataclasses.replace(
            s,
            keep=s.keep + changes["keep"],
            nurture=s.nurture + changes["nurture"],
            remove=s.remove + changes["remove"],
            undecided=s.undecided + changes["undecided"],
        )
        self._show_progress(dataclasses.replace(self.progress, stats=stats))

    # -- actions ------------------------------------------------------------------------------

    @storage_safe
    def action_decide(self, value: str) -> None:
        card = self.card
        if card is None:
            return
        started = time.perf_counter()
        decision = Decision(value)
        # Whether the queue's own count moves ("acme: 98 left of 120"): one lookup by id.
        in_queue = shows_queue_count(self.queue) and self.review.in_queue(card.id, self.queue)
        try:
            following = self.review.decide_and_advance(
                self.queue, card.id, decision, expected=card.decision
            )
        except StorageFailed as failure:
            # The card stays; nothing was written. The key says how to try again.
            tell(self, failure, f"Press {DECISION_KEYS[decision]} again")
            return
        except ChangedElsewhere as changed:
            now = Decision(changed.now) if changed.now else None
            key = DECISION_KEYS[decision]
            self._changed_elsewhere(
                card.id,
                f"Already decided in another window: {now.value}. Press {key} again to change it."
                if now
                else f"Changed in another window: undecided now. Press {key} again to decide.",
            )
            return
        self.show(following, ahead=self._ahead)
        self.handler_times.append(time.perf_counter() - started)
        self._read_ahead_soon()
        # The counts follow just after: the next card is what the key is for, and the strip's
        # new counts (about 2 ms to build and draw) need not hold its paint back.
        self.set_timer(
            COUNTS_AFTER, functools.partial(self._adjust_counts, card.decision, decision, in_queue)
        )
        self._recount_soon()

    def action_accept(self) -> None:
        """`a`: the card's suggestion, when it has one, becomes the decision."""
        card = self.card
        if card is None:
            return
        hint = suggest(card, self.review.today())
        if hint.decision is None:
            self.notify(
                "This card has no suggestion to accept: answer the criteria (1–5), "
                "or decide with k, n or r.",
                timeout=4,
            )
            return
        self.action_decide(hint.decision.value)

    def _read_ahead_soon(self) -> None:
        """Once the card on screen is painted, read the one after it (`_read_ahead`)."""
        if self._ahead_timer is not None:
            self._ahead_timer.stop()
        if self.card is not None:
            self._ahead_timer = self.set_timer(
                AHEAD_AFTER, functools.partial(self._read_ahead, self.card)
            )

    def _recount_soon(self) -> None:
        """The counts were moved at once; a full recount (another window may have decided
        too) waits for a pause in the decisions rather than competing with them."""
        if self._recount_timer is not None:
            self._recount_timer.stop()
        self._recount_timer = self.set_timer(0.6, self.refresh_progress)

    @storage_safe
    def action_skip(self) -> None:
        if self.card is None:
            return
        following = self.review.next_or_wrap(self.queue, self.card.id)
        if following is not None and following.id == self.card.id:
            self.notify("This is the only card left in this queue.", timeout=3)
        self._go(following)

    @storage_safe
    def action_next(self) -> None:
        if self.card is None:
            self._go(self.review.first_card(self.queue))
            return
        following = self.review.next_card(self.queue, self.card.id)
        if following is None:
            self.notify("This is the last card in this queue.", timeout=3)
            return
        self._go(following)

    def _changed_elsewhere(self, connection_id: int, message: str) -> None:
        """Another window changed this card since it was shown here: show it as it is now,
        say so, and recount."""
        self.show(self.review.card(connection_id), remember=False)
        self.notify(message, severity="warning", timeout=6, markup=False)
        self.refresh_progress()

    @storage_safe
    def action_previous(self) -> None:
        """Back along the cards shown this session (to the card just decided, say); before the
        first of them, the previous card in the queue's order."""
        trail = self.trail
        current = self.card.id if self.card else None
        while trail and trail[-1] == current:
            trail.pop()
        while trail:
            earlier = self.review.card(trail[-1])
            if earlier is not None:
                self._go(earlier, remember=False)
                return
            trail.pop()
        if self.card is None:
            self._go(self.review.last_card(self.queue))
            return
        before = self.review.previous_card(self.queue, self.card.id)
        if before is None:
            self.notify("This is the first card in this queue.", timeout=3)
            return
        self._go(before, remember=False)

    def _go(self, card: Card | None, *, remember: bool = True) -> None:
        self.show(card, remember=remember)
        self.review.remember_current(card.id if card else None)

    @storage_safe
    def action_undo(self) -> None:
        result = self.review.undo()
        if result is None:
            self.notify("Nothing to undo.", timeout=3)
            return
        if result.batch is not None:  # a decision by rule, taken back whole
            current = self.card.id if self.card is not None else None
            self.show(self.review.card(current) if current is not None else None)
            if self.card is None:
                self._go(self.review.first_card(self.queue))
            self.notify(result.describe(""), timeout=6, markup=False)
            self.refresh_progress()
            return
        card = self.review.card(result.connection_id)
        self.show(card)
        if card is not None:
            self.notify(
                result.describe(safe_line(card.full_name)),
                timeout=6 if result.superseded else 3,
                severity="warning" if result.superseded else "information",
                markup=False,
            )
            if result.field == "decision" and not result.superseded:
                old = Decision(result.new) if result.new else None
                self._adjust_counts(old, Decision(result.old) if result.old else None)
        self.refresh_progress()

    @storage_safe
    def action_criterion(self, number: int) -> None:
        card = self.card
        if card is None:
            return
        try:
            self.review.toggle_criterion(card.id, number, expected=card.criteria.get(number))
        except ChangedElsewhere as changed:
            answer = {"1": "yes", "0": "no"}.get(changed.now or "", "not answered")
            self._changed_elsewhere(
                card.id,
                f"Criterion {number} was changed in another window: {answer} now. "
                f"Press {number} again to change it.",
            )
            return
        self.show(self.review.card(card.id))

    def action_cycle_cadence(self) -> None:
        """How often to be in touch: none → 2 weeks → month → quarter → half-year → year."""
        card = self.card
        if card is None:
            return
        from prune_tui.services.nurture import cadence_label

        if card.decision not in (Decision.KEEP, Decision.NURTURE):
            self.notify(
                "A cadence is for people you keep or nurture: press k or n first.", timeout=4
            )
            return
        if card.status is Status.GONE:
            self.notify("No longer connected: a cadence is for people you are connected to.")
            return
        shown = self._shown_person
        expected = shown.cadence_days if shown is not None and shown.id == card.id else None
        try:
            new = self.nurture.cycle_cadence(card.id, expected=expected)
        except ChangedElsewhere:
            self._changed_elsewhere(
                card.id, "Changed in another window meanwhile. Press d again to change it."
            )
            return
        except ValueError:
            self._changed_elsewhere(
                card.id, "Changed in another window: no longer kept or nurtured."
            )
            return
        self.show(self.review.card(card.id), remember=False)
        self.notify(f"Reach out {cadence_label(new)}." if new else "No cadence.", timeout=2)

    def action_log_touch(self) -> None:
        """I reached out today, with an optional line of what happened."""
        card = self.card
        if card is None:
            return
        from prune_tui.tui.screens.reach_out import TouchScreen

        def log(note: str | None) -> None:
            if note is None:
                return
            self.nurture.log_touch(card.id, note)
            if self.card is not None and self.card.id == card.id:
                self.show(self.review.card(card.id), remember=False)
            self.notify("Touch logged: last contact is today.", timeout=2)

        self.app.push_screen(TouchScreen(card.full_name), log)

    def action_edit_note(self) -> None:
        card = self.card
        if card is None:
            return
        self._edit_note(card, card.note, card.note)

    def _edit_note(self, card: Card, text: str, expected: str) -> None:
        """Edit the note, starting from `text`; it is saved only over `expected`, the note as
        it was when editing began."""
        from prune_tui.tui.screens.dialogs import NoteScreen

        def save(written: str | None) -> None:
            if written is None:
                return
            try:
                self.review.set_note(card.id, written, expected=expected)
            except StorageFailed as failure:
                # Nothing typed is lost: the dialog opens again with it.
                tell(self, failure, "Press ctrl+s again")
                self._edit_note(card, written, expected)
                return
            except ChangedElsewhere as changed:
                # Nothing typed is lost: the dialog opens again with it, over the new note.
                if self.card is not None and self.card.id == card.id:
                    self.show(self.review.card(card.id), remember=False)
                self.notify(
                    "The note was changed in another window meanwhile. Your text is below: "
                    "ctrl+s saves it in place of theirs, escape keeps theirs.",
                    severity="warning",
                    timeout=8,
                )
                self._edit_note(card, written, changed.now or "")
                return
            if self.card is not None and self.card.id == card.id:
                self.show(self.review.card(card.id))
            self.notify("Note saved.", timeout=2)

        self.app.push_screen(NoteScreen(card.full_name, text), save)

    def action_open_profile(self) -> None:
        if self.card is not None:
            open_profile(self, self.card.url, "Opened the profile in your browser.")

    def action_copy_url(self) -> None:
        if self.card is not None:
            copy_profile(self, self.card.url)

    def action_find(self) -> None:
        from prune_tui.tui.screens.dialogs import FindScreen

        self.app.push_screen(FindScreen(self.review), self.open_card)

    def action_choose_queue(self) -> None:
        from prune_tui.tui.screens.dialogs import QueueScreen

        self.app.push_screen(QueueScreen(self.queue, self.review.check_query), self.apply_queue)

    def action_browse(self) -> None:
        from prune_tui.tui.screens.browse import BrowseScreen

        # Installed once and kept: its query and position are there on the next visit.
        if not self.app.is_screen_installed(BROWSE):
            self.app.install_screen(BrowseScreen(self.review, self.queue), BROWSE)
        self.app.push_screen(BROWSE, self.open_card)

    @storage_safe
    def open_card(self, connection_id: int | None) -> None:
        """Show any card (from find or browse), whatever the queue; → goes on from there."""
        if connection_id is None:
            # Back without choosing: the card and counts as they are now (browse may have
            # decided for many people at once).
            if self.card is not None:
                self.show(self.review.card(self.card.id), remember=False)
            self.refresh_progress()
            return
        card = self.review.card(connection_id)
        if card is not None:
            self._go(card)
            self.refresh_progress()

    @storage_safe
    def apply_queue(self, queue: Queue | None) -> None:
        if queue is None:
            return
        self.queue = queue
        self.review.save_queue(queue)
        # A new order starts from its beginning.
        self._go(self.review.first_card(queue))
        self.query_one(ProgressStrip).show(self.progress, queue)
        self.refresh_progress()  # and the new queue's own count


def _decision_keys() -> dict[Decision, str]:
    """The key bound to each decision (`k`, `n`, `r`), read from the bindings: for the buttons
    and the words after a conflict with another window."""
    keys: dict[Decision, str] = {}
    for binding in ReviewScreen.BINDINGS:
        if isinstance(binding, Binding) and binding.action.startswith("decide("):
            keys[Decision(binding.action.removeprefix("decide('").removesuffix("')"))] = binding.key
    return keys


DECISION_KEYS = _decision_keys()
# The decisions, as buttons above the footer: (id, label, action).
DECISION_BUTTONS = (
    *(
        (d.value, f"{DECISION_VERBS[d.value]}  {key}", f"decide('{d.value}')")
        for d, key in DECISION_KEYS.items()
    ),
    ("accept", "Accept  a", "accept"),
    ("skip", "Later  space", "skip"),
    ("undo", "Undo  u", "undo"),
)
