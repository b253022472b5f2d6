"""Reading LinkedIn's CSV files as they really arrive: any encoding, BOM or not, `,` or `;`,
a preamble before the header, names that drifted between generations.

Each file is read once, as a stream: its first 64 KiB decide how it is decoded (and whether it
is blank), and the same bytes then flow on into the CSV reader. Every file is read within the
bounds of `prune_tui.formats.limits`.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import re
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from prune_tui.errors import BadInputFile
from prune_tui.formats import limits
from prune_tui.text.words import n

HEADER_SCAN_LINES = 40
SNIFF_BYTES = 64 * 1024
CHUNK = 1024 * 1024
# Follows the last line of a part read on its own (`open_table(part=...)`): a row of just this
# means the part ended between rows; inside a field, that the part ended inside a quoted one.
END_OF_PART = "\ufdd0\ufdd1prune-tui: end of the part read\ufdd1\ufdd0"

ProgressCallback = Callable[[int, int], None]


class EmptyFile(BadInputFile):
    """A file with nothing in it (perhaps a BOM or blank lines): absent evidence, or an error
    for a Connections.csv."""

    def renamed(self, source: Source) -> EmptyFile:
        """Named as `source.display` (an archive member by its archive and name)."""
        self.args = (f"{source.display}: {self.problem}",)
        return self


class LimitExceeded(BadInputFile):
    """A file past one of the bounds in `prune_tui.formats.limits`."""


@dataclass(frozen=True)
class Source:
    """One file to read: on disk, or a member of a zip archive."""

    display: str  # how errors name it: "Connections.csv" or "export.zip › Connections.csv"
    path: Path  # the file the user named
    member: str | None = None  # the member inside `path` when it is a zip archive
    size: int = 0
    # The archive, opened once for the whole import (its directory is read once).
    archive: zipfile.ZipFile | None = field(default=None, compare=False, repr=False)

    @property
    def name(self) -> str:
        return Path(self.member).name if self.member else self.path.name

    def open(self) -> IO[bytes]:
        if self.member is None:
            return self.path.open("rb")
        if self.archive is not None:
            return self.archive.open(self.member)
        archive = zipfile.ZipFile(self.path)
        return _ClosingMember(archive, archive.open(self.member))

    def error(self, problem: str, line: int | None = None) -> BadInputFile:
        return self._error(BadInputFile, problem, line)

    def over_limit(self, problem: str, line: int | None = None) -> LimitExceeded:
        err = self._error(LimitExceeded, problem, line)
        assert isinstance(err, LimitExceeded)
        return err

    def _error(self, kind: type[BadInputFile], problem: str, line: int | None) -> BadInputFile:
        err = kind(self.path, problem, line)
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


# ---------------------------------------------------------------------------------------------
# What reading noticed: bytes that were not text, fields shortened (for the import summary)


@dataclass
class ReadNotes:
    replaced: int = 0  # bytes that were not valid text, read as U+FFFD
    truncated: int = 0  # fields longer than limits.KEPT_CHARS, kept as their prefix
    bytes_read: int = 0  # against limits.MAX_TOTAL_BYTES


_NOTES: ContextVar[ReadNotes | None] = ContextVar("prune_tui_read_notes", default=None)


@contextmanager
def collecting_notes() -> Iterator[ReadNotes]:
    """Every file read inside the block adds what it noticed to the notes yielded."""
    notes = ReadNotes()
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


def current_notes() -> ReadNotes | None:
    """The notes files read now add to (None outside `collecting_notes`)."""
    return _NOTES.get()


def note_truncated(count: int = 1) -> None:
    notes = _NOTES.get()
    if notes is not None:
        notes.truncated += count


def kept(text: str) -> str:
    """`text`, or its first limits.KEPT_CHARS characters (counted in the notes)."""
    if len(text) <= limits.KEPT_CHARS:
        return text
    note_truncated()
    return text[: limits.KEPT_CHARS]


# Undecodable UTF-8 becomes U+FFFD, counted per thread (the decoder calls this from C).
_replaced = threading.local()


def _count_and_replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _replaced.count = getattr(_replaced, "count", 0) + (exc.end - exc.start)
    return "\ufffd", exc.end


codecs.register_error("prune-tui-replace", _count_and_replace)


def _replaced_so_far() -> int:
    return int(getattr(_replaced, "count", 0))


# ---------------------------------------------------------------------------------------------
# Deciding the encoding on evidence

# Bytes cp1252 leaves undefined: no evidence of cp1252 (a stray one is junk in any encoding).
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_ESCAPED = re.compile("[\udc80-\udcff]")


def looks_cp1252(chunk: bytes) -> bool:
    """Whether the first bytes that are not ASCII say "cp1252" rather than "UTF-8".

    Evidence for UTF-8: valid multi-byte characters. Evidence for cp1252: bytes that are not
    valid UTF-8 but are letters or punctuation in cp1252 (`é` as one byte, a curly quote).
    A few stray bytes in an otherwise valid UTF-8 file are not enough to garble every name: the
    file is read as UTF-8 and the stray bytes are replaced (and counted)."""
    text, _consumed = codecs.utf_8_decode(chunk, "surrogateescape", False)
    bad = [ord(ch) - 0xDC00 for ch in _ESCAPED.findall(text)]
    if not bad:
        return False
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    valid = non_ascii - len(bad)
    cp1252_letters = sum(1 for b in bad if b not in _CP1252_UNDEFINED)
    return cp1252_letters > valid


class _Stream(io.RawIOBase):
    """A file's bytes on their way to a UTF-8 decoder, read once.

    Serves the sniffed head first, then the rest. Until the first byte outside ASCII it cannot
    tell UTF-8 from cp1252 (both agree on ASCII): it decides on that chunk, and from then on
    passes UTF-8 through or converts cp1252 to UTF-8. A NUL byte anywhere means binary data.
    Counts the bytes read (for progress and the size limits)."""

    def __init__(
        self,
        source: Source,
        inner: IO[bytes],
        head: bytes,
        mode: str | None,
        budget: Callable[[int], None] | None,
        fingerprint: bool = False,
    ) -> None:
        super().__init__()
        self._source = source
        self._inner = inner
        self._pending = head
        # With `fingerprint`: the first line's bytes, and a digest of every byte after it.
        self.first_line: bytes | None = None
        self.body: hashlib._Hash | None = None
        end = head.find(b"\n") if fingerprint else -1
        if end >= 0:
            self.first_line = head[: end + 1]
            self.body = hashlib.sha256(head[end + 1 :])
        self._out = b""
        self._at = 0
        self.mode = mode  # None (undecided), "utf-8", "cp1252" or "raw" (UTF-16: pass through)
        self.consumed = 0
        self._budget = budget
        self._run = 0  # bytes since the last line break
        self._chunk = min(CHUNK, limits.MAX_FIELD_CHARS)  # so no line hides inside one chunk

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while self._at >= len(self._out):
            if self._pending:
                chunk, self._pending = self._pending, b""
            else:
                chunk = self._inner.read(self._chunk)
                if self.body is not None:
                    self.body.update(chunk)
            if not chunk:
                return 0
            self.consumed += len(chunk)
            if self._budget is not None:
                self._budget(len(chunk))
            self._check_lines(chunk)
            if self.mode != "raw":
                if b"\x00" in chunk:
                    raise self._source.error("this is not a text file (it holds binary data)")
                if self.mode is None and not chunk.isascii():
                    self.mode = "cp1252" if looks_cp1252(chunk) else "utf-8"
                if self.mode == "cp1252":
                    undefined = sum(chunk.count(b) for b in (b"\x81", b"\x8d", b"\x8f", b"\x90",
                                                              b"\x9d"))  # fmt: skip
                    if undefined:
                        _replaced.count = _replaced_so_far() + undefined
                    chunk = chunk.decode("cp1252", "replace").encode("utf-8")
            self._out, self._at = chunk, 0
        size = min(len(buffer), len(self._out) - self._at)
        buffer[:size] = self._out[self._at : self._at + size]
        self._at += size
        return size

    def _check_lines(self, chunk: bytes) -> None:
        """Refuse a line longer than limits.MAX_FIELD_CHARS (bytes here, so at least as many
        as its characters) as soon as that much of it has arrived: a file of one endless line
        never sits whole in memory. (Looked at in pieces no longer than the limit, so the first
        and last breaks in each tell.)"""
        if len(chunk) > self._chunk:
            for start in range(0, len(chunk), self._chunk):
                self._check_lines(chunk[start : start + self._chunk])
            return
        first = min((i for i in (chunk.find(b"\n"), chunk.find(b"\r")) if i >= 0), default=-1)
        if first < 0:
            self._run += len(chunk)
        else:
            self._run += first
            if self._run <= limits.MAX_FIELD_CHARS:
                self._run = len(chunk) - 1 - max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
        if self._run > limits.MAX_FIELD_CHARS:
            raise self._source.over_limit(
                f"a line is longer than {limits.size_words(limits.MAX_FIELD_CHARS)}, "
                "prune-tui's limit for one field; nothing was imported"
            )

    def spend(self, count: int) -> None:
        """Count bytes read past this stream (the rest of a file read in part)."""
        self.consumed += count
        if self._budget is not None:
            self._budget(count)

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()


class _Part(io.RawIOBase):
    """The first `size` bytes of a file, and their CRC-32; the rest stays in `whole`."""

    def __init__(self, whole: IO[bytes], size: int) -> None:
        super().__init__()
        self.whole = whole
        self._left = size
        self.crc = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if self._left <= 0:
            return b""
        want = self._left if size is None or size < 0 else min(size, self._left)
        data = self.whole.read(want)
        self._left -= len(data)
        self.crc = zlib.crc32(data, self.crc)
        return data

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self.whole.close()
        finally:
            super().close()


def _sniff(source: Source, head: bytes) -> tuple[str, str | None]:
    """(the codec for the text layer, the mode of `_Stream`) from the first bytes."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "utf-8"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "raw"
    if b"\x00" in head:
        sample = head[:4096]
        odd_zeros = sample[1::2].count(0)
        even_zeros = sample[0::2].count(0)
        half = len(sample) // 2
        if odd_zeros > half * 0.4 and even_zeros < half * 0.05:
            return "utf-16-le", "raw"
        if even_zeros > half * 0.4 and odd_zeros < half * 0.05:
            return "utf-16-be", "raw"
        raise source.error("this is not a text file (it looks like binary data)")
    return "utf-8", None


def _is_blank(head: bytes) -> bool:
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        head = head.removeprefix(bom)
    return not head.strip(b" \t\r\n\x00")


def detect_encoding(source: Source) -> str:
    """The encoding a file is read in, decided as `open_table` decides it (for tests and
    tools; reading does this on the fly, without a separate pass)."""
    with source.open() as fh:
        head = fh.read(SNIFF_BYTES)
        if not head:
            raise source.error("the file is empty")
        codec, mode = _sniff(source, head)
        if mode is not None:
            return codec
        chunk = head
        while chunk:
            if not chunk.isascii():
                return "cp1252" if looks_cp1252(chunk) else "utf-8"
            chunk = fh.read(CHUNK)
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
    _stream: _Stream
    _text: IO[str]
    _replaced_at_open: int = 0
    # Read in part (`open_table(part=...)`): the rest of the file, and whether the part ended
    # between two rows (None until the part has been read to its end).
    _rest: _Part | None = None
    clean_end: bool | None = None

    @property
    def header_line(self) -> int:
        """The line the header was found on (1: the file starts with it)."""
        return self._line_offset

    @property
    def first_line(self) -> bytes | None:
        """The file's first line as bytes, when opened with `fingerprint`."""
        return self._stream.first_line

    @property
    def read_as_utf8(self) -> bool:
        """Whether the text read so far was UTF-8 (or ASCII), with no byte replaced."""
        return self._stream.mode in (None, "utf-8") and (
            _replaced_so_far() == self._replaced_at_open
        )

    def body_digest(self) -> str | None:
        """SHA-256 of every byte after the first line (`fingerprint`), once all is read."""
        body = self._stream.body
        return None if body is None else body.hexdigest()

    @property
    def part_crc(self) -> int:
        """The CRC-32 of the part read (a file opened with `part`), once it is all read."""
        assert self._rest is not None
        return self._rest.crc

    def rest_digest(self) -> str:
        """Read the rest of a file opened in part (counted against the limits) and return
        its SHA-256; the body digest takes it in too."""
        assert self._rest is not None
        rest, body, whole = hashlib.sha256(), self._stream.body, self._rest.whole
        while chunk := whole.read(CHUNK):
            self._stream.spend(len(chunk))
            rest.update(chunk)
            if body is not None:
                body.update(chunk)
        return rest.hexdigest()

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
        empty; any other ragged row is an error naming its line. A file with more than
        limits.MAX_ROWS lines (blank ones too) is refused."""
        width = len(self.header)
        count = 0
        total = self.source.size
        max_rows = limits.MAX_ROWS
        reader = self._csv
        try:
            for cells in self._reader:
                if len(cells) != width:
                    if (
                        self._rest is not None
                        and cells
                        and END_OF_PART in cells[-1]
                        and next(self._reader, None) is None
                    ):
                        self.clean_end = cells == [END_OF_PART]
                        break
                    if not cells or (len(cells) == 1 and not cells[0].strip()):
                        if reader.line_num > max_rows:  # type: ignore[attr-defined]
                            raise self._too_many_rows()
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
                if not count % 2000:
                    if reader.line_num > max_rows:  # type: ignore[attr-defined]
                        raise self._too_many_rows()
                    if progress is not None:
                        progress(self._stream.consumed, total)
                yield cells
        except csv.Error as exc:
            if "field limit" in str(exc):
                raise self.source.over_limit(
                    f"a field is longer than {limits.size_words(limits.MAX_FIELD_CHARS)} "
                    "characters, prune-tui's limit (perhaps a quote that is never closed); "
                    "nothing was imported",
                    self.line,
                ) from exc
            raise self.source.error(f"cannot read this CSV row ({exc})", self.line) from exc
        except UnicodeDecodeError as exc:
            raise self.source.error("the text encoding changes inside the file") from exc
        if progress is not None:
            progress(total, total)

    def _too_many_rows(self) -> LimitExceeded:
        return self.source.over_limit(
            f"the file has more than {n(limits.MAX_ROWS)} lines, prune-tui's limit "
            "(a LinkedIn export has far fewer); nothing was imported"
        )

    def close(self) -> None:
        notes = _NOTES.get()
        if notes is not None:
            notes.replaced += _replaced_so_far() - self._replaced_at_open
            self._replaced_at_open = _replaced_so_far()
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


def _spend(source: Source) -> Callable[[int], None] | None:
    """What reading `source` draws from the import's byte budget (limits.MAX_TOTAL_BYTES)."""
    notes = _NOTES.get()
    if notes is None:
        return None

    def spend(count: int) -> None:
        assert notes is not None
        notes.bytes_read += count
        if notes.bytes_read > limits.MAX_TOTAL_BYTES:
            raise source.over_limit(
                f"the export holds more than {limits.size_words(limits.MAX_TOTAL_BYTES)} of "
                "text, prune-tui's limit (a LinkedIn export holds far less); nothing was imported"
            )

    return spend


def open_text(
    source: Source, *, part: int | None = None, fingerprint: bool = False
) -> tuple[IO[str], _Stream]:
    """The file as text, decoded on the evidence of its first bytes, read once.

    `part`: only its first `part` bytes (the stream's `_inner` is then a `_Part`, holding the
    rest). `fingerprint`: keep the first line and a digest of the rest (`_Stream`).

    Raises EmptyFile for a file with nothing but blank lines (or a BOM)."""
    binary: IO[bytes] = source.open()
    if part is not None:
        binary = _Part(binary, part)  # type: ignore[assignment]
    try:
        head = binary.read(SNIFF_BYTES)
        if not head or (len(head) < SNIFF_BYTES and _is_blank(head)):
            raise EmptyFile(source.path, "the file is empty").renamed(source)
        codec, mode = _sniff(source, head)
    except BaseException:
        binary.close()
        raise
    stream = _Stream(source, binary, head, mode, _spend(source), fingerprint)
    buffered = io.BufferedReader(stream, buffer_size=CHUNK)
    errors = "replace" if mode == "raw" else "prune-tui-replace"
    text = io.TextIOWrapper(buffered, encoding=codec, errors=errors, newline="")
    text._CHUNK_SIZE = CHUNK  # type: ignore[attr-defined]
    return text, stream


def open_table(
    source: Source,
    is_header: HeaderTest,
    what: str,
    *,
    part: int | None = None,
    fingerprint: bool = False,
) -> Table:
    """Open `source` and find its header by scanning the first lines (never a fixed skip).

    `what` names the header in the error when none is found ("a Connections.csv header").
    `part` reads only the file's first `part` bytes as the table (`Table.clean_end` tells
    whether they end between rows; `Table.rest_digest` reads the rest); `fingerprint` keeps
    the first line and a digest of every byte after it (see open_text).
    """
    csv.field_size_limit(limits.MAX_FIELD_CHARS)
    replaced_at_open = _replaced_so_far()
    text, stream = open_text(source, part=part, fingerprint=fingerprint)
    lines = iter(text)
    consumed = 0
    try:
        while consumed < HEADER_SCAN_LINES:
            line = next(lines, "")
            if not line:
                break
            consumed += 1
            if not line.strip():
                continue
            for delimiter in _delimiters(line):
                cells = [normalize_header(c) for c in _split(line, delimiter)]
                if is_header(cells):
                    rest = stream._inner if isinstance(stream._inner, _Part) else None
                    if rest is not None:
                        lines = itertools.chain(lines, (END_OF_PART + "\n",))
                    csv_reader = csv.reader(lines, delimiter=delimiter)
                    return Table(
                        source=source,
                        header=cells,
                        delimiter=delimiter,
                        _reader=csv_reader,
                        _line_offset=consumed,
                        _csv=csv_reader,
                        _stream=stream,
                        _text=text,
                        _replaced_at_open=replaced_at_open,
                        _rest=rest,
                    )
    except UnicodeDecodeError as exc:
        text.close()
        raise source.error("the text encoding could not be read") from exc
    except BaseException:
        text.close()
        raise
    text.close()
    if consumed == 0:
        raise EmptyFile(source.path, "the file is empty").renamed(source)
    raise source.error(
        f"this is not a LinkedIn export file (no {what} in its first lines); import the .zip "
        "LinkedIn sent you, its unzipped folder, or Connections.csv from it"
    )


def _delimiters(line: str) -> list[str]:
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    return [d for d, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n > 0]


def crc32_combine(first: int, second: int, second_size: int) -> int:
    """The CRC-32 of two byte strings one after the other, from the CRC-32 of each (zlib's
    crc32_combine, which Python's zlib does not offer): a few milliseconds, whatever the
    sizes."""

    def times(matrix: list[int], vector: int) -> int:
        total, i = 0, 0
        while vector:
            if vector & 1:
                total ^= matrix[i]
            vector >>= 1
            i += 1
        return total

    def square(matrix: list[int]) -> list[int]:
        return [times(matrix, matrix[n]) for n in range(32)]

    if second_size <= 0:
        return first ^ second
    odd = [0xEDB88320] + [1 << n for n in range(31)]  # one zero bit
    even = square(odd)  # two zero bits
    odd = square(even)  # four zero bits
    while True:
        even = square(odd)
        if second_size & 1:
            first = times(even, first)
        second_size >>= 1
        if not second_size:
            break
        odd = square(even)
        if second_size & 1:
            first = times(odd, first)
        second_size >>= 1
        if not second_size:
            break
    return first ^ second
