"""Screens talk to services handed to them by the app factory (issue 12): no screen or widget
holds a `Database`, reaches for one through the app, or reads the wall clock where the app's
clock is meant."""

from __future__ import annotations

import ast
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from tui_helpers import settle

import prune_tui.tui
from prune_tui.model import Card
from prune_tui.services.facades import (
    BulkDecisions,
    Figures,
    Imports,
    ListExports,
    Removals,
    Services,
)
from prune_tui.services.suggest import Suggestion
from prune_tui.tui.app import create_app
from prune_tui.tui.widgets.card import CardView

Clock = Callable[[], datetime]
TUI = Path(prune_tui.tui.__file__).parent


def _ui_modules() -> list[tuple[Path, str, ast.Module]]:
    found = []
    for path in sorted(TUI.rglob("*.py")):
        if path.name == "app.py":
            continue  # the factory holds the services
        text = path.read_text(encoding="utf-8")
        found.append((path, text, ast.parse(text)))
    return found


def test_no_screen_or_widget_holds_the_database() -> None:
    for path, text, tree in _ui_modules():
        for node in ast.walk(tree):
            where = f"{path.relative_to(TUI)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Name):
                assert node.id != "Database", f"{where} names Database"
            if isinstance(node, ast.Attribute):
                assert node.attr not in ("db", "_db"), f"{where} reaches for .{node.attr}"
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "getattr":
                target = node.args[0]
                assert not (isinstance(target, ast.Attribute) and target.attr == "app"), (
                    f"{where} looks the app up by name"
                )
        assert "ignore[attr-defined]" not in text, f"{path.name}: an untyped app lookup"


def test_the_app_builds_each_screen_with_its_services(hostile_db: Path, clock: Clock) -> None:
    from prune_tui.tui.screens.checklist import ChecklistScreen
    from prune_tui.tui.screens.invitations import InvitationsScreen
    from prune_tui.tui.screens.reach_out import ReachOutScreen
    from prune_tui.tui.screens.stats import StatsScreen

    app = create_app(hostile_db, clock=clock)
    try:
        checklist = app.build_screen("checklist")
        assert isinstance(checklist, ChecklistScreen)
        assert isinstance(checklist.removals, Removals)
        assert isinstance(checklist.exports, ListExports)
        assert checklist.review is app.review  # one review: one undo history, one clock
        stats = app.build_screen("stats")
        assert isinstance(stats, StatsScreen) and isinstance(stats.figures, Figures)
        assert isinstance(app.build_screen("invitations"), InvitationsScreen)
        assert isinstance(app.build_screen("reach-out"), ReachOutScreen)
        with pytest.raises(ValueError):
            app.build_screen("nowhere")
    finally:
        app.services.close()


def test_services_open_the_database_on_first_use(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "later.db"
    services = Services(path, clock)
    assert not path.exists()  # building the app costs nothing
    assert isinstance(services.imports(), Imports)
    assert isinstance(services.bulk(), BulkDecisions)
    assert services.review.today() == clock().date()
    assert path.exists()
    services.close()


async def test_the_card_suggests_by_the_apps_clock(
    hostile_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fixed clock far from today: the suggestion (and the ages) are worked out on the day
    it gives, so a snapshot never drifts as the calendar moves."""
    import prune_tui.tui.widgets.card as card_module

    moment = datetime.now().astimezone() + timedelta(days=4000)
    days: list[date | None] = []
    real = card_module.suggest

    def spy(card: Card, today: date | None = None) -> Suggestion:
        days.append(today)
        return real(card, today)

    monkeypatch.setattr(card_module, "suggest", spy)
    app = create_app(hostile_db, clock=lambda: moment)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(CardView)
        assert view.today() == moment.date()
        await pilot.press("space")
        await settle(pilot)
    assert days and set(days) == {moment.date()}
