"""Shared by the stages that read or cut fonts (snapshot, charts, deck): each cut, and each
font's list of code points, is made once per machine and kept on disk, named by the font's
digest, fontTools' version and what was cut to."""

from __future__ import annotations

import array
import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import fontTools

CACHE_DIR = Path(tempfile.gettempdir()) / "publisher-fonts"


def cut_once(
    font: Path, recipe: str, cut: Callable[[Path], None], folder: Path, suffix: str = ".ttf"
) -> Path:
    """The file `cut` writes for `font` cut by `recipe`, in `folder`; made only when no
    process (this one, a parallel worker, an earlier run) made it before."""
    # the fontTools version is in the key: another subsetter may cut other bytes
    key = hashlib.sha256(f"{_digest(font)} fontTools {fontTools.version} {recipe}".encode())
    path = folder / f"{_family_stem(font)}-{key.hexdigest()[:20]}{suffix}"
    if path.is_file():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    # written aside and renamed: parallel workers may cut the same font at the same moment
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    os.close(handle)
    try:
        cut(Path(temporary))
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
    return path


def _family_stem(font: Path) -> str:
    return "-".join(font.stem.split("-")[:2])  # PublisherSansSC-Regular, cut or not


@cache
def _digest(font: Path) -> str:
    return hashlib.sha256(font.read_bytes()).hexdigest()


@cache
def code_points(font: Path) -> frozenset[int]:
    """The code points `font` draws (its best cmap). Decoding a CJK font's cmap costs a build
    ~40 ms; the list kept on disk loads in about one."""

    def read(out: Path) -> None:
        from fontTools.ttLib import TTFont

        with TTFont(font, lazy=True) as face:
            out.write_bytes(array.array("I", sorted(face.getBestCmap())).tobytes())

    kept = cut_once(font, "best cmap", read, CACHE_DIR / "cmaps", suffix=".u32")
    points = array.array("I")
    points.frombytes(kept.read_bytes())
    return frozenset(points)
