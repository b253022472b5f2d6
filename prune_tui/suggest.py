"""The suggestion on a card: criteria and evidence weighed together, always with a reason.
It never decides; the user does."""

from __future__ import annotations

from prune_tui.model import Card, Decision, Suggestion


def suggest(card: Card) -> Suggestion:
    answers = card.criteria
    yes = [n for n, v in answers.items() if v is True]
    no = [n for n, v in answers.items() if v is False]
    ev = card.evidence
    messages = ev.message_count if ev else 0
    spoke = answers.get(1) is True or messages > 0

    if answers.get(5) is True and spoke:
        return Suggestion(Decision.KEEP, "you have spoken and they would answer within 48 hours")
    if spoke and (answers.get(3) is True or answers.get(4) is True):
        return Suggestion(Decision.NURTURE, "you have spoken and can help each other")
    if len(no) >= 3 and not spoke:
        return Suggestion(Decision.REMOVE, "never spoke, and most answers are no")
    if not spoke and ev is not None and ev.message_count == 0 and not yes:
        return Suggestion(Decision.REMOVE, "never messaged, and no criterion met")
    if yes:
        return Suggestion(None, f"{len(yes)} of 5 criteria met: your call")
    return Suggestion(None, "answer the criteria (keys 1–5) to get a suggestion")
