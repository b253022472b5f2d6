"""The small JSON config file (platformdirs config dir): preferences that belong to the user
rather than to one database, such as the theme."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from prune_tui.atomic import write_atomically
from prune_tui.paths import config_file, ensure_private_dir


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The saved preferences; an unreadable or damaged file counts as none saved."""
    target = path or config_file()
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_config(values: dict[str, Any], path: Path | None = None) -> None:
    """Merge `values` into the file, written whole and atomically (a crash or a full disk never
    leaves half a config behind; raises WriteFailed, the old file intact)."""
    target = path or config_file()
    data = load_config(target)
    data.update(values)
    ensure_private_dir(target.parent)
    text = json.dumps(data, indent=2, sort_keys=True) + "\n"
    write_atomically(target, lambda out: out.write(text))


def saved_theme(path: Path | None = None) -> str | None:
    theme = load_config(path).get("theme")
    return theme if isinstance(theme, str) else None


def save_theme(theme: str, path: Path | None = None) -> None:
    save_config({"theme": theme}, path)
