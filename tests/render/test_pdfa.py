"""PDF renderer: every PDF is PDF/A-2b as written (pikepdf.pdfa), with metadata that agrees."""

from __future__ import annotations

import functools
import gc
import io
import warnings
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pikepdf import pdfa

from publisher.assets import LAYOUTS_DIR
from publisher.render.pdf import render_pdf
from publisher.render.pdf.pdfa import findings
from tests.render.deck_fixtures import document_of, workdir

LAYOUTS = [layout.stem for layout in sorted(LAYOUTS_DIR.glob("*.toml"))]


@functools.cache
@functools.cache
def pdf_of(layout: str) -> Path:
    return render_pdf(document_of(layout), workdir() / f"pdfa-{layout}" / "report.pdf").path


@pytest.mark.parametrize("layout", [*LAYOUTS, "fixture-document"])
def it_writes_pdfa_2b(layout: str) -> None:
    report = pdfa.validate_written(pdf_of(layout), "2b")
    assert report.verdict == "pass", report.summary()
    assert findings(pdf_of(layout)) == []


@pytest.mark.parametrize("layout", [*LAYOUTS, "fixture-document"])
def it_declares_what_the_document_info_says(layout: str) -> None:
    document = document_of(layout)
    with pikepdf.open(pdf_of(layout)) as pdf:
        meta = pdf.open_metadata()
        info = pdf.docinfo
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
        assert meta["dc:title"] == str(info.Title)
        assert document.title in meta["dc:title"]
        assert meta["dc:creator"] == [str(info.Author)]
        assert document.compliance.analyst in str(info.Author)
        assert meta["dc:description"] == str(info.Subject)
        assert meta["pdf:Keywords"] == str(info.Keywords)
        day = f"{document.as_of:%Y-%m-%d}T00:00:00+08:00"
        # the report's date, never the clock: the metadata date too
        assert meta["xmp:CreateDate"] == meta["xmp:MetadataDate"] == day
        assert str(pdf.Root.Lang) == "zh-CN"
        assert pdf.Root.MarkInfo.Marked is False  # honest: reportlab writes no structure tree
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1"


def it_writes_pdfa_from_hostile_analyst_text(tmp_path: Path) -> None:
    """Markup, ampersands and an outlook at its length limit still make a conforming file."""
    from publisher.pipeline import build
    from publisher.snapshot.text import LIMITS
    from tests.archive.conftest import copy_sample

    outlook = "<b>加粗</b> & <para>段落</para> &amp; 1<2 "
    outlook += "震" * (LIMITS["outlook"] - len(outlook))
    built = build(copy_sample(tmp_path, outlook), tmp_path / "out", formats=("pdf",))
    assert built.pdf is not None
    assert pdfa.validate_written(built.pdf.path, "2b").verdict == "pass"


def _edited(source: Path, edit: str) -> Path:
    """The file with one thing broken, saved plainly (not through pikepdf.pdfa)."""
    out = source.with_name(f"{edit}.pdf")
    with pikepdf.open(source) as pdf:
        if edit == "no-output-intent":
            del pdf.Root["/OutputIntents"]
        else:  # a Type 1 Helvetica named and drawn on page 2, its glyphs not in the file
            page = pdf.pages[1]
            helvetica = pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
            )
            fonts = {**page.Resources.Font, "/Fx": pdf.make_indirect(helvetica)}
            # its own resources: reportlab shares one dictionary among every page
            page.obj.Resources = pikepdf.Dictionary({**page.Resources, "/Font": fonts})
            page.contents_add(pdf.make_stream(b"BT /Fx 9 Tf 20 20 Td (x) Tj ET"), prepend=False)
        buffer = io.BytesIO()
        pdf.save(buffer)
    out.write_bytes(buffer.getvalue())
    return out


def it_fails_without_the_output_intent() -> None:
    broken = _edited(pdf_of("fixture-document"), "no-output-intent")
    assert pdfa.validate_written(broken, "2b").verdict == "fail"
    assert any("OutputIntent" in what for _, what in findings(broken))


def it_fails_with_a_font_not_embedded() -> None:
    broken = _edited(pdf_of("fixture-document"), "unembedded-font")
    # the validator cannot approve a font it cannot see, so it says "not checked", not "pass"
    assert pdfa.validate_written(broken, "2b").verdict != "pass"
    found = findings(broken)
    assert any(page == 2 and "ISO_19005_2:6.2.11" in what for page, what in found), found


def it_writes_the_bytes_a_validated_save_would_write() -> None:
    """A build saves with pikepdf.pdfa's pinned settings and leaves validation to check and
    publish: the bytes are those a validating save approves (and returns)."""
    import datetime as dt

    from publisher.render.pdf.pdfa import save_pdfa

    source = pdf_of("silicon-daily")
    as_of = dt.date(2025, 5, 27)
    written = save_pdfa(pikepdf.open(source), as_of, source)
    assert written == save_pdfa(pikepdf.open(source), as_of, source, validate=True)


class _Leak:
    """A file left open inside a reference cycle: only a collection finalizes it, and then it
    warns ResourceWarning (as a library's forgotten font file would)."""

    def __init__(self, path: Path) -> None:
        self.file = path.open("rb")
        self.me = self


def it_takes_no_warning_from_elsewhere_for_the_files_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """pikepdf.pdfa reads any warning raised while it parses content as the content's fault;
    a collection then would finalize unrelated garbage that warns. None runs meanwhile."""
    pdf = pdf_of("fixture-document")
    real = warnings.simplefilter

    def then_leak(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)  # pikepdf.pdfa's 'always' as it starts reading a content stream
        _Leak(pdf)  # garbage at once: a collection from here finalizes it inside that read

    thresholds = gc.get_threshold()
    monkeypatch.setattr(warnings, "simplefilter", then_leak)
    gc.set_threshold(1)  # a collection at almost every allocation, were collection on
    try:
        assert findings(pdf) == []
    finally:
        gc.set_threshold(*thresholds)
        monkeypatch.undo()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)  # the leaks made above
            gc.collect()
