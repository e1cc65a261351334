"""Shared by the stages that write files: whole files or none, the one place bytes reach the
disk, and one clear message when the output folder cannot take them."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from publisher.errors import EnvironmentFailure, OutputError

# What the machine, not the user's choice of folder, refuses: these exit 3, not 2.
REFUSALS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "no permission to write",
    errno.EPERM: "no permission to write",
    errno.EROFS: "the file system is read-only",
    errno.EIO: "an I/O error (the disk may be failing)",
}


def write_durably(path: Path, data: bytes) -> None:
    """Write a new file and fsync it: the one place a file's bytes reach the disk. A write
    error carries the file's name (write(2) reports none), so the message can say where."""
    try:
        with open(path, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        if error.filename is None:
            raise OSError(error.errno, error.strerror, str(path)) from error
        raise


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside `path`, fsync, then rename over it: a crash leaves the old file or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        write_durably(temporary, data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def output_folder(out: Path) -> Iterator[Path]:
    """`out`, made if missing; an OS error while writing into it (a file in its place, a
    full disk, no permission) becomes one message naming the path instead of a traceback:
    exit 2 when the folder is a wrong choice, 3 when the machine refuses (no space, no rights,
    read-only, I/O). The OSError stays its cause, for callers that word it their own way."""
    fix = "pass --out a folder that can be created and written to"
    if out.exists() and not out.is_dir():
        raise OutputError(out, "is a file, not a folder", fix)
    try:
        out.mkdir(parents=True, exist_ok=True)
        yield out
    except OSError as error:
        where = Path(error.filename) if error.filename else out
        if not _within(where, out):
            raise  # not about the output folder (an input that vanished, say): not ours to word
        reason = error.strerror or str(error)
        kind = EnvironmentFailure if error.errno in REFUSALS else OutputError
        if kind is EnvironmentFailure:
            fix = "free space or grant access there, or pass --out a folder on another disk"
        raise kind(where, f"cannot write the output here ({reason})", fix) from error


def _within(path: Path, folder: Path) -> bool:
    """`path` is `folder`, inside it, or one of the folders it would be made in."""
    path, folder = Path(os.path.abspath(path)), Path(os.path.abspath(folder))
    return path == folder or folder in path.parents or path in folder.parents
