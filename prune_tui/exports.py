"""Exports (PRODUCT.md §7): md / csv / html / json / urls, each with its own escaping."""

from __future__ import annotations

from typing import TextIO

from prune_tui.errors import UserError
from prune_tui.store.database import Database


def write_export(db: Database, out: TextIO, *, fmt: str, only: str) -> int:
    """Write the connections selected by `only` to `out` in `fmt`; returns how many."""
    if fmt == "json":
        from prune_tui.backup import export_json

        return export_json(db, out, only=only)
    raise UserError(f"the {fmt} format is not available yet; use --format json")
