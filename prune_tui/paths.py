"""Where prune-tui keeps its files (platformdirs locations for the app "prune-tui")."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "prune-tui"
DB_ENV = "PRUNE_TUI_DB"
DB_FILENAME = "prune.db"


def default_db_path() -> Path:
    """The database path: `PRUNE_TUI_DB` if set, else `prune.db` in the user data dir."""
    override = os.environ.get(DB_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / DB_FILENAME


def resolve_db_path(cli_value: str | os.PathLike[str] | None) -> Path:
    """`--db` wins over `PRUNE_TUI_DB`, which wins over the default."""
    if cli_value:
        return Path(cli_value).expanduser()
    return default_db_path()


def config_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    """`PRUNE_TUI_CONFIG` overrides the config file (tests point it at a temporary folder)."""
    override = os.environ.get("PRUNE_TUI_CONFIG")
    return Path(override).expanduser() if override else config_dir() / "config.json"


def exports_dir() -> Path:
    """Exports made from inside the app land in the user's documents dir."""
    from platformdirs import user_documents_path

    return user_documents_path() / APP_NAME


def ensure_private_dir(path: Path) -> None:
    """Create `path` (and parents) readable by the user only; tighten it if we made it."""
    if path.is_dir():
        return
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)


def create_private_file(path: Path) -> None:
    """Create an empty file with mode 0600 unless it exists already."""
    ensure_private_dir(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
