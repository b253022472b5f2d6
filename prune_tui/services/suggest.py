"""The suggestion on a card: criteria and evidence weighed together, always with a reason
("never messaged; they invited you with a pitch → remove?"). It never decides; the user does.

Each thing known about the relationship is a fact with a weight, for or against it. The
suggestion follows the balance, and its reason names the heaviest facts on the winning side
(and the heaviest one against, so the user sees both)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from prune_tui.model import Card, Decision, Evidence, Status, Suggestion
from prune_tui.text.evidence import when
from prune_tui.text.notes import note_kind

NO_FACTS = "answer the criteria (keys 1–5) to get a suggestion"
RECENT_DAYS = 365


@dataclass(frozen=True)
class Fact:
    weight: int  # > 0 speaks for the relationship, < 0 against it
    text: str


def facts(card: Card, today: date) -> list[Fact]:
    """Everything known about the relationship, each with its weight."""
    found: list[Fact] = []
    answers = card.criteria
    ev = card.evidence
    never_messaged = ev is not None and ev.messages_known and ev.message_count == 0
    if ev is not None:
        found += _message_facts(ev, today, spoken=answers.get(1))
        found += _invitation_facts(ev)
        found += _endorsement_facts(ev)

    spoke = answers.get(1)
    if spoke is True and not exchanged(ev):
        found.append(Fact(1, "you have spoken"))
    elif spoke is False and not never_messaged:
        found.append(Fact(-1, "you have never spoken"))
    if answers.get(5) is True:
        found.append(Fact(3, "they would answer within 48 hours"))
    elif answers.get(5) is False:
        found.append(Fact(-1, "they would not answer within 48 hours"))
    if answers.get(2) is True:
        found.append(Fact(1, "you know what they do"))
    elif answers.get(2) is False:
        found.append(Fact(-1, "you don't know what they do"))
    helps = (answers.get(3), answers.get(4))
    if helps == (True, True):
        found.append(Fact(2, "you can help each other"))
    elif helps == (False, False):
        found.append(Fact(-1, "neither of you can help the other"))
    else:
        if helps[0] is True:
            found.append(Fact(1, "you can help them"))
        if helps[1] is True:
            found.append(Fact(1, "they can help you"))
    return found


def exchanged(ev: Evidence | None) -> bool:
    """Messages went both ways (more than one unanswered message from them)."""
    if ev is None or ev.message_count <= 0:
        return False
    return not (ev.message_count == 1 and ev.last_message_from == "them")


def _message_facts(ev: Evidence, today: date, spoken: bool | None) -> list[Fact]:
    n = ev.message_count
    if n <= 0:
        if not ev.messages_known:
            return []
        if spoken is False:
            return [Fact(-3, "never spoke or messaged")]
        return [Fact(-2, "never messaged")]
    if n == 1 and ev.last_message_from == "them":
        return [Fact(-1, "they wrote once and you never replied")]
    count = f"{n} message" if n == 1 else f"{n:,} messages"
    last = when(ev.last_message_at, today)
    text = f"{count}, last {last}" if last else count
    age = _age_days(ev.last_message_at, today)
    if age is not None and age <= RECENT_DAYS:
        return [Fact(2, text)]
    if age is not None and age > 3 * RECENT_DAYS:
        return [Fact(1, text), Fact(-1, "silent for over 3 years")]
    return [Fact(1, text)]


def _invitation_facts(ev: Evidence) -> list[Fact]:
    if ev.invited_by == "me":
        return [Fact(1, "you invited them")]
    if ev.invited_by != "them":
        return []
    kind = note_kind(ev.invitation_message)
    if kind == "pitch":
        return [Fact(-2, "they invited you with a pitch")]
    if kind == "personal":
        return [Fact(1, "they invited you with a personal note")]
    if kind == "none":
        return [Fact(-1, "they invited you without a note")]
    return []


def _endorsement_facts(ev: Evidence) -> list[Fact]:
    found: list[Fact] = []
    if ev.recommendations_received and ev.recommendations_given:
        found.append(Fact(2, "you recommended each other"))
    elif ev.recommendations_received:
        found.append(Fact(2, "they recommended you"))
    elif ev.recommendations_given:
        found.append(Fact(2, "you recommended them"))
    if ev.endorsements_received and ev.endorsements_given:
        found.append(Fact(1, "you endorsed each other"))
    return found


def _age_days(stamp: str | None, today: date) -> int | None:
    try:
        return (today - date.fromisoformat(stamp[:10])).days if stamp else None
    except ValueError:
        return None


def suggest(card: Card, today: date | None = None) -> Suggestion:
    """A nudge with its reason. `decision` is only ever offered (shown with a question mark);
    None when the facts do not lean either way or nothing is known yet."""
    if card.status is Status.GONE:
        # Not in the latest export: there is nobody to remove, and a keep may mean reconnecting.
        if card.decision in (Decision.KEEP, Decision.NURTURE):
            return Suggestion(
                None, "no longer connected: reconnect on LinkedIn if they still matter to you"
            )
        return Suggestion(None, "no longer connected: nothing left to do on LinkedIn")
    found = facts(card, today or date.today())
    if not found:
        return Suggestion(None, NO_FACTS)
    score = sum(f.weight for f in found)
    pro = sorted((f for f in found if f.weight > 0), key=lambda f: -f.weight)
    con = sorted((f for f in found if f.weight < 0), key=lambda f: f.weight)
    answers = card.criteria
    spoke = answers.get(1) is True or exchanged(card.evidence)
    decision: Decision | None
    if answers.get(5) is True and spoke and score >= 2:
        decision = Decision.KEEP
    elif score >= 2 and spoke and (answers.get(3) is True or answers.get(4) is True):
        decision = Decision.NURTURE
    elif score >= 5 and spoke:
        decision = Decision.KEEP
    elif score >= 2 and spoke:
        decision = Decision.NURTURE
    elif score <= -2 and answers.get(5) is not True:
        # Someone who would answer within 48 hours is never nudged out, whatever else says.
        decision = Decision.REMOVE
    else:
        decision = None

    if decision is Decision.REMOVE:
        reasons = [f.text for f in con[:3]] + [f"though {f.text}" for f in pro[:1]]
    elif decision is not None:
        reasons = [f.text for f in pro[:3]] + [f"though {f.text}" for f in con[:1]]
    else:
        reasons = [f.text for f in sorted(found, key=lambda f: -abs(f.weight))[:3]]
    verdict = f"{decision.value}?" if decision is not None else "your call"
    return Suggestion(decision, f"{'; '.join(reasons)} → {verdict}")
