"""Metrics stage: the daily view per product, written from the figures by templates in layouts/."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

from publisher.errors import LayoutError
from publisher.metrics import formatting as fmt
from publisher.metrics.figures import Figure
from publisher.metrics.overview import Metrics
from publisher.snapshot.layoutfile import LayoutSpec, ViewSpec
from publisher.snapshot.model import Judgement, Snapshot

# Template blocks, in the order the reference prints them; factor 1 and 6 come from the analyst.
FIGURE_REFERENCE = re.compile(r"\bf\.([a-z0-9_]+)")
FACTOR_BLOCKS = {
    "基差": "basis",
    "库存": "inventory",
    "盘面": "price_action",
    "主力持仓": "positions",
}


@dataclass(frozen=True)
class FactorView:
    number: int
    name: str
    text: str
    verdict: str


@dataclass(frozen=True)
class DailyView:
    """每日观点 for one product: the fundamentals paragraphs and the six scored factors."""

    product: str
    name: str
    paragraphs: tuple[str, ...]
    factors: tuple[FactorView, ...]
    range_call: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class PriceAction:
    """盘面: where the main contract's MA20 points and where the close sits against it."""

    ma_direction: str  # 向上 / 向下 / 走平
    close_side: str  # 上方 / 下方 / 附近


@dataclass(frozen=True)
class Positioning:
    """主力持仓: net side of the main holders and whether that side grew."""

    side: str  # 净多 / 净空
    move: str  # 多增 / 多减 / 空增 / 空减 / 持平


def price_action(close: Figure, ma: Figure) -> PriceAction:
    slope = ma.change or 0.0
    direction = "向上" if slope > 0 else "向下" if slope < 0 else "走平"
    if close.current is None or ma.current is None or close.current == ma.current:
        return PriceAction(direction, "附近")
    return PriceAction(direction, "上方" if close.current > ma.current else "下方")


def positioning(long: Figure, short: Figure) -> Positioning:
    net_long = (long.current or 0.0) >= (short.current or 0.0)
    leg = long if net_long else short
    side = "多" if net_long else "空"
    move = "持平" if not leg.change else f"{side}增" if leg.change > 0 else f"{side}减"
    return Positioning(f"净{side}", move)


def daily_views(snapshot: Snapshot, layout: LayoutSpec, metrics: Metrics) -> tuple[DailyView, ...]:
    return tuple(_view(snapshot, layout, spec, metrics.figures) for spec in layout.views)


def range_call_text(judgement: Judgement, contract: Figure, thousands: bool = False) -> str:
    call = judgement.range_call
    low, high = (
        fmt.number(v, contract.decimals, thousands=thousands) for v in (call.low, call.high)
    )
    return f"{judgement.name}{call.contract}：在{low}-{high}区间震荡。"


def _view(
    snapshot: Snapshot, layout: LayoutSpec, spec: ViewSpec, figures: Mapping[str, Figure]
) -> DailyView:
    judgement = snapshot.judgements.get(spec.product)
    if judgement is None:
        raise LayoutError(
            layout.path,
            f"[views.{spec.product}] has no judgements in the snapshot",
            f"add [products.{spec.product}] to snapshot.toml",
        )
    template = _template(layout.templates_dir, spec.template, layout.path)
    context = template.new_context(
        {
            "f": figures,
            "j": judgement,
            "day": f"{snapshot.as_of:%m}月{snapshot.as_of:%d}日",
            "price": price_action(figures[spec.main_contract], _figure(layout, figures, spec.ma)),
            "positions": positioning(figures[spec.long], figures[spec.short]),
        }
    )
    rendered = {name: _block(template, name, context, layout.path) for name in template.blocks}
    factors = []
    for number, factor in enumerate(judgement.factors, start=1):
        text = rendered.get(FACTOR_BLOCKS.get(factor.name, ""), "")
        if factor.name == "预期":
            text = judgement.outlook
        text = "".join(t for t in (text, factor.comment) if t)
        factors.append(FactorView(number, factor.name, text, factor.verdict))
    paragraphs = tuple(p.strip() for p in rendered.get("overview", "").split("\n\n") if p.strip())
    keys = {*_referenced(template, figures), spec.main_contract, spec.ma, spec.long, spec.short}
    used = [figures[k] for k in figures if k in keys]
    return DailyView(
        product=spec.product,
        name=judgement.name,
        paragraphs=paragraphs,
        factors=tuple(factors),
        range_call=range_call_text(
            judgement, figures[spec.main_contract], snapshot.brand.thousands
        ),
        sources=tuple(dict.fromkeys(s for fig in used for s in fig.sources)),
    )


def _figure(layout: LayoutSpec, figures: Mapping[str, Figure], key: str) -> Figure:
    if key not in figures:
        raise LayoutError(
            layout.path, f"figure '{key}' is not defined", "add a table row with that id"
        )
    return figures[key]


def _block(
    template: jinja2.Template, name: str, context: jinja2.runtime.Context, where: Path
) -> str:
    """A block's text with template line breaks folded; blank lines still separate paragraphs.

    Lines are joined without a space: Chinese prose has none between sentences.
    """
    try:
        text = "".join(template.blocks[name](context))
    except jinja2.UndefinedError as exc:
        raise LayoutError(
            where.parent / "templates" / str(template.name),
            f"block '{name}' uses an undefined figure ({exc.message})",
            "use a series id from the catalog or a table row id",
        ) from None
    paragraphs = ("".join(line.strip() for line in p.splitlines()) for p in text.split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def _referenced(template: jinja2.Template, figures: Mapping[str, Figure]) -> set[str]:
    """Figure keys the template mentions, for the view's data-source line."""
    source = Path(str(template.filename)).read_text(encoding="utf-8")
    return {key for key in FIGURE_REFERENCE.findall(source) if key in figures}


def profit_word(fig: Figure) -> str:
    """盈利 / 亏损 / 盈亏平衡 from the printed value's sign."""
    if fig.current is None:
        return ""
    return "盈利" if fig.current > 0 else "亏损" if fig.current < 0 else "盈亏平衡"


def premium_word(fig: Figure) -> str:
    """A positive basis is spot above futures: 升水; negative: 贴水."""
    if fig.current is None:
        return ""
    return "升水" if fig.current > 0 else "贴水" if fig.current < 0 else "平水"


@cache
def _environment(folder: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain text; each renderer escapes for its own format
    )
    env.filters.update(magnitude=fmt.magnitude, profit_word=profit_word, premium_word=premium_word)
    return env


def _template(folder: Path, name: str, layout_path: Path) -> jinja2.Template:
    try:
        return _environment(folder).get_template(name)
    except jinja2.TemplateNotFound:
        raise LayoutError(
            layout_path, f"template '{name}' not found in {folder}", "check [views.*].template"
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise LayoutError(
            f"{folder / name}, line {exc.lineno}",
            f"template error: {exc.message}",
            "fix the template syntax",
        ) from None
