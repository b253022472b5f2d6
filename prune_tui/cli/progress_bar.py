"""A plain progress bar on stderr for long imports (no Rich: the import command starts fast)."""

from __future__ import annotations

import time
from typing import TextIO

LARGE_FILE = 1 << 20  # below this an import is over before a bar would help


class TerminalProgress:
    """Callable as `progress(done, total)`; draws only on a terminal and only for large files."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.enabled = stream.isatty()
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < LARGE_FILE:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and done < total:
            return
        self._last = now
        share = min(1.0, done / total) if total else 1.0
        filled = int(share * self.width)
        bar = "█" * filled + "░" * (self.width - filled)
        self.stream.write(f"\rImporting {bar} {share:4.0%}")
        self.stream.flush()
        self._drawn = True

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
