"""Terminal preview: the overview tables and daily views as text, for a look before publishing."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table

from publisher.metrics.narrative import DailyView
from publisher.metrics.overview import OverviewTable
from publisher.pipeline import Prepared


def show(prepared: Prepared, console: Console) -> None:
    for table in prepared.metrics.tables:
        console.print(overview(table))
    for view in prepared.views:
        console.print(daily_view(view))


def overview(table: OverviewTable) -> Table:
    grid = Table(title=table.title, show_lines=False, header_style="bold")
    for name, justify in (
        ("类别", "left"),
        ("指标", "left"),
        ("现值", "right"),
        ("前值", "right"),
        ("涨跌", "right"),
        ("涨跌幅", "right"),
    ):
        grid.add_column(name, justify=justify)  # type: ignore[arg-type]
    for section in table.sections:
        for index, row in enumerate(section.rows):
            label = row.label + (" *" if row.stale else "")
            grid.add_row(
                section.category if index == 0 else "",
                label,
                row.text.current,
                row.text.previous,
                row.text.change,
                row.text.pct,
            )
        grid.add_section()
    grid.caption = "* 数据未更新至最新一期   数据来源：" + "，".join(table.sources)
    return grid


def daily_view(view: DailyView) -> Panel:
    lines = [*view.paragraphs, ""]
    lines += [f"{f.number}、{f.name}：{f.text} {f.verdict}。" for f in view.factors]
    lines += ["", view.range_call, "", "数据来源：" + "，".join(view.sources)]
    return Panel(Group(*lines), title=f"每日观点——{view.name}")
