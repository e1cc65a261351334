"""Output check: PDFs and decks are read back and every page must carry the compliance text."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Cm, Pt
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
)
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from publisher import check
from publisher.assets import FONT_REGULAR, SAMPLE
from publisher.check import Expectations, check_file, expectations_from, forbidden_tokens
from publisher.errors import SnapshotError
from publisher.snapshot import load_snapshot, text

FONT = "CheckSans"
DISCLAIMER = "重要提示：本报告仅作测试之用，不构成投资建议。"
FOOTER = (
    "数据来源：WIND，SMM",
    DISCLAIMER,
    "分析师：测试分析师  从业资格证号：F00000000  投资咨询证号：Z00000000",
)
BODY = "工业硅期货07合约收于7440元/吨，较前一交易日下跌170元/吨。"


def _pdf(path: Path, pages: list[list[str]], font: str = FONT) -> Path:
    """A PDF whose page i prints the lines pages[i] in `font`: the body top down, and from the
    first 数据来源 line on, the footer at the page's foot, where a report has it."""
    if font == FONT and FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_REGULAR)))
    # reportlab otherwise starts each page in Helvetica, a font it never embeds.
    canvas = Canvas(str(path), invariant=1, initialFontName=font)
    for lines in pages:
        canvas.setFont(font, 9)
        foot = next(
            (n for n, line in enumerate(lines) if line.startswith("数据来源：")), len(lines)
        )
        for number, line in enumerate(lines[:foot]):
            canvas.drawString(50, 780 - 14 * number, line)
        for number, line in enumerate(lines[foot:]):
            canvas.drawString(50, 110 - 14 * number, line)
        canvas.showPage()
    canvas.save()
    return path


def _report(path: Path, count: int, without_footer: tuple[int, ...] = ()) -> Path:
    pages = [[BODY] if n in without_footer else [BODY, *FOOTER] for n in range(1, count + 1)]
    return _pdf(path, pages)


def _deck(path: Path, slides: list[list[str]]) -> Path:
    deck = Presentation()
    for lines in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
        box = slide.shapes.add_textbox(Cm(1), Cm(1), Cm(20), Cm(10)).text_frame
        box.text = lines[0]
        for line in lines[1:]:
            box.add_paragraph().text = line
        for paragraph in box.paragraphs:
            paragraph.runs[0].font.size = Pt(10)
    deck.save(str(path))
    return path


@pytest.fixture(autouse=True)
def text_rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """These files are made by hand to test the text rules, not as PDF/A or schema-valid decks;
    the format rules are tested on built files in tests/test_check_formats.py."""
    monkeypatch.setattr("publisher.check.format_findings", lambda path: [])


def it_passes_a_report_whose_every_page_carries_the_footer(tmp_path: Path) -> None:
    result = check_file(_report(tmp_path / "ok.pdf", 4))
    assert result.ok, result.lines()
    assert (result.unit, result.pages) == ("page", 4)


def it_names_the_page_whose_footer_was_removed(tmp_path: Path) -> None:
    result = check_file(_report(tmp_path / "cut.pdf", 4, without_footer=(3,)))
    assert not result.ok
    assert result.failing_pages == (3,)
    lines = "\n".join(result.lines())
    for missing in ("重要提示", "从业资格证号", "投资咨询证号", "数据来源："):
        assert f"cut.pdf: page 3: no {missing}" in lines


def it_names_the_slide_missing_its_sources_line(tmp_path: Path) -> None:
    slides = [[BODY, *FOOTER], [BODY, *FOOTER[1:]], [BODY, *FOOTER]]
    result = check_file(_deck(tmp_path / "deck.pptx", slides))
    assert (result.unit, result.pages, result.failing_pages) == ("slide", 3, (2,))
    assert result.lines() == [f"{tmp_path / 'deck.pptx'}: slide 2: no 数据来源："]


def it_finds_the_footers_sources_line_not_a_charts(tmp_path: Path) -> None:
    # page 2's footer lost its sources line; its only 数据来源 is a chart's, in the body
    path = _pdf(tmp_path / "charts.pdf", [[BODY, *FOOTER], [BODY, *FOOTER[1:]]])
    _print_in_body(path, page=1, text="数据来源：SMM")
    result = check_file(path)
    assert result.failing_pages == (2,)
    assert result.lines() == [f"{path}: page 2: no 数据来源： line in the footer"]


def _print_in_body(path: Path, page: int, text: str) -> None:
    """Print `text` high on a page (0-based), as a chart's source line sits in the body."""
    overlay = path.with_suffix(".overlay.pdf")
    canvas = Canvas(str(overlay), invariant=1, initialFontName=FONT)
    canvas.setFont(FONT, 9)
    canvas.drawString(50, 600, text)
    canvas.showPage()
    canvas.save()
    writer = PdfWriter(clone_from=PdfReader(path))
    writer.pages[page].merge_page(PdfReader(overlay).pages[0])
    with path.open("wb") as out:
        writer.write(out)


def it_holds_every_page_to_the_credentials_of_page_one(tmp_path: Path) -> None:
    pages = [[BODY, *FOOTER], [BODY, *FOOTER[:2], FOOTER[2].replace("F00000000", "F11111111")]]
    result = check_file(_pdf(tmp_path / "two.pdf", pages))
    assert result.failing_pages == (2,)
    assert "page 2: no 从业资格证号：F00000000" in result.lines()[0]


def it_holds_pages_to_the_snapshots_brand_and_analyst(tmp_path: Path) -> None:
    expect = expectations_from(load_snapshot(SAMPLE))
    assert expect.analyst == "示例分析师" and expect.qualification == "F00000000"
    result = check_file(_report(tmp_path / "r.pdf", 2), expect)
    assert result.failing_pages == (1, 2)
    assert any("no disclaimer" in line for line in result.lines())
    assert any("no analyst name 示例分析师" in line for line in result.lines())


def it_reads_a_disclaimer_that_extraction_breaks_across_lines(tmp_path: Path) -> None:
    broken = [BODY, FOOTER[0], DISCLAIMER[:12], DISCLAIMER[12:], FOOTER[2]]
    path = _pdf(tmp_path / "wrapped.pdf", [broken])
    assert check_file(path, Expectations(disclaimer=DISCLAIMER)).ok


@pytest.mark.parametrize("leak", ["nan", "None", "inf", "-inf", "#DIV/0!", "#N/A", "#VALUE!", "{{"])
def it_refuses_a_leaked_missing_value(tmp_path: Path, leak: str) -> None:
    path = _pdf(tmp_path / "leak.pdf", [[BODY, *FOOTER], [f"现值 {leak} 元/吨", *FOOTER]])
    result = check_file(path)
    assert result.failing_pages == (2,)
    assert "prints '" in result.lines()[0]


@pytest.mark.parametrize("leak", ["nan", "None", "inf", "-inf", "#DIV/0!", "#N/A", "#VALUE!", "{{"])
def it_holds_analyst_text_at_load_to_the_rule_it_reads_pages_with(
    tiny_snapshot: Path, leak: str
) -> None:
    # One rule: what check fails a page for, the loader refuses in analyst text by its key path
    # (a pasted #N/A used to build, then fail publish naming a PDF page and "the layout").
    assert check.forbidden_tokens is text.forbidden_tokens
    manifest = tiny_snapshot / "snapshot.toml"
    comment = '"基差" = { verdict = "偏空", comment = "测试" }'
    pasted = comment.replace("测试", f"基差走扩 {leak}")
    manifest.write_text(manifest.read_text("utf-8").replace(comment, pasted), "utf-8")
    with pytest.raises(SnapshotError) as refused:
        load_snapshot(tiny_snapshot)
    assert refused.value.where == str(manifest)
    assert f"products.si.factors.基差.comment holds '{leak.lstrip('-')}'" in refused.value.what


def it_matches_forbidden_words_whole_not_inside_words() -> None:
    assert forbidden_tokens("Financial information on infrastructure; Nonetheless 7440") == ()
    assert forbidden_tokens("涨跌幅nan%，前值None") == ("nan", "None")
    assert forbidden_tokens("{{ f.si_fut_07 }}") == ("{{",)


def it_finds_a_leak_in_a_slide_table(tmp_path: Path) -> None:
    path = _deck(tmp_path / "deck.pptx", [[BODY, *FOOTER]])
    deck = Presentation(str(path))
    table = deck.slides[0].shapes.add_table(1, 2, Cm(1), Cm(12), Cm(8), Cm(2)).table
    table.cell(0, 0).text, table.cell(0, 1).text = "现值", "NaN"
    deck.save(str(path))
    assert check_file(path).lines() == [f"{path}: slide 1: prints 'NaN'"]


def it_refuses_a_font_that_is_not_embedded(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "helv.pdf", [["Data sources: WIND"]], font="Helvetica")
    assert "page 1: font Helvetica is not embedded" in "\n".join(check_file(path).lines())


def it_looks_for_fonts_inside_chart_forms(tmp_path: Path) -> None:
    path = _report(tmp_path / "chart.pdf", 2)
    _overlay_chart_with_a_bare_font(path, page=1)
    result = check_file(path)
    assert result.lines() == [f"{path}: page 2: font Courier is not embedded"]


def it_reports_an_unreadable_file_instead_of_raising(tmp_path: Path) -> None:
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really")
    result = check_file(tmp_path / "broken.pdf")
    assert not result.ok and result.failing_pages == (0,)
    assert "unreadable PDF" in result.lines()[0]
    assert check_file(tmp_path / "nowhere.pptx").lines() == [
        f"{tmp_path / 'nowhere.pptx'}: file not found"
    ]
    assert "give a .pdf or .pptx" in check_file(tmp_path / "report.docx").lines()[0]


def _overlay_chart_with_a_bare_font(path: Path, page: int) -> None:
    """Draw a form XObject (as charts are placed) whose own resources name a bare Courier."""
    writer = PdfWriter(clone_from=PdfReader(path))
    target = writer.pages[page]
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Courier"),
        }
    )
    form = DecodedStreamObject()
    form.set_data(b"BT /F9 8 Tf 10 10 Td (axis) Tj ET")
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([FloatObject(v) for v in (0, 0, 200, 100)]),
            NameObject("/Resources"): DictionaryObject(
                {NameObject("/Font"): DictionaryObject({NameObject("/F9"): font})}
            ),
        }
    )
    resources = target["/Resources"].get_object()
    resources[NameObject("/XObject")] = DictionaryObject(
        {NameObject("/Chart0"): writer._add_object(form)}
    )
    draw = DecodedStreamObject()
    draw.set_data(b"q 1 0 0 1 50 300 cm /Chart0 Do Q")
    contents = target.get_contents()
    assert contents is not None
    target[NameObject("/Contents")] = ArrayObject(
        [writer._add_object(contents), writer._add_object(draw)]
    )
    with path.open("wb") as handle:
        writer.write(handle)
