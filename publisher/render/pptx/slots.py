"""Deck renderer: chart slides — native charts, tables for table charts, pictures at worst."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from PIL import Image
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.parts.chart import ChartPart
from pptx.parts.embeddedpackage import EmbeddedXlsxPart
from pptx.slide import Slide
from pptx.util import Emu

from publisher.charts.model import ChartData
from publisher.errors import PublisherError
from publisher.layout.model import Chart, Document
from publisher.render.pptx import plan as p
from publisher.render.pptx.charts import ChartStyle, NativeChart, NotNative, chart_xml
from publisher.render.pptx.geometry import EMU_PER_IN, Box, emu, pt
from publisher.render.pptx.slides import INK, MUTED, Ink, chart_boxes, native_table, textbox, write
from publisher.render.pptx.text import WRAP_SHARE, text_width

PICTURE_DPI = 300
NativeJob = tuple[ChartData, ChartStyle]  # what a native chart's part is made from


CHART_TEXT_PT = 12.0  # ticks, legends and labels: the smallest a room reads on a screen
TABLE_CHART_PT = 12.0  # a balance-sheet table beside another chart (alone: 13)


def chart_style(ink: Ink, box: Box, count: int) -> ChartStyle:
    small = count > 2
    return ChartStyle(
        face=ink.face,
        text_pt=CHART_TEXT_PT,
        title_pt=13.0 if small else 14.0,
        width_in=box.width / EMU_PER_IN,
        height_in=box.height / EMU_PER_IN,
    )


class PartNames:
    """Fresh part names for charts and their workbooks. python-pptx finds one by walking every
    part of the package, which grows quadratic with fifty charts; the deck counts instead.
    Also the characters each chart part shows, by name, known from what its XML was made of."""

    def __init__(self, package: object) -> None:
        self.taken = {str(part.partname) for part in package.iter_parts()}  # type: ignore[attr-defined]
        self.counters: dict[str, int] = {}
        self.characters: dict[str, set[str]] = {}

    def next(self, template: str) -> PackURI:
        n = self.counters.get(template, 0)
        while True:
            n += 1
            name = template % n
            if name not in self.taken:
                self.counters[template] = n
                self.taken.add(name)
                return PackURI(name)


def add_native(slide: Slide, box: Box, native: NativeChart, name: str, names: PartNames) -> None:
    """A chart part from our own XML, with its workbook, framed on the slide: python-pptx's
    add_chart would write its own XML, which cannot hold a combo or a data table."""
    package = slide.part.package
    partname = names.next(ChartPart.partname_template)
    sheet = EmbeddedXlsxPart(
        names.next(EmbeddedXlsxPart.partname_template), CT.SML_SHEET, package, native.workbook
    )
    # The part is the bytes it saves as, c:externalData already naming the workbook rId1: no
    # lxml tree is made (parsing, linking and serializing fifty charts took ~0.09 s, and their
    # trees held ~35 MB until the deck was written).
    part = Part(partname, CT.DML_CHART, package, native.xml)
    names.characters[str(partname)] = set(native.characters)  # for the font embedder
    part.relate_to(sheet, RT.PACKAGE)  # the part's first relationship: rId1, as written
    r_id = slide.part.relate_to(part, RT.CHART)
    frame = slide.shapes._add_chart_graphicFrame(
        r_id, Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height)
    )
    frame.nvGraphicFramePr.cNvPr.set("name", name)


def table_chart(slide: Slide, chart: Chart, box: Box, ink: Ink, size: float, caption: bool) -> None:
    """A balance-sheet chart is a table: a native table under a year band, as printed."""
    data = chart.data
    top = box.top
    if caption:
        title = Box(box.left, box.top, box.width, emu(24))
        frame = textbox(slide, title, f"Chart Title {chart.id}")
        write(frame, chart.title, ink, 13, INK, bold=True)
        top = title.bottom + emu(6)
    table = data.table
    header = ("项目", *table.header)
    rows = [(r.label, *r.cells) for r in table.rows]
    # the label column takes its longest label, with the slack the line estimate keeps
    label_width = max(text_width(r[0] + p.STALE_MARK, size) for r in [header, *rows])
    label_width /= WRAP_SHARE
    label_width += 2 * p.CELL_PAD + 2
    rest = (pt(box.width) - label_width) / (len(header) - 1)
    widths = [label_width] + [rest] * (len(header) - 1)
    numeric = [False] + [True] * (len(header) - 1)
    body = Box(box.left, top, box.width, 0)
    native_table(
        slide,
        body,
        header,
        rows,
        widths,
        numeric,
        ink,
        size=size,
        name=f"Table {chart.id}",
        bands=table.groups,
    )


def _png(chart: Chart, document: Document) -> bytes:
    """The chart as print shows it, rasterised at high resolution from its vector artwork
    (drawing belongs to the charts stage; this renderer only converts what it was given)."""
    if not chart.artwork:
        raise PublisherError(
            f"chart '{chart.id}'",
            "cannot be a native chart and has no drawn artwork to show as a picture",
            "build with the PDF format as well, which draws every chart",
        )
    return _rasterise(chart.artwork)


def _rasterise(artwork: bytes) -> bytes:
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        raise PublisherError(
            "pdftoppm",
            "a chart that cannot be native is shown as a picture, which needs pdftoppm",
            "install poppler-utils",
        )
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "chart.pdf"
        source.write_bytes(artwork)
        root = Path(folder) / "chart"
        command = [pdftoppm, "-png", "-r", str(PICTURE_DPI), "-singlefile", str(source), str(root)]
        subprocess.run(command, capture_output=True, check=True)
        return root.with_suffix(".png").read_bytes()


def picture(
    slide: Slide, chart: Chart, box: Box, document: Document, reason: str, ink: Ink
) -> None:
    """The printed chart as a high-resolution picture, with a note that names it as one."""
    png = _png(chart, document)
    note_height = emu(p.spacing(CHART_TEXT_PT))
    room = Box(box.left, box.top, box.width, box.height - note_height)
    with Image.open(io.BytesIO(png)) as image:
        ratio = image.width / image.height
    width = min(room.width, round(room.height * ratio))
    height = round(width / ratio)
    shape = slide.shapes.add_picture(
        io.BytesIO(png), Emu(room.left), Emu(room.top), Emu(width), Emu(height)
    )
    shape.name = f"Chart Picture {chart.id}"
    note = Box(box.left, room.top + height + emu(2), box.width, note_height)
    frame = textbox(slide, note, f"Picture Note {chart.id}")
    write(frame, f"注：本图为图片，不可编辑（{reason}）。", ink, CHART_TEXT_PT, MUTED)


def chart_slide(
    slide: Slide,
    plan: p.SlidePlan,
    ink: Ink,
    body: Box,
    document: Document,
    names: PartNames,
    artwork: Mapping[str, bytes],
    natives: Iterator[NativeChart | NotNative],
) -> list[tuple[str, str]]:
    """Draw the plan's charts into their slots, each native one's part the next of `natives`
    (see `native_jobs`), a chart that cannot be native as its artwork (the chart's, or else
    `artwork`'s, by chart id); returns (chart id, how it was drawn)."""
    drawn = []
    boxes = chart_boxes(body, len(plan.charts))
    for chart, box in zip(plan.charts, boxes, strict=True):
        if _is_table(chart):
            size = 13.0 if len(plan.charts) == 1 else TABLE_CHART_PT
            table_chart(slide, chart, box, ink, size, chart.title != plan.title)
            drawn.append((chart.id, "table"))
            continue
        native = next(natives) if chart.data is not None else NotNative("无图表数据")
        if isinstance(native, NotNative):
            if not chart.artwork and chart.id in artwork:
                chart = replace(chart, artwork=artwork[chart.id])
            picture(slide, chart, box, document, str(native), ink)
            drawn.append((chart.id, "picture"))
            continue
        add_native(slide, box, native, f"Chart {chart.id}", names)
        drawn.append((chart.id, "native"))
    return drawn


def native_jobs(plans: Sequence[p.SlidePlan], ink: Ink, body: Box) -> list[NativeJob]:
    """Every chart the deck's slides would make native, with its style, in the order
    `chart_slide` asks for them (the parts need nothing of the slides: they can be made
    apart)."""
    return [
        (chart.data, chart_style(ink, box, len(plan.charts)))
        for plan in plans
        if plan.kind == "charts"
        for chart, box in zip(plan.charts, chart_boxes(body, len(plan.charts)), strict=True)
        if not _is_table(chart) and chart.data is not None
    ]


def native_part(job: NativeJob) -> NativeChart | NotNative:
    """A chart's native part, or why it cannot be native (its columns left out: the part
    holds them)."""
    try:
        native = chart_xml(*job)
    except NotNative as reason:
        return reason
    return replace(native, columns=())


def _is_table(chart: Chart) -> bool:
    return chart.data is not None and chart.data.kind == "table" and chart.data.table is not None
