"""House style: dates as the desk writes them, the season axis, legend rows."""

from __future__ import annotations

import datetime as dt

from publisher.charts.fonts import chart_fonts
from publisher.charts.labels import month_day, season_day
from publisher.charts.style import Style, legend_plan, season_ticks
from tests.charts.conftest import BRAND

AS_OF = dt.date(2025, 5, 27)


def it_writes_dates_as_the_desk_does() -> None:
    assert month_day(AS_OF) == "5月27日"
    assert season_day(dt.date(2025, 1, 1)) == 1
    assert season_day(dt.date(2024, 12, 31)) == season_day(dt.date(2025, 12, 31)) == 365


def it_labels_a_season_axis_by_month() -> None:
    half = season_ticks(monthly=False, every=2)
    assert half.labels == ("1月", "3月", "5月", "7月", "9月", "11月")
    assert (half.lo, half.hi) == (1.0, 365.0)
    full = season_ticks(monthly=True, every=1)
    assert full.labels[-1] == "12月" and full.positions == tuple(float(m) for m in range(1, 13))


def it_fills_legend_rows_evenly() -> None:
    style = Style(chart_fonts("2020年同期平均水平"), BRAND)
    names = [f"{y}年" for y in range(2020, 2026)] + ["同期平均水平"]
    legend = legend_plan(style, names, room=235)
    assert legend.columns * legend.rows >= len(names)
    assert legend.columns * (legend.rows - 1) < len(names)  # no empty last row


def it_measures_a_text_once_a_size_and_weight() -> None:
    """Style.width keeps what it measured; each size and weight is measured on its own."""
    fonts = chart_fonts("Brent 2025")
    style = Style(fonts, BRAND)
    widths = {(s, b): style.width("Brent 2025", s, b) for s in (6.5, 8.0) for b in (False, True)}
    assert len(set(widths.values())) == 4
    again = Style(fonts, BRAND)
    for (size, bold), width in widths.items():
        assert (
            style.width("Brent 2025", size, bold) == width == again.width("Brent 2025", size, bold)
        )


def it_sets_the_house_rc_as_rc_context_does() -> None:
    """house_rc applies RC as matplotlib.rc_context(RC) does, and puts back every setting
    changed inside, as rc_context does."""
    import matplotlib
    from matplotlib import rcParams

    from publisher.charts.style import RC, house_rc

    before = dict(rcParams)
    with matplotlib.rc_context(RC):
        expected = dict(rcParams)
    with house_rc():
        assert dict(rcParams) == expected
        rcParams["lines.linewidth"] = 7.0  # changed meanwhile: put back too
        rcParams["font.size"] = 3.0
    assert dict(rcParams) == before
