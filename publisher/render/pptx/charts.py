"""Deck renderer: native, editable charts — chart XML written directly, data in a workbook.

python-pptx's chart API makes one plot per chart; the report needs bars and lines on two value
axes, a stacked band, and a data table (c:dTable), so every chart is written as c:chartSpace
XML here and handed to python-pptx as a chart part with its embedded workbook.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from publisher.charts.geometry import label_width, room_days
from publisher.render.pptx.text import Face
from publisher.render.pptx.workbook import Sheet, column_letter, xlsx

if TYPE_CHECKING:
    from publisher.charts.data import ChartData, SeriesData, XValue
    from publisher.charts.geometry import ChartGeometry, DateAxis, EndLabel, ValueAxis

EXCEL_EPOCH = dt.date(1899, 12, 30)
EPOCH_ORDINAL = EXCEL_EPOCH.toordinal()
SEASON_YEAR = 2001  # a common year: the seasonal axis's dates, as labels.season_day uses
# weeks of the year as the 同期平均水平 line pools them: 7-day slots, the last taking 8 days
WEEK_SLOTS = 52
BAND_COLOUR = "#D9D9D9"
DIGIT = 0.56  # em width of a digit in the faces charts use (Arial, YaHei's Latin)
GRID = "#E3E3E3"
AXIS = "#8C8C8C"
INK = "#262626"
MUTED = "#595959"
# The part as python-pptx saved it when it parsed our XML, linked the workbook and serialized
# the tree again: lxml's declaration, and c:externalData where ChartWorkbook.xlsx_part puts
# it (rId1: the workbook is the part's first relationship). Written so, the part is bytes
# from the start: no parse, no tree, no second serialization.
PART_HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
EXTERNAL_DATA = '<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData>'
# characters no XML document may hold: lxml refused to parse them
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
DATE_CODE = "yyyy\\-mm\\-dd"  # the date categories' cache format
FIGURE_CHARACTERS = "0123456789.-+e"  # what a float's repr and a serial day are written with
NOT_FIGURE = str.maketrans("", "", FIGURE_CHARACTERS)
NS = (
    'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
# plot order is paint order: areas under bars under lines
PLOTS = ("band", "stacked_area", "area", "stacked", "bar", "line")
AXIS_IDS = {"primary": (50010, 50020), "secondary": (50030, 50040)}


class NotNative(Exception):
    """A chart this writer cannot express as an editable chart: the deck shows a picture."""


@dataclass(frozen=True)
class ChartStyle:
    face: Face
    text_pt: float  # ticks, legend, data table
    title_pt: float
    width_in: float  # for how many axis labels fit
    height_in: float = 3.0  # for which last-value labels would collide


@dataclass(frozen=True)
class Column:
    """One sheet column and one c:ser."""

    name: str
    values: tuple[float | None, ...]
    number_format: str
    decimals: int
    draw: str  # line | bar | stacked | band (the visible range) | base (the band's hidden low)
    axis: str
    colour: str
    width_pt: float = 1.5
    dashed: bool = False
    label: EndLabel | None = None  # the last value's label, where the chart's geometry put it

    @functools.cached_property
    def figures(self) -> tuple[str | None, ...]:
        """Each value as the chart's cache and the workbook write it (Python's shortest
        repr), made once for both: formatting floats is most of writing them."""
        return tuple([None if v is None else repr(v) for v in self.values])


@dataclass(frozen=True)
class Categories:
    head: str  # the sheet's first column head
    keys: tuple[XValue, ...]  # what series x values map to
    values: tuple[float | str, ...]  # serial dates or labels, as written
    dates: bool
    axis: str  # date | cat
    base_unit: str = "days"
    major_months: int = 0
    label_format: str = "yyyy-mm"
    label_skip: int = 1
    bounds: tuple[int, int] | None = None  # a date axis's first and last day, as serials
    time_unit: str = "months"  # of the major unit: days | months


@dataclass(frozen=True)
class NativeChart:
    xml: bytes  # the chart part's bytes, as saved
    workbook: bytes
    columns: tuple[Column, ...]
    characters: frozenset[str]  # what its a:t, c:v and c:formatCode show, for the font embedder


# --- data --------------------------------------------------------------------------------------


def serial(day: dt.date) -> int:
    """A date as Excel stores it: days since 1899-12-30."""
    return (day - EXCEL_EPOCH).days


def number_format(decimals: int, thousands: bool) -> str:
    """Excel's code for the figures formatting.number prints: same decimals, same grouping."""
    whole = "#,##0" if thousands else "0"
    return whole + ("." + "0" * decimals if decimals > 0 else "")


def _months_between(first: dt.date, last: dt.date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


def _label_room(style: ChartStyle, label_em: float) -> int:
    """How many axis labels fit side by side, with a label's width of air between them."""
    label_in = label_em * style.text_pt / 72
    return max(2, int((style.width_in - 0.8) / (label_in * 1.9)))


def _date_categories(data: ChartData, style: ChartStyle) -> Categories:
    xs = set(data.x)
    days = sorted({x for x in xs if isinstance(x, dt.date)})
    if len(days) != len(xs):
        raise TypeError(f"chart {data.id}: a date axis with x values that are not dates")
    values = tuple([d.toordinal() - EPOCH_ORDINAL for d in days])  # serial(), a day at a time
    gaps = [b - a for a, b in itertools.pairwise(values)] or [1]
    spacing = statistics.median(gaps)
    has_bars = any(s.draw in ("bar", "stacked") for s in data.series)
    axis = _geometry(data).dates
    assert axis is not None, "a date chart's geometry has a date axis"
    fmt = _date_format(axis)
    if 5 < spacing < 25 and has_bars:
        # weekly bars on a date axis would be one day wide: a category axis that shows about
        # as many labels as the page's date axis has ticks
        shown = max(2, (len(axis.ticks) - 1) // _thinning(axis, style) + 1)
        skip = max(1, math.ceil(len(days) / shown))
        return Categories(
            "日期", tuple(days), values, True, "cat", label_skip=skip, label_format=fmt
        )
    base = "months" if spacing >= 25 else "days"
    return Categories(
        "日期",
        tuple(days),
        values,
        True,
        "date",
        base,
        axis.step * _thinning(axis, style),
        label_format=fmt,
        bounds=(serial(axis.first), max(serial(axis.end), _label_room_end(data, axis, style))),
        time_unit=axis.unit,
    )


def _label_room_end(data: ChartData, axis: DateAxis, style: ChartStyle) -> int:
    """Where the axis must end for the end labels, at a slide's text size, to stay inside
    the plot (the page's room is for its own smaller text); unlabelled, so the span read
    still ends at the last observation."""
    texts = [label.text for label in _geometry(data).labels]
    if not texts:
        return serial(axis.end)
    plot_pt = max(72.0, style.width_in * 72 - 110)
    share = min(0.3, (max(label_width(t) for t in texts) * style.text_pt + 10) / plot_pt)
    span = serial(axis.last) - serial(axis.first)
    return serial(axis.last) + room_days(span, share)


def _thinning(axis: DateAxis, style: ChartStyle) -> int:
    """Every tick of the geometry, or every second or third where a slide's larger text would
    crowd them (the labels shown are still the page's, at the page's positions), chosen so
    that the latest period keeps its label."""
    widest = max(label_width(label) for label in axis.labels) * style.text_pt * 1.5
    room = style.width_in * 72 - 90  # less the value axes' labels
    need = max(1, math.ceil(widest * len(axis.ticks) / room))
    steps = len(axis.ticks) - 1
    return next((f for f in range(need, steps + 1) if steps % f == 0), max(1, steps))


def _date_format(axis: DateAxis) -> str:
    """Excel's code for the geometry's date labels (2024-06, 5月27日); a tick past the last
    observation (in the end labels' room) prints nothing."""
    code = 'm"月"d"日"' if axis.unit == "days" else "yyyy\\-mm"
    return f'[<={serial(axis.last)}]{code};""'


def _season_categories(style: ChartStyle) -> Categories:
    start = dt.date(SEASON_YEAR, 1, 1)
    days = tuple(start + dt.timedelta(days=7 * slot) for slot in range(WEEK_SLOTS))
    step = 1 if _label_room(style, 2.2) >= 12 else 2
    return Categories(
        "周（起始日）",
        tuple(range(WEEK_SLOTS)),
        tuple(serial(d) for d in days),
        True,
        "date",
        major_months=step,
        label_format="m月",
    )


def _period_labels(data: ChartData) -> tuple[str, ...]:
    """The period heads with the year where it changes: 2024年3月 4月 … 2025年1月."""
    labels = list(data.x_labels) or [str(x) for x in data.x]
    out = []
    previous = None
    for x, label in zip(data.x, labels, strict=True):
        year = getattr(x, "year", None)
        out.append(f"{year}年{label}" if year is not None and year != previous else label)
        previous = year
    return tuple(out)


def categories(data: ChartData, style: ChartStyle) -> Categories:
    kind = data.x_kind
    if kind == "date":
        return _date_categories(data, style)
    if kind == "season_day":
        return _season_categories(style)
    if kind == "month":
        months = tuple(range(1, 13))
        return Categories("月份", months, tuple(f"{m}月" for m in months), False, "cat")
    if kind == "period":
        labels = _period_labels(data)
        return Categories("期间", tuple(data.x), labels, False, "cat")
    raise NotNative(f"横轴类型 {kind} 无对应的原生图表")


def _slot(day: int) -> int:
    return min((day - 1) // 7, WEEK_SLOTS - 1)


def aligned(series: SeriesData, cats: Categories, season: bool) -> tuple[float | None, ...]:
    """The series' values on the chart's categories; None where it has no figure. On a seasonal
    axis a point goes to its week of the year (the same 7-day slots as the 同期平均水平 line);
    weekly figures fill one slot each, denser ones are averaged per slot."""
    pairs = zip(series.x, series.values, strict=True)
    if not season:
        by_key = dict(pairs)
        return tuple(map(by_key.get, cats.keys))
    slots: dict[int, list[float]] = {}
    for x, value in pairs:
        if value is not None:
            if isinstance(x, dt.date):
                raise TypeError(f"series {series.id}: a seasonal axis takes days of the year")
            slots.setdefault(_slot(int(x)), []).append(value)
    return tuple(
        (sum(slots[k]) / len(slots[k]) if len(slots[k]) > 1 else slots[k][0])
        if isinstance(k, int) and k in slots
        else None
        for k in cats.keys
    )


def columns(data: ChartData, cats: Categories) -> tuple[Column, ...]:
    season = data.x_kind == "season_day"
    labels = {label.series: label for label in _geometry(data).labels}
    out: list[Column] = []
    for s in data.series:
        values = aligned(s, cats, season)
        code = number_format(s.decimals, data.thousands)
        if s.draw == "band":
            low = aligned(_low(s), cats, season)
            span = tuple(
                None if a is None or b is None else b - a for a, b in zip(low, values, strict=True)
            )
            # a stacked pair: the low edge unfilled, the range filled on top of it
            out.append(Column(f"{s.name}下沿", low, code, s.decimals, "base", s.axis, BAND_COLOUR))
            out.append(Column(s.name, span, code, s.decimals, "band", s.axis, BAND_COLOUR))
            continue
        width = 2.25 if s.emphasis else 1.5
        out.append(
            Column(
                s.name,
                values,
                code,
                s.decimals,
                s.draw,
                s.axis,
                s.color,
                width,
                s.dashed,
                labels.get(s.id) if s.draw in ("line", "bar", "area") else None,
            )
        )
    # series in paint order (bands, areas, bars, lines), so a series' index is also its place in
    # the legend in every reader, and the band's hidden edge can be left out of it by index
    out.sort(key=lambda c: PLOTS.index("band" if c.draw == "base" else c.draw))
    return tuple(out)


def _last(column: Column) -> float:
    return next(v for v in reversed(column.values) if v is not None)


def _low(series: SeriesData) -> SeriesData:
    """The band's lower edge as a series of its own."""
    return replace(series, values=series.low or (), low=None, draw="line")


# --- XML pieces --------------------------------------------------------------------------------


def _attr(text: str) -> str:
    """Text for an XML attribute value (format codes carry quotes and <), as lxml writes back
    what it read: line ends and tabs read as spaces."""
    return escape(_xml_text(text), {'"': "&quot;", "\t": " ", "\n": " "})


def _xml_text(text: str) -> str:
    """`text` as an XML parser reads it: line ends as \\n; characters XML cannot hold refused
    (python-pptx's parse of the chart refused them)."""
    if NOT_XML.search(text):
        raise ValueError(f"text XML cannot hold: {text!r}")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _leaf(tag: str, text: str) -> str:
    """An element holding only `text`, as lxml writes it: empty, it closes itself."""
    body = escape(_xml_text(text))
    return f"<{tag}>{body}</{tag}>" if body else f"<{tag}/>"


def _colour(colour: str) -> str:
    return f'<a:srgbClr val="{colour.lstrip("#").upper()}"/>'


def _fill(colour: str | None) -> str:
    return "<a:noFill/>" if colour is None else f"<a:solidFill>{_colour(colour)}</a:solidFill>"


def _line(colour: str | None, width_pt: float = 0.75, dashed: bool = False) -> str:
    if colour is None:
        return "<a:ln><a:noFill/></a:ln>"
    dash = '<a:prstDash val="dash"/>' if dashed else ""
    return f'<a:ln w="{round(width_pt * 12700)}" cap="rnd">{_fill(colour)}{dash}<a:round/></a:ln>'


def _rpr(face: Face, size: float, colour: str, bold: bool = False, tag: str = "a:defRPr") -> str:
    """Run properties naming both faces: a:latin alone leaves Chinese to a fallback face."""
    return (
        f'<{tag} lang="zh-CN" sz="{round(size * 100)}" b="{int(bold)}">{_fill(colour)}'
        f'<a:latin typeface="{_attr(face.latin)}"/><a:ea typeface="{_attr(face.ea)}"/>'
        f'<a:cs typeface="{_attr(face.latin)}"/></{tag}>'
    )


def _txpr(
    face: Face, size: float, colour: str = INK, bold: bool = False, rot: int | None = None
) -> str:
    body = "<a:bodyPr/>" if rot is None else f'<a:bodyPr rot="{rot}" vert="horz"/>'
    return (
        f"<c:txPr>{body}<a:lstStyle/><a:p><a:pPr>{_rpr(face, size, colour, bold)}</a:pPr>"
        '<a:endParaRPr lang="zh-CN"/></a:p></c:txPr>'
    )


def _units(geometry: ChartGeometry) -> str:
    unit, unit2 = geometry.y.unit, geometry.y2.unit if geometry.y2 else None
    if unit2:
        return f"左轴：{unit or '—'}　右轴：{unit2}"
    return f"单位：{unit}" if unit else ""


def _title(data: ChartData, geometry: ChartGeometry, style: ChartStyle) -> str:
    face = style.face
    lines = [(data.title, style.title_pt, INK, True)]
    units = _units(geometry)
    if units:
        lines.append((units, style.text_pt, MUTED, False))
    paragraphs = "".join(
        f"<a:p><a:pPr>{_rpr(face, size, colour, bold)}</a:pPr>"
        f"<a:r>{_rpr(face, size, colour, bold, 'a:rPr')}{_leaf('a:t', text)}</a:r></a:p>"
        for text, size, colour, bold in lines
    )
    return (
        "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/>"
        f'{paragraphs}</c:rich></c:tx><c:overlay val="0"/></c:title>'
        '<c:autoTitleDeleted val="0"/>'
    )


def _ref(column: int, rows: int) -> str:
    letter = column_letter(column)
    return f"Sheet1!${letter}$2:${letter}${rows + 1}"


def _cat(cats: Categories) -> str:
    n = len(cats.values)
    ref = _ref(0, n)
    if cats.dates:
        points = "".join(
            [f'<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>' for i, v in enumerate(cats.values)]
        )
        return (
            f"<c:cat><c:numRef><c:f>{ref}</c:f><c:numCache><c:formatCode>{DATE_CODE}"
            f'</c:formatCode><c:ptCount val="{n}"/>{points}</c:numCache></c:numRef></c:cat>'
        )
    points = "".join(
        f'<c:pt idx="{i}">{_leaf("c:v", str(v))}</c:pt>' for i, v in enumerate(cats.values)
    )
    return (
        f'<c:cat><c:strRef><c:f>{ref}</c:f><c:strCache><c:ptCount val="{n}"/>{points}'
        "</c:strCache></c:strRef></c:cat>"
    )


def _val(column: Column, index: int) -> str:
    n = len(column.values)
    points = "".join(
        [f'<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>' for i, v in enumerate(column.figures) if v]
    )
    return (
        f"<c:val><c:numRef><c:f>{_ref(index + 1, n)}</c:f><c:numCache>"
        f"{_leaf('c:formatCode', column.number_format)}"
        f'<c:ptCount val="{n}"/>{points}</c:numCache></c:numRef></c:val>'
    )


def _last_label(column: Column, style: ChartStyle, plot: PlotBox) -> str:
    """The last figure labelled where the chart's geometry put it (an offset from where the
    application would put it, in shares of the chart); every other point unlabelled."""
    values = column.values
    last = next((i for i in range(len(values) - 1, -1, -1) if values[i] is not None), None)
    label = column.label
    if label is None or last is None:
        return ""
    width_pt, height_pt = style.width_in * 72, style.height_in * 72
    dy = -(label.share - label.value_share) * plot.h
    dx = 0.0
    position = ""
    if column.draw == "line":
        position = '<c:dLblPos val="r"/>'
    else:  # a bar's label sits over its end, an area's on its point: move it right of both
        dx = (label_width(label.text) * style.text_pt / 2 + 4) / width_pt
        if column.draw == "bar":
            position = '<c:dLblPos val="outEnd"/>'
            above = _last(column) >= 0
            dy += (1 if above else -1) * style.text_pt * 0.7 / height_pt
    flags = (
        '<c:showLegendKey val="0"/><c:showVal val="{}"/><c:showCatName val="0"/>'
        '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/>'
    )
    layout = (
        f'<c:layout><c:manualLayout><c:x val="{dx:.4f}"/><c:y val="{dy:.4f}"/>'
        "</c:manualLayout></c:layout>"
    )
    return (
        f'<c:dLbls><c:dLbl><c:idx val="{last}"/>{layout}'
        f'<c:numFmt formatCode="{_attr(column.number_format)}" sourceLinked="0"/>'
        f"<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
        f"{_txpr(style.face, style.text_pt, column.colour, bold=True)}"
        f"{position}{flags.format(1)}</c:dLbl>{flags.format(0)}</c:dLbls>"
    )


def _ser(column: Column, index: int, cat: str, style: ChartStyle, plot: PlotBox) -> str:
    """One series; `cat` is the chart's c:cat, the same for every series."""
    head = (
        f'<c:idx val="{index}"/><c:order val="{index}"/><c:tx><c:strRef>'
        f'<c:f>Sheet1!${column_letter(index + 1)}$1</c:f><c:strCache><c:ptCount val="1"/>'
        f'<c:pt idx="0">{_leaf("c:v", column.name)}</c:pt></c:strCache></c:strRef></c:tx>'
    )
    if column.draw == "line":
        sp = f"<c:spPr>{_line(column.colour, column.width_pt, column.dashed)}</c:spPr>"
        marker = '<c:marker><c:symbol val="none"/></c:marker>'
        body = f"{sp}{marker}{_last_label(column, style, plot)}{cat}{_val(column, index)}"
        return f'<c:ser>{head}{body}<c:smooth val="0"/></c:ser>'
    colour = None if column.draw == "base" else column.colour
    sp = f"<c:spPr>{_fill(colour)}{_line(None)}</c:spPr>"
    if column.draw in ("band", "base"):
        return f"<c:ser>{head}{sp}{cat}{_val(column, index)}</c:ser>"
    label = _last_label(column, style, plot)
    if column.draw in ("area", "stacked_area"):
        return f"<c:ser>{head}{sp}{label}{cat}{_val(column, index)}</c:ser>"
    invert = '<c:invertIfNegative val="0"/>'
    return f"<c:ser>{head}{sp}{invert}{label}{cat}{_val(column, index)}</c:ser>"


def _plot(draw: str, members: Sequence[tuple[int, Column]], axis: str, body: str) -> str:
    cat_id, val_id = AXIS_IDS[axis]
    ids = f'<c:axId val="{cat_id}"/><c:axId val="{val_id}"/>'
    if draw == "line":
        return (
            f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{body}'
            f'<c:marker val="1"/>{ids}</c:lineChart>'
        )
    if draw in ("band", "stacked_area", "area"):
        grouping = "standard" if draw == "area" else "stacked"
        return (
            f'<c:areaChart><c:grouping val="{grouping}"/><c:varyColors val="0"/>{body}{ids}'
            "</c:areaChart>"
        )
    grouping, overlap = ("stacked", 100) if draw == "stacked" else ("clustered", -10)
    many = len(members[0][1].values) > 60
    gap = 30 if many else 60
    return (
        f'<c:barChart><c:barDir val="col"/><c:grouping val="{grouping}"/>'
        f'<c:varyColors val="0"/>{body}<c:gapWidth val="{gap}"/><c:overlap val="{overlap}"/>'
        f"{ids}</c:barChart>"
    )


def _plots(cols: Sequence[Column], cats: Categories, style: ChartStyle, plot: PlotBox) -> str:
    groups: dict[tuple[str, str], list[tuple[int, Column]]] = {}
    for index, column in enumerate(cols):
        draw = "band" if column.draw == "base" else column.draw
        groups.setdefault((column.axis, draw), []).append((index, column))
    for axis in ("primary", "secondary"):
        if (axis, "bar") in groups and (axis, "stacked") in groups:
            raise NotNative("同一坐标轴上既有簇状柱又有堆积柱")
    out = []
    cat = _cat(cats)  # written once, not once per series: a daily axis has a thousand points
    for axis in ("primary", "secondary"):
        for draw in PLOTS:
            members = groups.get((axis, draw))
            if members:
                body = "".join(_ser(c, i, cat, style, plot) for i, c in members)
                out.append(_plot(draw, members, axis, body))
    return "".join(out)


def _category_axis(cats: Categories, style: ChartStyle, axis: str) -> str:
    cat_id, val_id = AXIS_IDS[axis]
    deleted = int(axis == "secondary")
    tag = "c:dateAx" if cats.axis == "date" else "c:catAx"
    code = _attr(cats.label_format)
    number = f'<c:numFmt formatCode="{code}" sourceLinked="0"/>' if cats.dates else ""
    bounds = (
        f'<c:max val="{cats.bounds[1]}"/><c:min val="{cats.bounds[0]}"/>' if cats.bounds else ""
    )
    common = (
        f'<c:axId val="{cat_id}"/><c:scaling><c:orientation val="minMax"/>{bounds}</c:scaling>'
        f'<c:delete val="{deleted}"/><c:axPos val="b"/>{number}'
        '<c:majorTickMark val="out"/><c:minorTickMark val="none"/>'
        # labels at the bottom even where the axis line crosses at zero, inside the plot
        '<c:tickLblPos val="low"/>'
        f"<c:spPr>{_line(AXIS)}</c:spPr>{_txpr(style.face, style.text_pt, MUTED)}"
        f'<c:crossAx val="{val_id}"/><c:crosses val="autoZero"/>'
    )
    if cats.axis == "date":
        return (
            f'<{tag}>{common}<c:auto val="0"/><c:lblOffset val="100"/>'
            f'<c:baseTimeUnit val="{cats.base_unit}"/><c:majorUnit val="{cats.major_months}"/>'
            f'<c:majorTimeUnit val="{cats.time_unit}"/></{tag}>'
        )
    skip = (
        f'<c:tickLblSkip val="{cats.label_skip}"/><c:tickMarkSkip val="{cats.label_skip}"/>'
        if cats.label_skip > 1
        else ""
    )
    return (
        # auto 0: categories that are dates stay categories (skipped as told), not a date axis
        f'<{tag}>{common}<c:auto val="0"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/>'
        f'{skip}<c:noMultiLvlLbl val="1"/></{tag}>'
    )


def _value_axis(style: ChartStyle, axis: str, planned: ValueAxis, code: str) -> str:
    """The geometry's limits and step, its labels' digits and scale (万, 亿 as a display
    unit); a panel's axis labels only its own band."""
    cat_id, val_id = AXIS_IDS[axis]
    right = axis == "secondary"
    grid = "" if right else f"<c:majorGridlines><c:spPr>{_line(GRID)}</c:spPr></c:majorGridlines>"
    scale = (
        f'<c:dispUnits><c:custUnit val="{planned.scale:g}"/></c:dispUnits>'
        if planned.scale != 1
        else ""
    )
    return (
        f'<c:valAx><c:axId val="{val_id}"/><c:scaling><c:orientation val="minMax"/>'
        f'<c:max val="{planned.hi!r}"/><c:min val="{planned.lo!r}"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="{"r" if right else "l"}"/>{grid}'
        f'<c:numFmt formatCode="{_attr(_band_format(planned, code))}" sourceLinked="0"/>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f"<c:spPr>{_line(None)}</c:spPr>{_txpr(style.face, style.text_pt, MUTED)}"
        f'<c:crossAx val="{cat_id}"/><c:crosses val="{"max" if right else "autoZero"}"/>'
        f'<c:crossBetween val="between"/><c:majorUnit val="{planned.step!r}"/>{scale}</c:valAx>'
    )


def _band_format(planned: ValueAxis, code: str) -> str:
    """A panel's axis runs past its labelled ticks: the ticks there print nothing. (Only for
    axes of positive values: a conditional format would print a negative tick unsigned.)"""
    half = planned.step / 2
    conditions = []
    if planned.ticks[0] - half > planned.lo and planned.ticks[0] >= 0:
        conditions.append(f'[<{planned.ticks[0] - half:g}]""')
    if planned.ticks[-1] + half < planned.hi and planned.ticks[0] >= 0:
        conditions.append(f'[>{planned.ticks[-1] + half:g}]""')
    return ";".join([*conditions, code])


def axis_code(planned: ValueAxis) -> str:
    """Excel's code for an axis's tick labels: the geometry's digits, grouped as printed."""
    grouped = any("," in label for label in planned.labels)
    whole = "#,##0" if grouped else "0"
    return whole + ("." + "0" * planned.decimals if planned.decimals > 0 else "")


@dataclass(frozen=True)
class PlotBox:
    """The plot's inner box as shares of the chart frame: set, not left to the application,
    so a label's offset from its point is known."""

    x: float
    y: float
    w: float
    h: float


def plot_box(data: ChartData, geometry: ChartGeometry, style: ChartStyle, legend: int) -> PlotBox:
    """Room for the title and units over the plot, tick labels beside and under it, and the
    legend's rows at the foot."""
    width, height = style.width_in * 72, style.height_in * 72
    pad = 6.0
    top = pad + style.title_pt * 1.3 + style.text_pt * 1.3 + style.text_pt * 0.8
    bottom = pad + style.text_pt * 2.6 + legend * style.text_pt * 2.0 + 6
    left = pad + max(label_width(t) for t in geometry.y.labels) * style.text_pt + 8
    right = pad + 6
    if geometry.y2 is not None:
        right += max(label_width(t) for t in geometry.y2.labels) * style.text_pt + 2
    return PlotBox(
        left / width, top / height, (width - left - right) / width, (height - top - bottom) / height
    )


def _legend_rows(cols: Sequence[Column], style: ChartStyle) -> int:
    """Rows the legend takes under the chart, entries laid left to right."""
    room = style.width_in * 72 - 20
    shown = [c for c in cols if c.draw != "base"]
    # a key, a gap and the text, in the widest entry's column width (as readers lay it out)
    entry = max((label_width(c.name) * style.text_pt * 1.1 + 44 for c in shown), default=0)
    per_row = max(1, int(room // entry)) if entry else 1
    return math.ceil(len(shown) / per_row)


def _manual(plot: PlotBox) -> str:
    return (
        '<c:layout><c:manualLayout><c:layoutTarget val="inner"/><c:xMode val="edge"/>'
        f'<c:yMode val="edge"/><c:x val="{plot.x:.4f}"/><c:y val="{plot.y:.4f}"/>'
        f'<c:w val="{plot.w:.4f}"/><c:h val="{plot.h:.4f}"/></c:manualLayout></c:layout>'
    )


def _geometry(data: ChartData) -> ChartGeometry:
    from publisher.charts.geometry import plan_geometry  # pure arithmetic: no matplotlib

    return data.geometry or plan_geometry(data)


def _legend(cols: Sequence[Column], style: ChartStyle, position: str = "b") -> str:
    hidden = "".join(
        f'<c:legendEntry><c:idx val="{i}"/><c:delete val="1"/></c:legendEntry>'
        for i, c in enumerate(cols)
        if c.draw == "base"
    )
    return (
        f'<c:legend><c:legendPos val="{position}"/>{hidden}<c:overlay val="0"/>'
        f"{_txpr(style.face, style.text_pt, INK)}</c:legend>"
    )


def _data_table(style: ChartStyle) -> str:
    return (
        '<c:dTable><c:showHorzBorder val="1"/><c:showVertBorder val="1"/>'
        f'<c:showOutline val="1"/><c:showKeys val="1"/><c:spPr>{_line("#BFBFBF", 0.5)}</c:spPr>'
        f"{_txpr(style.face, style.text_pt, INK)}</c:dTable>"
    )


def _blanks(data: ChartData, cols: Sequence[Column]) -> str:
    """Gaps stay gaps, unless series report on different dates (daily price beside weekly
    output): then each line joins its own points, or the sparser one would not show at all."""
    xs = {tuple(s.x) for s in data.series}
    if data.x_kind == "season_day":  # a season is read as a line: holidays do not break it
        return "span"
    return "span" if len(xs) > 1 and data.x_kind == "date" else "gap"


def chart_xml(data: ChartData, style: ChartStyle) -> NativeChart:
    """The chart part's XML and its workbook, for any chart kind but a plain table."""
    if data.kind == "table":
        raise NotNative("a table is drawn as a table")
    cats = categories(data, style)
    cols = columns(data, cats)
    if not cols:
        raise NotNative("没有数据系列")
    if all(c.axis == "secondary" for c in cols):
        cols = tuple(replace(c, axis="primary") for c in cols)
    table = data.table is not None
    geometry = _geometry(data)
    plot = plot_box(data, geometry, style, _legend_rows(cols, style))
    axes = _category_axis(cats, style, "primary")
    axes += _value_axis(style, "primary", geometry.y, axis_code(geometry.y))
    if any(c.axis == "secondary" for c in cols) and geometry.y2 is not None:
        axes += _category_axis(cats, style, "secondary")
        axes += _value_axis(style, "secondary", geometry.y2, axis_code(geometry.y2))
    face = style.face
    xml = (
        f'{PART_HEAD}<c:chartSpace {NS}><c:date1904 val="0"/><c:lang val="zh-CN"/>'
        '<c:roundedCorners val="0"/><c:chart>'
        f"{_title(data, geometry, style)}<c:plotArea>{'<c:layout/>' if table else _manual(plot)}"
        f"{_plots(cols, cats, style, plot)}{axes}"
        f"{_data_table(style) if table else ''}"
        f"<c:spPr><a:noFill/>{_line(None)}</c:spPr></c:plotArea>"
        # a legend with the data table too: a reader without c:dTable (LibreOffice < 7.5)
        # still names the bars; on top, clear of the table under the plot
        f"{_legend(cols, style, 't' if table else 'b')}"
        f'<c:plotVisOnly val="1"/><c:dispBlanksAs val="{_blanks(data, cols)}"/></c:chart>'
        f"<c:spPr>{_fill('#FFFFFF')}{_line(None)}</c:spPr>"
        f"{_txpr(face, style.text_pt, INK)}{EXTERNAL_DATA}</c:chartSpace>"
    )
    sheet = Sheet(
        head=cats.head,
        categories=cats.values,
        dates=cats.dates,
        names=[c.name for c in cols],
        columns=[c.figures for c in cols],
        formats=[c.number_format for c in cols],
    )
    characters = _characters(data, geometry, cats, cols)
    return NativeChart(xml.encode("utf-8"), xlsx(sheet), cols, characters)


def _characters(
    data: ChartData, geometry: ChartGeometry, cats: Categories, cols: Sequence[Column]
) -> frozenset[str]:
    """What the part's a:t, c:v and c:formatCode show, as the font embedder read them from
    its parsed tree: title and units, series names, categories, figures, number formats."""
    words = [data.title, _units(geometry)]
    words += [text for c in cols for text in (c.name, c.number_format)]
    numbers = ["".join(filter(None, c.figures)) for c in cols]
    if cats.dates:
        words.append(DATE_CODE)
        numbers += map(str, cats.values)  # serial days
    else:
        words += map(str, cats.values)
    return frozenset(_xml_text("".join(words))) | _figure_characters("".join(numbers))


def _figure_characters(numbers: str) -> frozenset[str]:
    """set(numbers), for text written with figures: a search for each of their characters is
    a memchr, where set() takes characters one by one (3 ms for a deck's ~400,000)."""
    found = frozenset(c for c in FIGURE_CHARACTERS if c in numbers)
    return found.union(numbers.translate(NOT_FIGURE))  # inf, nan: whatever else is there
