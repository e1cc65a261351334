"""Archive fixtures: the sample published once for the session, a correction of it, and a
backfill writer. Tests that change an archive work on a copy (its paths are relative)."""

from __future__ import annotations

import importlib.util
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from publisher.archive.commands import archive, batch, publish
from publisher.archive.publish import publish as publish_snapshot
from tests.conftest import REPO, SAMPLE

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

CLI = click.Group(commands={"publish": publish, "batch": batch, "archive": archive})


def cli(*args: str | Path) -> Result:
    """Run a command as `publisher …` would (the lead registers these on publisher.cli:main)."""
    return CliRunner().invoke(CLI, [str(a) for a in args])


def run_cli(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """The command in its own process, for tests that kill it or run two at once."""
    code = (
        "import sys, click; from publisher.archive.commands import archive, batch, publish; "
        "click.Group(commands={'publish': publish, 'batch': batch, 'archive': archive})"
        "(sys.argv[1:])"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_fake(
    pdf: Path, *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """As run_cli, with the fast stand-in build (tests/archive/fakes.py) patched in."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.archive.fakes", str(pdf), *map(str, args)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def copy_sample(into: Path, outlook: str | None = None) -> Path:
    """The sample and its brand file laid out as in samples/; `outlook` changes the 预期 text
    (a correction an analyst might make)."""
    folder = into / SAMPLE.name
    shutil.copytree(SAMPLE, folder)
    shutil.copytree(SAMPLE.parent / "brand", into / "brand")
    if outlook:
        manifest = folder / "snapshot.toml"
        text = manifest.read_text(encoding="utf-8")
        start = text.index('outlook = "') + len('outlook = "')
        end = text.index('"', start)
        manifest.write_text(text[:start] + outlook + text[end:], encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def backfill() -> ModuleType:
    """samples/backfill.py as a module."""
    spec = importlib.util.spec_from_file_location("backfill", REPO / "samples" / "backfill.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def with_value(into: Path, series: str, date: str, value: str) -> Path:
    """The sample with one observation of the wide observations file corrected."""
    folder = copy_sample(into)
    path = folder / "observations.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    column = lines[0].split(",").index(series)
    for n, line in enumerate(lines):
        if line.startswith(date + ","):
            cells = line.split(",")
            cells[column] = value
            lines[n] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    return folder


# The outlook of `corrected`, the session's r2: a copy with it is the latest revision's snapshot.
CORRECTED_OUTLOOK = "供给端排产减少（更正）。"


@pytest.fixture(scope="session")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with the analyst's outlook rewritten: the same report and date, changed."""
    return copy_sample(tmp_path_factory.mktemp("corrected"), outlook=CORRECTED_OUTLOOK)


@pytest.fixture(scope="session")
def archived(tmp_path_factory: pytest.TempPathFactory, corrected: Path) -> Path:
    """An archive holding the sample as r1 and its correction as r2 (two real builds)."""
    root = tmp_path_factory.mktemp("archive") / "archive"
    publish_snapshot(SAMPLE, root)
    publish_snapshot(corrected, root)
    return root


CORRECTED_VALUE = ("si_inv_social", "2025-05-23", "58.5")  # the sample prints 58.2


@pytest.fixture(scope="session")
def corrected_value(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive of the sample (r1) and the sample with 周度社会库存 corrected (r2), two real
    builds. Tests that change it work on a copy."""
    root = tmp_path_factory.mktemp("diff") / "archive"
    publish_snapshot(SAMPLE, root)
    publish_snapshot(with_value(tmp_path_factory.mktemp("fixed"), *CORRECTED_VALUE), root)
    return root


@pytest.fixture
def archive_copy(archived: Path, tmp_path: Path) -> Path:
    """A copy of the session archive to change."""
    return Path(shutil.copytree(archived, tmp_path / "archive", symlinks=True))


@pytest.fixture(scope="session")
def sample_pdf(archived: Path) -> Path:
    """The sample's real PDF, as the fast stand-in build copies it."""
    return next(archived.glob("reports/silicon-daily/2025-05-27/r1/*.pdf"))


@pytest.fixture
def fast_build(sample_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Patch the stand-in build and check into this process (and the workers it forks)."""
    from tests.archive.fakes import patch

    patch(sample_pdf, monkeypatch.setattr)
    return lambda: None


@pytest.fixture
def fast_archive(tmp_path: Path, corrected: Path, fast_build: object) -> Path:
    """An archive of the sample (r1) and its correction (r2) made by the stand-in build, for
    tests that damage it and run every command on it."""
    root = tmp_path / "fast-archive"
    publish_snapshot(SAMPLE, root)
    publish_snapshot(corrected, root)
    return root


def sql(archive_dir: Path, statement: str, *args: object) -> None:
    """Change the index behind the archive's back, as a hand or a bad restore would."""
    db = sqlite3.connect(archive_dir / "index.sqlite", isolation_level=None)
    try:
        db.execute(statement, args)
    finally:
        db.close()


def no_traceback(result: Result) -> None:
    """A command answered with a message and an exit status, not an exception."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.output,
        result.exc_info,
    )
    assert "Traceback" not in result.output, result.output


@pytest.fixture
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (a playwright Browser), closed after the test;
    the test is skipped where either is missing."""
    if not CHROMIUM.is_file():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright's Python package is not installed"
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
