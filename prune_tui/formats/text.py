"""Reading LinkedIn's CSV files as they really arrive: any encoding, BOM or not, `,` or `;`,
a preamble before the header, names that drifted between generations."""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from prune_tui.errors import BadInputFile

# LinkedIn writes long message bodies into single cells.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

HEADER_SCAN_LINES = 40
SNIFF_BYTES = 64 * 1024
CHUNK = 1024 * 1024

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class Source:
    """One file to read: on disk, or a member of a zip archive."""

    display: str  # how errors name it: "Connections.csv" or "export.zip › Connections.csv"
    path: Path  # the file the user named
    member: str | None = None  # the member inside `path` when it is a zip archive
    size: int = 0

    @property
    def name(self) -> str:
        return Path(self.member).name if self.member else self.path.name

    def open(self) -> IO[bytes]:
        if self.member is None:
            return self.path.open("rb")
        import zipfile

        archive = zipfile.ZipFile(self.path)
        return _ClosingMember(archive, archive.open(self.member))

    def error(self, problem: str, line: int | None = None) -> BadInputFile:
        err = BadInputFile(self.path, problem, line)
        where = f"{self.display}, line {line}" if line else self.display
        err.args = (f"{where}: {problem}",)
        return err


class _ClosingMember(io.BufferedReader):
    """A zip member whose archive closes with it."""

    def __init__(self, archive: object, member: IO[bytes]) -> None:
        super().__init__(member)  # type: ignore[arg-type]
        self._archive = archive

    def close(self) -> None:
        super().close()
        close = getattr(self._archive, "close", None)
        if close:
            close()


def normalize_header(cell: str) -> str:
    """`"\\ufeffConnected on "` → `connected on`: headers compare by these."""
    return " ".join(cell.replace("\ufeff", "").strip().strip('"').casefold().split())


def normalize_file_name(name: str) -> str:
    """`Messages (1).CSV` → `messages`: file names compare by these."""
    stem = Path(name).name.casefold()
    stem = re.sub(r"\.csv$", "", stem)
    stem = re.sub(r"\s*\(\d+\)$", "", stem)
    return re.sub(r"[^a-z0-9]", "", stem)


def detect_encoding(source: Source) -> str:
    """BOMs first; UTF-16 without a BOM by its zero bytes; else UTF-8 if the whole file is
    valid UTF-8 (checked in chunks, never held in memory), else cp1252 (Excel on Windows)."""
    with source.open() as fh:
        head = fh.read(SNIFF_BYTES)
        if not head:
            raise source.error("the file is empty")
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        if b"\x00" in head:
            sample = head[:4096]
            odd_zeros = sample[1::2].count(0)
            even_zeros = sample[0::2].count(0)
            half = len(sample) // 2
            if odd_zeros > half * 0.4 and even_zeros < half * 0.05:
                return "utf-16-le"
            if even_zeros > half * 0.4 and odd_zeros < half * 0.05:
                return "utf-16-be"
            raise source.error("this is not a text file (it looks like binary data)")
        decoder = codecs.getincrementaldecoder("utf-8")()
        chunk = head
        try:
            while chunk:
                decoder.decode(chunk)
                chunk = fh.read(CHUNK)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


@dataclass
class Table:
    """A CSV file positioned after its header. Iterate for (line number, cells)."""

    source: Source
    header: list[str]  # normalized header cells
    delimiter: str
    _reader: Iterator[list[str]]
    _line_offset: int
    _csv: object
    _binary: IO[bytes]
    _text: IO[str]

    def column(self, *names: str) -> int | None:
        """Index of the first of `names` present in the header, or None."""
        for name in names:
            if name in self.header:
                return self.header.index(name)
        return None

    def rows(self, progress: ProgressCallback | None = None) -> Iterator[tuple[int, list[str]]]:
        """(line number, cells) for every row with data; blank lines are passed over."""
        for cells in self.cells(progress):
            yield self.line, cells

    @property
    def line(self) -> int:
        """The file line the last row read ended on."""
        return self._line_offset + int(self._csv.line_num)  # type: ignore[attr-defined]

    def cells(self, progress: ProgressCallback | None = None) -> Iterator[list[str]]:
        """Every row with data, exactly as wide as the header (the lean loop for big files).

        A row with more cells than the header is accepted only when the extra cells are
        empty; any other ragged row is an error naming its line."""
        width = len(self.header)
        count = 0
        total = self.source.size
        try:
            for cells in self._reader:
                if len(cells) != width:
                    if not cells or (len(cells) == 1 and not cells[0].strip()):
                        continue
                    if len(cells) > width and not any(c.strip() for c in cells[width:]):
                        cells = cells[:width]
                    else:
                        raise self.source.error(
                            f"this row has {len(cells)} fields but the header has {width}; "
                            "the file may be damaged or edited by hand",
                            self.line,
                        )
                count += 1
                if progress is not None and not count % 2000:
                    progress(self._position(), total)
                yield cells
        except csv.Error as exc:
            raise self.source.error(f"cannot read this CSV row ({exc})", self.line) from exc
        except UnicodeDecodeError as exc:
            raise self.source.error("the text encoding changes inside the file") from exc
        if progress is not None:
            progress(total, total)

    def _position(self) -> int:
        try:
            return self._binary.tell()
        except (OSError, ValueError):
            return 0

    def close(self) -> None:
        self._text.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


HeaderTest = Callable[[Sequence[str]], bool]


def _split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def open_table(source: Source, is_header: HeaderTest, what: str) -> Table:
    """Open `source` and find its header by scanning the first lines (never a fixed skip).

    `what` names the header in the error when none is found ("a Connections.csv header").
    """
    encoding = detect_encoding(source)
    binary = source.open()
    text = io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline="")
    consumed = 0
    try:
        while consumed < HEADER_SCAN_LINES:
            line = text.readline()
            if not line:
                break
            consumed += 1
            if not line.strip():
                continue
            for delimiter in _delimiters(line):
                cells = [normalize_header(c) for c in _split(line, delimiter)]
                if is_header(cells):
                    csv_reader = csv.reader(text, delimiter=delimiter)
                    return Table(
                        source=source,
                        header=cells,
                        delimiter=delimiter,
                        _reader=csv_reader,
                        _line_offset=consumed,
                        _csv=csv_reader,
                        _binary=binary,
                        _text=text,
                    )
    except UnicodeDecodeError as exc:
        text.close()
        raise source.error("the text encoding could not be read") from exc
    text.close()
    if consumed == 0:
        raise source.error("the file is empty")
    raise source.error(
        f"this is not a LinkedIn export file (no {what} in its first lines); import the .zip "
        "LinkedIn sent you, its unzipped folder, or Connections.csv from it"
    )


def _delimiters(line: str) -> list[str]:
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    return [d for d, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n > 0]
