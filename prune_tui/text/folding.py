"""How typed text meets stored text: case and accents never matter (`jose` finds José,
`soren` finds Søren). One function for every place a user narrows a list, and the same
function registered in SQLite as `fold(x)` so a query can compare folded columns."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Letters that carry no combining mark in Unicode's decomposition, but that a user types
# without the accent all the same.
_PLAIN = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "ħ": "h",
        "ı": "i",
        "ŧ": "t",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "þ": "th",
    }
)


@lru_cache(maxsize=65536)
def fold(text: str | None) -> str:
    """Casefolded, accents dropped, spaces collapsed: "  Søren  KIERKEGÅRD" → "soren kierkegard"."""
    if not text:
        return ""
    folded = text.casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded).translate(_PLAIN)
        folded = unicodedata.normalize("NFC", _without_latin_accents(decomposed))
    return " ".join(folded.split())


def _without_latin_accents(decomposed: str) -> str:
    """Drop the marks on Latin letters only: in Cyrillic, й is a letter of its own, not и."""
    kept: list[str] = []
    base_is_latin = False
    for ch in decomposed:
        if unicodedata.combining(ch):
            if not base_is_latin:
                kept.append(ch)
            continue
        base_is_latin = ch < "\u0250"
        kept.append(ch)
    return "".join(kept)
