"""Layout stage: lay the layout's sections out as a Document from figures, views and charts."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from publisher.errors import LayoutError
from publisher.layout.model import (
    BulletList,
    Callout,
    Chart,
    ChartGrid,
    Compliance,
    Document,
    FactorLine,
    Paragraph,
    Section,
    Table,
    TableRow,
)
from publisher.metrics.overview import OverviewTable
from publisher.snapshot.layoutfile import SectionSpec, placed_charts
from publisher.snapshot.model import Judgement

if TYPE_CHECKING:  # the pipeline calls this stage; importing it at run time would be circular
    from publisher.pipeline import Prepared

TABLE_HEADER = ("类别", "指标", "现值", "前值", "涨跌", "涨跌幅")
TABLE_WIDTHS = (1.2, 4.6, 1.2, 1.2, 1.1, 1.1)
STALE_NOTE = "* 该指标未更新至最新一期，现值为其最近一期数据。"


def build_document(prepared: Prepared, charts: Mapping[str, Chart]) -> Document:
    """The report as the layout orders it; every block carries the sources of what it shows."""
    snapshot, layout = prepared.snapshot, prepared.layout
    sections = tuple(_section(prepared, charts, spec) for spec in layout.sections)
    names = [j.name for j in products(prepared)]
    return Document(
        report_id=snapshot.report_id,
        title=layout.report.title or snapshot.title,
        subtitle="、".join(names),
        as_of=snapshot.as_of,
        compliance=compliance(prepared),
        sections=sections,
        primary=snapshot.brand.primary,
        accent=snapshot.brand.accent,
        keywords=(*names, snapshot.title),
        source_order=layout.report.source_order,
    )


def products(prepared: Prepared, keys: Sequence[str] = ()) -> list[Judgement]:
    """The products a report (or one of its sections) covers: `products = [...]`, else all."""
    judgements = prepared.snapshot.judgements
    keys = keys or prepared.layout.report.products or tuple(judgements)
    missing = [k for k in keys if k not in judgements]
    if missing:
        raise LayoutError(
            prepared.layout.path,
            f"product '{missing[0]}' has no judgements in the snapshot",
            f"add [products.{missing[0]}] to snapshot.toml",
        )
    return [judgements[k] for k in keys]


def compliance(prepared: Prepared) -> Compliance:
    brand, analyst = prepared.snapshot.brand, prepared.snapshot.analyst
    return Compliance(
        firm=brand.firm,
        disclaimer=brand.disclaimer,
        licence=brand.licence,
        analyst=analyst.name,
        qualification=analyst.qualification,
        consulting=analyst.consulting,
        phone=analyst.phone,
    )


def _section(prepared: Prepared, charts: Mapping[str, Chart], spec: SectionSpec) -> Section:
    title, blocks = SECTION_BUILDERS[spec.kind](prepared, charts, spec)
    return Section(
        id=f"s{spec.number:02d}-{spec.kind}",
        title=spec.title or title,
        blocks=blocks,
        kind=spec.kind,
        new_page=spec.new_page,
    )


Built = tuple[str, tuple[Any, ...]]


def _cover(prepared: Prepared, charts: Mapping[str, Chart], spec: SectionSpec) -> Built:
    return prepared.snapshot.title, ()


def _view(prepared: Prepared, charts: Mapping[str, Chart], spec: SectionSpec) -> Built:
    product = spec.product
    view = next((v for v in prepared.views if v.product == product), None)
    if view is None:
        raise LayoutError(
            prepared.layout.path,
            f"view section names product '{product}' without a [views] entry",
            "add [views.<product>] to the layout",
        )
    blocks: list[Any] = [Paragraph(p, view.sources) for p in view.paragraphs]
    blocks += [FactorLine(f.number, f.name, f.text, f.verdict, view.sources) for f in view.factors]
    blocks.append(Callout(view.range_call))
    return f"每日观点——{view.name}", tuple(blocks)


def _summary(prepared: Prepared, charts: Mapping[str, Chart], spec: SectionSpec) -> Built:
    blocks: list[Any] = []
    for judgement in products(prepared, spec.products):
        blocks.append(Callout(judgement.name))
        blocks += [
            BulletList("利多", judgement.bullish),
            BulletList("利空", judgement.bearish),
            BulletList("主要逻辑", (judgement.logic,)),
            BulletList("主要风险点", (judgement.risks,)),
        ]
    return "每日观点", tuple(blocks)


def _table(prepared: Prepared, charts: Mapping[str, Chart], spec: SectionSpec) -> Built:
    table_id = spec.table
    found = [t for t in prepared.metrics.tables if t.id == table_id]
    if not found:
        raise LayoutError(
            prepared.layout.path,
            f"table section names table '{table_id}', not defined",
            "add it under [[tables]] or fix the id",
        )
    return found[0].title, (overview_table(found[0]),)


def overview_table(table: OverviewTable) -> Table:
    rows = []
    for section in table.sections:
        for position, fig in enumerate(section.rows):
            label = fig.label + (" *" if fig.stale else "")
            cells = (
                section.category if position == 0 else "",
                label,
                fig.text.current,
                fig.text.previous,
                fig.text.change,
                fig.text.pct,
            )
            rows.append(
                TableRow(cells, group_start=position == 0, stale=fig.stale, sources=fig.sources)
            )
    stale = any(row.stale for row in rows)
    # The section heading already names the table; a caption would repeat it.
    return Table("", TABLE_HEADER, tuple(rows), STALE_NOTE if stale else "", TABLE_WIDTHS)


def _charts(prepared: Prepared, charts: Mapping[str, Chart], spec: SectionSpec) -> Built:
    """Charts named by id, or every chart of a catalog group, `columns` to a row."""
    groups = {key: chart.data.group for key, chart in charts.items()}
    ids = placed_charts(spec, groups, prepared.layout.path)
    grid = ChartGrid(tuple(charts[c] for c in ids), spec.columns)
    return spec.group or grid.charts[0].title, (grid,)


SECTION_BUILDERS: dict[str, Callable[[Prepared, Mapping[str, Chart], SectionSpec], Built]] = {
    "cover": _cover,
    "view": _view,
    "summary": _summary,
    "table": _table,
    "charts": _charts,
}
