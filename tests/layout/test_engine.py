"""Layout stage: the sample's document model, asserted without any renderer."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from publisher.errors import LayoutError
from publisher.layout.engine import build_document
from publisher.layout.model import Chart, ChartGrid, Document, FactorLine, Section, Table
from publisher.pipeline import Prepared, prepare
from tests.conftest import SAMPLE


def _fake_charts(prepared: Prepared) -> Mapping[str, Chart]:
    """Chart slots with real data but no artwork: the layout never looks at the drawing."""
    from publisher.charts.catalog import catalog_path, load_catalog
    from publisher.charts.data import chart_data

    catalog = load_catalog(catalog_path(prepared.snapshot.layout))
    charts = {}
    for spec in catalog:
        data = chart_data(spec, prepared.snapshot)
        charts[spec.id] = Chart(spec.id, data.title, data, b"", data.sources, data.size == "full")
    return charts


@pytest.fixture(scope="module")
def prepared() -> Prepared:
    return prepare(SAMPLE)


@pytest.fixture(scope="module")
def document(prepared: Prepared) -> Document:
    return build_document(prepared, _fake_charts(prepared))


def _kind(document: Document, kind: str) -> list[Section]:
    return [s for s in document.sections if s.kind == kind]


def it_orders_sections_as_the_reference_report(document: Document) -> None:
    kinds = [s.kind for s in document.sections]
    assert [k for k in kinds if k != "charts"] == [
        "cover",
        "view",
        "view",
        "summary",
        "table",
        "table",
    ]
    # under each view its main contract's price and basis chart; the chart pages after the tables
    assert kinds[2] == kinds[4] == "charts"
    assert set(kinds[kinds.index("table") + 2 :]) == {"charts"}
    assert [s.title for s in _kind(document, "view")] == ["每日观点——工业硅", "每日观点——多晶硅"]
    assert "工业硅成本-样本地区走势" in [s.title for s in document.sections]


def it_scores_six_factors_per_view(document: Document) -> None:
    for section in _kind(document, "view"):
        factors = [b for b in section.blocks if isinstance(b, FactorLine)]
        assert [f.name for f in factors] == ["基本面", "基差", "库存", "盘面", "主力持仓", "预期"]
        assert all(f.verdict in ("偏多", "偏空", "中性") for f in factors)


def it_carries_the_sources_of_every_shown_series(document: Document) -> None:
    view = _kind(document, "view")[0]
    assert {"WIND", "SMM", "上海钢联", "广期所"} <= set(view.sources)
    table = next(b for b in _kind(document, "table")[0].blocks if isinstance(b, Table))
    assert all(row.sources for row in table.rows)
    for section in _kind(document, "charts"):
        grid = next(b for b in section.blocks if isinstance(b, ChartGrid))
        assert grid.charts and all(chart.sources for chart in grid.charts)


def it_puts_every_catalog_chart_on_some_page(prepared: Prepared, document: Document) -> None:
    placed = {
        c.id
        for s in document.sections
        for b in s.blocks
        if isinstance(b, ChartGrid)
        for c in b.charts
    }
    assert placed == set(_fake_charts(prepared))


def it_marks_stale_rows_in_the_cell_and_explains_the_mark(document: Document) -> None:
    table = next(b for b in _kind(document, "table")[1].blocks if isinstance(b, Table))
    stale = [row for row in table.rows if row.stale]
    assert stale and all(row.cells[1].endswith(" *") for row in stale)
    assert table.note.startswith("*")


def it_orders_sources_by_the_layout_then_alphabetically(document: Document) -> None:
    assert document.ordered_sources({"广期所", "SMM", "WIND", "Z数据"}) == (
        "WIND",
        "SMM",
        "广期所",
        "Z数据",
    )


def it_builds_a_second_report_from_a_layout_file_alone(prepared: Prepared) -> None:
    brief = prepare(SAMPLE, "polysilicon-brief")
    document = build_document(brief, _fake_charts(brief))
    assert document.title == "多晶硅简报" and document.subtitle == "多晶硅"
    assert [s.kind for s in document.sections][:3] == ["cover", "view", "summary"]


def it_refuses_a_chart_group_no_catalog_chart_has(prepared: Prepared) -> None:
    from dataclasses import replace

    from publisher.snapshot.layoutfile import SectionSpec

    poster = SectionSpec(number=1, kind="charts", group="海报")
    bad = replace(prepared, layout=replace(prepared.layout, sections=(poster,)))
    with pytest.raises(LayoutError, match="group '海报', which no catalog chart belongs to"):
        build_document(bad, {})
