"""Layout stage: the document model, frozen and format-free; PDF and PPTX renderers both read it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

# What a title adds on a page or slide where its section goes on from the one before.
CONTINUED = "（续）"


@dataclass(frozen=True)
class Compliance:
    """What every page and slide must carry, whatever it shows."""

    firm: str
    disclaimer: str
    licence: str  # the firm's 交易咨询业务资格 line
    analyst: str
    qualification: str  # 从业资格证号
    consulting: str  # 投资咨询证号
    phone: str

    @property
    def credentials(self) -> str:
        return (
            f"分析师：{self.analyst}  从业资格证号：{self.qualification}  "
            f"投资咨询证号：{self.consulting}"
        )


@dataclass(frozen=True)
class Paragraph:
    text: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class FactorLine:
    """One scored factor: 2、基差：…… 偏多。"""

    number: int
    name: str
    text: str
    verdict: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Callout:
    """A highlighted line, e.g. the range call 工业硅2507：在7335-7545区间震荡。"""

    text: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class BulletList:
    """A labelled list: 利多 / 利空 / 主要逻辑 / 主要风险点."""

    label: str
    items: tuple[str, ...]
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """One scored factor's call: 基差 偏多."""

    factor: str
    verdict: str  # 偏多 / 偏空 / 中性


@dataclass(frozen=True)
class ProductCall:
    """One product's call in figures: the range the main contract should trade in, and the
    verdicts of its scored factors."""

    name: str  # 工业硅
    contract: str  # 2507
    low: str  # 7335, formatted like the main contract
    high: str
    verdicts: tuple[Verdict, ...]

    @property
    def heading(self) -> str:
        return f"{self.name}{self.contract}"

    @property
    def range_text(self) -> str:
        return f"{self.low}–{self.high}"


@dataclass(frozen=True)
class Highlight:
    """One sentence of 今日要点, printing the overview tables' own strings."""

    text: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class KeyFigures:
    """The key figures of one or more products, large: what a cover or a summary slide leads
    with. The calls are the analyst's, not data, so they cite no source; the highlights under
    them are data, and `sources` holds theirs."""

    calls: tuple[ProductCall, ...]
    sources: tuple[str, ...] = ()
    highlights: tuple[Highlight, ...] = ()  # 今日要点, when the layout asks for them


@dataclass(frozen=True)
class CorrectedFigure:
    """A figure a correction prints differently, in the tables' own strings."""

    name: str
    old: str
    new: str
    unit: str
    sources: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return f"{self.name} {self.old} → {self.new} {self.unit}".rstrip()


@dataclass(frozen=True)
class Correction:
    """更正: what this revision changes in the one it corrects — every figure printed
    differently and the analyst's sentences removed and added. Renderers print `lines`, a
    compact form: a handful of figures, then 等N项."""

    revision: int  # this revision's number
    corrects: int  # the revision it corrects
    figures: tuple[CorrectedFigure, ...] = ()
    removed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        return f"更正：本报告第{self.revision}版，更正第{self.corrects}版"

    @property
    def lines(self) -> tuple[str, ...]:
        """What the note prints under its heading, at most SHOWN figures and one text line."""
        shown = [f"数据：{f.text}" for f in self.figures[:SHOWN_FIGURES]]
        more = len(self.figures) - SHOWN_FIGURES
        if more > 0:
            shown[-1] += f" 等{len(self.figures)}项"
        if self.removed or self.added:
            shown.append(f"观点：{self._text_change()}")
        if not shown:
            shown.append("数据与观点未变，版式或品牌信息更正")
        return tuple(shown)

    def _text_change(self) -> str:
        count = max(len(self.removed), len(self.added))
        if not self.added:
            return f"删去{len(self.removed)}句"
        first = self.added[0]
        quoted = first if len(first) <= QUOTED else first[: QUOTED - 1] + "…"
        return f"改写{count}句，如“{quoted}”"

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for f in self.figures[:SHOWN_FIGURES] for s in f.sources))


SHOWN_FIGURES = 4  # a note lists this many changed figures, then 等N项
QUOTED = 24  # characters of a changed sentence a note quotes


@dataclass(frozen=True)
class TableRow:
    cells: tuple[str, ...]
    group_start: bool = False  # first row of a category: renderers draw a rule above it
    stale: bool = False
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """A table whose header row repeats wherever it splits."""

    title: str
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    note: str = ""
    widths: tuple[float, ...] = ()  # relative column widths

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for row in self.rows for s in row.sources))


@dataclass(frozen=True)
class Chart:
    """A chart slot: its data for native (PPTX) charts and its drawn vector artwork for print."""

    id: str
    title: str
    data: Any  # publisher.charts.data.ChartData; Any keeps this model free of the charts stage
    artwork: bytes  # a one-page vector PDF of the chart as drawn
    sources: tuple[str, ...]
    wide: bool = False  # full width (e.g. a balance chart with its data table)


@dataclass(frozen=True)
class ChartGrid:
    charts: tuple[Chart, ...]
    columns: int = 2

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for c in self.charts for s in c.sources))


Block = Paragraph | FactorLine | Callout | BulletList | KeyFigures | Table | ChartGrid


@dataclass(frozen=True)
class Section:
    """A titled part of the report; each gets a bookmark and starts on a new page if asked."""

    id: str
    title: str
    blocks: tuple[Block, ...]
    kind: str = "text"  # cover / view / summary / table / charts
    new_page: bool = True
    title_sources: tuple[str, ...] = ()  # of the figures a title template prints

    @property
    def sources(self) -> tuple[str, ...]:
        blocks = (s for b in self.blocks for s in b.sources)
        return tuple(dict.fromkeys((*self.title_sources, *blocks)))


@dataclass(frozen=True)
class DeckStyle:
    """What the layout asks of the deck's type: the body size (titles, tables and chart text
    have floors of their own in the renderer)."""

    body_pt: float = 16.0


@dataclass(frozen=True)
class Document:
    """A whole report, ready for any renderer."""

    report_id: str
    title: str
    subtitle: str
    as_of: dt.date
    compliance: Compliance
    sections: tuple[Section, ...]
    primary: str  # brand colours, as #RRGGBB
    accent: str
    keywords: tuple[str, ...] = ()
    source_order: tuple[str, ...] = ()
    deck: DeckStyle = DeckStyle()
    # 更正: what this revision corrects in the one before (set by the archive for a correction)
    correction: Correction | None = None

    @property
    def date_text(self) -> str:
        return f"{self.as_of.year}年{self.as_of.month}月{self.as_of.day}日"

    def ordered_sources(self, sources: tuple[str, ...] | set[str]) -> tuple[str, ...]:
        """Deduplicated, in the layout's fixed order, any others after it alphabetically."""
        known = [s for s in self.source_order if s in sources]
        return (*known, *sorted(set(sources) - set(known)))
