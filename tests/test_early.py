"""Renderers started early: the console script starts a build's renderers in processes of
their own before its imports; the build hands them its work and writes the same bytes, and
writes the report itself if one of them died."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Executor
from pathlib import Path

import pytest

from publisher.console import build_formats, prestart
from publisher.pipeline import Built, build
from publisher.workers import Prestarted
from tests.conftest import SAMPLE

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sample built with no renderer started early."""
    return build(SAMPLE, tmp_path_factory.mktemp("plain"))


@pytest.fixture
def early() -> Iterator[Prestarted]:
    started = prestart(["build"])
    yield started
    started.shutdown()


@pytest.mark.parametrize(
    ("args", "formats"),
    [
        (["build"], ("pdf", "pptx")),
        (["build", "samples/x", "--format", "pptx"], ("pptx",)),
        (["build", "--format=pdf", "--out", "out"], ("pdf",)),
        (["build", "--layouts", "desk", "--timings"], ("pdf", "pptx")),
        (["build", "--help"], ()),
        (["publish", "samples/x"], ()),
        (["--version"], ()),
        ([], ()),
    ],
)
def it_reads_which_formats_a_build_asks_for(args: list[str], formats: tuple[str, ...]) -> None:
    assert build_formats(args) == formats


@pytest.mark.parametrize(
    "name", ["LOAD_PDF", "LAY_OUT_PDF", "FINISH_PDF", "LOAD_DECK", "RENDER_DECK"]
)
def it_names_renderer_functions_that_exist(name: str) -> None:
    import importlib

    import publisher.render

    module, function = getattr(publisher.render, name).split(":")
    assert callable(getattr(importlib.import_module(module), function))


def it_starts_no_renderer_on_one_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert prestart(["build"]) == Prestarted()


def it_starts_only_the_renderers_a_build_asks_for() -> None:
    started = prestart(["build", "--format", "pptx"])
    try:
        assert started.pdf is None and started.deck is not None
    finally:
        started.shutdown()


def it_writes_the_same_bytes_with_its_renderers_started_early(
    plain: Built, early: Prestarted, tmp_path: Path
) -> None:
    built = build(SAMPLE, tmp_path, early=early)
    assert built.pdf and plain.pdf and built.deck and plain.deck
    assert built.pdf.path.read_bytes() == plain.pdf.path.read_bytes()
    assert built.deck.path.read_bytes() == plain.deck.path.read_bytes()
    assert (built.pdf.pages, built.pdf.sources) == (plain.pdf.pages, plain.pdf.sources)
    assert (built.deck.slides, built.deck.charts) == (plain.deck.slides, plain.deck.charts)


def it_writes_the_same_deck_alone_with_its_renderer_started_early(
    plain: Built, tmp_path: Path
) -> None:
    # a deck-only build: the chart data computed beside the figures, the native charts'
    # parts beside the slides
    started = prestart(["build", "--format", "pptx"])
    try:
        built = build(SAMPLE, tmp_path, formats=("pptx",), early=started)
    finally:
        started.shutdown()
    assert built.deck and plain.deck and built.pdf is None
    assert built.deck.path.read_bytes() == plain.deck.path.read_bytes()


def it_reports_a_chart_data_error_before_a_quality_error_when_both_come_apart(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import publisher.pipeline
    from publisher.errors import LayoutError, QualityError

    def bad_catalog(*args: object) -> None:
        raise LayoutError("charts.toml", "chart 'x' reads no series", "name one")

    def bad_data(*args: object) -> None:
        raise QualityError("observations.csv", "a gap", "fill it")

    monkeypatch.setattr(publisher.pipeline, "placed_chart_data", bad_catalog)
    monkeypatch.setattr(publisher.pipeline, "gate", bad_data)
    with pytest.raises(LayoutError, match="reads no series"):  # as built in one process
        build(SAMPLE, tmp_path, formats=("pptx",), jobs=2)
    assert not list(tmp_path.glob("*.pptx"))


def it_writes_the_report_itself_when_an_early_renderer_died(
    plain: Built, early: Prestarted, tmp_path: Path
) -> None:
    for pool in (early.pdf, early.deck):
        _kill(pool)
    built = build(SAMPLE, tmp_path, early=early)
    assert built.pdf and plain.pdf and built.deck and plain.deck
    assert built.pdf.path.read_bytes() == plain.pdf.path.read_bytes()
    assert built.deck.path.read_bytes() == plain.deck.path.read_bytes()


def it_never_loads_a_renderer_in_the_build_process(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from publisher.console import prestart\n"
        "early = prestart(['build'])\n"
        "from publisher.pipeline import build\n"
        f"build(Path({str(SAMPLE)!r}), Path({str(tmp_path)!r}), early=early)\n"
        "early.shutdown()\n"
        "print(sorted(m for m in ('reportlab', 'pptx', 'pikepdf.pdfa') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "[]"
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".pdf", ".pptx"]


def _kill(pool: Executor | None) -> None:
    """Kill the one process of `pool` and wait until the pool knows it is broken."""
    assert pool is not None
    pid = pool.submit(os.getpid).result()
    os.kill(pid, signal.SIGKILL)
    for _ in range(200):
        try:
            pool.submit(os.getpid).result()
        except Exception:  # BrokenProcessPool, once it noticed
            return
        time.sleep(0.01)
    raise AssertionError("the pool never noticed its process died")


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def it_leaves_no_renderer_behind_when_the_command_is_killed(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "publisher", "build", "--out", str(tmp_path)]
    build = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 10
    while len(early := _children(build.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)  # the renderers' processes, started first thing
    build.kill()
    build.wait()
    assert len(early) >= 2
    deadline = time.monotonic() + 5
    while (
        left := [p for p in early if Path(f"/proc/{p}").exists()]
    ) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left
