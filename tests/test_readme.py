"""The README's install instructions work where a bare `pip install` is refused (PEP 668:
Debian, Ubuntu, Homebrew): a virtual environment, pipx or uv."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def code_lines() -> list[str]:
    blocks = re.findall(r"```(?:bash)?\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_install_shows_a_venv_pipx_and_uv() -> None:
    lines = code_lines()
    assert any(line.startswith("pipx install .") for line in lines)
    assert any(line.startswith("uv tool install .") for line in lines)
    assert any(line.startswith("python3 -m venv .venv") for line in lines)


def test_no_bare_pip_install_outside_a_virtual_environment() -> None:
    for line in code_lines():
        if re.match(r"pip3? install", line):
            raise AssertionError(f"a bare pip install fails on Debian, Ubuntu, Homebrew: {line}")
