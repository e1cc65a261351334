"""Deck renderer: the deck carries its Chinese face as Embedded OpenType, cut to what it shows."""

from __future__ import annotations

import ctypes
import ctypes.util
import io
import os
import struct
import subprocess
import sys
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from publisher.assets import FONT_FAMILY
from publisher.layout.model import ChartGrid, Document, Paragraph, Section
from publisher.render.pptx import render_pptx
from publisher.render.pptx.master import DEFAULT_FACE, brand_from_toml, build_template
from publisher.render.pptx.text import Face
from tests.render.deck_fixtures import sample_deck, sample_document

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}
RT_FONT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
TTEMBED_TTCOMPRESSED = 0x4
TTEMBED_XORENCRYPTDATA = 0x10000000
BRAND = Path(__file__).resolve().parents[2] / "samples" / "brand"
RARE = "钼"  # GB2312 level 2 (0xEEE2): in the deck only where a document says it
ABSENT = "鑫"  # level 2 as well, and in no fixture document


@dataclass(frozen=True)
class Eot:
    """An EOT's header fields as the W3C submission lays them out, and its font data."""

    eot_size: int
    font_data_size: int
    version: int
    flags: int
    weight: int
    fs_type: int
    magic: int
    family: str
    style: str
    font_data: bytes


def read_eot(data: bytes) -> Eot:
    """Parse an EOT header field by field (version 0x00020001 or 0x00020002)."""
    eot_size, data_size, version, flags = struct.unpack_from("<4I", data, 0)
    weight, fs_type, magic = struct.unpack_from("<IHH", data, 28)
    offset = 36 + 16 + 8 + 4 + 16  # unicode ranges, code page ranges, checksum, reserved
    strings = []
    for _ in range(5 if version >= 0x00020001 else 4):  # family, style, version, full, root
        padding, size = struct.unpack_from("<HH", data, offset)
        assert padding == 0
        strings.append(data[offset + 4 : offset + 4 + size].decode("utf-16-le"))
        offset += 4 + size
    if version == 0x00020002:
        offset += 8  # RootStringCheckSum, EUDCCodePage
        padding, signature = struct.unpack_from("<HH", data, offset)
        offset += 4 + signature + 4  # signature, EUDCFlags
        (eudc,) = struct.unpack_from("<I", data, offset)
        offset += 4 + eudc
    font_data = data[offset : offset + data_size]
    return Eot(eot_size, data_size, version, flags, weight, fs_type, magic, *strings[:2], font_data)


def _xml(deck: zipfile.ZipFile, name: str) -> etree._Element:
    return etree.fromstring(deck.read(name))


def _fonts(path: Path) -> dict[str, bytes]:
    """slot (regular, bold) → the .fntdata bytes p:embeddedFontLst points at."""
    with zipfile.ZipFile(path) as deck:
        presentation = _xml(deck, "ppt/presentation.xml")
        rels = _xml(deck, "ppt/_rels/presentation.xml.rels")
        targets = {
            rel.get("Id"): rel.get("Target")
            for rel in rels.iterfind("rel:Relationship", NS)
            if rel.get("Type") == RT_FONT
        }
        entries = presentation.findall("p:embeddedFontLst/p:embeddedFont", NS)
        return {
            etree.QName(slot).localname: deck.read("ppt/" + targets[slot.get(f"{{{NS['r']}}}id")])
            for entry in entries
            for slot in entry
            if slot.get(f"{{{NS['r']}}}id")
        }


def shown_characters(path: Path) -> set[str]:
    """Every character of every slide's a:t, and of every chart's a:t and c:v."""
    chars: set[str] = set()
    with zipfile.ZipFile(path) as deck:
        for name in deck.namelist():
            if name.startswith("ppt/slides/slide") and name.endswith(".xml"):
                tags = ("a:t",)
            elif name.startswith("ppt/charts/chart") and name.endswith(".xml"):
                tags = ("a:t", "c:v")
            else:
                continue
            root = _xml(deck, name)
            for tag in tags:
                for element in root.iterfind(f".//{tag}", NS):
                    chars.update(element.text or "")
    return {char for char in chars if char >= " "}


def gb2312_level1() -> set[str]:
    chars = set()
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            if row == 0xD7 and cell > 0xF9:
                continue
            chars.add(bytes((row, cell)).decode("gb2312"))
    return chars


def it_embeds_regular_and_bold_as_uncompressed_eot() -> None:
    fonts = _fonts(sample_deck().path)
    assert set(fonts) == {"regular", "bold"}
    for slot, data in fonts.items():
        eot = read_eot(data)
        assert eot.eot_size == len(data)
        assert eot.version in (0x00020001, 0x00020002)
        assert eot.magic == 0x504C
        assert not eot.flags & TTEMBED_TTCOMPRESSED, "MTX compressed"
        assert not eot.flags & TTEMBED_XORENCRYPTDATA, "XOR obfuscated"
        assert eot.font_data_size == len(eot.font_data) and data.endswith(eot.font_data)
        assert (eot.family, eot.style) == (FONT_FAMILY, slot.capitalize())
        assert eot.fs_type & 0x000E in (0, 0x0008)  # installable or editable: text stays editable
        font = TTFont(io.BytesIO(eot.font_data))
        assert font["name"].getDebugName(1) == FONT_FAMILY
        assert font["OS/2"].usWeightClass == eot.weight == (700 if slot == "bold" else 400)
        assert "glyf" in font


def it_has_a_glyph_for_every_character_the_deck_shows() -> None:
    path = sample_deck().path
    shown = shown_characters(path)
    assert len(shown) > 300  # the collection found the deck's Chinese text
    for slot, data in _fonts(path).items():
        cmap = TTFont(io.BytesIO(read_eot(data).font_data)).getBestCmap()
        missing = sorted(char for char in shown if ord(char) not in cmap)
        assert not missing, f"{slot} lacks {''.join(missing)}"


def it_covers_the_common_hanzi_a_client_may_type() -> None:
    level1 = gb2312_level1()
    assert len(level1) == 3755
    for slot, data in _fonts(sample_deck().path).items():
        cmap = TTFont(io.BytesIO(read_eot(data).font_data)).getBestCmap()
        missing = sorted(char for char in level1 if ord(char) not in cmap)
        assert not missing, f"{slot} lacks {len(missing)} level-1 hanzi, e.g. {missing[:5]}"
        for char in "，。、；：？！“”（）《》【】—…ABCxyz0129%":
            assert ord(char) in cmap, f"{slot} lacks {char}"
        # a subset, not the whole font: a level-2 hanzi no deck text uses is left out
        assert ord(ABSENT) not in cmap


def it_lists_the_fonts_in_schema_order_with_resolving_ids() -> None:
    with zipfile.ZipFile(sample_deck().path) as deck:
        presentation = _xml(deck, "ppt/presentation.xml")
        rels = _xml(deck, "ppt/_rels/presentation.xml.rels")
        types = _xml(deck, "[Content_Types].xml")
        names = set(deck.namelist())
    children = [etree.QName(child).localname for child in presentation]
    assert children.index("embeddedFontLst") == children.index("notesSz") + 1
    entry = presentation.find("p:embeddedFontLst/p:embeddedFont", NS)
    assert entry.find("p:font", NS).get("typeface") == FONT_FAMILY
    by_id = {rel.get("Id"): rel for rel in rels}
    for slot in ("regular", "bold"):
        rel = by_id[entry.find(f"p:{slot}", NS).get(f"{{{NS['r']}}}id")]
        assert rel.get("Type") == RT_FONT
        target = "ppt/" + rel.get("Target")
        assert target in names and target.endswith(".fntdata")
    defaults = {d.get("Extension"): d.get("ContentType") for d in types.iterfind("ct:Default", NS)}
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.iterfind("ct:Override", NS)}
    for target in (n for n in names if n.endswith(".fntdata")):
        content_type = overrides.get("/" + target) or defaults.get("fntdata")
        assert content_type == "application/x-fontdata"


def it_names_the_embedded_face_wherever_the_deck_sets_chinese() -> None:
    faces = set()
    with zipfile.ZipFile(sample_deck().path) as deck:
        for name in deck.namelist():
            if name.startswith(("ppt/slides/slide", "ppt/charts/chart", "ppt/theme/")):
                faces |= {e.get("typeface") for e in _xml(deck, name).iterfind(".//a:ea", NS)}
    assert faces == {FONT_FAMILY}


def _with_paragraph(document: Document, text: str) -> Document:
    extra = Section("extra", "补充", (Paragraph(text),), "view")
    return replace(document, sections=(*document.sections, extra))


def it_adds_a_rarer_character_the_deck_uses(tmp_path: Path, document: Document) -> None:
    longer = _with_paragraph(document, f"钢联口径：{RARE}铁价格。")
    result = render_pptx(longer, tmp_path / "deck.pptx")
    assert RARE in shown_characters(result.path)
    for data in _fonts(result.path).values():
        cmap = TTFont(io.BytesIO(read_eot(data).font_data)).getBestCmap()
        assert ord(RARE) in cmap and ord(ABSENT) not in cmap


def it_leaves_a_firm_templates_own_face_alone(tmp_path: Path, document: Document) -> None:
    """A firm template naming 微软雅黑: the deck keeps it and embeds nothing (we can ship only
    our own face, and an embedded face nobody's text names is dead weight)."""
    template = tmp_path / "firm.pptx"
    template.write_bytes(build_template(brand_from_toml(BRAND / "brand.toml"), DEFAULT_FACE))
    result = render_pptx(document, tmp_path / "deck.pptx", template)
    assert _fonts(result.path) == {}
    with zipfile.ZipFile(result.path) as deck:
        assert not [n for n in deck.namelist() if n.endswith(".fntdata")]


def it_embeds_for_a_firm_template_that_names_the_bundled_face(
    tmp_path: Path, document: Document
) -> None:
    template = tmp_path / "firm.pptx"
    brand = brand_from_toml(BRAND / "brand.toml")
    template.write_bytes(build_template(brand, Face("Arial", FONT_FAMILY)))
    result = render_pptx(document, tmp_path / "deck.pptx", template)
    assert set(_fonts(result.path)) == {"regular", "bold"}


def it_carries_one_copy_when_the_template_embeds_the_face_already(
    tmp_path: Path, document: Document
) -> None:
    """A deck of ours used as the next one's template brings its fonts: they are replaced."""
    first = render_pptx(document, tmp_path / "first.pptx")
    second = render_pptx(document, tmp_path / "second.pptx", first.path)
    with zipfile.ZipFile(second.path) as deck:
        presentation = _xml(deck, "ppt/presentation.xml")
        parts = [n for n in deck.namelist() if n.endswith(".fntdata")]
    assert len(presentation.findall("p:embeddedFontLst/p:embeddedFont", NS)) == 1
    assert len(parts) == 2 and set(_fonts(second.path)) == {"regular", "bold"}


SUBSET_HASH = """
import hashlib
from publisher.render.pptx.embed import embedded_faces
faces = embedded_faces("工业硅多晶硅钼")
print(hashlib.sha256(b"".join(face.eot for face in faces)).hexdigest())
"""


def it_cuts_the_same_bytes_in_every_process() -> None:
    """Subsetting is deterministic: no clock, and no set order that string hashing decides."""
    digests = {
        subprocess.run(
            [sys.executable, "-c", SUBSET_HASH],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def _libeot() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("eot")
    return ctypes.CDLL(name) if name else None


@pytest.mark.skipif(_libeot() is None, reason="libeot (LibreOffice's EOT reader) is not installed")
def it_reads_back_with_libeot_as_the_same_truetype() -> None:
    """libeot, which LibreOffice reads EOT with, unwraps each part to the font inside, and
    says its embedding rights allow editing."""
    lib = _libeot()
    assert lib is not None
    for data in _fonts(sample_deck().path).values():
        metadata = ctypes.create_string_buffer(1 << 16)  # larger than libeot's EOTMetadata
        out = ctypes.POINTER(ctypes.c_uint8)()
        size = ctypes.c_uint()
        source = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        error = lib.EOT2ttf_buffer(  # (eot, size, metadata out, ttf out, ttf size out)
            source, len(data), metadata, ctypes.byref(out), ctypes.byref(size)
        )
        assert error == 0  # EOT_SUCCESS
        ttf = ctypes.string_at(out, size.value)
        lib.EOTfreeBuffer(out)
        assert ttf == read_eot(data).font_data
        assert lib.EOTcanLegallyEdit(metadata) == 1
        lib.EOTfreeMetadata(metadata)


def it_costs_about_a_megabyte_and_a_half() -> None:
    """Two weights of 3,800 glyphs, deflated: a budget, so a change that embeds the whole font
    (or nothing) shows."""
    with zipfile.ZipFile(sample_deck().path) as deck:
        packed = sum(i.compress_size for i in deck.infolist() if i.filename.endswith(".fntdata"))
    assert 1_000_000 < packed < 1_800_000, packed


def it_deflates_the_fonts_once_and_stores_what_is_packed_already() -> None:
    """An uncompressed EOT deflates by a third; workbooks (zips) and JPEGs are stored as they are,
    never deflated a second time."""
    with zipfile.ZipFile(sample_deck().path) as deck:
        entries = deck.infolist()
    fonts = [i for i in entries if i.filename.endswith(".fntdata")]
    assert fonts and all(i.compress_type == zipfile.ZIP_DEFLATED for i in fonts)
    assert all(i.compress_size < 0.8 * i.file_size for i in fonts)
    packed = [i for i in entries if i.filename.endswith((".xlsx", ".jpeg", ".png"))]
    assert packed and all(i.compress_type == zipfile.ZIP_STORED for i in packed)


def it_adds_a_rarer_character_only_a_chart_shows(tmp_path: Path) -> None:
    """Charts are kept as bytes, not parsed trees: their text is still read for the cut."""
    document = sample_document()
    lines = next(
        block
        for section in document.sections
        for block in section.blocks
        if isinstance(block, ChartGrid) and block.charts[0].data.kind == "lines"
    )
    chart = lines.charts[0]
    renamed = replace(chart.data.series[0], name=f"{RARE}价格")
    data = replace(chart.data, series=(renamed, *chart.data.series[1:]))
    grid = replace(lines, charts=(replace(chart, data=data), *lines.charts[1:]))
    only = Section("one", "一图", (grid,), "charts")
    result = render_pptx(replace(document, sections=(only,)), tmp_path / "deck.pptx")
    assert RARE in shown_characters(result.path)
    for data_ in _fonts(result.path).values():
        assert ord(RARE) in TTFont(io.BytesIO(read_eot(data_).font_data)).getBestCmap()


def it_deflates_the_embedded_faces_lightly_and_the_rest_fully() -> None:
    import zlib

    def deflated(data: bytes, level: int) -> int:
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        return len(packer.compress(data) + packer.flush())

    with zipfile.ZipFile(sample_deck().path) as deck:
        faces = [i for i in deck.infolist() if i.filename.endswith(".fntdata")]
        slide = deck.getinfo("ppt/slides/slide2.xml")
        assert faces and all(i.compress_size == deflated(deck.read(i), 1) for i in faces)
        assert slide.compress_size == deflated(deck.read(slide), 6)
