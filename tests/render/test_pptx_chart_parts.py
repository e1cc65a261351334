"""Deck renderer: chart parts written as saved bytes equal python-pptx's parse-link-serialize."""

from __future__ import annotations

import datetime as dt
import functools
import io
import random
import zipfile
from collections.abc import Sequence
from dataclasses import replace
from xml.sax.saxutils import escape

import pytest
from pptx import Presentation
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.oxml import serialize_part_xml
from pptx.opc.packuri import PackURI
from pptx.parts.chart import ChartPart
from pptx.parts.embeddedpackage import EmbeddedXlsxPart

from publisher.charts.data import ChartData
from publisher.render.pptx import workbook
from publisher.render.pptx.charts import (
    EXTERNAL_DATA,
    ChartStyle,
    NativeChart,
    _figure_characters,
    categories,
    chart_xml,
)
from publisher.render.pptx.embed import text_characters
from publisher.render.pptx.text import Face
from tests.render.deck_fixtures import charts_of

LAYOUTS = ("silicon-daily", "silicon-meeting", "polysilicon-brief")
FACE = Face("Arial", "Publisher Sans SC")
STYLES = (  # a chart alone on its slide, and one of four
    ChartStyle(FACE, 12.0, 14.0, 12.3, 5.6),
    ChartStyle(FACE, 12.0, 13.0, 6.0, 2.7),
)
TRICKY = (
    "A&B <c> \"q\" 'a' > 硅铁",
    "",
    " ",
    "tab\there",
    "两行\r\n文字\r尾",
    "　全角空格",
    "]]> &amp; 🙂",
)


@functools.cache
def _chart_data(layout: str) -> tuple[ChartData, ...]:
    from publisher.assets import SAMPLE
    from publisher.layout.engine import build_document
    from publisher.pipeline import draw_charts, prepare

    prepared = prepare(SAMPLE, layout)
    document = build_document(prepared, draw_charts(prepared, artwork=False))
    charts = charts_of(document).values()
    return tuple(c.data for c in charts if c.data is not None and c.data.kind != "table")


def _saved_by_python_pptx(native: NativeChart) -> tuple[bytes, set[str]]:
    """The route the deck took before: our XML parsed into a ChartPart, the workbook linked by
    python-pptx (which writes c:externalData), the tree serialized; its characters read off
    the tree."""
    package = Presentation().part.package
    source = native.xml.replace(EXTERNAL_DATA.encode(), b"")
    chart = ChartPart.load(PackURI("/ppt/charts/chart1.xml"), CT.DML_CHART, package, source)
    sheet = EmbeddedXlsxPart(
        PackURI("/ppt/embeddings/Microsoft_Excel_Sheet1.xlsx"),
        CT.SML_SHEET,
        package,
        native.workbook,
    )
    chart.chart_workbook.xlsx_part = sheet
    return serialize_part_xml(chart._element), text_characters(chart._element)


def _assert_saved_alike(native: NativeChart) -> None:
    saved, characters = _saved_by_python_pptx(native)
    assert native.xml == saved
    assert native.characters == characters


@pytest.mark.parametrize("layout", LAYOUTS)
def it_writes_every_sample_chart_as_python_pptx_saved_it(layout: str) -> None:
    charts = _chart_data(layout)
    assert charts
    for data in charts:
        for style in STYLES:
            _assert_saved_alike(chart_xml(data, style))


def _period_chart() -> ChartData:
    return next(d for d in _chart_data("polysilicon-brief") if d.x_kind == "period")


def _date_chart() -> ChartData:
    return next(d for d in _chart_data("silicon-daily") if d.x_kind == "date")


@pytest.mark.parametrize("text", TRICKY)
def it_writes_tricky_text_as_lxml_writes_it_back(text: str) -> None:
    for data in (_period_chart(), _date_chart()):
        series = tuple(
            replace(s, name=f"{text}{i}" if i else text) for i, s in enumerate(data.series)
        )
        labels = tuple(f"{text}{label}" for label in data.x_labels)
        tricky = replace(data, title=text, series=series, x_labels=labels)
        _assert_saved_alike(chart_xml(tricky, STYLES[0]))


def it_writes_a_face_name_with_markup_in_it_as_lxml_does() -> None:
    style = replace(STYLES[1], face=Face('A&"B"<C>', "思源\t黑体"))
    _assert_saved_alike(chart_xml(_date_chart(), style))


def it_refuses_text_xml_cannot_hold_as_the_parse_did() -> None:
    with pytest.raises(ValueError, match="XML cannot hold"):
        chart_xml(replace(_date_chart(), title="bell\x07"), STYLES[0])


def it_finds_the_characters_of_figures_as_set_does() -> None:
    pick = random.Random(13)
    alphabet = "0123456789.-+einfa硅 \n"
    for _ in range(200):
        text = "".join(pick.choice(alphabet) for _ in range(pick.randrange(0, 40)))
        assert _figure_characters(text) == set(text)


def _sheet_cell_by_cell(sheet: workbook.Sheet, values: Sequence[Sequence[float | None]]) -> str:
    """The sheet's rows as the workbook wrote them before, a cell at a time from the values."""
    _, style_of = workbook._styles(sheet.formats)
    letters = [workbook.column_letter(c + 1) for c in range(len(values))]
    rows = []
    for r, category in enumerate(sheet.categories, start=2):
        if sheet.dates:
            cells = [f'<c r="A{r}" s="{style_of[workbook.DATE_FORMAT]}"><v>{category}</v></c>']
        else:
            cells = [f'<c r="A{r}" t="inlineStr"><is><t>{escape(str(category))}</t></is></c>']
        for c, column in enumerate(values):
            value = column[r - 2]
            if value is not None:
                style = style_of[sheet.formats[c]]
                cells.append(f'<c r="{letters[c]}{r}" s="{style}"><v>{value!r}</v></c>')
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    return "".join(rows)


def _rows(xlsx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        text = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    return text.split("</row>", 1)[1].removesuffix("</sheetData></worksheet>")


def it_writes_each_workbook_as_cell_by_cell_did() -> None:
    for layout in LAYOUTS:
        for data in _chart_data(layout):
            native = chart_xml(data, STYLES[0])
            cats = categories(data, STYLES[0])
            sheet = workbook.Sheet(
                cats.head,
                cats.values,
                cats.dates,
                [c.name for c in native.columns],
                [c.figures for c in native.columns],
                [c.number_format for c in native.columns],
            )
            values = [c.values for c in native.columns]
            assert _rows(native.workbook) == _sheet_cell_by_cell(sheet, values)


def it_writes_gaps_and_labels_in_a_sheet_as_cell_by_cell_did() -> None:
    values = [[1.5, None, 1e-05, 12345.678], [None, 2.0, None, -0.1]]
    figures = [[None if v is None else repr(v) for v in column] for column in values]
    for heads, dates in (
        ([45000, 45001, 45002, 45003], True),
        (["一", "<&>", "", "4"], False),
    ):
        sheet = workbook.Sheet("日期", heads, dates, ["a", "b"], figures, ["0.0", "0.00"])
        assert _rows(workbook.xlsx(sheet)) == _sheet_cell_by_cell(sheet, values)


def it_keeps_a_serial_day_as_excel_counts_it() -> None:
    from publisher.render.pptx.charts import EPOCH_ORDINAL, serial

    for day in (dt.date(1900, 3, 1), dt.date(2025, 5, 27), dt.date(2001, 12, 31)):
        assert day.toordinal() - EPOCH_ORDINAL == serial(day)
