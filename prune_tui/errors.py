"""Errors a user can fix. The command line turns these into one line and exit code 2."""

from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """Bad input or usage: shown as one line, exit 2, nothing changed."""


class BadInputFile(UserError):
    """A file the user gave us that we cannot read as a LinkedIn export."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.problem = problem
        self.line = line
        where = f"{path}, line {line}" if line else f"{path}"
        super().__init__(f"{where}: {problem}")


class DatabaseProblem(UserError):
    """The database file is damaged, foreign or from a newer prune-tui."""


class ImportRefused(UserError):
    """The import would do something drastic the user has to ask for explicitly."""
