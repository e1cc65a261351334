"""Charts stage: draw chart data to single-page vector PDF (text kept as text) or PNG, one
chart or a whole catalog across processes; identical input gives identical bytes."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure

from publisher.charts.catalog import ChartCatalog, check_catalog, with_contracts
from publisher.charts.data import ChartData, chart_data
from publisher.charts.draw import placeholder
from publisher.charts.fonts import chart_fonts
from publisher.charts.kinds import DRAWERS
from publisher.charts.pool import CHROME_TEXT, FORMATS, ChartPool
from publisher.charts.style import RC, Style, figure
from publisher.snapshot.model import Brand, Snapshot


def render_pdf(
    data: ChartData, brand: Brand, size: str | None = None, titled: bool = False
) -> bytes:
    """One chart as a one-page PDF the size of its slot: vector, fonts embedded as TrueType
    (Type 42) subsets so its text stays text, no dates in it, the same bytes every time."""
    metadata = {
        "Title": data.title,
        "Subject": data.id,
        "Creator": "publisher charts",
        "Producer": f"publisher (matplotlib {matplotlib.__version__})",
        "CreationDate": None,
    }
    with matplotlib.rc_context(RC):
        fig = _draw(data, brand, size, titled)
        out = io.BytesIO()
        fig.savefig(out, format="pdf", metadata=metadata)
    return out.getvalue()


def render_png(
    data: ChartData, brand: Brand, size: str | None = None, dpi: int = 200, titled: bool = False
) -> bytes:
    """The raster fallback for targets that cannot take vector charts."""
    with matplotlib.rc_context(RC):
        fig = _draw(data, brand, size, titled)
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
    return out.getvalue()


def render(data: ChartData, brand: Brand, form: str = "pdf", titled: bool = False) -> bytes:
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


def _draw(data: ChartData, brand: Brand, size: str | None, titled: bool) -> Figure:
    fonts = chart_fonts(data.text + CHROME_TEXT)
    fig = figure(size or data.size)
    style = Style(fonts, brand)
    if data.empty:  # nothing observed in the window: say so rather than fail the report
        placeholder(fig, data, style, titled)
    else:
        DRAWERS[data.kind](fig, data, style, titled)
    return fig
