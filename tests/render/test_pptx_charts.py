"""Deck renderer: every chart is a native, editable chart whose data is the snapshot's."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from publisher.layout.model import Document
from publisher.render.pptx import render_pptx
from publisher.render.pptx.charts import ChartStyle, NotNative, chart_xml
from publisher.render.pptx.text import Face
from tests.render.deck_fixtures import (
    CHART_NS,
    DRAWING_NS,
    chart_element,
    charts_of,
    reopen,
    sample_deck,
    sample_document,
)


def _chart_shapes() -> dict[str, object]:
    return {
        shape.name.removeprefix("Chart "): shape
        for slide in reopen(sample_deck()).slides
        for shape in slide.shapes
        if shape.has_chart
    }


def _deck_series(shape: object) -> dict[str, tuple[float | None, ...]]:
    return {s.name: tuple(s.values) for plot in shape.chart.plots for s in plot.series}  # type: ignore[attr-defined]


def _figures(values: tuple[float | None, ...]) -> list[float]:
    return [v for v in values if v is not None]


def it_draws_every_chart_as_a_chart_not_a_picture() -> None:
    result = sample_deck()
    charts = charts_of(sample_document())
    shapes = _chart_shapes()
    for chart_id, _, how in result.charts:
        expected = "table" if charts[chart_id].data.kind == "table" else "native"
        assert how == expected
        assert (chart_id in shapes) == (how == "native")
    assert result.pictures == ()
    for slide in reopen(result).slides:
        assert not [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE


def it_embeds_each_series_values_as_the_chart_data_has_them() -> None:
    charts = charts_of(sample_document())
    for chart_id, shape in _chart_shapes().items():
        data = charts[chart_id].data
        drawn = _deck_series(shape)
        for series in data.series:
            if series.draw == "band":
                continue
            if data.x_kind == "season_day" and not series.emphasis:
                continue  # past years' extra 53rd-week points share a slot; checked below
            assert _figures(drawn[series.name]) == _figures(series.values), (chart_id, series.name)


def it_puts_this_years_seasonal_figures_in_their_weeks() -> None:
    charts = charts_of(sample_document())
    shape = _chart_shapes()["si_alloy_rate_primary"]
    current = next(s for s in charts["si_alloy_rate_primary"].data.series if s.emphasis)
    drawn = _deck_series(shape)[current.name]
    for day, value in zip(current.x, current.values, strict=True):
        if value is not None:
            assert drawn[min((day - 1) // 7, 51)] == value


def it_reads_the_first_series_straight_from_the_snapshot() -> None:
    from publisher.assets import SAMPLE
    from publisher.snapshot import load_snapshot

    snapshot = load_snapshot(SAMPLE)
    data = charts_of(sample_document())["si_inv_social"].data
    first = _figures(next(iter(_deck_series(_chart_shapes()["si_inv_social"]).values())))
    observed = snapshot.observations[data.series_ids[0]]
    tail = [float(v) for v in observed[observed.index >= str(data.x[0])]]
    assert first == pytest.approx(tail)


def it_gives_cost_profit_charts_two_value_axes() -> None:
    charts = charts_of(sample_document())
    found = 0
    for chart_id, shape in _chart_shapes().items():
        if charts[chart_id].data.kind != "cost_profit":
            continue
        found += 1
        space = chart_element(shape)
        axes = space.findall(".//c:valAx", CHART_NS)
        assert len(axes) == 2
        assert {a.find("c:axPos", CHART_NS).get("val") for a in axes} == {"l", "r"}
        # profit as bars (weekly, monthly) or as an area (daily)
        bars = space.find(".//c:barChart", CHART_NS)
        assert bars is not None or space.find(".//c:areaChart", CHART_NS) is not None
        assert space.find(".//c:lineChart", CHART_NS) is not None
    assert found >= 3


def it_gives_the_balance_chart_its_data_table() -> None:
    space = chart_element(_chart_shapes()["ps_balance"])
    assert space.find(".//c:plotArea/c:dTable", CHART_NS) is not None
    grouping = space.find(".//c:barChart/c:grouping", CHART_NS).get("val")
    assert grouping == "stacked"
    line = space.find(".//c:lineChart/c:ser/c:tx//c:v", CHART_NS)
    assert line.text == "平衡"


def it_labels_long_time_axes_by_date_not_by_every_point() -> None:
    charts = charts_of(sample_document())
    for chart_id, shape in _chart_shapes().items():
        if len(charts[chart_id].data.x) <= 250:
            continue
        space = chart_element(shape)
        date_axis = space.find(".//c:dateAx", CHART_NS)
        category = space.find(".//c:catAx", CHART_NS)
        if date_axis is not None:
            assert date_axis.find("c:majorTimeUnit", CHART_NS).get("val") == "months"
        else:
            assert int(category.find("c:tickLblSkip", CHART_NS).get("val")) > 1


def it_embeds_a_workbook_with_the_same_figures() -> None:
    shape = _chart_shapes()["si_cost_profit_sc421"]
    chart = shape.chart  # type: ignore[attr-defined]
    book = openpyxl.load_workbook(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob))
    sheet = book["Sheet1"]
    for column, series in enumerate((s for p in chart.plots for s in p.series), start=2):
        assert sheet.cell(1, column).value == series.name
        cells = [sheet.cell(r, column).value for r in range(2, sheet.max_row + 1)]
        assert cells == list(series.values)


def it_names_both_faces_in_chart_text() -> None:
    for shape in list(_chart_shapes().values())[:5]:
        for rpr in chart_element(shape).iter(f"{{{DRAWING_NS['a']}}}defRPr"):
            assert rpr.find("a:ea", DRAWING_NS).get("typeface")
            assert rpr.find("a:latin", DRAWING_NS).get("typeface")


def it_refuses_what_no_native_chart_can_show() -> None:
    data = charts_of(sample_document())["si_inv_ports"].data
    from dataclasses import replace

    first, second, *rest = data.series
    bar, stack = replace(first, draw="bar"), replace(second, draw="stacked")
    mixed = replace(data, series=(bar, stack, *rest))  # clustered and stacked bars on one axis
    style = ChartStyle(Face("Arial", "Microsoft YaHei"), 9, 11, 4.0)
    with pytest.raises(NotNative):
        chart_xml(mixed, style)


def it_falls_back_to_a_picture_and_says_so(document: Document, tmp_path: Path) -> None:
    """The hand-built fixture's charts carry artwork but no chart data: pictures, named."""
    pytest.importorskip("PIL")
    import shutil

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) rasterises chart artwork")
    result = render_pptx(document, tmp_path / "fixture.pptx")
    assert set(result.pictures) == {"port-stock", "regional-cost", "pv-balance", "alloy-run"}
    notes = [
        shape.text_frame.text
        for slide in reopen(result).slides
        for shape in slide.shapes
        if shape.name.startswith("Picture Note")
    ]
    assert len(notes) == 4 and all("本图为图片" in n for n in notes)


def it_takes_a_pictures_artwork_from_the_drawing_when_the_document_has_none(
    document: Document, tmp_path: Path
) -> None:
    """A PDF-and-deck build writes the deck while the charts are drawn: the document's charts
    carry no artwork yet, and a chart that cannot be native reads its own from the drawing."""
    import shutil

    from publisher.errors import PublisherError

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) rasterises chart artwork")
    drawn = {chart.id: chart.artwork for chart in charts_of(document).values()}
    bare = _without_artwork(document)
    result = render_pptx(bare, tmp_path / "fixture.pptx", drawn=drawn)
    assert set(result.pictures) == set(drawn)
    with pytest.raises(PublisherError, match="no drawn artwork"):
        render_pptx(bare, tmp_path / "none.pptx")


def _without_artwork(document: Document) -> Document:
    from dataclasses import replace

    from publisher.layout.model import ChartGrid

    def bare(block: object) -> object:
        if not isinstance(block, ChartGrid):
            return block
        return replace(block, charts=tuple(replace(c, artwork=b"") for c in block.charts))

    sections = tuple(
        replace(section, blocks=tuple(bare(block) for block in section.blocks))
        for section in document.sections
    )
    return replace(document, sections=sections)
