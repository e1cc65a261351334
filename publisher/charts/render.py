"""Charts stage: draw chart data to single-page vector PDF (text kept as text) or PNG, or for
print as a drawing without text plus where each line of text goes; one chart or a whole
catalog across processes; identical input gives identical bytes."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_pdf import FigureCanvasPdf, PdfFile, RendererPdf
from matplotlib.figure import Figure
from matplotlib.font_manager import get_font
from matplotlib.ft2font import LoadFlags

from publisher.charts.artwork import ChartText, PrintArtwork
from publisher.charts.aside import font_heights, setting_aside
from publisher.charts.catalog import ChartCatalog, check_catalog, with_contracts
from publisher.charts.data import ChartData, chart_data
from publisher.charts.draw import cleared, placeholder
from publisher.charts.fonts import ChartFonts, chart_fonts
from publisher.charts.kinds import DRAWERS
from publisher.charts.model import FITTED
from publisher.charts.pool import CHROME_TEXT, FORMATS, ChartPool
from publisher.charts.style import Style, figure, house_rc
from publisher.snapshot.model import Brand, Snapshot


def render_print(data: ChartData, brand: Brand) -> PrintArtwork:
    """One chart for print: the drawing of `render_pdf` with its text set aside, each line
    where matplotlib laid it out, for the renderer to set in the document's font. Drawing
    the text and embedding a font subset in every chart is two-fifths of a chart's time."""
    with house_rc():
        fonts = _fonts(data)
        with setting_aside():
            fig = _draw(data, brand, None, False, fonts)
        plain = fig.canvas
        canvas = _TextSetAside(fig, fonts)
        out = io.BytesIO()
        try:
            fig.savefig(out, format="pdf", metadata=_metadata(data))
        finally:
            fig.set_canvas(plain)  # a kept figure must not go on setting its text aside
    width, height = (float(v) * 72 for v in fig.get_size_inches())
    return PrintArtwork(out.getvalue(), width, height, tuple(canvas.texts))


def render_pdf(
    data: ChartData, brand: Brand, size: str | None = None, titled: bool = False
) -> bytes:
    """One chart as a one-page PDF the size of its slot: vector, fonts embedded as TrueType
    (Type 42) subsets so its text stays text, no dates in it, the same bytes every time."""
    with house_rc():
        fig = _draw(data, brand, size, titled)
        out = io.BytesIO()
        fig.savefig(out, format="pdf", metadata=_metadata(data))
    return out.getvalue()


def _metadata(data: ChartData) -> dict[str, str | None]:
    return {
        "Title": data.title,
        "Subject": data.id,
        "Creator": "publisher charts",
        "Producer": f"publisher (matplotlib {matplotlib.__version__})",
        "CreationDate": None,
    }


def render_png(
    data: ChartData, brand: Brand, size: str | None = None, dpi: int = 200, titled: bool = False
) -> bytes:
    """The raster fallback for targets that cannot take vector charts."""
    with house_rc():
        fig = _draw(data, brand, size, titled)
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
    return out.getvalue()


def render(
    data: ChartData, brand: Brand, form: str = "pdf", titled: bool = False
) -> bytes | PrintArtwork:
    if form == "print":  # for the PDF renderer (charts.pool.ChartPool.draw_for_print)
        return render_print(data, brand)
    if form not in FORMATS:
        raise ValueError(f"chart format {form!r}: use one of {', '.join(FORMATS)}")
    if form == "png":
        return render_png(data, brand, titled=titled)
    return render_pdf(data, brand, titled=titled)


def draw_all(
    snapshot: Snapshot,
    catalog: ChartCatalog,
    jobs: int = 1,
    form: str = "pdf",
    titled: bool = False,
) -> dict[str, bytes]:
    """Every catalog chart of a snapshot, keyed by chart id in catalog order; with jobs > 1
    the charts are drawn by that many worker processes."""
    catalog = with_contracts(catalog, snapshot)
    check_catalog(catalog, snapshot.catalog)
    charts = [chart_data(spec, snapshot) for spec in catalog]
    return render_all(charts, snapshot.brand, jobs, form, titled, catalog.path)


def render_all(
    charts: Sequence[ChartData],
    brand: Brand,
    jobs: int = 1,
    form: str = "pdf",
    titled: bool = False,
    where: Path | str = "chart catalog",
) -> dict[str, bytes]:
    """Charts whose data is already computed, keyed by chart id in the given order; with
    jobs > 1 drawn by that many worker processes. `where` names the catalog in errors."""
    with ChartPool(jobs) as pool:
        return dict(pool.draw(charts, brand, form, titled, where))


def _fonts(data: ChartData) -> ChartFonts:
    return chart_fonts(data.text + CHROME_TEXT)


def _draw(
    data: ChartData, brand: Brand, size: str | None, titled: bool, fonts: ChartFonts | None = None
) -> Figure:
    fonts = fonts or _fonts(data)
    fig = _figure_for(data, size or data.size)
    style = Style(fonts, brand)
    if data.empty:  # nothing observed in the window: say so rather than fail the report
        placeholder(fig, data, style, titled)
    else:
        DRAWERS[data.kind](fig, data, style, titled)
    return fig


# One figure a size, kept by this process and cleared for each chart laid out by draw.plan
# (a table resizes its figure and an empty chart draws no plot: they get new ones).
_KEPT: dict[str, Figure] = {}


def _figure_for(data: ChartData, size: str) -> Figure:
    if data.empty or data.kind in FITTED:
        return figure(size)
    if size not in _KEPT:
        _KEPT[size] = figure(size)
        return _KEPT[size]
    return cleared(_KEPT[size])


# Width, height and descent of each text a chart for print laid out in this process, by
# weight (bold), size and text: what RendererPdf measures with FreeType for every text.
_MEASURED: dict[tuple[bool, float, str], tuple[float, float, float]] = {}
_MEASURED_MAX = 100_000


class _TextSetAside(FigureCanvasPdf):
    """matplotlib's PDF canvas, except that text in the chart fonts is laid out as ever but
    recorded, not drawn: the page carries the drawing alone, and no font."""

    def __init__(self, figure: Figure, fonts: ChartFonts) -> None:
        super().__init__(figure)
        self.fonts = fonts
        self.texts: list[ChartText] = []

    def print_pdf(  # type: ignore[override]
        self,
        filename: io.BytesIO,
        *,
        bbox_inches_restore: object = None,
        metadata: dict[str, str | None] | None = None,
        **_: object,
    ) -> None:
        # FigureCanvasPdf.print_pdf with the recording renderer in place of RendererPdf
        dpi = self.figure.dpi
        self.figure.dpi = 72  # PDF points
        width, height = self.figure.get_size_inches()
        file = PdfFile(filename, metadata=metadata)
        try:
            file.newPage(width, height)
            pdf = _RecordingRenderer(file, dpi, height, width, self.fonts, self.texts)
            renderer = MixedModeRenderer(
                self.figure, width, height, dpi, pdf, bbox_inches_restore=bbox_inches_restore
            )
            self.figure.draw(renderer)  # type: ignore[arg-type]  # as print_pdf does
            renderer.finalize()
            file.finalize()
        finally:
            file.close()


class _RecordingRenderer(RendererPdf):
    def __init__(
        self,
        file: PdfFile,
        dpi: float,
        height: float,
        width: float,
        fonts: ChartFonts,
        texts: list[ChartText],
    ) -> None:
        super().__init__(file, dpi, height, width)
        self._weights = {str(fonts.regular): False, str(fonts.bold): True}
        self._texts = texts
        self._heights: dict[tuple[str, float], tuple[float, float, float]] = {}

    def _get_font_height_metrics(self, prop: Any) -> tuple[Any, Any, Any]:
        # Text._get_layout reads these from the font's tables for every text it lays out;
        # a chart uses two fonts at a size or two
        fname = prop.get_file()
        if fname is None or str(fname) not in self._weights:
            return super()._get_font_height_metrics(prop)
        key = (str(fname), prop.get_size_in_points())
        if key not in self._heights:
            self._heights[key] = font_heights(str(fname), prop.get_size_in_points())
        return self._heights[key]

    def get_text_width_height_descent(self, s: str, prop: Any, ismath: Any) -> Any:
        fname = prop.get_file()
        if ismath or fname is None or str(fname) not in self._weights:
            return super().get_text_width_height_descent(s, prop, ismath)
        # RendererPdf's measuring, without its font lookup by properties (a chart's fonts are
        # given by file), and once a process for each text, size and weight: unhinted, a
        # text's extent comes from its own glyphs' outlines and advances alone, which every
        # cut of the house font holds alike (tests/charts/test_render_print.py checks)
        key = (self._weights[str(fname)], prop.get_size_in_points(), s)
        if key not in _MEASURED:
            if len(_MEASURED) >= _MEASURED_MAX:  # a long batch meets ever new figures
                _MEASURED.clear()
            font = get_font(fname)
            font.clear()
            font.set_size(prop.get_size_in_points(), 72)
            font.set_text(s, 0.0, flags=LoadFlags.NO_HINTING)
            w, h = font.get_width_height()
            d = font.get_descent()
            scale = 1 / 64
            _MEASURED[key] = (w * scale, h * scale, d * scale)
        return _MEASURED[key]

    def set_aside(self, s: str, x: float, y: float, prop: Any, rgba: tuple[float, ...]) -> None:
        """Record a line of an AsideText: what draw_text records for an upright Text of
        that colour, with no alpha of its own."""
        r, g, b, _ = rgba
        bold = self._weights[str(prop.get_file())]
        size = float(prop.get_size_in_points())
        self._texts.append(ChartText(float(x), float(y), s, size, bold, (r, g, b), 0.0, 1.0))

    def draw_text(  # type: ignore[override]
        self,
        gc: Any,
        x: float,
        y: float,
        s: str,
        prop: Any,
        angle: float,
        ismath: bool | str = False,
        mtext: Any = None,
    ) -> None:
        bold = self._weights.get(str(prop.get_file()))
        if ismath or bold is None:  # not in a chart font: matplotlib draws it, as ever
            super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            return
        r, g, b, *alpha = gc.get_rgb()
        self._texts.append(
            ChartText(
                float(x),
                float(y),
                s,
                float(prop.get_size_in_points()),
                bold,
                (float(r), float(g), float(b)),
                float(angle),
                float(gc.get_alpha() if alpha else 1.0),
            )
        )
