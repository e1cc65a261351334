"""Installable anywhere: a built wheel carries the fonts and layouts, and builds a report from
a folder outside the repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLE

# What the packaging reads: setup.py copies fonts/ and layouts/ into the wheel.
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md")
FOLDERS = ("publisher", "fonts", "layouts")
BUNDLED = (
    "publisher/_data/fonts/PublisherSansSC-Regular.ttf",
    "publisher/_data/fonts/PublisherSansSC-Bold.ttf",
    "publisher/_data/fonts/OFL.txt",
    "publisher/_data/layouts/silicon-daily.toml",
    "publisher/_data/layouts/charts/silicon.toml",
    "publisher/_data/layouts/templates/si_view.j2",
)

pytestmark = pytest.mark.slow  # about 20 s: a wheel, a venv and a build of the sample


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv holding the wheel built from a copy of the sources (sdist first, then the wheel
    from it, as `python -m build` does), its own publisher, not the editable checkout."""
    root = tmp_path_factory.mktemp("install")
    source = root / "src"
    for name in FOLDERS:
        caches = shutil.ignore_patterns("__pycache__", "*.egg-info")
        shutil.copytree(REPO / name, source / name, ignore=caches)
    for name in SOURCES:
        shutil.copy2(REPO / name, source / name)
    _run([sys.executable, "-m", "build", "--outdir", str(root / "dist"), str(source)], root)
    venv = root / "venv"
    # System site-packages: the dependencies are there already, so nothing is downloaded.
    _run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], root)
    wheel = next((root / "dist").glob("publisher-*.whl"))
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-index"]
    _run([*pip, "--ignore-installed", str(wheel)], root)
    return venv


def _run(args: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PUBLISHER_LAYOUTS")}
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    if check:
        assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


def it_puts_fonts_layouts_and_templates_in_the_wheel(installed: Path) -> None:
    wheel = next((installed.parent / "dist").glob("publisher-*.whl"))
    with zipfile.ZipFile(wheel) as zipped:
        names = set(zipped.namelist())
    assert set(BUNDLED) <= names, sorted(set(BUNDLED) - names)
    assert not any(name.startswith(("fonts/", "layouts/", "samples/")) for name in names)


def it_builds_the_sample_from_another_folder_with_the_wheels_publisher(
    installed: Path, tmp_path: Path
) -> None:
    python = str(installed / "bin" / "python")
    where = _run([python, "-c", "import publisher; print(publisher.__file__)"], tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(installed), where.stdout  # not the checkout
    built = _run(
        [str(installed / "bin" / "publisher"), "build", str(SAMPLE), "--out", "out"], tmp_path
    )
    assert "wrote out/silicon-daily-2025-05-27.pdf" in built.stdout
    assert (tmp_path / "out" / "silicon-daily-2025-05-27.pptx").is_file()


def it_says_the_sample_is_only_in_the_repository(installed: Path, tmp_path: Path) -> None:
    done = _run([str(installed / "bin" / "publisher"), "build", "--out", "out"], tmp_path, False)
    assert done.returncode == 2, done.stderr
    assert "only in publisher's repository" in done.stderr
    assert "fix: name a snapshot folder: publisher build path/to/snapshot" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "out").exists()


def it_names_a_missing_bundled_font_instead_of_a_traceback(installed: Path, tmp_path: Path) -> None:
    publisher = installed / "bin" / "publisher"
    where = _run(
        [
            str(installed / "bin" / "python"),
            "-c",
            "import publisher.assets as a; print(a.FONT_BOLD)",
        ],
        tmp_path,
    )
    font = Path(where.stdout.strip())
    kept = font.read_bytes()
    font.unlink()
    try:
        done = _run([str(publisher), "validate", str(SAMPLE)], tmp_path, check=False)
    finally:
        font.write_bytes(kept)
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith(f"error: {font}: a bundled font or layout folder")
    assert "fix: reinstall publisher" in done.stderr and "Traceback" not in done.stderr
