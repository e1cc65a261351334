"""PDF renderer: the file itself: reproducible, fonts embedded, charts in vector, written whole."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from publisher.layout.model import Chart, ChartGrid, Document, Section
from publisher.render.pdf import PdfResult, render_pdf
from tests.render.conftest import CHARTS
from tests.render.helpers import page_texts, squeeze

SUBSET = re.compile(r"^[A-Z]{6}\+PublisherSansSC-(Regular|Bold)$")


def it_writes_byte_identical_files_for_the_same_document(
    document: Document, rendered: PdfResult, tmp_path: Path
) -> None:
    again = render_pdf(document, tmp_path / "again.pdf")
    assert again.path.read_bytes() == rendered.path.read_bytes()
    assert again == dataclasses.replace(rendered, path=again.path)


def it_embeds_only_subset_fonts(rendered: PdfResult) -> None:
    pdffonts = shutil.which("pdffonts")
    if pdffonts is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    out = subprocess.run([pdffonts, str(rendered.path)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        name, *_, emb, sub, uni, _obj, _gen = row.split()
        assert SUBSET.match(name), row
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row


def it_places_each_chart_as_vector_artwork_on_its_page(
    document: Document, rendered: PdfResult
) -> None:
    texts = page_texts(rendered.path)
    assert [chart for chart, _ in rendered.charts] == [c[0] for c in CHARTS]
    for chart_id, page in rendered.charts:
        assert f"图表正文{chart_id}" in texts[page - 1]
    with pikepdf.open(rendered.path) as pdf:
        for chart_id, page in rendered.charts:
            forms = pdf.pages[page - 1].Resources.XObject
            assert all(form.Subtype == "/Form" for form in forms.values()), chart_id
        assert not any(p.get_images() for p in pdf.pages)  # nothing was rasterised


def it_places_two_charts_a_row_and_wide_charts_alone(rendered: PdfResult) -> None:
    """The artwork is drawn at its own size: 85 mm beside 85 mm, or 175 mm alone."""
    placed = []
    with pikepdf.open(rendered.path) as pdf:
        for number in sorted({page for _, page in rendered.charts}):
            content = pdf.pages[number - 1].Contents.read_bytes().decode("latin-1")
            placed += re.findall(
                r"([\d.]+) 0 0 ([\d.]+) ([\d.]+) ([\d.]+) cm\s*/Chart\d Do", content
            )
    assert len(placed) == len(CHARTS)
    scales = {round(float(a), 3) for a, *_ in placed}
    assert scales == {1.0}
    xs = sorted({round(float(x)) for *_, x, _ in placed})
    assert len(xs) == 2  # left and right column


def it_replaces_the_file_only_when_the_new_one_is_complete(
    document: Document, tmp_path: Path
) -> None:
    out = tmp_path / "report.pdf"
    out.write_bytes(b"yesterday")
    broken = dataclasses.replace(
        document,
        sections=(
            *document.sections,
            Section("bad", "坏图", (ChartGrid((Chart("bad", "坏图", None, b"%PDF-no", ()),)),)),
        ),
    )
    with pytest.raises(ValueError, match="bad"):
        render_pdf(broken, out)
    assert out.read_bytes() == b"yesterday"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]

    render_pdf(document, out)
    assert out.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def it_leaves_no_partial_file_when_writing_fails(
    document: Document, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.pdf"
    out.write_bytes(b"yesterday")

    def fail(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("publisher.atomic.os.replace", fail)
    with pytest.raises(OSError, match="disk full"):
        render_pdf(document, out)
    assert out.read_bytes() == b"yesterday"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def it_renders_a_document_without_charts_or_a_cover(document: Document, tmp_path: Path) -> None:
    plain = dataclasses.replace(
        document,
        sections=tuple(s for s in document.sections if s.kind in ("view", "summary")),
    )
    result = render_pdf(plain, tmp_path / "plain.pdf")
    texts = page_texts(result.path)
    assert result.charts == ()
    assert result.pages == len(texts) == 3
    assert squeeze(plain.sections[0].title) in squeeze(texts[0])
