"""Terminal preview: the overview tables and daily views as text, for a look before publishing."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table

from publisher.layout.columns import figure_columns
from publisher.layout.engine import overview_table
from publisher.metrics.narrative import DailyView
from publisher.metrics.overview import OverviewTable
from publisher.metrics.prepared import Prepared


def show(prepared: Prepared, console: Console) -> None:
    for table in prepared.metrics.tables:
        console.print(overview(table))
    for view in prepared.views:
        console.print(daily_view(view))


def overview(table: OverviewTable) -> Table:
    """The table as the report prints it: the layout's cells, marks and note."""
    model = overview_table(table)
    grid = Table(title=table.title, show_lines=False, header_style="bold")
    for c, (name, figures) in enumerate(zip(model.header, figure_columns(model), strict=True)):
        if figures:  # whole, however narrow the terminal: names wrap instead
            widest = max(cell_len(r.cells[c]) for r in model.rows)
            grid.add_column(name, justify="right", no_wrap=True, min_width=widest)
        else:
            grid.add_column(name, overflow="fold")
    for row in model.rows:
        if row.group_start and grid.rows:
            grid.add_section()
        grid.add_row(*row.cells, style="dim" if row.stale else None)
    notes = [model.note] if model.note else []
    grid.caption = "\n".join([*notes, "数据来源：" + "，".join(table.sources)])
    return grid


def daily_view(view: DailyView) -> Panel:
    lines = [*view.paragraphs, ""]
    lines += [f"{f.number}、{f.name}：{f.text} {f.verdict}。" for f in view.factors]
    lines += ["", view.range_call, "", "数据来源：" + "，".join(view.sources)]
    return Panel(Group(*lines), title=f"每日观点——{view.name}")
