"""Handing a profile to the browser or the clipboard, and knowing whether that worked.

Every screen opens and copies profiles through `open_profile` and `copy_profile`, so the card
refuses exactly what the checklist, browse, invitations and reach-out refuse: the one URL
policy, `formats.identity.parse_profile_url` (an `http://` link, another host, a redirect
are text, never opened)."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.widget import Widget


def open_in_browser(app: App[Any], url: str) -> bool:
    """Open `url` in the user's browser. False when none could be opened (a server reached
    over SSH, say): then the caller offers to copy the URL instead."""
    if app.is_web:  # served through a browser: that browser opens it
        app.open_url(url)
        return True
    import webbrowser

    try:
        return bool(webbrowser.open(url))
    except webbrowser.Error:
        return False


NO_BROWSER = "No browser could be opened here; press c to copy the URL."


def profile_to_copy(url: str) -> str:
    """What `c` copies: a profile as a browser opens it (percent-encoded), anything else as
    the text it is (one safe line: never a control character into the clipboard)."""
    from prune_tui.formats.identity import parse_profile_url
    from prune_tui.text.plain import one_line

    found = parse_profile_url(url)
    return found.opened if found is not None else one_line(url)


def copy_profile(node: Widget, url: str | None) -> bool:
    """Copy a profile's URL and say so (or that there is none)."""
    if not url or not url.strip():
        node.notify("The export has no profile URL for them.", severity="warning")
        return False
    node.app.copy_to_clipboard(profile_to_copy(url))
    node.notify("Profile URL copied.", timeout=2)
    return True


def open_profile(node: Widget, url: str | None, opened: str) -> bool:
    """Open a profile under the one URL policy (`formats.identity.parse_profile_url`) and say
    what happened: `opened` when the browser took it, else why not and what to do instead."""
    from prune_tui.formats.identity import parse_profile_url

    if not url or not url.strip():
        node.notify("The export has no profile URL for them.", severity="warning")
        return False
    found = parse_profile_url(url)
    if found is None:
        node.notify(
            "This link does not look like a LinkedIn profile, so it was not opened. "
            "Press c to copy it instead.",
            severity="warning",
        )
        return False
    if open_in_browser(node.app, found.opened):
        node.notify(opened, timeout=3)
        return True
    node.notify(NO_BROWSER, severity="warning", timeout=6)
    return False
