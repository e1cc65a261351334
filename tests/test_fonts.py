"""The bundled Publisher Sans SC fonts are TrueType, cover report text, and load in
reportlab and matplotlib straight from fonts/, without any system font."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import matplotlib
import pytest
from fontTools.ttLib import TTFont as FontToolsFont
from matplotlib import font_manager
from matplotlib.figure import Figure
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from publisher.assets import FONT_BOLD, FONT_FAMILY, FONT_REGULAR, FONTS_DIR
from tests.conftest import REPO

SENTENCE = (
    "工业硅行情概览：华东不通氧553#硅（元/吨）8350，环比减少2.84%。"
    "重要提示：市场有风险，投资需谨慎。μm ℃ —“”"
)


def _hanzi(text: str) -> str:
    """The CJK ideographs of *text*, in order."""
    return "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")


CHINESE = _hanzi(SENTENCE)
FONTS = {"Regular": FONT_REGULAR, "Bold": FONT_BOLD}
SUBSET_NAME = re.compile(r"^/[A-Z]{6}\+PublisherSansSC-(Regular|Bold)$")


def it_finds_the_fonts_in_the_repo_fonts_folder() -> None:
    assert FONTS_DIR == REPO / "fonts"
    assert FONT_FAMILY == "Publisher Sans SC"
    assert FONT_REGULAR.is_file()
    assert FONT_BOLD.is_file()


@pytest.mark.parametrize("style", FONTS)
def it_is_a_truetype_font_named_publisher_sans_sc(style: str) -> None:
    font = FontToolsFont(FONTS[style])
    assert "glyf" in font
    assert "CFF " not in font
    assert font.sfntVersion == "\x00\x01\x00\x00"
    name = font["name"]
    assert name.getDebugName(1) == FONT_FAMILY
    assert name.getDebugName(16) == FONT_FAMILY
    assert name.getDebugName(2) == style
    assert name.getDebugName(6) == f"PublisherSansSC-{style}"
    bold = style == "Bold"
    assert font["OS/2"].usWeightClass == (700 if bold else 400)
    assert bool(font["OS/2"].fsSelection & (1 << 5)) is bold
    assert bool(font["head"].macStyle & 1) is bold


@pytest.mark.parametrize("style", FONTS)
def it_covers_a_report_sentence(style: str) -> None:
    cmap = FontToolsFont(FONTS[style]).getBestCmap()
    missing = [ch for ch in SENTENCE if ord(ch) not in cmap]
    assert not missing
    # matplotlib draws negative tick labels with U+2212 MINUS SIGN.
    assert 0x2212 in cmap


def _register_reportlab_fonts() -> dict[str, str]:
    names = {style: f"PublisherSansSC-{style}" for style in FONTS}
    for style, path in FONTS.items():
        pdfmetrics.registerFont(TTFont(names[style], str(path)))
    return names


def it_embeds_subset_truetype_fonts_with_reportlab(tmp_path: Path) -> None:
    names = _register_reportlab_fonts()
    pdf = tmp_path / "report.pdf"
    # initialFontName keeps the canvas from referencing a non-embedded Helvetica.
    canvas = Canvas(str(pdf), initialFontName=names["Regular"], initialFontSize=10)
    canvas.drawString(40, 780, SENTENCE)
    canvas.setFont(names["Bold"], 12)
    canvas.drawString(40, 760, SENTENCE)
    canvas.save()

    page = PdfReader(pdf).pages[0]
    text = page.extract_text()
    assert CHINESE in _hanzi(text)
    assert "".join(SENTENCE.split()) in "".join(text.split())

    fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
    base_names = sorted(str(font["/BaseFont"]) for font in fonts)
    assert [name.split("+")[1] for name in base_names] == [
        "PublisherSansSC-Bold",
        "PublisherSansSC-Regular",
    ]
    for font in fonts:
        assert font["/Subtype"] == "/TrueType"
        assert SUBSET_NAME.match(str(font["/BaseFont"])), font["/BaseFont"]
        assert "/FontFile2" in font["/FontDescriptor"]
        assert "/ToUnicode" in font


@pytest.fixture
def mpl_fonts() -> None:
    """Make the bundled fonts known to matplotlib's font manager by family name."""
    for path in FONTS.values():
        font_manager.fontManager.addfont(str(path))


def it_resolves_the_family_and_weights_in_matplotlib(mpl_fonts: None) -> None:
    def find(weight: str) -> Path:
        prop = font_manager.FontProperties(family=FONT_FAMILY, weight=weight)
        return Path(font_manager.findfont(prop, fallback_to_default=False))

    assert find("bold") == FONT_BOLD
    assert find("normal") == FONT_REGULAR


@pytest.mark.parametrize("fonttype", [3, 42])
def it_draws_a_chinese_chart_without_missing_glyphs(
    mpl_fonts: None, tmp_path: Path, fonttype: int
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with matplotlib.rc_context({"font.family": FONT_FAMILY, "pdf.fonttype": fonttype}):
            fig = Figure(figsize=(8, 3))
            ax = fig.add_subplot()
            ax.plot([1, 2, 3], [-5, 0, 5])  # negative ticks: U+2212
            ax.set_title(SENTENCE, fontsize=8, fontweight="bold")
            ax.set_xlabel(
                SENTENCE, fontproperties=font_manager.FontProperties(fname=FONT_REGULAR, size=8)
            )
            fig.savefig(tmp_path / "chart.pdf")
            fig.savefig(tmp_path / "chart.png")
    messages = [str(w.message) for w in caught]
    assert not [m for m in messages if "missing" in m.lower()], messages

    page = PdfReader(tmp_path / "chart.pdf").pages[0]
    base_names = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for font in page["/Resources"]["/Font"].values()
    }
    assert base_names == {"PublisherSansSC-Regular", "PublisherSansSC-Bold"}
    assert CHINESE in _hanzi(page.extract_text())
