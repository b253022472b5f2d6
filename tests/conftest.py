"""Every test runs with its own data, config and documents folders: no test ever touches the
user's real files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# CI must pass every time: a fixed sequence of examples and no example database carried over
# from an earlier run. Locally hypothesis explores afresh (`HYPOTHESIS_PROFILE=dev`).
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(home / "Documents"))
    monkeypatch.setenv("PRUNE_TUI_CONFIG", str(home / "config" / "prune-tui" / "config.json"))
    monkeypatch.delenv("PRUNE_TUI_DB", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "prune.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[object]:
    from prune_tui.store import open_database

    database = open_database(db_path)
    yield database
    database.close()
