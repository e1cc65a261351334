"""Shared by the stages that cut fonts (charts, deck): each cut is made once per machine and
kept on disk, named by the font's digest, fontTools' version and what was cut to."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import fontTools

CACHE_DIR = Path(tempfile.gettempdir()) / "publisher-fonts"


def cut_once(font: Path, recipe: str, cut: Callable[[Path], None], folder: Path) -> Path:
    """The file `cut` writes for `font` cut by `recipe`, in `folder`; made only when no
    process (this one, a parallel worker, an earlier run) made it before."""
    # the fontTools version is in the key: another subsetter may cut other bytes
    key = hashlib.sha256(f"{_digest(font)} fontTools {fontTools.version} {recipe}".encode())
    path = folder / f"{_family_stem(font)}-{key.hexdigest()[:20]}.ttf"
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
