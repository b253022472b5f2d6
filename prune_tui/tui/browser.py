"""Handing a profile to the browser, and knowing whether that worked."""

from __future__ import annotations

from typing import Any

from textual.app import App


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
