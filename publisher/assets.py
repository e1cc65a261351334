"""Shared assets: where the bundled fonts, layouts and sample live, for every stage."""

from pathlib import Path

from publisher.errors import EnvironmentFailure

PACKAGE: Path = Path(__file__).resolve().parent
REPO: Path = PACKAGE.parent
# A wheel carries the repository's fonts/ and layouts/ here (setup.py copies them at build
# time); a checkout, editable or not yet installed, has none and reads the top-level folders.
INSTALLED: Path = PACKAGE / "_data"


def _bundled(name: str) -> Path:
    installed = INSTALLED / name
    return installed if installed.is_dir() else REPO / name


FONTS_DIR: Path = _bundled("fonts")
FONT_FAMILY: str = "Publisher Sans SC"
FONT_REGULAR: Path = FONTS_DIR / "PublisherSansSC-Regular.ttf"
FONT_BOLD: Path = FONTS_DIR / "PublisherSansSC-Bold.ttf"
LAYOUTS_DIR: Path = _bundled("layouts")
# Only in the repository: a wheel ships no sample, so a command without SNAPSHOT says so.
SAMPLE: Path = REPO / "samples" / "silicon-2025-05-27"
REQUIRED: tuple[Path, ...] = (FONT_REGULAR, FONT_BOLD, LAYOUTS_DIR)


class MissingAsset(EnvironmentFailure):
    """The installation lacks a bundled file: not the input's fault, and nothing the
    command can work without."""


def check_installed() -> None:
    """Refuse, naming the first missing file, an installation without its fonts or layouts
    (a wheel built without them, a checkout missing a folder)."""
    missing = [path for path in REQUIRED if not path.exists()]
    if missing:
        raise MissingAsset(
            missing[0],
            "a bundled font or layout folder of publisher is missing: the installation is "
            f"incomplete (looked in {INSTALLED} and {REPO})",
            "reinstall publisher from its repository or a wheel built from it "
            "(pip install --force-reinstall .), which carries fonts/ and layouts/",
        )
