"""The README's screenshots are the screens as they are: a screen that changes without
`python scripts/screenshots.py` being run (and the result looked at) fails here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "screenshots", ROOT / "scripts" / "screenshots.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["screenshots"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    not (ROOT / "scripts" / "screenshots.py").exists(), reason="needs the source checkout"
)
async def test_screenshots_match_the_screens(tmp_path: Path) -> None:
    shots = await _script().capture_all(tmp_path)
    assert set(shots) == {p.name for p in (ROOT / "screenshots").glob("*.svg")}
    stale = [
        name
        for name, svg in shots.items()
        if (ROOT / "screenshots" / name).read_text(encoding="utf-8") != svg
    ]
    assert not stale, f"run `python scripts/screenshots.py` and look at: {', '.join(stale)}"
