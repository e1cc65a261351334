"""The drawing pool: workers started before the data, artwork handed over by chart id, each
chart's aspect known before it is drawn, and a worker's failure reaching the reader."""

from __future__ import annotations

import dataclasses
import io
import os
import signal
import subprocess
import sys
from collections import OrderedDict
from pathlib import Path

import pikepdf
import pytest

from publisher.charts.catalog import ChartCatalog
from publisher.charts.data import chart_data
from publisher.charts.pool import ChartPool
from publisher.charts.render import render_pdf
from publisher.errors import EnvironmentFailure
from publisher.snapshot.model import Snapshot
from tests.charts.conftest import BRAND

Examples = tuple[Snapshot, ChartCatalog]


def _trimbox_aspect(artwork: bytes) -> float:
    with pikepdf.open(io.BytesIO(artwork)) as pdf:
        llx, lly, urx, ury = (float(v) for v in pdf.pages[0].trimbox)
    return (ury - lly) / (urx - llx)


def it_starts_its_workers_before_any_chart_is_given() -> None:
    with ChartPool(2) as pool:
        workers = pool.workers()
        assert len(set(workers)) == 2 and os.getpid() not in workers
        for pid in workers:
            os.kill(pid, 0)  # alive


@pytest.mark.parametrize("jobs", [1, 2])
def it_hands_over_what_drawing_one_chart_alone_gives(examples: Examples, jobs: int) -> None:
    snapshot, catalog = examples
    charts = [chart_data(spec, snapshot) for spec in catalog]
    with ChartPool(jobs) as pool:
        drawing = pool.draw(charts, BRAND)
        assert list(drawing) == [c.id for c in charts]
        assert {c.id: drawing[c.id] for c in charts} == {c.id: render_pdf(c, BRAND) for c in charts}


def it_knows_each_charts_aspect_before_it_is_drawn(examples: Examples) -> None:
    snapshot, catalog = examples
    charts = [chart_data(spec, snapshot) for spec in catalog]
    with ChartPool(1) as pool:
        drawing = pool.draw(charts, BRAND)
        for chart in charts:
            known = drawing.aspect(chart.id)
            if chart.kind == "table":  # cut to its rows: only the artwork tells
                assert known is None
            else:
                assert known == pytest.approx(_trimbox_aspect(drawing[chart.id]), rel=1e-9)


def it_raises_a_workers_failure_where_the_artwork_is_read(examples: Examples) -> None:
    snapshot, catalog = examples
    chart = dataclasses.replace(chart_data(catalog["cost"], snapshot), kind="no-such-kind")
    with ChartPool(2) as pool:
        drawing = pool.draw([chart], BRAND)
        with pytest.raises(KeyError, match="no-such-kind"):
            drawing[chart.id]


@pytest.mark.parametrize("killed", [0, 1], ids=["the first", "its clone"])
def it_says_so_when_a_drawing_process_is_killed(examples: Examples, killed: int) -> None:
    snapshot, catalog = examples
    chart = chart_data(catalog["cost"], snapshot)
    with ChartPool(2) as pool:
        os.kill(pool.workers()[killed], signal.SIGKILL)
        with pytest.raises(EnvironmentFailure, match="ended abruptly"):
            pool.draw([chart], BRAND)[chart.id]  # refused when given, or when read


def it_leaves_matplotlib_to_the_workers(tmp_path: Path) -> None:
    """The build process loads the snapshot while its workers import matplotlib: it never
    imports matplotlib itself, even for a PDF; nor the font subsetter, once the fonts it
    needs are cut (the second build finds them in the font cache)."""
    code = (
        "import sys; from pathlib import Path; from publisher.pipeline import build; "
        "from publisher.assets import SAMPLE; "
        f"build(SAMPLE, Path({str(tmp_path)!r}), formats=('pdf',)); "
        "print('matplotlib' in sys.modules, 'fontTools.subset' in sys.modules)"
    )
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False False"
    assert list(tmp_path.glob("*.pdf"))


def it_draws_a_chart_it_drew_lately_only_once(
    examples: Examples, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch worker's next report: a chart whose data did not move is not drawn again, and
    one that did is (the brand's colours and the form are part of what is the same; its
    files, which charts never draw, are not)."""
    from publisher.charts import render

    snapshot, catalog = examples
    rate, cost = (chart_data(catalog[i], snapshot) for i in ("rate", "cost"))
    drawn: list[str] = []
    real = render.render

    def counting(data, *rest):  # type: ignore[no-untyped-def]
        drawn.append(data.id)
        return real(data, *rest)

    monkeypatch.setattr(render, "render", counting)
    monkeypatch.setattr("publisher.charts.pool._DRAWN", OrderedDict())  # this test's own
    moved = dataclasses.replace(cost, title=cost.title + "（更新）")
    with ChartPool(1) as pool:
        first = pool.draw_for_print([rate, cost], BRAND)
        # the next revision's brand: the same colours, its files in its own folder
        elsewhere = dataclasses.replace(BRAND, logo=Path("/archive/r2/snapshot/logo.png"))
        day_two = pool.draw_for_print([rate, moved], elsewhere)
        as_pdf = pool.draw([rate], BRAND)
        assert day_two["rate"] is first["rate"]
        assert day_two["cost"] != first["cost"]
        assert as_pdf["rate"] == render_pdf(rate, BRAND)
    assert drawn == ["rate", "cost", "cost", "rate"]
