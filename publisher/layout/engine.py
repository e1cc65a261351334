"""Layout stage: lay the layout's sections out as a Document from figures, views and charts."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from publisher.errors import LayoutError
from publisher.layout.model import (
    BulletList,
    Callout,
    Chart,
    ChartGrid,
    Compliance,
    Correction,
    DeckStyle,
    Document,
    FactorLine,
    Highlight,
    KeyFigures,
    Paragraph,
    ProductCall,
    Section,
    Table,
    TableRow,
    Verdict,
)
from publisher.layout.titles import render_title
from publisher.metrics import formatting as fmt
from publisher.metrics.contracts import resolved
from publisher.metrics.figures import Figure
from publisher.metrics.highlights import highlights
from publisher.metrics.overview import OverviewTable
from publisher.metrics.prepared import Prepared
from publisher.snapshot.layoutfile import SectionSpec, placed_charts
from publisher.snapshot.model import Judgement

TABLE_HEADER = ("类别", "指标", "现值", "前值", "涨跌", "涨跌幅")
TABLE_WIDTHS = (1.2, 4.6, 1.2, 1.2, 1.1, 1.1)
# Each figure column a layout may ask for (`columns`): its relative width and its text.
FIGURE_COLUMNS: Mapping[str, tuple[float, Callable[[Figure], str]]] = {
    "现值": (1.2, lambda fig: fig.text.current),
    "前值": (1.2, lambda fig: fig.text.previous),
    "涨跌": (1.1, lambda fig: fig.text.change),
    "涨跌幅": (1.1, lambda fig: fig.text.pct),
    "同比": (1.1, lambda fig: fig.text.yoy),
}
STALE_NOTE = "* 该指标未更新至最新一期，现值为其最近一期数据。"


def build_document(
    prepared: Prepared, charts: Mapping[str, Chart], correction: Correction | None = None
) -> Document:
    """The report as the layout orders it; every block carries the sources of what it shows.
    A correction (更正) carries its note, which the archive computes from the revision it
    corrects."""
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
        deck=DeckStyle(body_pt=layout.deck.body_pt),
        correction=correction,
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
    as_of = prepared.snapshot.as_of
    written = render_title(
        spec.title or title,
        prepared.metrics.figures,
        fmt.day(as_of),
        prepared.layout.path,
        f"section {spec.number} ({spec.kind})",
    )
    return Section(
        id=f"s{spec.number:02d}-{spec.kind}",
        title=written.text,
        blocks=blocks,
        kind=spec.kind,
        new_page=spec.new_page,
        title_sources=written.sources,
    )


Built = tuple[str, tuple[Any, ...]]


def _cover(prepared: Prepared, charts: Mapping[str, Chart], spec: SectionSpec) -> Built:
    if not spec.key_figures and not spec.highlights:
        return prepared.snapshot.title, ()
    covered = products(prepared, spec.products)
    calls = tuple(product_call(prepared, j) for j in covered) if spec.key_figures else ()
    found = todays_highlights(prepared, [j.product for j in covered], spec.highlights)
    sources = tuple(dict.fromkeys(s for h in found for s in h.sources))
    return prepared.snapshot.title, (KeyFigures(calls, sources, found),)


def todays_highlights(prepared: Prepared, keys: Sequence[str], count: int) -> tuple[Highlight, ...]:
    """今日要点 of the products `keys`: the `count` most unusual moves in their tables."""
    if not count:
        return ()
    found = highlights(prepared.snapshot, prepared.metrics.tables, keys, count)
    return tuple(Highlight(h.text, h.sources) for h in found)


def product_call(prepared: Prepared, judgement: Judgement) -> ProductCall:
    """The range call's bounds printed as the view prints them (in the main contract's
    decimals, grouped as the brand groups figures), and the verdict of every scored factor."""
    call = judgement.range_call
    view = next((v for v in prepared.layout.views if v.product == judgement.product), None)
    main = resolved(view.main_contract, view.product, prepared.snapshot) if view else None
    contract = prepared.metrics.figures.get(main) if main else None
    # Without a view no series says how the contract is quoted: print what the analyst wrote.
    decimals = contract.decimals if contract else _decimals(call.low, call.high)
    grouped = prepared.snapshot.brand.thousands
    low, high = (fmt.number(v, decimals, thousands=grouped) for v in (call.low, call.high))
    verdicts = tuple(Verdict(f.name, f.verdict) for f in judgement.factors)
    return ProductCall(judgement.name, call.contract, low, high, verdicts)


def _decimals(*values: float) -> int:
    """Digits after the point the values need, up to 6: 7335 → 0, 36.5 → 1."""
    return max(len(f"{v:.6f}".rstrip("0").partition(".")[2]) for v in values)


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
    """Per product its name (or, with key_figures, its call in figures), then the analyst's
    利多, 利空, logic and risks."""
    blocks: list[Any] = []
    for judgement in products(prepared, spec.products):
        if spec.key_figures:
            blocks.append(KeyFigures((product_call(prepared, judgement),)))
        else:
            blocks.append(Callout(judgement.name))
        found = todays_highlights(prepared, (judgement.product,), spec.highlights)
        if found:
            sources = tuple(dict.fromkeys(s for h in found for s in h.sources))
            blocks.append(BulletList("今日要点", tuple(h.text for h in found), sources))
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
                *(FIGURE_COLUMNS[column][1](fig) for column in table.columns),
            )
            rows.append(
                TableRow(cells, group_start=position == 0, stale=fig.stale, sources=fig.sources)
            )
    stale = any(row.stale for row in rows)
    # The section heading already names the table; a caption would repeat it.
    header = (*TABLE_HEADER[:2], *table.columns)
    widths = (*TABLE_WIDTHS[:2], *(FIGURE_COLUMNS[column][0] for column in table.columns))
    return Table("", header, tuple(rows), STALE_NOTE if stale else "", widths)


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
