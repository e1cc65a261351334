"""Deck renderer: text measured, split across slides with （续） titles, tables paged evenly."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from publisher.layout.model import Callout, Document, FactorLine, Paragraph, Section, Table
from publisher.render.pptx import plan as p
from publisher.render.pptx import render_pptx
from publisher.render.pptx.text import one_line_size, text_width, wrap
from tests.render.deck_fixtures import reopen, shape_texts

TEXT = st.text(alphabet="工业硅价格震荡运行，。；%0123456789ABCabc -/（）", max_size=300)


@given(TEXT, st.floats(min_value=40, max_value=900))
def it_wraps_without_losing_a_character(text: str, width: float) -> None:
    assert "".join(wrap(text, 13, width)) == text


def it_wraps_chinese_at_about_one_em_a_character() -> None:
    lines = wrap("多" * 100, 10, 100)
    assert all(len(line) <= 10 for line in lines) and len(lines) >= 10


def it_sets_a_title_smaller_until_it_fits_one_line() -> None:
    title = "工业硅下游-多晶硅-组件成分成本利润走势（210mm）"
    assert one_line_size("工业硅库存", 600, 24, 16) == 24
    size = one_line_size(title, 600, 24, 16)
    assert 16 < size < 24 and size * 2 == int(size * 2)
    assert text_width(title, size) <= 600 < text_width(title, size + 0.5) / 0.94
    assert len(wrap(title, size, 600)) == 1


def it_lets_a_title_too_long_for_the_smallest_size_wrap() -> None:
    assert one_line_size("多" * 80, 600, 24, 16) == 16


def _long_view(document: Document) -> Document:
    body = "硅料价格震荡运行，下游排产有所减少，库存去化压力仍存。" * 12
    blocks = (
        *(Paragraph(f"第{n}段：{body}", ("SMM",)) for n in range(1, 5)),
        *(FactorLine(n, f"因子{n}", body[: 40 * n], "偏多", ("WIND",)) for n in range(1, 7)),
        Callout("工业硅2507：在7335-7545区间震荡。"),
    )
    return dataclasses.replace(
        document, sections=(Section("view", "每日观点——工业硅", blocks, "view"),)
    )


def it_splits_a_long_view_across_slides_with_continued_titles(
    document: Document, tmp_path: Path
) -> None:
    long = _long_view(document)
    result = render_pptx(long, tmp_path / "long.pptx")
    slides = list(reopen(result).slides)[1:]
    assert len(slides) >= 2
    titles = [s.shapes.title.text_frame.text for s in slides]
    assert titles[0] == "每日观点——工业硅"
    assert all(t == "每日观点——工业硅（续）" for t in titles[1:])
    prose = "".join(
        s.text_frame.text.replace("\n", "")
        for slide in slides
        for s in slide.shapes
        if s.name == "Text"
    )
    wanted = "".join(p.display(b) for b in long.sections[0].blocks if not isinstance(b, Callout))
    assert prose == wanted  # every character once, in order, across the cut
    last = "".join(shape_texts(slides[-1]))
    assert "区间震荡" in last and any(s.name == "Text" for s in slides[-1].shapes)


def it_never_leaves_the_range_call_alone() -> None:
    blocks = (
        Paragraph("多" * 60 * 15),
        FactorLine(6, "预期", "区间震荡。", "中性"),
        Callout("工业硅2507：在7335-7545区间震荡。"),
    )
    sizes = p.Sizes()
    slides = p.flow_text(blocks, 60 * sizes.body / 0.94, 16 * sizes.line + 10, 1, False, sizes)
    assert [type(x.block) for x in slides[-1][0]][-2:] == [FactorLine, Callout]


def it_pages_a_long_table_evenly(document: Document) -> None:
    table = next(b for s in document.sections for b in s.blocks if isinstance(b, Table))
    pages = p.table_pages(table, 880, 360, captioned=True)
    assert [i for page in pages for i in page] == list(range(len(table.rows)))
    assert max(len(page) for page in pages) <= p.TABLE_ROWS_MAX
    assert min(len(page) for page in pages) >= p.TABLE_ROWS_MAX // 2
    for page in pages[:-1]:  # a category's first row never ends a slide
        assert not table.rows[page[-1]].group_start


def it_spreads_charts_over_slides(document: Document) -> None:
    grid = next(b for s in document.sections for b in s.blocks if hasattr(b, "charts"))
    pages = p.chart_pages(grid)
    assert [c for page in pages for c in page] == list(grid.charts)
    assert all(len(page) == 1 for page in pages if any(c.wide for c in page))
    assert all(1 <= len(page) <= p.CHARTS_MAX for page in pages)


def it_spreads_text_evenly_over_the_slides_it_needs() -> None:
    # a view a little longer than a slide once left its range call and a line on the next
    sizes = p.Sizes()
    blocks = (
        Paragraph("多" * 60 * 15),
        FactorLine(6, "预期", "区间震荡。" * 20, "中性"),
        Callout("工业硅2507：在7335-7545区间震荡。"),
    )
    width, height = 60 * sizes.body / 0.94, 16 * sizes.line + 10

    def fills(slides: list) -> list[float]:
        return [sum(piece.height for column in slide for piece in column) for slide in slides]

    greedy = fills(p.flow_text(blocks, width, height, 1, False, sizes))
    even = fills(p.balanced_text(blocks, width, height, 1, sizes))
    assert len(even) == len(greedy) == 2
    assert greedy[1] < greedy[0] / 3  # what it fixes
    assert min(even) >= max(even) / 2
