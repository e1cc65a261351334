"""How full a PDF page's body looks: the body cut into a grid, a cell empty when nothing shows."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from publisher.layout.model import Document
from publisher.render.pdf.pages import Footer
from publisher.render.pdf.theme import HEADER_RULE, MARGIN_X, PAGE_HEIGHT, PAGE_WIDTH, theme_for

DPI = 30
COLUMNS, ROWS = 2, 8
NEAR_WHITE = 245  # grey level (0-255) above which a pixel counts as paper
RULE_CLEARANCE = 3.0  # points kept off the header's and the footer's rules, which are drawn


@dataclass(frozen=True)
class Body:
    """The measured box in PDF points, y from the page's top: the running header's rule down
    to the footer's rule, between the side margins."""

    top: float
    bottom: float
    left: float = MARGIN_X
    right: float = PAGE_WIDTH - MARGIN_X


def body_of(document: Document) -> Body:
    """The box a page's content may use, from the renderer's own geometry."""
    footer = Footer(document, theme_for(document))
    return Body(HEADER_RULE + RULE_CLEARANCE, PAGE_HEIGHT - footer.top - RULE_CLEARANCE)


def rasterise(pdf: Path, dpi: int = DPI) -> list[np.ndarray]:
    """Every page as a grey image (0 black, 255 white), via poppler."""
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "page"
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(prefix)], check=True
        )
        return [np.asarray(Image.open(p).convert("L")) for p in sorted(Path(folder).glob("*.png"))]


def empty_cells(image: np.ndarray, body: Body, dpi: int = DPI) -> list[tuple[int, int]]:
    """(row, column) of each grid cell of `body` in which every pixel is near white."""
    scale = dpi / 72
    top, bottom = body.top * scale, body.bottom * scale
    left, right = body.left * scale, body.right * scale
    empty = []
    for r in range(ROWS):
        y0 = round(top + (bottom - top) * r / ROWS)
        y1 = round(top + (bottom - top) * (r + 1) / ROWS)
        for c in range(COLUMNS):
            x0 = round(left + (right - left) * c / COLUMNS)
            x1 = round(left + (right - left) * (c + 1) / COLUMNS)
            if image[y0:y1, x0:x1].min() >= NEAR_WHITE:
                empty.append((r, c))
    return empty


def empty_share(image: np.ndarray, body: Body, dpi: int = DPI) -> float:
    """The part of the body's grid with nothing drawn in it, 0 to 1."""
    return len(empty_cells(image, body, dpi)) / (ROWS * COLUMNS)
