"""Every file prune-tui writes (exports, backups, the config, the copy made before an upgrade)
goes through `write_atomically`: a temporary file beside the target, flushed and fsynced, then
renamed over it. A failure (a full disk, a crash, Ctrl-C) leaves the old file exactly as it was.

Modes: a file prune-tui creates is 0600 (it holds personal data); a file that was there keeps
its own mode (the user chose it). A character device (`-o /dev/null`, a terminal) is a sink:
written straight through, never renamed over and never chmodded. Anything else that is not a
regular file (a folder, a FIFO, a socket) is refused.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal, TextIO, TypeVar, overload

from prune_tui.errors import UserError
from prune_tui.paths import ensure_private_dir

T = TypeVar("T")

_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


class WriteFailed(UserError):
    """A file could not be written; the old one (if any) is untouched."""


@overload
def write_atomically(
    path: Path | str,
    write: Callable[[TextIO], T],
    *,
    binary: Literal[False] = False,
    exclusive: bool = False,
) -> T: ...


@overload
def write_atomically(
    path: Path | str,
    write: Callable[[BinaryIO], T],
    *,
    binary: Literal[True],
    exclusive: bool = False,
) -> T: ...


def write_atomically(
    path: Path | str,
    write: Callable[[Any], T],
    *,
    binary: bool = False,
    exclusive: bool = False,
) -> T:
    """Call `write` with a stream (text UTF-8 without newline translation, or bytes) and put
    what it wrote at `path` in one step; returns what `write` returned.

    `exclusive`: never replace an existing file (FileExistsError instead), for exports that
    must not overwrite an earlier one.
    """
    target = Path(os.path.realpath(Path(path).expanduser()))  # a symlink: write where it points
    info = _existing(target, exclusive=exclusive)
    if info is not None and stat.S_ISCHR(info.st_mode):
        return _write_to_device(target, write, binary=binary)
    mode = 0o600 if info is None else stat.S_IMODE(info.st_mode)
    folder = target.parent
    try:
        ensure_private_dir(folder)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise _failed(target, exc) from exc
    try:
        try:
            with _stream(fd, binary) as out:
                if hasattr(os, "fchmod"):  # POSIX; Windows has no such modes
                    os.fchmod(out.fileno(), mode)
                result = write(out)
                out.flush()
                os.fsync(out.fileno())
            if exclusive:
                _link_new(temporary, target)
            else:
                os.replace(temporary, target)
        except FileExistsError:
            raise
        except OSError as exc:
            raise _failed(target, exc) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)
    return result


def _existing(target: Path, *, exclusive: bool) -> os.stat_result | None:
    """What is at `target` now (None: nothing), when a file may be written there: a regular
    file (unless `exclusive`) or a character device such as /dev/null; anything else raises."""
    try:
        info = target.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _failed(target, exc) from exc
    if exclusive:
        raise FileExistsError(errno.EEXIST, "File exists", str(target))
    if stat.S_ISDIR(info.st_mode):
        raise WriteFailed(f"{target} is a folder; give a file name")
    if not stat.S_ISREG(info.st_mode) and not stat.S_ISCHR(info.st_mode):
        raise WriteFailed(
            f"{target} is not a regular file (a pipe, socket or device); "
            "nothing was written. Give a file name"
        )
    return info


def _link_new(temporary: str, target: Path) -> None:
    """Rename `temporary` to `target` only if there is no such file yet."""
    try:
        os.link(temporary, target)  # fails if someone made the file meanwhile
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS):
            raise
        # A file system without hard links (FAT on a stick, say): check, then rename.
        if target.exists():
            raise FileExistsError(errno.EEXIST, "File exists", str(target)) from exc
        os.replace(temporary, target)
        return
    os.unlink(temporary)


def _stream(fd: int, binary: bool) -> IO[Any]:
    raw = os.fdopen(fd, "wb")
    if binary:
        return raw
    return io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=False)


def _write_to_device(target: Path, write: Callable[[Any], T], *, binary: bool) -> T:
    try:
        fd = os.open(target, os.O_WRONLY | os.O_NOCTTY)
        with _stream(fd, binary) as out:
            result = write(out)
            out.flush()
    except OSError as exc:
        raise _failed(target, exc) from exc
    return result


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a crash after it cannot bring the old file back)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename has happened anyway
    finally:
        os.close(fd)


def _failed(target: Path, exc: OSError) -> WriteFailed:
    if exc.errno in _DISK_FULL:
        return WriteFailed(
            f"the disk is full: nothing was changed ({target} was not written); "
            "free some space and try again"
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return WriteFailed(
            f"cannot write {target}: the file or its folder is read-only; nothing was changed"
        )
    if exc.errno == errno.ENOENT:
        return WriteFailed(f"cannot write {target}: its folder does not exist")
    return WriteFailed(f"cannot write {target}: {exc.strerror or exc}; nothing was changed")
