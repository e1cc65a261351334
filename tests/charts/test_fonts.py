"""Chart fonts: cut once per process, then per chart to exactly its characters, so a chart's
bytes never depend on what was drawn before it."""

from __future__ import annotations

from fontTools.ttLib import TTFont

from publisher.charts import fonts
from publisher.charts.fonts import chart_fonts, missing_glyphs, stock_up


def it_cuts_the_same_font_whatever_the_stock() -> None:
    text = "工业硅库存万吨"
    before = chart_fonts(text).regular.read_bytes()
    stock_up("".join(chr(c) for c in range(0x4E00, 0x4E00 + 500)))  # a much larger stock
    fonts._exact.clear()  # forget the exact cut, so it is made again from the new stock
    assert chart_fonts(text).regular.read_bytes() == before


def it_keeps_only_what_a_chart_prints() -> None:
    cut = chart_fonts("多晶硅供需平衡")
    with TTFont(cut.bold) as face:
        cmap = face.getBestCmap()
        assert {ord(ch) for ch in "多晶硅供需平衡年月日0123456789"} <= set(cmap)
        assert ord("铝") not in cmap
        assert "GSUB" not in face  # layout tables matplotlib never reads
    assert cut.regular.stat().st_size < 100_000  # from a 2 MB font


def it_names_characters_the_house_font_lacks() -> None:
    assert missing_glyphs("工业硅\U0001f600") == "\U0001f600"
    assert missing_glyphs("工业硅（元/吨）μm") == ""
