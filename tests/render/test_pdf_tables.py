"""PDF renderer: long overview tables split across pages and stay readable on each."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from publisher.layout.columns import FIGURE as NUMBER
from publisher.layout.model import CONTINUED, Document, Table, TableRow
from publisher.render.pdf import PdfResult, render_pdf
from publisher.render.pdf.fonts import REGULAR
from publisher.render.pdf.tables import CELL_SIZE, PAD_X
from publisher.render.pdf.theme import BODY_WIDTH, MARGIN_X
from tests.render.conftest import LATE_SOURCE
from tests.render.helpers import page_texts, squeeze, text_runs

HEADER = "类别指标现值前值涨跌涨跌幅"


def _table(document: Document) -> Table:
    return next(b for s in document.sections for b in s.blocks if isinstance(b, Table))


@pytest.fixture(scope="module")
def table_pages(rendered: PdfResult, document: Document) -> list[int]:
    """Indices of the pages that show rows of the overview table."""
    names = [row.cells[1] for row in _table(document).rows]
    texts = page_texts(rendered.path)
    return [i for i, text in enumerate(texts) if any(name in text for name in names)]


def it_splits_the_long_table_across_pages(table_pages: list[int]) -> None:
    assert len(table_pages) >= 2
    assert table_pages == list(range(table_pages[0], table_pages[-1] + 1))


def it_repeats_the_header_row_on_a_split_table(rendered: PdfResult, table_pages: list[int]) -> None:
    texts = page_texts(rendered.path)
    for index in table_pages:
        runs = text_runs(rendered.path, index)
        header = [y for _, y, text in runs if text == "涨跌幅"]
        rows = [y for _, y, text in runs if NUMBER.match(text)]
        assert HEADER in squeeze(texts[index]), f"page {index + 1}"
        assert len(header) == 1 and header[0] > max(rows), f"page {index + 1}"
    first, *rest = table_pages
    assert "表1." in texts[first]
    assert all("表1." not in texts[i] for i in rest)


def it_names_the_section_again_above_the_rest_of_a_split_table(
    rendered: PdfResult, table_pages: list[int]
) -> None:
    texts = [squeeze(t) for t in page_texts(rendered.path)]
    first, *rest = table_pages
    assert "工业硅行情概览" + CONTINUED not in texts[first]
    for index in rest:
        assert texts[index].index("工业硅行情概览" + CONTINUED) < texts[index].index(HEADER)


def it_prints_every_row_once(document: Document, rendered: PdfResult) -> None:
    flat = squeeze("".join(page_texts(rendered.path)))
    for row in _table(document).rows:
        assert flat.count(squeeze(row.cells[1])) == 1


def it_never_breaks_a_figure_over_two_lines(document: Document, tmp_path: Path) -> None:
    # the sample's cell export count (-112,899,898 个) once wrapped in the change column,
    # whose share of the overview's fixed proportions was narrower than the figure
    export = TableRow(
        ("电池片", "光伏电池出口（个）", "794,309,425", "907,209,323", "-112,899,898", "-12.44%"),
        sources=("WIND",),
    )
    table = replace(
        _table(document), rows=(export,), widths=(1.2, 4.6, 1.2, 1.2, 1.1, 1.1), note=""
    )
    section = next(s for s in document.sections if table.header and s.kind == "table")
    one = replace(document, sections=(replace(section, blocks=(table,)),))
    lines = "\n".join(page_texts(render_pdf(one, tmp_path / "t.pdf").path)).splitlines()
    for figure in export.cells[2:]:
        assert any(figure in line for line in lines), figure


def it_lists_only_the_table_sources_on_table_pages(
    document: Document, rendered: PdfResult, table_pages: list[int]
) -> None:
    table = _table(document)
    for index in table_pages:
        assert set(rendered.sources[index]) <= set(table.sources)
    # Rows cite their own sources: the one only the last rows cite is on the last part only.
    assert LATE_SOURCE not in rendered.sources[table_pages[0]]
    assert LATE_SOURCE in rendered.sources[table_pages[-1]]


def it_prints_stale_marks_as_given_and_explains_them(
    document: Document, rendered: PdfResult
) -> None:
    flat = squeeze("".join(page_texts(rendered.path)))
    table = _table(document)
    stale = [row for row in table.rows if row.stale]
    assert stale
    for row in stale:  # the layout marks the cell; the renderer adds no second mark
        assert squeeze(row.cells[1]) in flat and squeeze(row.cells[1]) + "*" not in flat
    assert squeeze(table.note) in flat


def it_right_aligns_the_numbers(rendered: PdfResult, table_pages: list[int]) -> None:
    """The % change column's figures end at the table's right edge, less the cell padding."""
    edge = MARGIN_X + BODY_WIDTH - PAD_X
    runs = text_runs(rendered.path, table_pages[0])
    percents = [(x, t) for x, _, t in runs if t.endswith("%") and NUMBER.match(t)]
    assert len(percents) > 10
    for x, text in percents:
        assert abs(x + stringWidth(text, REGULAR, CELL_SIZE) - edge) < 0.5, text


@pytest.mark.parametrize(
    ("text", "numeric"),
    [
        ("8350", True),
        ("-165", True),
        ("-2.18%", True),
        ("1,234.5", True),
        ("7.70%/-36.80%", True),
        ("—", True),
        ("指标01（元/吨）", False),
        ("ADC12", False),
    ],
)
def it_knows_a_number_when_it_sees_one(text: str, numeric: bool) -> None:
    assert bool(NUMBER.match(text)) is numeric
