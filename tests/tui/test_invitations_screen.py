"""The invitations screen, driven as a user would: `i` from the card, accept / ignore / later /
undo / criteria on the cards, the withdraw list with `o` and `w`, the LinkedIn checklist; and
snapshots at 80×24 and 100×30 with hostile names."""

from __future__ import annotations

import csv
import io
import webbrowser
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static
from tui_helpers import settle

from prune_tui.services.importer import import_path
from prune_tui.services.invitations import Answer, pending_invitations
from prune_tui.store import open_database
from prune_tui.tui.app import create_app
from prune_tui.tui.screens.invitations import InvitationsScreen
from prune_tui.tui.screens.review import ReviewScreen

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=timezone.utc)
FOLDER = "Basic_LinkedInDataExport_11-20-2026"
SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((80, 24), id="80x24")]
ME = ("Olive Owner", "https://www.linkedin.com/in/olive-owner")

CONNECTIONS = [
    ("Ann", "Lee", "ann-lee", "Initech", "Engineer", "07 Mar 2020"),
    ("Bo", "Berg", "bo-berg", "Globex", "Designer", "08 Apr 2021"),
]
# (name, slug or a whole URL, direction, sent at, note), newest first as LinkedIn writes them.
INVITATIONS = [
    (
        "[bold]Markup[/bold] Tester",
        "markup",
        "INCOMING",
        "11/19/26, 9:30 AM",
        "Great meeting you at the [i]Initech[/i] summit last week! Ann Lee introduced us.",
    ),
    (
        "Escape\x1b[31m Bell\x07",
        "escape",
        "INCOMING",
        "11/15/26, 8:00 AM",
        "We help companies like yours grow revenue with our platform. Open to a quick call?",
    ),
    ("مريم الحسيني", "maryam", "INCOMING", "11/2/26, 6:15 PM", ""),
    ("Zoë 🌻 Sunflower", "javascript:alert(1)", "INCOMING", "10/30/26, 7:00 AM", "hi"),
    ("Hana New", "hana-new", "OUTGOING", "11/15/26, 9:00 AM", "Hi Hana, loved your talk"),
    (
        "Maximilian Alexander Christopher Featherstonehaugh-Montgomery",
        "long",
        "OUTGOING",
        "10/1/26, 9:00 AM",
        "",
    ),
    ("Gus Old", "gus-old", "OUTGOING", "9/20/26, 9:00 AM", ""),
    ("Ann Lee", "ann-lee", "INCOMING", "3/6/20, 8:00 AM", "Nice to meet you"),
]


def url_of(slug: str) -> str:
    return slug if ":" in slug else f"https://www.linkedin.com/in/{slug}"


def write_export(parent: Path, name: str = FOLDER) -> Path:
    folder = parent / name
    folder.mkdir(parents=True)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    )
    for first, last, slug, company, position, when in CONNECTIONS:
        writer.writerow([first, last, url_of(slug), "", company, position, when])
    (folder / "Connections.csv").write_text(out.getvalue(), encoding="utf-8")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl"]
    )
    for name, slug, direction, sent, note in INVITATIONS:
        them = (name, url_of(slug))
        inviter, invitee = (them, ME) if direction == "INCOMING" else (ME, them)
        writer.writerow([inviter[0], invitee[0], sent, note, direction, inviter[1], invitee[1]])
    (folder / "Invitations.csv").write_text(out.getvalue(), encoding="utf-8")
    return folder


@pytest.fixture
def invited_db(tmp_path: Path) -> Path:
    db_path = tmp_path / "invited.db"
    db = open_database(db_path)
    try:
        import_path(db, write_export(tmp_path))
        with db.write() as conn:
            conn.exec_driver_sql("UPDATE import_runs SET imported_at = '2026-11-20T20:00:00+00:00'")
            # Ann is kept: the Initech the first note mentions is a company of someone kept.
            conn.exec_driver_sql("UPDATE connections SET decision = 'keep' WHERE slug = 'ann-lee'")
    finally:
        db.close()
    return db_path


def clock() -> datetime:
    return NOW


def screen_of(pilot: Pilot[None]) -> InvitationsScreen:
    screen = pilot.app.screen
    assert isinstance(screen, InvitationsScreen)
    return screen


def text(pilot: Pilot[None], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


def decisions(db_path: Path) -> dict[str, str | None]:
    db = open_database(db_path)
    try:
        return {i.name: (i.decision.value if i.decision else None) for i in pending_invitations(db)}
    finally:
        db.close()


async def test_screening_cards_with_single_keys(invited_db: Path) -> None:
    app = create_app(invited_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("i")
        await settle(pilot)
        screen = screen_of(pilot)
        assert [c.name for c in screen.cards] == [
            "[bold]Markup[/bold] Tester",
            "Escape\x1b[31m Bell\x07",
            "مريم الحسيني",
            "Zoë 🌻 Sunflower",
        ]
        name = text(pilot, "#inv-name")
        assert "[bold]Markup[/bold] Tester" in name and "1 of 4" in name
        note = text(pilot, "#inv-note")
        assert "personal note" in note and "[i]Initech[/i] summit" in note
        assert "mentions Initech, like Ann Lee, whom you keep" in text(pilot, "#inv-known")
        header = text(pilot, "#inv-header")
        assert "none screened yet" in header and "about 2 in 5" in header
        assert "Dunbar 1/150" in header

        await pilot.press("1", "a")  # we have spoken; accept
        assert screen.current is not None and screen.current.name.startswith("Escape")
        assert "\x1b" not in text(pilot, "#inv-name")
        assert "a pitch" in text(pilot, "#inv-note")
        await pilot.press("x")  # ignore the pitch
        assert screen.current is not None and screen.current.name == "مريم الحسيني"
        assert "no note" in text(pilot, "#inv-note")
        header = text(pilot, "#inv-header")
        assert "accepted 1 of 2 screened (50%)" in header and "Dunbar 2/150" in header
        await pilot.press("space")  # later
        assert screen.current is not None and screen.current.name == "Zoë 🌻 Sunflower"
        await pilot.press("u")  # takes back the ignore
        assert screen.current is not None and screen.current.name.startswith("Escape")
        assert decisions(invited_db)["Escape\x1b[31m Bell\x07"] is None
        assert decisions(invited_db)["[bold]Markup[/bold] Tester"] == "accept"
        await pilot.press("left")
        assert screen.current is not None and screen.current.criteria[1] is True
        assert "1 of 4" in text(pilot, "#inv-name") and " accept " in text(pilot, "#inv-name")

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)


async def test_withdraw_list_opens_profiles_and_ticks(
    invited_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []

    def fake_open(url: str, *args: object, **kwargs: object) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", fake_open)
    app = create_app(invited_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = screen_of(pilot)
        # The cards' keys do nothing on the lists, and `w` nothing on the cards.
        await pilot.press("w")
        assert decisions(invited_db)["Gus Old"] is None
        await pilot.press("tab")
        assert screen.view == "withdraw"
        # Oldest first; Hana's (5 days before the export) is not stale yet.
        assert [i.name for i in screen.stale] == [
            "Gus Old",
            "Maximilian Alexander Christopher Featherstonehaugh-Montgomery",
        ]
        await pilot.press("a", "x")
        assert all(d is None for d in decisions(invited_db).values())
        await pilot.press("o")
        assert opened == ["https://www.linkedin.com/in/gus-old"]
        await pilot.press("w")
        assert decisions(invited_db)["Gus Old"] == "withdraw"
        table = screen.query_one("#inv-withdraw", DataTable)
        assert table.cursor_row == 1
        assert "1 of yours to withdraw" in text(pilot, "#inv-header")
        await pilot.press("u")
        assert decisions(invited_db)["Gus Old"] is None
        assert "2 of yours to withdraw" in text(pilot, "#inv-header")

        await pilot.press("tab")  # the checklist of what to do on LinkedIn
        assert screen.view == "todo"
        assert [(what, i.name) for what, i in screen.todo] == [
            ("withdraw", "Gus Old"),
            ("withdraw", "Maximilian Alexander Christopher Featherstonehaugh-Montgomery"),
        ]
        await pilot.press("tab")
        assert screen.view == "screen"
        await pilot.press("x", "a", "a", "a")  # Zoë's profile is a javascript: link
        await pilot.press("tab", "tab")
        assert [what for what, _ in screen.todo] == [
            "accept",
            "accept",
            "accept",
            "ignore",
            "withdraw",
            "withdraw",
        ]
        zoe = next(n for n, (_, i) in enumerate(screen.todo) if i.name.startswith("Zoë"))
        screen.query_one("#inv-todo", DataTable).move_cursor(row=zoe)
        await pilot.press("o")
        assert opened == ["https://www.linkedin.com/in/gus-old"]  # never a javascript: link


async def test_palette_help_and_an_export_without_invitations(tmp_path: Path) -> None:
    from prune_tui.tui.keys import CARD, card_bindings, help_rows

    assert any(
        key == "i" and "invitations" in words for key, words in help_rows(CARD, card_bindings())
    )
    db_path = tmp_path / "plain.db"
    db = open_database(db_path)
    folder = write_export(tmp_path)
    (folder / "Invitations.csv").unlink()
    import_path(db, folder)
    db.close()
    app = create_app(db_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Screen pending invitations" in titles
        await pilot.press("i")
        await settle(pilot)
        assert "No invitations to screen" in text(pilot, "#inv-name")
        assert "No Invitations.csv imported yet" in text(pilot, "#inv-note")
        await pilot.press("a", "x", "space", "1", "u", "tab", "w", "o", "tab", "o")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)


async def test_a_decision_still_pending_in_a_newer_export_is_flagged(invited_db: Path) -> None:
    from prune_tui.services.screening import Screening

    db = open_database(invited_db)
    try:
        s = Screening(db, clock=clock)
        first = next(i for i in pending_invitations(db) if i.name.startswith("[bold]"))
        s.decide(first.id, Answer.IGNORE)
        import_path(db, write_export(invited_db.parent / "later", "LinkedInDataExport_12-01-2026"))
    finally:
        db.close()
    app = create_app(invited_db, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = screen_of(pilot)
        screen.current = screen.cards[0]
        screen._show()
        await pilot.pause()
        assert "still pending in your newer export" in text(pilot, "#inv-name")
        await pilot.press("tab", "tab")
        assert [(what, i.flagged) for what, i in screen.todo][:1] == [("ignore", True)]
        await pilot.press("tab", "x")  # ignore it again: it stands as of now
        await pilot.press("tab", "tab")
        assert [(what, i.flagged) for what, i in screen.todo][:1] == [("ignore", False)]


def screening_after(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """A snapshot's run_before: open the screening screen, then press `keys`."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await pilot.press(*keys)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_invitation_card_snapshot(
    snap_compare: Callable[..., bool], invited_db: Path, size: tuple[int, int]
) -> None:
    app = create_app(invited_db, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=screening_after("3", "4"))


@pytest.mark.parametrize("size", SIZES)
def test_invitation_withdraw_snapshot(
    snap_compare: Callable[..., bool], invited_db: Path, size: tuple[int, int]
) -> None:
    app = create_app(invited_db, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=screening_after("a", "x", "tab", "w"))


@pytest.mark.parametrize("size", SIZES)
def test_invitation_checklist_snapshot(
    snap_compare: Callable[..., bool], invited_db: Path, size: tuple[int, int]
) -> None:
    app = create_app(invited_db, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=screening_after("a", "x", "tab", "tab"))


def test_decisions_are_written_at_once(invited_db: Path) -> None:
    """What the screen decides is in the database before the next card shows."""
    import asyncio

    async def drive() -> None:
        app = create_app(invited_db, clock=clock)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("i")
            await settle(pilot)
            await pilot.press("a")
            assert decisions(invited_db)["[bold]Markup[/bold] Tester"] == Answer.ACCEPT.value

    asyncio.run(drive())
