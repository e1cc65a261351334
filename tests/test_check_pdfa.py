"""Output check, PDF/A: the check's shortcut through pikepdf.pdfa's role schemas
(publisher.render.pdf.pdfa.findings) finds what the validator's full route finds."""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from pikepdf import pdfa

from publisher.assets import SAMPLE
from publisher.pipeline import Built, build
from publisher.render.pdf.pdfa import FLAVOUR, _glyphs_once, _schema_checks_once, findings


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built: Built = build(SAMPLE, tmp_path_factory.mktemp("pdfa"), formats=("pdf",))
    assert built.pdf is not None
    return built.pdf.path


def _first(pdf: pikepdf.Pdf, kind: str) -> pikepdf.Dictionary:
    """The first indirect dictionary of a /Type."""
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name(kind):
            return obj
    raise AssertionError(f"the sample has no {kind}")


def _without_xmp(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/Metadata"]


def _page_with_a_stray_key(pdf: pikepdf.Pdf) -> None:
    pdf.pages[1].obj["/Foo"] = pikepdf.Name("/Bar")


def _graphics_state_with_a_transfer_function(pdf: pikepdf.Pdf) -> None:
    """In a chart's form, whose graphics states are direct dictionaries in its resources."""
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and "/Resources" in obj.stream_dict:
            states = obj.stream_dict.Resources.get("/ExtGState")
            if isinstance(states, pikepdf.Dictionary) and len(states):
                next(iter(states.values()))["/TR"] = pikepdf.Name("/Identity")
                return
    raise AssertionError("the sample draws with no graphics state")


def _font_flags_not_a_number(pdf: pikepdf.Pdf) -> None:
    _first(pdf, "/FontDescriptor")["/Flags"] = pikepdf.String("bold")


def _glyph_outline_unreadable(pdf: pikepdf.Pdf) -> None:
    """In the first embedded TrueType program, glyph 1's outline claims more contours than
    its bytes hold; the program otherwise loads as before."""
    descriptor = _first(pdf, "/FontDescriptor")
    data = bytearray(descriptor.FontFile2.read_bytes())
    font = TTFont(io.BytesIO(bytes(data)), lazy=True)
    glyf = font.reader.tables["glyf"].offset
    short = font["head"].indexToLocFormat == 0
    loca = font.reader.tables["loca"].offset
    start = struct.unpack_from(">H" if short else ">L", data, loca + (2 if short else 4))[0]
    assert font["loca"][2] > font["loca"][1], "glyph 1 has no outline"
    struct.pack_into(">h", data, glyf + start * (2 if short else 1), 0x7FFF)
    descriptor.FontFile2.write(bytes(data))


SLIPS: dict[str, Callable[[pikepdf.Pdf], None]] = {
    "a catalog without its XMP": _without_xmp,
    "a page with a key no role knows": _page_with_a_stray_key,
    "a graphics state with a transfer function": _graphics_state_with_a_transfer_function,
    "a font's flags not a number": _font_flags_not_a_number,
    "a glyph whose outline cannot be read": _glyph_outline_unreadable,
}


def _found(path: Path) -> list[tuple[str, str, str]]:
    report = pdfa.validate_written(path, FLAVOUR)
    return [(f.rule, f.where, f.message) for f in report.findings]


@pytest.mark.parametrize("slip", SLIPS)
def it_finds_with_its_shortcut_what_the_full_validation_finds(
    sample_pdf: Path, tmp_path: Path, slip: str
) -> None:
    """An object the role schemas passed before passes again unchecked, and a glyph of a font
    program seen in the last report keeps its verdict: a slip after a clean sample is still
    found, with the same rule at the same object."""
    assert findings(sample_pdf) == []  # its objects now known clean
    slipped = tmp_path / "report.pdf"
    with pikepdf.open(sample_pdf) as pdf:
        SLIPS[slip](pdf)
        pdf.save(slipped)
    full = _found(slipped)
    assert full, f"the validator does not object to {slip}"
    with _schema_checks_once(), _glyphs_once():
        assert _found(slipped) == full
    assert [what for _, what in findings(slipped)] == [
        f"not PDF/A-2b: {rule}: {message} ({where})" for rule, where, message in full
    ]


def it_checks_an_object_seen_clean_only_once(
    sample_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shortcut is in force on the schemas the validator walks with: the sample's
    objects, checked once, are not held to their schemas again."""
    from pikepdf.pdfa._schemas import SchemaSet

    checked: list[str] = []
    check = SchemaSet.check

    def counting(self: SchemaSet, role: str, *args: Any) -> bool:
        checked.append(role)
        return check(self, role, *args)

    monkeypatch.setattr(SchemaSet, "check", counting)
    _found(sample_pdf)
    full = len(checked)
    assert findings(sample_pdf) == []
    checked.clear()
    assert findings(sample_pdf) == []
    assert full > 100 and checked == []


def it_reads_a_glyph_of_the_last_reports_programs_once(
    sample_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shortcut is in force on the programs the validator makes: the sample's glyphs,
    read once, are not read again for the same programs; the class is left as it was."""
    from pikepdf.pdfa._fontprogram import TrueTypeProgram

    read: list[int] = []
    has_gid = TrueTypeProgram.has_gid

    def counting(self: TrueTypeProgram, gid: int) -> bool:
        read.append(gid)
        return has_gid(self, gid)

    monkeypatch.setattr(TrueTypeProgram, "has_gid", counting)
    assert findings(sample_pdf) == []
    read.clear()
    assert findings(sample_pdf) == []
    assert read == [] and TrueTypeProgram.has_gid is counting
    _found(sample_pdf)
    assert len(read) > 100
