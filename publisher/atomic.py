"""Shared by the stages that write files: whole files or none, and one clear message when the
output folder cannot take them."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from publisher.errors import OutputError


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside `path`, fsync, then rename over it: a crash leaves the old file or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        with open(temporary, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def output_folder(out: Path) -> Iterator[Path]:
    """`out`, made if missing; an OS error while writing into it (a file in its place, a
    full disk, no permission) becomes one message naming the path instead of a traceback."""
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
        raise OutputError(where, f"cannot write the output here ({reason})", fix) from None


def _within(path: Path, folder: Path) -> bool:
    """`path` is `folder`, inside it, or one of the folders it would be made in."""
    path, folder = Path(os.path.abspath(path)), Path(os.path.abspath(folder))
    return path == folder or folder in path.parents or path in folder.parents
