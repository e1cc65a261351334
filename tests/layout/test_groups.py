"""Layout: a table's category groups and how one going on to a new page or slide names itself."""

from __future__ import annotations

from publisher.layout.groups import first_category_cell, group_of, group_spans
from publisher.layout.model import CONTINUED, Table, TableRow

HEADER = ("类别", "指标", "现值")


def _table(*sizes: int, lead: int = 0) -> Table:
    """Categories of `sizes` rows each, after `lead` rows that belong to none."""
    rows = [TableRow(("", f"无类{i}", "1")) for i in range(lead)]
    for g, size in enumerate(sizes):
        rows += [
            TableRow((f"类别{g}" if i == 0 else "", f"指标{g}-{i}", "1"), group_start=i == 0)
            for i in range(size)
        ]
    return Table("", HEADER, tuple(rows))


def it_spans_each_category_from_its_start_row_to_the_next() -> None:
    assert group_spans(_table(3, 1, 2)) == (range(0, 3), range(3, 4), range(4, 6))


def it_takes_rows_before_the_first_category_for_a_group_of_their_own() -> None:
    assert group_spans(_table(2, lead=2)) == (range(0, 2), range(2, 4))


def it_finds_the_group_of_a_row() -> None:
    assert group_of(_table(3, 4), 5) == range(3, 7)


def it_names_a_category_going_on_with_its_label_and_the_continued_mark() -> None:
    table = _table(3, 4)
    assert first_category_cell(table, 5) == "类别1" + CONTINUED
    assert first_category_cell(table, 3) == "类别1"  # a first row names itself as it is
    assert first_category_cell(_table(2, lead=2), 1) == ""  # rows of no category stay blank
