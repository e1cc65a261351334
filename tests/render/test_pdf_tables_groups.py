"""PDF renderer: overview tables break between categories; a category going on names itself."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest

from publisher.layout.engine import TABLE_HEADER, TABLE_WIDTHS, build_document
from publisher.layout.model import CONTINUED, Document, Section, Table, TableRow
from publisher.pipeline import prepare
from publisher.render.pdf import PdfResult, render_pdf
from publisher.render.pdf.tables import PAD_X
from publisher.render.pdf.theme import BODY_TOP, PAGE_HEIGHT
from tests.conftest import SAMPLE
from tests.render.helpers import page_texts, squeeze, text_runs


def _rows(sizes: tuple[int, ...], labels: tuple[str, ...] = ()) -> tuple[TableRow, ...]:
    """Categories of `sizes` rows, each row named 指标<g>-<i> so a reader can find it."""
    rows = []
    for g, size in enumerate(sizes):
        label = labels[g] if g < len(labels) else f"类别{g}"
        rows += [
            TableRow(
                (
                    label if i == 0 else "",
                    f"指标{g}-{i:02d}（元/吨）",
                    "8350",
                    "8515",
                    "-165",
                    "-1.94%",
                ),
                group_start=i == 0,
                sources=("SMM",),
            )
            for i in range(size)
        ]
    return tuple(rows)


def _render(
    document: Document, tmp_path: Path, rows: tuple[TableRow, ...], title: str = ""
) -> PdfResult:
    table = Table(title, TABLE_HEADER, rows, widths=TABLE_WIDTHS)
    section = Section("t", "工业硅行情概览", (table,), "table")
    return render_pdf(replace(document, sections=(section,)), tmp_path / "t.pdf")


def _pages_of(result: PdfResult, sizes: tuple[int, ...]) -> list[set[int]]:
    """For each category, the pages its rows are printed on."""
    texts = [squeeze(t) for t in page_texts(result.path)]
    return [
        {n for n, text in enumerate(texts) for i in range(size) if f"指标{g}-{i:02d}" in text}
        for g, size in enumerate(sizes)
    ]


def _category_cells(path: Path, index: int) -> list[list[tuple[float, str]]]:
    """Under each table header of a page, the lines printed in its 类别 column, as (top,
    text), top to bottom, until the next header."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[index]
        words, chars = page.extract_words(), page.chars
    heads = sorted((w for w in words if w["text"] == "指标"), key=lambda w: w["top"])
    found = []
    for n, head in enumerate(heads):
        stop = heads[n + 1]["top"] if n + 1 < len(heads) else PAGE_HEIGHT
        # the page's footer starts with its 数据来源 line
        footer = [w["top"] for w in words if w["text"].startswith("数据来源")]
        stop = min(stop, *footer)
        lines: dict[int, list[dict]] = {}
        for c in chars:
            if c["x0"] < head["x0"] - PAD_X and head["bottom"] + 1 < c["top"] < stop - 1:
                lines.setdefault(round(c["top"]), []).append(c)
        found.append(
            [
                (top, "".join(c["text"] for c in sorted(line, key=lambda c: c["x0"])))
                for top, line in sorted(lines.items())
            ]
        )
    return found


def _category_lines(path: Path, index: int) -> list[str]:
    return [text for cells in _category_cells(path, index) for _, text in cells]


def it_never_splits_a_category_that_fits_on_a_page(rendered: PdfResult, document: Document) -> None:
    table = next(b for s in document.sections for b in s.blocks if isinstance(b, Table))
    texts = [squeeze(t) for t in page_texts(rendered.path)]
    start = 0
    for end in [*[i for i, r in enumerate(table.rows) if r.group_start][1:], len(table.rows)]:
        names = [squeeze(r.cells[1]) for r in table.rows[start:end]]
        pages = {n for n, text in enumerate(texts) for name in names if name in text}
        assert len(pages) == 1, (table.rows[start].cells[0], pages)
        start = end


def it_moves_a_category_that_does_not_fit_to_the_next_page_whole(
    document: Document, tmp_path: Path
) -> None:
    sizes = (30, 20, 5)
    result = _render(document, tmp_path, _rows(sizes))
    pages = _pages_of(result, sizes)
    assert pages[0] == {0} and pages[1] == {1}  # 20 more rows would have fitted in part
    first = _category_lines(result.path, 1)[0]
    assert first == "类别1"  # the category starts there: its own label, nothing continued


def it_continues_a_category_longer_than_a_page_under_its_label_and_the_mark(
    document: Document, tmp_path: Path
) -> None:
    sizes = (5, 70)
    result = _render(document, tmp_path, _rows(sizes))
    pages = _pages_of(result, sizes)
    assert pages[0] == {0} and pages[1] == {0, 1}  # it fills the first page, then goes on
    assert _category_lines(result.path, 1)[0] == "类别1" + CONTINUED
    assert CONTINUED not in "".join(_category_lines(result.path, 0))


def it_sets_a_short_category_name_on_one_line(document: Document, tmp_path: Path) -> None:
    # the sample's 部分合约价差 once wrapped as 部分合约价 / 差: the 类别 column is held at its
    # widest name, and a name going on with （续） breaks before the mark
    labels = ("部分合约价差", "仓单", "期货收盘价")
    sizes = (2, 2, 70)
    result = _render(document, tmp_path, _rows(sizes, labels))
    assert _category_lines(result.path, 0) == list(labels)
    assert _category_lines(result.path, 1) == ["期货收盘价", CONTINUED]


def it_wraps_a_long_category_name_evenly(document: Document, tmp_path: Path) -> None:
    labels = ("部分合约价差", "光伏组件及辅材价格利润汇总", "多晶硅期货收盘价及基差价差")
    sizes = (2, 2, 70)
    result = _render(document, tmp_path, _rows(sizes, labels))
    lines = _category_lines(result.path, 0) + _category_lines(result.path, 1)
    assert "".join(lines) == "".join([*labels, labels[2] + CONTINUED])
    assert len(lines) > len(labels) + 1  # they wrap: these names are too long for one line
    assert all(len(line) >= 2 for line in lines), lines  # and no line holds one character


def it_prints_no_caption_that_repeats_its_section_title(document: Document, tmp_path: Path) -> None:
    table = Table("工业硅行情概览", TABLE_HEADER, _rows((3,)), widths=TABLE_WIDTHS)
    result = _render(document, tmp_path, table.rows, table.title)
    body = [t for _, y, t in text_runs(result.path, 0) if y < BODY_TOP and "行情概览" in t]
    assert body == ["工业硅行情概览"], body  # the section title, and no caption under it


def it_keeps_a_caption_that_says_more(document: Document, tmp_path: Path) -> None:
    table = Table("表1. 昨日行情概览", TABLE_HEADER, _rows((3,)), widths=TABLE_WIDTHS)
    result = render_pdf(
        replace(document, sections=(Section("t", "工业硅行情概览", (table,), "table"),)),
        tmp_path / "k.pdf",
    )
    assert "表1.昨日行情概览" in squeeze(page_texts(result.path)[0])


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample report's text sections and tables (its charts are not what this is about)."""
    prepared = prepare(SAMPLE)
    sections = tuple(s for s in prepared.layout.sections if s.kind != "charts")
    prepared = replace(prepared, layout=replace(prepared.layout, sections=sections))
    out = tmp_path_factory.mktemp("sample") / "sample.pdf"
    return render_pdf(build_document(prepared, {}), out).path


def it_names_the_category_on_the_first_row_of_every_table_page_of_the_sample(sample: Path) -> None:
    """The first row under each header of the sample's tables has its 类别 cell filled (the
    reference report left 有机硅's empty where it went on to the next page)."""
    with pdfplumber.open(sample) as pdf:
        heads = [
            (i, w)
            for i, page in enumerate(pdf.pages)
            for w in page.extract_words()
            if w["text"] == "指标"
        ]
    assert len(heads) >= 4
    for index, head in heads:
        cells = next(c for c in _category_cells(sample, index) if c)
        top, text = cells[0]
        assert top - head["bottom"] < 12, (index + 1, text)  # on the row right under it
