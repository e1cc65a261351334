"""Layout stage: lay the layout's sections out as a Document from figures, views and charts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
from publisher.snapshot.model import Judgement

if TYPE_CHECKING:  # the pipeline calls this stage; importing it at run time would be circular
    from publisher.pipeline import Prepared

TABLE_HEADER = ("类别", "指标", "现值", "前值", "涨跌", "涨跌幅")
TABLE_WIDTHS = (1.2, 4.6, 1.2, 1.2, 1.1, 1.1)
STALE_NOTE = "* 该指标未更新至最新一期，现值为其最近一期数据。"


def build_document(prepared: Prepared, charts: Mapping[str, Chart]) -> Document:
    """The report as the layout orders it; every block carries the sources of what it shows."""
    snapshot, layout = prepared.snapshot, prepared.layout
    report = layout.doc.get("report", {})
    sections = tuple(
        _section(prepared, charts, index, doc)
        for index, doc in enumerate(layout.doc.get("sections", []), start=1)
    )
    names = [j.name for j in products(prepared)]
    return Document(
        report_id=snapshot.report_id,
        title=str(report.get("title", snapshot.title)),
        subtitle="、".join(names),
        as_of=snapshot.as_of,
        compliance=compliance(prepared),
        sections=sections,
        primary=snapshot.brand.primary,
        accent=snapshot.brand.accent,
        keywords=(*names, snapshot.title),
        source_order=tuple(report.get("source_order", ())),
    )


def products(prepared: Prepared, keys: list[str] | None = None) -> list[Judgement]:
    """The products a report (or one of its sections) covers: `products = [...]`, else all."""
    judgements = prepared.snapshot.judgements
    keys = keys or prepared.layout.doc.get("report", {}).get("products") or list(judgements)
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


def _section(
    prepared: Prepared, charts: Mapping[str, Chart], index: int, doc: dict[str, Any]
) -> Section:
    kind = str(doc.get("kind", ""))
    builder = SECTION_BUILDERS.get(kind)
    if builder is None:
        raise LayoutError(
            prepared.layout.path,
            f"section {index} has kind '{kind}'",
            f"use one of {', '.join(SECTION_BUILDERS)}",
        )
    title, blocks = builder(prepared, charts, doc)
    return Section(
        id=f"s{index:02d}-{kind}",
        title=str(doc.get("title", title)),
        blocks=blocks,
        kind=kind,
        new_page=bool(doc.get("new_page", True)),
    )


Built = tuple[str, tuple[Any, ...]]


def _cover(prepared: Prepared, charts: Mapping[str, Chart], doc: dict[str, Any]) -> Built:
    return prepared.snapshot.title, ()


def _view(prepared: Prepared, charts: Mapping[str, Chart], doc: dict[str, Any]) -> Built:
    product = str(doc.get("product", ""))
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


def _summary(prepared: Prepared, charts: Mapping[str, Chart], doc: dict[str, Any]) -> Built:
    blocks: list[Any] = []
    for judgement in products(prepared, doc.get("products")):
        blocks.append(Callout(judgement.name))
        blocks += [
            BulletList("利多", judgement.bullish),
            BulletList("利空", judgement.bearish),
            BulletList("主要逻辑", (judgement.logic,)),
            BulletList("主要风险点", (judgement.risks,)),
        ]
    return "每日观点", tuple(blocks)


def _table(prepared: Prepared, charts: Mapping[str, Chart], doc: dict[str, Any]) -> Built:
    table_id = str(doc.get("table", ""))
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


def _charts(prepared: Prepared, charts: Mapping[str, Chart], doc: dict[str, Any]) -> Built:
    """Charts named by id, or every chart of a catalog group, two to a row."""
    group = doc.get("group")
    if group is not None:
        ids = [c.id for c in charts.values() if getattr(c.data, "group", None) == group]
        if not ids:
            raise LayoutError(
                prepared.layout.path,
                f"chart section names group '{group}', which no catalog chart belongs to",
                "fix the group name",
            )
        return str(group), (ChartGrid(tuple(charts[c] for c in ids), int(doc.get("columns", 2))),)
    ids = [str(c) for c in doc.get("charts", [])]
    missing = [c for c in ids if c not in charts]
    if missing:
        raise LayoutError(
            prepared.layout.path,
            f"chart section names chart '{missing[0]}', not in the chart catalog",
            "add it to the catalog or fix the id",
        )
    grid = ChartGrid(tuple(charts[c] for c in ids), columns=int(doc.get("columns", 2)))
    return grid.charts[0].title if grid.charts else "", (grid,)


SECTION_BUILDERS: dict[str, Callable[[Prepared, Mapping[str, Chart], dict[str, Any]], Built]] = {
    "cover": _cover,
    "view": _view,
    "summary": _summary,
    "table": _table,
    "charts": _charts,
}
