"""Each kind draws its ChartData on a plain Figure: checked on the artists, not the pixels."""

from __future__ import annotations

from dataclasses import replace

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.text import Text

from publisher.charts.catalog import ChartCatalog
from publisher.charts.data import ChartData, chart_data
from publisher.charts.draw import Frame
from publisher.charts.fonts import chart_fonts
from publisher.charts.kinds import DRAWERS
from publisher.charts.style import RC, Style, figure
from publisher.snapshot.model import Snapshot
from tests.charts.conftest import BRAND


def _draw(data: ChartData, titled: bool = False) -> tuple[Figure, Frame]:
    with matplotlib.rc_context(RC):
        fig = figure(data.size)
        frame = DRAWERS[data.kind](
            fig, data, Style(chart_fonts(data.text + "数据来源"), BRAND), titled
        )
        FigureCanvasAgg(fig).draw()  # draw once, as saving would
    return fig, frame


def _data(examples: tuple[Snapshot, ChartCatalog], chart_id: str) -> ChartData:
    snapshot, catalog = examples
    return chart_data(catalog[chart_id], snapshot)


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def _lines(frame: Frame) -> list[Line2D]:
    return [line for line in frame.ax.get_lines() if line.get_linestyle() != "None"]


def it_draws_the_season_by_the_book(examples: tuple[Snapshot, ChartCatalog]) -> None:
    data = _data(examples, "rate")
    fig, frame = _draw(data)
    years = [s for s in data.series if s.name.endswith("年") and s.draw == "line" and not s.dashed]
    assert [s.name for s in years] == ["2024年", "2025年"]  # last year and this one, no spaghetti
    pool = [s.name for s in data.series if s.draw == "band" or s.dashed]
    assert pool == ["2020–2024年区间", "2020–2024年均值"]  # named by the years they pool
    drawn = _lines(frame)
    assert len(drawn) == len(years) + 1  # one per year and the average
    widths = {line.get_color(): line.get_linewidth() for line in drawn}
    assert widths[BRAND.accent] > max(w for c, w in widths.items() if c != BRAND.accent)
    texts = _texts(fig)
    assert {"1月", "3月", "11月", "2020–2024年均值", "2025年", "%"} <= set(texts)


def it_keeps_the_dual_axis_scales_independent(examples: tuple[Snapshot, ChartCatalog]) -> None:
    data = _data(examples, "cost")
    profit, cost = data.series
    _, frame = _draw(data)
    assert frame.y2 is not None
    # each axis spans its own series: profit round zero, cost in the tens of thousands
    lowest = min(v for v in profit.values if v is not None)
    assert frame.y.lo <= lowest < frame.y.positions[1]  # within a step of the axis's foot
    assert frame.y.lo <= 0 <= frame.y.positions[-1] < 5000  # the labelled panel: profit only
    assert frame.y2.lo > 10000
    assert frame.y2.lo <= min(v for v in cost.values if v is not None)
    assert frame.y2.hi >= max(v for v in cost.values if v is not None)
    # and the cost line, drawn on the plot's scale, fills the plot rather than a sliver of it
    (line,) = [line for line in _lines(frame) if line.get_color() == cost.color]
    ys = np.asarray(line.get_ydata(), dtype=float)
    spread = (np.nanmax(ys) - np.nanmin(ys)) / (frame.y.hi - frame.y.lo)
    assert 0.3 < spread <= 1.0
    assert frame.y.lo <= np.nanmin(ys) and np.nanmax(ys) <= frame.y.hi


def it_draws_hundreds_of_bars_as_one_shape(examples: tuple[Snapshot, ChartCatalog]) -> None:
    data = _data(examples, "cost")
    data = replace(data, series=(replace(data.series[0], draw="bar"), *data.series[1:]))
    assert len(data.series[0].x) > 500
    _, frame = _draw(data)
    bars = [p for p in frame.ax.findobj(PathPatch)]
    assert len(bars) == 1
    assert len(bars[0].get_path().vertices) >= 5 * 500  # a closed rectangle per bar


def it_stacks_bars_to_their_sum(examples: tuple[Snapshot, ChartCatalog]) -> None:
    data = _data(examples, "pv")
    _, frame = _draw(data)
    *parts, balance = data.series
    tops = np.zeros(len(data.x))
    feet = np.zeros(len(data.x))
    for shape, part in zip(frame.ax.findobj(PathPatch), parts, strict=True):
        ys = shape.get_path().vertices[:, 1].reshape(-1, 5)[:, :4]  # 4 corners + close
        values = np.array(part.values, dtype=float)
        if (values >= 0).all():
            tops += values
            assert np.allclose(ys.max(axis=1), tops)
        else:
            feet += values
            assert np.allclose(ys.min(axis=1), feet)
    assert np.allclose(tops + feet, np.array(balance.values, dtype=float))


def it_aligns_the_balance_table_under_its_bars(examples: tuple[Snapshot, ChartCatalog]) -> None:
    data = _data(examples, "pv")
    fig, frame = _draw(data)
    assert data.table is not None
    last_row = data.table.rows[-1]
    cells = [t for t in frame.ax.texts if t.get_text() in last_row.cells]
    assert sorted({t.get_position()[0] for t in cells}) == [float(n) for n in range(len(data.x))]
    assert {"2024年", "2025年", "平衡"} <= set(_texts(fig))


def it_lays_out_without_clipping_or_overlap(examples: tuple[Snapshot, ChartCatalog]) -> None:
    """Every text lies inside the figure and no two texts overlap (the drawn extents, as a
    person would see them)."""
    snapshot, catalog = examples
    for spec in catalog:
        fig, _ = _draw(chart_data(spec, snapshot), titled=True)
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        page = fig.bbox
        boxes = []
        for text in fig.findobj(Text):
            if not text.get_text() or not text.get_visible():
                continue
            box = text.get_window_extent(renderer)
            assert page.x0 - 0.5 <= box.x0 and box.x1 <= page.x1 + 0.5, (spec.id, text)
            assert page.y0 - 0.5 <= box.y0 and box.y1 <= page.y1 + 0.5, (spec.id, text)
            boxes.append((text.get_text(), box.shrunk(0.96, 0.8)))
        for n, (a, box_a) in enumerate(boxes):
            for b, box_b in boxes[n + 1 :]:
                assert not box_a.overlaps(box_b), (spec.id, a, b)


@pytest.mark.parametrize("chart_id", ["basis", "cost", "ports", "rate", "pv", "sheet"])
def it_prints_title_and_sources_only_in_gallery_mode(
    examples: tuple[Snapshot, ChartCatalog], chart_id: str
) -> None:
    data = _data(examples, chart_id)
    plain = _texts(_draw(data)[0])
    titled = _texts(_draw(data, titled=True)[0])
    assert data.title not in plain and data.title in titled
    assert any(t.startswith("数据来源：") for t in titled)
