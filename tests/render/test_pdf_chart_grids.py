"""PDF renderer: chart grids name each chart's sources under it, pack onto the page before and
never leave one half-width chart alone on a page of its own."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pikepdf

from publisher.layout.model import CONTINUED, Chart, ChartGrid, Document, Paragraph, Section
from publisher.render.pdf import PdfResult, render_pdf
from publisher.render.pdf.theme import BODY_TOP
from tests.render.conftest import chart_pdf
from tests.render.helpers import page_texts, squeeze, text_runs

PLACED = re.compile(r"([\d.]+) 0 0 ([\d.]+) ([\d.]+) ([\d.]+) cm\s*/Chart\d+ Do")


def _charts(prefix: str, count: int, sources: tuple[str, ...] = ("SMM",)) -> tuple[Chart, ...]:
    return tuple(
        Chart(f"{prefix}{i}", f"{prefix}图表{i}", None, chart_pdf(f"图表正文{prefix}{i}"), sources)
        for i in range(count)
    )


def _grid(key: str, title: str, charts: tuple[Chart, ...], new_page: bool = False) -> Section:
    return Section(key, title, (ChartGrid(charts),), "charts", new_page)


def _render(document: Document, tmp_path: Path, *sections: Section) -> PdfResult:
    return render_pdf(replace(document, sections=sections), tmp_path / "grid.pdf")


def _pages(result: PdfResult, prefix: str) -> list[int]:
    return [page for chart, page in result.charts if chart.startswith(prefix)]


def it_prints_the_sources_right_under_every_chart(document: Document, rendered: PdfResult) -> None:
    charts = {
        c.id: c
        for s in document.sections
        for b in s.blocks
        if isinstance(b, ChartGrid)
        for c in b.charts
    }
    with pikepdf.open(rendered.path) as pdf:
        for number in sorted({page for _, page in rendered.charts}):
            content = pdf.pages[number - 1].Contents.read_bytes().decode("latin-1")
            placed = [(float(x), float(y)) for *_, x, y in PLACED.findall(content)]
            ids = [chart for chart, page in rendered.charts if page == number]
            runs = text_runs(rendered.path, number - 1)
            for chart_id, (x, y) in zip(ids, placed, strict=True):
                line = "数据来源：" + "，".join(document.ordered_sources(charts[chart_id].sources))
                # runs of one line share the line's start; its baseline is right under the art
                under = [(ry, t) for rx, ry, t in runs if abs(rx - x) < 1 and y - 12 < ry < y]
                assert len({round(ry, 1) for ry, _ in under}) == 1, (chart_id, under)
                assert "".join(t for _, t in under) == line, chart_id


def it_lists_a_charts_sources_in_the_order_of_the_page_footer(
    document: Document, tmp_path: Path
) -> None:
    chart = _charts("c", 1, ("上海钢联", "WIND"))
    result = _render(document, tmp_path, _grid("g", "工业硅库存", chart, True))
    lines = [ln for ln in page_texts(result.path)[0].splitlines() if ln.startswith("数据来源")]
    assert lines == ["数据来源：WIND，上海钢联"] * 2  # under the chart, and the footer's


def it_prints_no_chart_title_that_repeats_its_section_title(
    document: Document, tmp_path: Path
) -> None:
    chart = Chart(
        "b", "工业硅周度供需平衡表", None, chart_pdf("图表正文b", wide=True), ("SMM",), True
    )
    result = _render(document, tmp_path, _grid("g", "工业硅周度供需平衡表", (chart,), True))
    body = [t for _, y, t in text_runs(result.path, 0) if y < BODY_TOP and "平衡表" in t]
    assert body == ["工业硅周度供需平衡表"]  # the section's title; the chart's is left out


def it_packs_a_chart_section_onto_the_page_before(document: Document, tmp_path: Path) -> None:
    text = Section(
        "v", "每日观点——工业硅", (Paragraph("工业硅供给端来看，" * 90, ("SMM",)),), "view"
    )
    inventory = _grid("i", "工业硅库存", _charts("i", 4))
    result = _render(document, tmp_path, text, inventory)
    assert _pages(result, "i") == [1, 1, 2, 2]  # a row under the text, the rest on the next
    second = squeeze(page_texts(result.path)[1])
    assert second.index("工业硅库存" + CONTINUED) < second.index("i图表2")


def _after_a_wide_chart(*grids: Section) -> tuple[Section, ...]:
    """A wide chart, then grids: two rows do not fit under it, one does with room to spare."""
    wide = Chart(
        "w", "多晶硅：光伏月度平衡", None, chart_pdf("图表正文w", wide=True), ("SMM",), True
    )
    return (_grid("w", "多晶硅供需平衡表", (wide,), True), *grids)


def it_takes_a_neighbour_along_rather_than_leave_one_chart_alone_on_the_last_page(
    document: Document, tmp_path: Path
) -> None:
    result = _render(
        document, tmp_path, *_after_a_wide_chart(_grid("s", "硅片走势", _charts("s", 3)))
    )
    assert _pages(result, "s") == [1, 2, 2]  # not 1, 1 and a page with one chart on it


def it_takes_a_neighbour_along_rather_than_leave_one_chart_alone_before_a_new_page(
    document: Document, tmp_path: Path
) -> None:
    wafer = _grid("s", "硅片走势", _charts("s", 3))
    cells = _grid("c", "电池片走势", _charts("c", 2), new_page=True)
    result = _render(document, tmp_path, *_after_a_wide_chart(wafer, cells))
    assert _pages(result, "s") == [1, 2, 2]
    assert _pages(result, "c") == [3, 3]


def it_lets_one_chart_go_on_into_company_from_a_page_ending_in_white(
    document: Document, tmp_path: Path
) -> None:
    wafer = _grid("s", "硅片走势", _charts("s", 3))
    cells = _grid("c", "电池片走势", _charts("c", 2))
    result = _render(document, tmp_path, *_after_a_wide_chart(wafer, cells))
    # the page with the wide chart ends in white either way: the lone chart goes on, where
    # the next section keeps it company, and this page shows a full row
    assert _pages(result, "s") == [1, 1, 2]
    assert _pages(result, "c") == [2, 2]


def it_keeps_a_full_page_full_rather_than_send_one_chart_on(
    document: Document, tmp_path: Path
) -> None:
    filler = _grid("f", "工业硅价格", _charts("f", 4), new_page=True)  # two rows
    wafer = _grid("s", "硅片走势", _charts("s", 3))
    cells = _grid("c", "电池片走势", _charts("c", 2))
    result = _render(document, tmp_path, filler, wafer, cells)
    # one row of 硅片 fills the page: its lone chart stays here, beside the empty half
    assert _pages(result, "s") == [1, 2, 2]
