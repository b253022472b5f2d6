"""Hostile addresses and invisible marks, from an import to the card (issue 11, items 9-10):
one URL policy decides who is a person, what the card shows and what `o` opens."""

from __future__ import annotations

import csv
import io
import sqlite3
import webbrowser
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import Static

from prune_tui.cli.commands import main
from prune_tui.tui.app import create_app
from prune_tui.tui.screens.checklist import profile_path, short_url
from prune_tui.tui.screens.review import ReviewScreen
from prune_tui.tui.widgets.card import CardView

Clock = Callable[[], datetime]
MARKS = "\u061c\u200e\u200f\u200b\u200c\u200d\ufeff"

# first, last, url, connected on (oldest first: the order of the cards)
ROWS = [
    ("Ada", "Real", "https://www.linkedin.com/in/x", "01 Jan 2015"),
    ("Ada", "Fake", "https://www.linkedin.com.evil.example/in/x", "02 Jan 2015"),
    ("Ada", "At", "https://www.linkedin.com@evil.example/in/x", "03 Jan 2015"),
    ("Plain", "Http", "http://www.linkedin.com/in/plain", "04 Jan 2015"),
    (
        "Re",
        "Direct",
        "https://www.linkedin.com/redir/redirect?url=https%3A%2F%2Fevil",
        "05 Jan 2015",
    ),
    ("New", "Line", "https://www.linkedin.com/in/nl\nhttps://evil.example", "06 Jan 2015"),
    ("Zoë", "Berg", "https://www.linkedin.com/in/zo%C3%AB-berg", "07 Jan 2015"),
    (f"Mar{MARKS}yam", f"Hus{MARKS}seini", "https://www.linkedin.com/in/maryam", "08 Jan 2015"),
]


@pytest.fixture
def hostile_urls(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    )
    for first, last, url, when in ROWS:
        writer.writerow([first, last, url, "", "Acme", "Role", when])
    source = tmp_path / "Connections.csv"
    source.write_text(out.getvalue(), encoding="utf-8")
    db = tmp_path / "prune.db"
    assert main(["import", str(source), "--db", str(db)]) == 0
    capsys.readouterr()
    return db


def test_only_real_profiles_are_people_and_nothing_else_merges(hostile_urls: Path) -> None:
    with sqlite3.connect(hostile_urls) as conn:
        slugs = [
            row[0] for row in conn.execute("SELECT slug FROM connections ORDER BY connected_on")
        ]
    assert slugs == ["x", None, None, None, None, None, "zoë-berg", "maryam"]


def test_the_checklist_never_shows_another_host_as_a_profile() -> None:
    fake = "https://www.linkedin.com.evil.example/in/x"
    assert profile_path(fake) == fake
    assert short_url(fake) == fake
    assert profile_path("https://www.linkedin.com@evil.example/in/x").endswith("@evil.example/in/x")
    assert short_url("https://www.linkedin.com/in/zo%C3%AB-berg") == "linkedin.com/in/zoë-berg"
    assert profile_path("https://de.linkedin.com/in/zo%C3%AB-berg/") == "/in/zoë-berg"


def card_text(app: object) -> str:
    view = app.screen.query_one(CardView)  # type: ignore[attr-defined]
    return "\n".join(str(w.content) for w in view.query(Static))


async def test_the_card_opens_only_profiles_shows_them_decoded_and_hides_marks(
    hostile_urls: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []

    def fake_open(url: str, *_: object, **__: object) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", fake_open)
    app = create_app(hostile_urls, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        seen = []
        for _first, last, _url, _when in ROWS:
            assert screen.card is not None and screen.card.last_name == last
            text = card_text(app)
            await pilot.press("o")
            await pilot.pause()
            seen.append((last, text))
            await pilot.press("space")
            await pilot.pause()
        # Only the real /in/x, Zoë (encoded) and Maryam were handed to the browser.
        assert opened == [
            "https://www.linkedin.com/in/x",
            "https://www.linkedin.com/in/zo%C3%AB-berg",
            "https://www.linkedin.com/in/maryam",
        ]
        texts = dict(seen)
        assert "https://www.linkedin.com/in/zoë-berg" in texts["Berg"]  # shown decoded
        for last in ("Fake", "At", "Http", "Direct", "Line"):
            assert "(not a profile link)" in texts[last], last
        assert "https://www.linkedin.com.evil.example/in/x" in texts["Fake"]
        assert "(not a profile link)" not in texts["Real"]
        shown = next(text for last, text in seen if last.startswith("Hus"))
        assert "Maryam Husseini" in shown
        assert not any(mark in shown for mark in MARKS)
