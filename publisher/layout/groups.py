"""Layout stage: a table's category groups, kept whole on a page or slide, and how a group that
had to go on to the next one names itself there; the same rule for page and slide."""

from __future__ import annotations

from publisher.layout.model import CONTINUED, Table


def group_spans(table: Table) -> tuple[range, ...]:
    """Row ranges of the table's categories: each from a `group_start` row up to the next one
    (rows before the first start, if any, make a group of their own)."""
    starts = [i for i, row in enumerate(table.rows) if row.group_start or i == 0]
    ends = [*starts[1:], len(table.rows)]
    return tuple(range(start, end) for start, end in zip(starts, ends, strict=True))


def group_of(table: Table, index: int) -> range:
    """The category group that holds row `index`."""
    return next(span for span in group_spans(table) if index in span)


def first_category_cell(table: Table, index: int) -> str:
    """The category cell of row `index` when it is the first row on a page or slide: its own
    cell on a group's first row, else the group's label + （续）, so a reader arriving there
    sees which category the rows go on with."""
    start = group_of(table, index).start
    if start == index:
        return table.rows[index].cells[0] if table.rows[index].cells else ""
    label = table.rows[start].cells[0] if table.rows[start].cells else ""
    return label + CONTINUED if label else ""
