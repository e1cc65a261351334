"""Shared assets: where the bundled fonts, layouts and sample live, for every stage."""

from pathlib import Path

REPO: Path = Path(__file__).resolve().parent.parent
FONTS_DIR: Path = REPO / "fonts"
FONT_FAMILY: str = "Publisher Sans SC"
FONT_REGULAR: Path = FONTS_DIR / "PublisherSansSC-Regular.ttf"
FONT_BOLD: Path = FONTS_DIR / "PublisherSansSC-Bold.ttf"
LAYOUTS_DIR: Path = REPO / "layouts"
SAMPLE: Path = REPO / "samples" / "silicon-2025-05-27"
