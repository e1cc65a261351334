"""Metrics stage: the daily view per product, written from the figures by templates in layouts/."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from publisher.errors import LayoutError
from publisher.metrics import formatting as fmt
from publisher.metrics.contracts import contract_series, main_contract
from publisher.metrics.figures import Figure
from publisher.metrics.overview import Metrics
from publisher.snapshot.layoutfile import LayoutSpec, ViewSpec
from publisher.snapshot.model import Judgement, Snapshot

# Template blocks, in the order the reference prints them; factor 1 and 6 come from the analyst.
FIGURE_REFERENCE = re.compile(r"\bf\.([a-z0-9_]+)")
# A printed expression's figures are marked in the rendered text by a private-use pair around
# an index (no template text or figure string holds these), then each mark becomes the
# figures' date notes at the end of its clause: "基差为585元/吨（04月10日，未更新），".
MARK = re.compile("\ue000(\\d+)\ue001")
CLAUSE = re.compile("(\ue000\\d+\ue001|[，；。]|\n\n)")
SENTENCE_ENDS = ("。", "\n\n")
READINGS = "_readings"  # the context variable the template's finalize reports to
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


class Readings:
    """The figures each printed expression of a template reads, so that the prose can date
    each one where it prints it. Mutable on purpose: it lives for one view's rendering."""

    def __init__(self, figures: Mapping[str, Figure]) -> None:
        self.figures = figures
        self.pending: list[str] = []  # read since the last printed expression
        self.marks: list[tuple[str, ...]] = []

    def read(self, *keys: str) -> None:
        self.pending.extend(keys)

    def mark(self, value: object) -> str:
        """The printed value, with a mark for the figures read to print it."""
        if not self.pending:
            return str(value)
        self.marks.append(tuple(dict.fromkeys(self.pending)))
        self.pending.clear()
        return f"{value}\ue000{len(self.marks) - 1}\ue001"

    def dated(self, text: str) -> str:
        """The rendered block with its marks made date notes: each figure's note once a
        sentence, at the end of the first clause that prints it."""
        text += self.mark("")  # figures read by statements after the last printed value
        out: list[str] = []
        clause: dict[str, str] = {}
        said: set[str] = set()
        for piece in CLAUSE.split(text):
            mark = MARK.fullmatch(piece)
            if mark:
                for key in self.marks[int(mark[1])]:
                    if key not in said and self.figures[key].text.when:
                        clause.setdefault(key, self.figures[key].text.when)
                continue
            if CLAUSE.fullmatch(piece):
                out.append("".join(dict.fromkeys(clause.values())))
                said = set() if piece in SENTENCE_ENDS else said | set(clause)
                clause = {}
            out.append(piece)
        out.append("".join(dict.fromkeys(clause.values())))
        return "".join(out)


class _ReadFigures(Mapping[str, Figure]):
    """The figures as a template sees them: each lookup is reported to the readings."""

    def __init__(self, figures: Mapping[str, Figure], readings: Readings) -> None:
        self._figures, self._readings = figures, readings

    def __getitem__(self, key: str) -> Figure:
        found = self._figures[key]
        self._readings.read(key)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._figures)

    def __len__(self) -> int:
        return len(self._figures)


class _ReadSignal:
    """A signal (盘面, 主力持仓) as a template sees it: its words read the figures it is from."""

    def __init__(self, signal: object, readings: Readings, *keys: str) -> None:
        self._signal, self._readings, self._keys = signal, readings, keys

    def __getattr__(self, name: str) -> Any:
        self._readings.read(*self._keys)
        return getattr(self._signal, name)


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
    template = _template(layout.template_dirs, spec.template, layout.path)
    readings = Readings(figures)
    where = f"[views.{spec.product}] main_contract"
    main = contract_series(spec.main_contract, spec.product, snapshot, layout.path, where)
    price = price_action(figures[main], _figure(layout, figures, spec.ma))
    context = template.new_context(
        {
            "f": _ReadFigures(figures, readings),
            "j": judgement,
            "day": fmt.day(snapshot.as_of),
            "price": _ReadSignal(price, readings, main, spec.ma),
            "positions": _positions(spec, figures, readings),
            **_contract_names(snapshot, spec.product),
            READINGS: readings,
        }
    )
    rendered = {
        name: readings.dated(_block(template, name, context, layout.path))
        for name in template.blocks
        # without long and short the desk has no 主力持仓 figures: the factor keeps only
        # the analyst's comment rather than a sentence made up from nothing
        if name != "positions" or spec.positions
    }
    factors = []
    for number, factor in enumerate(judgement.factors, start=1):
        text = rendered.get(FACTOR_BLOCKS.get(factor.name, ""), "")
        if factor.name == "预期":
            text = judgement.outlook
        text = "".join(t for t in (text, factor.comment) if t)
        factors.append(FactorView(number, factor.name, text, factor.verdict))
    paragraphs = tuple(p.strip() for p in rendered.get("overview", "").split("\n\n") if p.strip())
    keys = {*_referenced(template, figures), main, spec.ma, *(spec.positions or ())}
    used = [figures[k] for k in figures if k in keys]
    return DailyView(
        product=spec.product,
        name=judgement.name,
        paragraphs=paragraphs,
        factors=tuple(factors),
        range_call=range_call_text(judgement, figures[main], snapshot.brand.thousands),
        sources=tuple(dict.fromkeys(s for fig in used for s in fig.sources)),
    )


def _positions(spec: ViewSpec, figures: Mapping[str, Figure], readings: Readings) -> object:
    """主力持仓 as a template reads it; None (false in `{% if positions %}`) for a desk that
    gives no long and short series."""
    if spec.positions is None:
        return None
    long, short = spec.positions
    return _ReadSignal(positioning(figures[long], figures[short]), readings, long, short)


def _contract_names(snapshot: Snapshot, product: str) -> dict[str, str]:
    """`main` (2507) and `main_month` (07): the main contract as the snapshot names it,
    so a template's words follow the roll; none when the snapshot names no main contract."""
    contract = main_contract(snapshot, product)
    return {"main": contract.label, "main_month": contract.month} if contract else {}


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
            _undefined_fix(exc.message or ""),
        ) from None
    paragraphs = ("".join(line.strip() for line in p.splitlines()) for p in text.split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def _undefined_fix(message: str) -> str:
    if message in ("'main' is undefined", "'main_month' is undefined"):
        return "name the main contract in snapshot.toml: main and [products.<key>.contracts]"
    if "'None'" in message:  # positions.side with no positions
        return "give the view long and short, or test {% if positions %} before positions.side"
    return "use a series id from the catalog or a table row id"


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


@jinja2.pass_context
def _marked(context: jinja2.runtime.Context, value: object) -> object:
    """Every printed expression reports the figures it read (the view's date notes)."""
    readings = context.get(READINGS)
    return readings.mark(value) if isinstance(readings, Readings) else value


@cache
def template_environment(folders: tuple[Path, ...]) -> jinja2.Environment:
    """The one Jinja environment of views and titles: their filters, strict about undefined
    figures, and every printed figure reported for its date note."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),  # beside the layout, then the search path
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain text; each renderer escapes for its own format
        finalize=_marked,
        bytecode_cache=kept_templates(),
    )
    env.filters.update(magnitude=fmt.magnitude, profit_word=profit_word, premium_word=premium_word)
    return env


class _KeptTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's own cache of compiled templates, in its per-user folder (made 0700, its owner
    checked): compiling the views' templates was ~45 ms of every build. A template whose
    source changed is compiled again; a cache that cannot be written is no cache, never a
    failed build."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def kept_templates() -> jinja2.BytecodeCache | None:
    """The compiled-template cache, or none where no safe folder for it exists."""
    try:
        return _KeptTemplates()
    except (OSError, RuntimeError):  # jinja refuses a folder another user could write
        return None


def _template(folders: tuple[Path, ...], name: str, layout_path: Path) -> jinja2.Template:
    try:
        return template_environment(folders).get_template(name)
    except jinja2.TemplateNotFound:
        raise LayoutError(
            layout_path,
            f"template '{name}' not found in {', '.join(map(str, folders))}",
            "check [views.*].template",
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise LayoutError(
            f"{exc.filename or folders[0] / name}, line {exc.lineno}",
            f"template error: {exc.message}",
            "fix the template syntax",
        ) from None
