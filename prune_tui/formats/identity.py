"""Who is who: profile URLs, slugs and name keys (docs/PRODUCT.md §4 "Profile URLs", §14).

One URL policy for identity, display, opening and every export: a profile is `https` (or no
scheme at all, as LinkedIn's own Endorsement files write it) on `linkedin.com`, `www.` or a
two-letter country subdomain of it, with no user, password or port, and a path `/in/<slug>`
(anything after the slug, a query and a fragment are dropped). Anything else is kept as text:
shown as not a profile link, never opened, never merged into a person. So
`https://www.linkedin.com.evil.example/in/x` and `https://www.linkedin.com@evil.example/in/x`
are not `linkedin.com/in/x`, and neither is `http://…` nor a `/redir/redirect?url=` link.
"""

from __future__ import annotations

import re
import unicodedata
from binascii import a2b_qp
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

USUAL_PROFILE_PREFIX = "https://www.linkedin.com/in/"
# The slug of the usual URL as Connections.csv writes it: nothing more to check (ASCII, no
# space, no `/`, `?`, `#`, `@`, backslash); `%` means it is decoded and checked first.
PLAIN_SLUG = re.compile(r"[A-Za-z0-9_.~%-]+")
_PROFILE_HOST = re.compile(r"(?:www\.|[a-z]{2}\.)?linkedin\.com")
# ASCII characters no slug holds once decoded (a space, `/ ? # @ : %`, a backslash, quotes,
# brackets…) and the replacement character of undecodable bytes. `- . _ ~` are fine.
_NOT_IN_SLUG = re.compile("[\\s!-,/:-@\\[-^`{-}\ufffd]")
# What ends a URL's path segment or the path itself: a slug holding none of these (and nothing
# unprintable, no space) after the usual prefix is the whole of the path's third segment.
_ENDS_SEGMENT = re.compile(r"[/?#]")


@dataclass(frozen=True)
class ProfileURL:
    """A profile address that passed the policy."""

    host: str  # linkedin.com, www.linkedin.com or a country's (de.linkedin.com), lower case
    path_slug: str  # the slug decoded, as written (case kept), NFC

    @property
    def slug(self) -> str:
        """The identity key: decoded, NFC, casefolded."""
        return self.path_slug.casefold()

    @property
    def shown(self) -> str:
        """For people to read: decoded (`https://www.linkedin.com/in/zoë-berg`)."""
        return f"https://{self.host}/in/{self.path_slug}"

    @property
    def opened(self) -> str:
        """For a browser, a link or a list of URLs: percent-encoded, nothing that could end a
        Markdown link or an HTML attribute (`https://www.linkedin.com/in/zo%C3%AB-berg`)."""
        return f"https://{self.host}/in/{quote(self.path_slug, safe='-._~')}"


def parse_profile_url(url: str | None) -> ProfileURL | None:
    """The profile `url` points to under the policy above, or None when it is not one."""
    text = (url or "").strip()
    if not text or not text.isprintable() or " " in text:
        return None  # a line break, a control or a space inside: not an address LinkedIn wrote
    lowered = text[:8].lower()
    if lowered.startswith("https://"):
        rest = text[8:]
    elif "://" in text or text.startswith("//"):
        return None  # http, javascript, data, a scheme-relative address …
    else:
        rest = text
    try:
        parts = urlsplit("https://" + rest)
        port = parts.port
    except ValueError:
        return None
    netloc = parts.netloc.lower()
    if port is not None or not _PROFILE_HOST.fullmatch(netloc):
        return None  # a user, a password, a port, or another host (`linkedin.com.evil.example`)
    segments = parts.path.split("/")
    if len(segments) < 3 or segments[0] != "" or segments[1].lower() != "in":
        return None
    path_slug = _decoded_slug(segments[2])
    return None if path_slug is None else ProfileURL(netloc, path_slug)


def profile_slug(url: str) -> str | None:
    """The identity key of a profile URL (None when the URL is not a profile under the policy):
    the slug after `/in/`, decoded, NFC, casefolded.

    >>> profile_slug("https://www.linkedin.com/in/linn%C3%A9a-berg/?trk=x")
    'linnéa-berg'
    """
    text = url.strip()
    if text.startswith(USUAL_PROFILE_PREFIX) and PLAIN_SLUG.fullmatch(
        text, len(USUAL_PROFILE_PREFIX)
    ):
        # The common case, 30,000 times per import: https://www.linkedin.com/in/slug
        rest = text[len(USUAL_PROFILE_PREFIX) :]
        return slug_from_path(rest) if "%" in rest else rest.lower()
    if text.startswith(USUAL_PROFILE_PREFIX):
        # The usual URL with a slug written undecoded (`…/in/sven-ström`, as a spreadsheet may
        # save it): when nothing in it ends the segment, urlsplit would give the same slug.
        rest = text[len(USUAL_PROFILE_PREFIX) :]
        if rest.isprintable() and " " not in rest and not _ENDS_SEGMENT.search(rest):
            return slug_from_path(rest)
    found = parse_profile_url(text)
    return found.slug if found else None


def slug_from_path(text: str) -> str | None:
    """A slug as it appears in a URL path (`linn%C3%A9a-berg`), as an identity key; None when
    what it decodes to is no slug (a `/`, a space, a control, bytes that are not UTF-8)."""
    decoded = _decoded_slug(text)
    return decoded.casefold() if decoded else None


def decoded_slug(text: str) -> str | None:
    """A slug as it appears in a URL path, decoded and NFC, case kept (what
    `ProfileURL.path_slug` holds); None when it is no slug."""
    return _decoded_slug(text)


def _decoded_slug(text: str) -> str | None:
    slug = unicodedata.normalize("NFC", _percent_decoded(text))
    if not slug or not slug.isprintable() or _NOT_IN_SLUG.search(slug):
        return None
    return slug


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


# A profile URL exactly as Connections.csv writes it, without `%`: already what `opened` gives.
PLAIN_PROFILE = re.compile(r"https://(?:www\.)?linkedin\.com/in/[A-Za-z0-9._~-]+\Z")


# The usual prefix and a slug with nothing `urlsplit` would cut at (`/ ? #`) or strip
# (whitespace): parse_profile_url would take the host as is and the slug as the rest, so only
# the slug needs its work (decoding `%XX`, NFC, refusing controls and what no slug holds).
_USUAL_PROFILE = re.compile(r"https://www\.linkedin\.com/in/([^\s/?#]+)\Z")


# The usual address with a slug of unreserved characters and upper-case `%XX` of bytes that
# are not ASCII: what `quote` makes of a slug that is valid UTF-8.
_ENCODED_PROFILE = re.compile(
    r"https://www\.linkedin\.com/in/((?:[A-Za-z0-9._~-]|%[89A-F][0-9A-F])+)\Z"
)


def profile_link(url: str | None) -> str | None:
    """The URL as a link target (percent-encoded), or None unless it is a profile under the
    one URL policy (`prune_tui.formats.identity`)."""
    if not url:
        return None
    if PLAIN_PROFILE.match(url):
        return url  # the common case, already as safe as it gets
    encoded = _ENCODED_PROFILE.match(url)
    if encoded is not None:
        # Connections.csv's way of writing a non-ASCII slug (`linn%C3%A9a`): already the link
        # when the bytes it spells are the slug's own (UTF-8, NFC), so no need to encode again.
        slug = decoded_slug(encoded[1])
        if slug is None:
            return None
        if slug.encode("utf-8") == a2b_qp(encoded[1].replace("%", "=")):
            return url
        return ProfileURL("www.linkedin.com", slug).opened
    usual = _USUAL_PROFILE.match(url)
    if usual is not None:
        # An encoded or non-ASCII slug (`linn%C3%A9a`, `ström`): what parse_profile_url gives
        # for it, without splitting the URL again.
        slug = decoded_slug(usual[1])
        return None if slug is None else ProfileURL("www.linkedin.com", slug).opened
    found = parse_profile_url(url)
    return found.opened if found else None
