"""A note's kind, from its words: an invitation's note that pitches, one that is personal, a
plain one, or none. The suggestion, the screening screen and the query language
(`invitation:pitch`, registered in SQLite as `note_kind`) all read notes this way."""

from __future__ import annotations

import re

# Words that mark an invitation note as a sales pitch or as personal. A note is a pitch when it
# has more pitch words than personal ones.
PITCH_WORDS = (
    r"pitch\w*",
    r"products?",
    r"(?:our|my) (?:tool|app|software|startup|solution|company|firm|agency|team)",
    r"(?:hop|jump|get) on a (?:quick |short )?call",
    r"consultation",
    r"discount\w*",
    r"sales",
    r"opportunit\w*",
    r"services?",
    r"solutions?",
    r"platform",
    r"demo",
    r"(?:quick|short|brief|intro|discovery) call",
    r"schedule a (?:call|meeting|chat)",
    r"book a",
    r"\d+[- ]?min(?:ute)?s?",
    r"grow(?:ing)? your",
    r"scale your",
    r"leads?",
    r"clients?",
    r"agency",
    r"offer\w*",
    r"partnership",
    r"invest\w*",
    r"pricing",
    r"free trial",
    r"webinar",
    r"roi",
    r"revenue",
    r"outsourc\w*",
    r"(?:i|we) help",
    r"your business",
    r"your company",
    r"your team",
    r"save (?:you )?(?:time|money)",
    r"exclusive",
    r"crypto",
)
PERSONAL_WORDS = (
    r"met",
    r"meeting you",
    r"(?:great|good|nice|lovely) (?:to|talking|chatting|speaking)",
    r"enjoyed",
    r"thanks?",
    r"thank you",
    r"conference",
    r"summit",
    r"meetup",
    r"talk",
    r"panel",
    r"workshop",
    r"colleagues?",
    r"worked",
    r"working with",
    r"together",
    r"catch up",
    r"remember",
    r"school",
    r"university",
    r"class(?:mate)?",
    r"friend",
    r"congrat\w*",
    r"last (?:week|night|month)",
    r"yesterday",
)
_PITCH = re.compile(r"\b(?:" + "|".join(PITCH_WORDS) + r")\b")
_PERSONAL = re.compile(r"\b(?:" + "|".join(PERSONAL_WORDS) + r")\b")


def note_kind(message: str | None) -> str:
    """ "none", "pitch", "personal" or "plain" (a note with neither kind of word)."""
    text = " ".join((message or "").casefold().split())
    if not text:
        return "none"
    pitch = len(_PITCH.findall(text))
    personal = len(_PERSONAL.findall(text))
    if pitch > personal:
        return "pitch"
    if personal:
        return "personal"
    return "plain"
