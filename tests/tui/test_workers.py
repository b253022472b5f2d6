"""One way to run slow work in the app (issue 12): thread workers started with
`exit_on_error=False`, wrapped in `failures.worker_safe`, posting past-tense messages declared in
`tui/messages.py`; an error in a worker is a notification, never the end of the app."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from textual.message import Message
from textual.widgets import Static
from tui_helpers import settle

import prune_tui.tui
from prune_tui.tui import messages
from prune_tui.tui.app import PruneApp, create_app
from prune_tui.tui.screens.review import ReviewScreen

Clock = Callable[[], datetime]
TUI = Path(prune_tui.tui.__file__).parent


def modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(TUI.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _keywords(call: ast.Call) -> dict[str, object]:
    return {
        k.arg: k.value.value for k in call.keywords if k.arg and isinstance(k.value, ast.Constant)
    }


def test_no_worker_hands_back_results_through_call_from_thread() -> None:
    for path, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "call_from_thread":
                raise AssertionError(f"{path.name}:{node.lineno} uses call_from_thread")


def test_every_worker_is_a_thread_that_never_ends_the_app() -> None:
    workers = 0
    for path, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [_name(d) for d in node.decorator_list]
                if "work" not in names:
                    continue
                workers += 1
                work = next(d for d in node.decorator_list if _name(d) == "work")
                assert isinstance(work, ast.Call), f"{path.name}: {node.name}"
                options = _keywords(work)
                where = f"{path.name}: {node.name}"
                assert options.get("thread") is True, where
                assert options.get("exit_on_error") is False, where
                assert "worker_safe" in names, f"{where} is not wrapped in worker_safe"
            elif isinstance(node, ast.Call) and _name(node) == "run_worker":
                workers += 1
                options = _keywords(node)
                assert options.get("thread") is True, f"{path.name}:{node.lineno}"
                assert options.get("exit_on_error") is False, f"{path.name}:{node.lineno}"
    assert workers >= 10  # the scan found them


def _message_classes(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(_name(b) == "Message" for b in node.bases):
            found.append(node.name)
    return found


def test_every_message_is_declared_in_one_module() -> None:
    for path, tree in modules():
        if path.name != "messages.py":
            assert not _message_classes(tree), f"{path.name} declares a message"
    declared = {
        name
        for name, value in vars(messages).items()
        if isinstance(value, type) and issubclass(value, Message) and value is not Message
    }
    assert declared == set(_message_classes(ast.parse(Path(messages.__file__).read_text())))


def test_every_message_is_posted_and_handled() -> None:
    posted: set[str] = set()
    handled: set[str] = set()
    for path, tree in modules():
        if path.name == "messages.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node) == "post_message" and node.args:
                posted.add(_name(node.args[0]))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for decorator in node.decorator_list:
                    if isinstance(decorator, ast.Call) and _name(decorator) == "on":
                        handled.add(_name(decorator.args[0]))
    declared = {
        name
        for name, value in vars(messages).items()
        if isinstance(value, type) and issubclass(value, Message) and value is not Message
    }
    assert declared - posted == set(), "declared, never posted"
    assert declared - handled == set(), "declared, never handled"


def test_messages_are_named_for_what_happened() -> None:
    for name, value in vars(messages).items():
        if isinstance(value, type) and issubclass(value, Message) and value is not Message:
            last = re.findall("[A-Z][a-z]*", name)[-1]
            assert last.endswith(("ed", "Read", "Found")), name


# -- a worker that raises: a notice, and the app goes on ------------------------------------


def notices(app: PruneApp) -> list[str]:
    return [n.message for n in app._notifications]


async def _still_deciding(app: PruneApp, pilot: object) -> None:
    """Back on the cards, a key still decides: the app is alive and answering."""
    app.back_to_cards()
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ReviewScreen) and screen.card is not None
    first = screen.card.id
    await pilot.press("k")  # type: ignore[attr-defined]
    await settle(pilot)
    assert screen.card is None or screen.card.id != first
    assert app.is_running and app.crash is None


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("boom")


async def test_stats_whose_count_fails_say_so_and_the_app_goes_on(
    hostile_db: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import prune_tui.tui.screens.stats as stats
    from prune_tui.services.facades import Figures

    monkeypatch.setattr(Figures, "gather", _boom)
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, stats.StatsScreen)
        assert "Something went wrong (RuntimeError). Nothing was lost." in notices(app)
        chart = app.screen.query_one("#stats-decisions", Static)
        assert "press r to try again" in str(chart.content)
        await _still_deciding(app, pilot)
    assert app.return_code in (0, None)


async def test_a_list_that_cannot_be_read_says_so_and_keeps_the_app(
    hostile_db: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import prune_tui.tui.widgets.paged as paged
    from prune_tui.tui.screens.browse import BrowseScreen

    monkeypatch.setattr(paged, "read_window", _boom)
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        assert not app.screen.table.reading  # not waiting for rows that never come
        assert any("RuntimeError" in n for n in notices(app))
        await _still_deciding(app, pilot)


async def test_who_to_reach_out_to_unread_says_what_to_do(
    hostile_db: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prune_tui.services.nurture import Nurture
    from prune_tui.tui.screens.reach_out import ReachOutScreen

    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(Nurture, "people", _boom)  # after the welcome back's count
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, ReachOutScreen)
        assert any("RuntimeError" in n for n in notices(app))
        empty = app.screen.query_one("#reach-empty", Static)
        assert "could not be read" in str(empty.content)
        await _still_deciding(app, pilot)


async def test_a_decision_by_rule_that_fails_leaves_the_dialog_usable(
    hostile_db: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prune_tui.model import Decision
    from prune_tui.services.bulk import ids_selection
    from prune_tui.services.review import Review
    from prune_tui.tui.screens.bulk import BulkDecisionScreen

    monkeypatch.setattr(Review, "decide_matching", _boom)
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        applied: list[object] = []
        app.push_screen(
            BulkDecisionScreen(app.services.bulk(), ids_selection([1, 2]), Decision.KEEP),
            applied.append,
        )
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BulkDecisionScreen)  # still open, nothing applied
        assert not dialog.applying and applied == []
        assert any("RuntimeError" in n for n in notices(app))
        await pilot.press("escape")
        await settle(pilot)
        await _still_deciding(app, pilot)


async def test_enter_straight_after_typing_searches_off_the_event_loop(
    hostile_db: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from prune_tui.services.review import Review

    threads: list[threading.Thread] = []
    real_find = Review.find

    def spy(self: Review, text: str, limit: int = 50) -> list[object]:
        threads.append(threading.current_thread())
        return real_find(self, text, limit)  # type: ignore[return-value]

    monkeypatch.setattr(Review, "find", spy)
    app = create_app(hostile_db, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"sunflower", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.card is not None
        assert screen.card.first_name.startswith("Zoë")
        await pilot.press("slash", *"nobody-here", "enter")
        await settle(pilot)
        assert "Nobody matches that." in notices(app)
    assert threads and threading.main_thread() not in threads
