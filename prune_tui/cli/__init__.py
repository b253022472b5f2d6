"""The command line (docs/ARCHITECTURE.md): parsing, exit codes, what each command prints."""

from prune_tui.cli.commands import main, run

__all__ = ["main", "run"]
