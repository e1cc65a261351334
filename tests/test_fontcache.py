"""The font-cut cache: a cut is made once per machine, named by font, cutter and recipe; a
failed cut leaves nothing behind that a later run would take for a font."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher import fontcache
from publisher.assets import FONT_BOLD, FONT_REGULAR
from publisher.fontcache import cut_once


def it_cuts_once_and_finds_the_cut_again(tmp_path: Path) -> None:
    calls: list[Path] = []

    def cut(out: Path) -> None:
        calls.append(out)
        out.write_bytes(b"cut")

    first = cut_once(FONT_REGULAR, "工业硅", cut, tmp_path)
    again = cut_once(FONT_REGULAR, "工业硅", cut, tmp_path)
    assert first == again and first.read_bytes() == b"cut"
    assert len(calls) == 1


def it_names_each_font_and_recipe_apart(tmp_path: Path) -> None:
    def cut(out: Path) -> None:
        out.write_bytes(out.name.encode())

    names = {
        cut_once(FONT_REGULAR, "硅", cut, tmp_path),
        cut_once(FONT_REGULAR, "铝", cut, tmp_path),
        cut_once(FONT_BOLD, "硅", cut, tmp_path),
    }
    assert len(names) == 3


def it_leaves_nothing_behind_when_a_cut_fails(tmp_path: Path) -> None:
    def cut(out: Path) -> None:
        out.write_bytes(b"half")
        raise RuntimeError("cut failed")

    with pytest.raises(RuntimeError):
        cut_once(FONT_REGULAR, "工业硅", cut, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("font", [FONT_REGULAR, FONT_BOLD])
def it_keeps_a_fonts_code_points_as_fonttools_reads_them(
    font: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fontTools.ttLib import TTFont

    monkeypatch.setattr(fontcache, "CACHE_DIR", tmp_path)
    with TTFont(font, lazy=True) as face:
        expected = frozenset(face.getBestCmap())
    read = fontcache.code_points.__wrapped__(font)  # a process's first call: read, then kept
    (kept,) = (tmp_path / "cmaps").iterdir()
    again = fontcache.code_points.__wrapped__(font)  # a later process: from the kept list
    assert read == again == expected and ord("硅") in read
    assert kept.stat().st_size == 4 * len(expected)
