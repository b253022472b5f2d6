"""Who is who: profile slugs and name keys (PRODUCT.md §4, "Profile URLs")."""

from __future__ import annotations

import unicodedata
from binascii import a2b_qp
from urllib.parse import unquote

USUAL_PROFILE_PREFIX = "https://www.linkedin.com/in/"


def profile_slug(url: str) -> str | None:
    """The identity key of a profile URL: the slug after `/in/`, query, fragment and trailing
    `/` dropped, percent-decoded, NFC, casefolded. Works for schemeless URLs too.

    >>> profile_slug("https://www.linkedin.com/in/linn%C3%A9a-berg/?trk=x")
    'linnéa-berg'
    """
    text = url.strip()
    if not text:
        return None
    if text.startswith(USUAL_PROFILE_PREFIX) and text.isascii():
        # The common case, 30,000 times per import: https://www.linkedin.com/in/slug
        rest = text[len(USUAL_PROFILE_PREFIX) :]
        if "/" not in rest and "?" not in rest and "#" not in rest and "%" not in rest:
            return rest.lower() or None
    for cut in ("?", "#"):
        text = text.split(cut, 1)[0]
    lowered = text.lower()
    marker = lowered.find("/in/")
    if marker >= 0:
        rest = text[marker + 4 :]
    else:
        # Old public URLs (/pub/name/1/2/3) or anything else: the whole path identifies them.
        pos = lowered.find("linkedin.com/")
        rest = text[pos + len("linkedin.com/") :] if pos >= 0 else text
    rest = rest.strip("/")
    if marker >= 0:
        rest = rest.split("/", 1)[0]
    return slug_from_path(rest)


def slug_from_path(text: str) -> str | None:
    """A slug as it appears in a URL path (`linn%C3%A9a-berg`), as an identity key."""
    slug = unicodedata.normalize("NFC", _percent_decoded(text)).casefold().strip()
    return slug or None


def _percent_decoded(text: str) -> str:
    """`linn%C3%A9a` → `linnéa`. Connections.csv encodes every non-ASCII slug (a fifth of a
    network may have one), so the well-formed UTF-8 case is decoded in C: `%XX` is quoted-
    printable's `=XX`. Anything else goes through `unquote`, which replaces what cannot be
    decoded."""
    if "%" not in text:
        return text
    if text.isascii() and "=" not in text and "\n" not in text and "\r" not in text:
        raw = a2b_qp(text.replace("%", "="))
        # Only when every `%` began a `%XX` (3 characters → 1 byte) did it shrink by 2 each.
        if len(raw) == len(text) - 2 * text.count("%"):
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                pass
    return unquote(text)


def name_key(first: str, last: str) -> str:
    """A person's name for matching and sorting: NFC, casefolded, spaces collapsed."""
    joined = f"{first} {last}"
    if joined.isascii():
        return " ".join(joined.lower().split())
    return " ".join(unicodedata.normalize("NFC", joined).casefold().split())


def fallback_key(name: str, connected_on: str | None) -> str:
    """Identity for rows without a URL (exports before 2023): name and connected-on date."""
    return f"name:{name}|{connected_on or ''}"
