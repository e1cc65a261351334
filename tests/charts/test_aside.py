"""Text set aside for print: each line recorded where matplotlib's Text would draw it."""

from __future__ import annotations

import io

import matplotlib
import pytest

from publisher.charts import draw, render
from publisher.charts.artwork import ChartText
from publisher.charts.aside import AsideText, setting_aside
from publisher.charts.fonts import chart_fonts
from publisher.charts.style import RC, TEXT_PT, Style, figure
from tests.charts.conftest import BRAND

# one line and several, an empty line between two, fixed and font-given line spacing
CASES = (("12,345", None), ("5月\n2025年", 1.1), ("工业硅\n\n库存", None), ("Brent 2025", 1.5))


def _recorded(ha: str, va: str) -> tuple[list[ChartText], set[type]]:
    fonts = chart_fonts("".join(s for s, _ in CASES))
    style = Style(fonts, BRAND)
    with matplotlib.rc_context(RC):
        fig = figure("half")
        ax = fig.add_axes((0.1, 0.2, 0.8, 0.7))
        made = []
        for n, (s, spacing) in enumerate(CASES):
            props = {
                "ha": ha,
                "va": va,
                "fontproperties": style.font(8.0 if n % 2 else TEXT_PT, bold=n == 2),
                "color": ("#262626", "#C00000", "#1F4E79", "#7F7F7F")[n],
                **({"linespacing": spacing} if spacing else {}),
            }
            made.append(draw.text(ax, 0.13 + 0.21 * n, 0.37, s, transform=ax.transAxes, **props))
            made.append(draw.figure_text(fig, 0.11 + 0.2 * n, 0.91, s, **props))
        canvas = render._TextSetAside(fig, fonts)
        canvas.print_pdf(io.BytesIO())
    return canvas.texts, {type(m) for m in made}


@pytest.mark.parametrize("ha", ["left", "center", "right"])
@pytest.mark.parametrize("va", ["baseline", "bottom", "top", "center", "center_baseline"])
def it_records_each_line_where_the_text_would_be_drawn(ha: str, va: str) -> None:
    plain, kinds = _recorded(ha, va)
    assert AsideText not in kinds
    with setting_aside():
        aside, kinds = _recorded(ha, va)
    assert kinds == {AsideText}
    assert len(plain) == 2 * sum(len(s.split("\n")) for s, _ in CASES)  # an empty line too
    assert aside == plain


def it_leaves_mathtext_and_whole_charts_to_matplotlib() -> None:
    assert not _recorded_kind("1,000")  # not while drawing a whole chart
    with setting_aside():
        assert _recorded_kind("1,000")
        assert not _recorded_kind("$x$ 1,000")  # a $ may start mathtext


def _recorded_kind(s: str) -> bool:
    with matplotlib.rc_context(RC):
        fig = figure("half")
        font = Style(chart_fonts(s), BRAND).font()
        line = draw.text(fig.add_axes((0, 0, 1, 1)), 0.5, 0.5, s, fontproperties=font, color="k")
    return isinstance(line, AsideText)


@pytest.mark.parametrize("va", ["center", "baseline"])
@pytest.mark.parametrize("text", ["-1,250", "5月\n2025年"])
def it_draws_a_text_box_where_the_text_draws_it(va: str, text: str) -> None:
    """The halo behind a last value (bbox): the same box in the drawing as Text draws."""

    def drawn(boxed: bool = True) -> tuple[bytes, list[ChartText]]:
        fonts = chart_fonts(text)
        with matplotlib.rc_context(RC):
            fig = figure("half")
            ax = fig.add_axes((0.1, 0.2, 0.8, 0.7))
            ax.plot([0, 1], [0, 1])
            halo = {"boxstyle": "square,pad=0.1", "facecolor": "white", "alpha": 0.75}
            for n, ha in enumerate(("left", "center", "right")):
                draw.text(
                    ax,
                    0.2 + 0.3 * n,
                    0.5,
                    text,
                    transform=ax.transAxes,
                    fontproperties=Style(fonts, BRAND).font(),
                    color="#C00000",
                    ha=ha,
                    va=va,
                    zorder=5,
                    **({"bbox": {**halo, "edgecolor": "none" if n else "black"}} if boxed else {}),
                )
            out = io.BytesIO()
            canvas = render._TextSetAside(fig, fonts)
            canvas.print_pdf(out, metadata={"CreationDate": None})  # no clock in the bytes
        return out.getvalue(), canvas.texts

    plain = drawn()
    with setting_aside():
        aside = drawn()
    assert plain[0] != drawn(boxed=False)[0]  # the boxes are in the drawing
    assert aside == plain
