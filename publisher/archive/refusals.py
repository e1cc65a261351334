"""Archive: what the machine refuses — no space, no permission, a read-only disk, an I/O error —
and what SQLite finds damaged, each worded as one message naming the archive folder."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from publisher.archive.errors import IndexDamagedError
from publisher.atomic import REFUSALS
from publisher.errors import EnvironmentFailure, PublisherError

REINDEX = "publisher archive reindex DIR rebuilds it from the revision folders"
# SQLite's own words for what the machine refused, as the errno it stands for.
SQLITE_REFUSALS = {
    "database or disk is full": errno.ENOSPC,
    "attempt to write a readonly database": errno.EROFS,
    "disk i/o error": errno.EIO,
    "unable to open database file": errno.EACCES,
    "database is locked": errno.EBUSY,
}


@contextlib.contextmanager
def refusals(root: Path, need: Callable[[], str | None] = lambda: None) -> Iterator[None]:
    """Let an OSError or SQLite error about the archive at `root` out as one message: exit 3
    for what the machine refused, 1 for a damaged index. `need` words the room a write
    needs (a clause following "N MB free now"), asked only when the disk is full."""
    try:
        yield
    except (OSError, sqlite3.Error) as error:
        refused = refusal(error, root, need)
        if refused is None:
            raise
        raise refused from error


def refusal(
    error: BaseException, root: Path, need: Callable[[], str | None] = lambda: None
) -> PublisherError | None:
    """The message for `error`, or None when it is not about the archive (an input that
    vanished, say: that is not the archive's to word)."""
    if isinstance(error, sqlite3.Error):
        return _sqlite(error, root, need)
    if not isinstance(error, OSError) or error.errno not in REFUSALS:
        return None
    if error.filename is not None and not _within(Path(str(error.filename)), root):
        return None
    return refused(error.errno, root, str(error.filename or root), need)


def refused(
    code: int, root: Path, where: str, need: Callable[[], str | None] = lambda: None
) -> EnvironmentFailure:
    """What the machine refused (an errno), said of the archive folder with the fix."""
    again = "then run the command again; the archive is as it was before"
    if code in (errno.ENOSPC, errno.EDQUOT):
        return EnvironmentFailure(
            root,
            f"{REFUSALS[code]} ({size(free_space(root))} free now{need() or ''})",
            f"free space on that disk (or move the archive to a larger one), {again}",
        )
    if code == errno.EROFS:
        return EnvironmentFailure(
            root,
            "the archive is read-only (a backup or read-only mount)",
            "publish into a writable archive; a read-only one can be listed, shown, verified "
            "and rebuilt with --out",
        )
    if code in (errno.EACCES, errno.EPERM):
        return EnvironmentFailure(
            root, f"{REFUSALS[code]} {where}", f"give this user write access to {root}, {again}"
        )
    if code == errno.EBUSY:
        return EnvironmentFailure(
            root / "index.sqlite",
            "locked by another process for over a minute",
            "see which process holds it (fuser index.sqlite), then run the command again",
        )
    return EnvironmentFailure(
        root, f"{REFUSALS[code]} writing {where}", f"check the disk (dmesg), {again}"
    )


def damaged(root: Path, what: str) -> IndexDamagedError:
    """index.sqlite cannot be read as an index: say so, and how to rebuild it."""
    return IndexDamagedError(root / "index.sqlite", what, REINDEX.replace("DIR", str(root)))


def read_only(root: Path) -> bool:
    """The archive (or the folder it would be made in) cannot be written by this process."""
    return not os.access(_nearest(root), os.W_OK)


def not_writable(root: Path) -> EnvironmentFailure:
    """Why `root` cannot be written: a read-only mount, or no rights to it."""
    try:
        mounted = bool(os.statvfs(_nearest(root)).f_flag & os.ST_RDONLY)
    except OSError:
        mounted = False
    return refused(errno.EROFS if mounted else errno.EACCES, root, str(root))


def free_space(root: Path) -> int:
    try:
        return shutil.disk_usage(_nearest(root)).free
    except OSError:
        return 0


def size(count: int) -> str:
    """Bytes as a person reads them: 950 B, 12.3 kB, 2.4 MB, 1.2 GB."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} B"


def refused_by_machine(error: sqlite3.Error) -> int | None:
    """The errno an SQLite error stands for when the machine refused, else None (damage)."""
    text = str(error).lower()
    return next((code for words, code in SQLITE_REFUSALS.items() if words in text), None)


def _sqlite(error: sqlite3.Error, root: Path, need: Callable[[], str | None]) -> PublisherError:
    code = refused_by_machine(error)
    if code is None:
        return damaged(root, f"damaged ({error})")
    if code == errno.EROFS:  # SQLite says "readonly database" for a mount and for no rights
        return not_writable(root)
    return refused(code, root, str(root / "index.sqlite"), need)


def _nearest(root: Path) -> Path:
    """`root`, or the nearest folder above it that exists (where it would be made)."""
    folder = root
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _within(path: Path, folder: Path) -> bool:
    path, folder = Path(os.path.abspath(path)), Path(os.path.abspath(folder))
    return path == folder or folder in path.parents
