"""Benchmark aid: do two PDFs look the same? Renders every page of both with pdftoppm at
100 dpi and prints, page by page, how many pixels differ and where. Speed work must keep the
look: build the sample before and after a change, compare, and explain every page that moves.
Run: python bench/compare_pixels.py BEFORE.pdf AFTER.pdf [DPI]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageChops


def pages(pdf: Path, folder: Path, dpi: int) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(folder / "p")], check=True)
    return sorted(folder.glob("p-*.png"))


def difference(before: Path, after: Path) -> tuple[int, tuple[int, int, int, int] | None]:
    """Pixels that differ and their bounding box (None: none differs)."""
    one, two = Image.open(before).convert("RGB"), Image.open(after).convert("RGB")
    if one.size != two.size:
        return one.size[0] * one.size[1], (0, 0, *one.size)
    changed = ImageChops.difference(one, two).convert("L").point(lambda v: 255 if v else 0)
    return changed.histogram()[255], changed.getbbox()


def main(before: Path, after: Path, dpi: int = 100) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "a").mkdir()
        (Path(tmp) / "b").mkdir()
        old, new = pages(before, Path(tmp) / "a", dpi), pages(after, Path(tmp) / "b", dpi)
        print(f"{before.name}: {len(old)} pages; {after.name}: {len(new)} pages; {dpi} dpi")
        moved = 0
        for number, (one, two) in enumerate(zip(old, new, strict=False), start=1):
            count, box = difference(one, two)
            moved += bool(count)
            print(
                f"  page {number:2d}: " + (f"{count} pixels differ in {box}" if count else "same")
            )
    print(f"{moved} page(s) differ" + ("" if len(old) == len(new) else "; page counts differ"))
    return 1 if moved or len(old) != len(new) else 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if len(arguments) not in (2, 3):
        sys.exit(__doc__)
    sys.exit(main(Path(arguments[0]), Path(arguments[1]), *map(int, arguments[2:])))
