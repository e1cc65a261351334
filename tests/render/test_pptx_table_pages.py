"""Deck planner: appendix tables page between categories, as the PDF does."""

from __future__ import annotations

import pytest

from publisher.layout.engine import TABLE_HEADER, TABLE_WIDTHS, overview_table
from publisher.layout.groups import group_spans
from publisher.layout.model import Table, TableRow
from publisher.pipeline import prepare
from publisher.render.pptx import plan as p
from tests.conftest import SAMPLE

WIDTH, HEIGHT = 880.0, 380.0  # about the body of the 16:9 template


def _table(*sizes: int) -> Table:
    rows = [
        TableRow(
            (
                f"类别{g}" if i == 0 else "",
                f"指标{g}-{i}（元/吨）",
                "8350",
                "8515",
                "-165",
                "-1.94%",
            ),
            group_start=i == 0,
        )
        for g, size in enumerate(sizes)
        for i in range(size)
    ]
    return Table("", TABLE_HEADER, tuple(rows), widths=TABLE_WIDTHS)


def _slides_of(table: Table, pages: list[tuple[int, ...]]) -> list[set[int]]:
    return [
        {n for n, page in enumerate(pages) if set(span) & set(page)} for span in group_spans(table)
    ]


def _check(table: Table, pages: list[tuple[int, ...]]) -> None:
    """Every row once, in order; a category on one slide unless it cannot be; none of those
    starts anywhere but at the top of a slide."""
    assert [i for page in pages for i in page] == list(range(len(table.rows)))
    capacity = max(len(page) for page in pages)
    for span, slides in zip(group_spans(table), _slides_of(table, pages), strict=True):
        if len(slides) > 1:
            assert len(span) > p.TABLE_ROWS_MAX // 2, span  # only a long category is split
            assert pages[min(slides)][0] == span.start  # and it starts a slide
        assert len(span) > 1 or len(slides) == 1
    assert capacity <= p.TABLE_ROWS_MAX


@pytest.mark.parametrize(
    "sizes", [(10,) * 8, (6, 9, 4, 12, 3, 7, 8), (3, 30, 2), (13, 13, 13), (1, 1, 14, 1)]
)
def it_keeps_each_category_on_one_slide(sizes: tuple[int, ...]) -> None:
    table = _table(*sizes)
    pages = p.table_pages(table, WIDTH, HEIGHT, captioned=False)
    _check(table, pages)
    for span, slides in zip(group_spans(table), _slides_of(table, pages), strict=True):
        if len(span) <= 11:  # what any slide of this room holds
            assert len(slides) == 1, (sizes, span, pages)


def it_goes_on_over_slides_with_a_category_longer_than_one() -> None:
    table = _table(3, 30, 2)
    pages = p.table_pages(table, WIDTH, HEIGHT, captioned=False)
    slides = _slides_of(table, pages)[1]
    assert len(slides) >= 3
    assert pages[min(slides)][0] == 3  # it starts a slide of its own


def it_pages_the_sample_tables_between_categories() -> None:
    for overview in prepare(SAMPLE).metrics.tables:
        table = overview_table(overview)
        _check(table, p.table_pages(table, WIDTH, HEIGHT, captioned=False))


def it_names_a_continued_category_on_its_next_slide() -> None:
    from tests.render.deck_fixtures import reopen, sample_deck

    continued = []
    for slide in reopen(sample_deck()).slides:
        tables = [s.table for s in slide.shapes if s.has_table]
        for table in tables:
            first = table.cell(1, 0).text  # the first row under the header
            if first.endswith("（续）"):
                continued.append(first)
    assert continued  # the sample's long categories go on to a second slide
    assert all(len(name) > len("（续）") for name in continued)
