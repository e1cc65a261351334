"""Deck renderer: the bundled Chinese face embedded in the deck, so its text travels in its face."""

from __future__ import annotations

import functools
import io
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont
from lxml import etree
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as Deck

from publisher.assets import FONT_BOLD, FONT_FAMILY, FONT_REGULAR
from publisher.fontcache import CACHE_DIR as FONT_CACHE
from publisher.fontcache import cut_once
from publisher.render.pptx.master import theme_face
from publisher.render.pptx.text import Face

# Without a firm template the deck's Chinese is set in the face it embeds: what is embedded is
# what is used. Latin stays Arial, which every client has.
BUNDLED_FACE = Face(latin="Arial", ea=FONT_FAMILY)
CACHE_DIR = FONT_CACHE / "deck"
CT_FONTDATA = "application/x-fontdata"
RT_FONT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
PARTNAME = "/ppt/fonts/font%d.fntdata"
WEIGHTS = (("regular", FONT_REGULAR), ("bold", FONT_BOLD))
# Parts whose text a reader sees: slides, their layouts and masters, charts, notes.
TEXT_PARTS = ("/ppt/slides/", "/ppt/slideLayouts/", "/ppt/slideMasters/", "/ppt/charts/")
TEXT_TAGS = (qn("a:t"), qn("c:v"), qn("c:formatCode"))
# p:presentation's children after p:embeddedFontLst, in schema order (ECMA-376 CT_Presentation)
AFTER_FONTS = (
    "p:custShowLst",
    "p:photoAlbum",
    "p:custDataLst",
    "p:kinsoku",
    "p:defaultTextStyle",
    "p:modifyVerifier",
    "p:extLst",
)
EOT_VERSION = 0x00020001
EOT_MAGIC = 0x504C
# Flags 0: no MTX compression, no XOR. Not TTEMBED_SUBSET either: that flag is what "embed only
# the characters used" writes, and the subset here is meant for editing common text too.
EOT_FLAGS = 0
EOT_FIXED = struct.Struct("<4I10sBBIHH4I2II4I")  # EOTSize … Reserved4, before the names
PANOSE = (
    "bFamilyType",
    "bSerifStyle",
    "bWeight",
    "bProportion",
    "bContrast",
    "bStrokeVariation",
    "bArmStyle",
    "bLetterForm",
    "bMidline",
    "bXHeight",
)
PITCH_FAMILY = "34"  # FF_SWISS | VARIABLE_PITCH: a proportional sans
CHARSET = "-122"  # GB2312_CHARSET (134) as the signed byte PowerPoint writes


@dataclass(frozen=True)
class EmbeddedFace:
    """One weight as the deck carries it: its slot in p:embeddedFont and its .fntdata bytes."""

    slot: str  # regular | bold
    eot: bytes
    panose: str  # the OS/2 PANOSE bytes in hex, as p:font wants them


@functools.cache
def common_characters() -> str:
    """What a client may type and still keep the face: GB2312 level 1 (the 3,755 common hanzi),
    ASCII, and the punctuation Chinese text is written with."""
    level1 = bytes(
        byte
        for row in range(0xB0, 0xD8)
        for cell in range(0xA1, 0xFF)
        if (row, cell) <= (0xD7, 0xF9)  # level 1 ends at 0xD7F9; the row's last 5 are empty
        for byte in (row, cell)
    ).decode("gb2312")
    ranges = ((0x20, 0x7E), (0x2010, 0x2026), (0x3000, 0x303F), (0xFF01, 0xFF5E))
    marks = "".join(chr(c) for low, high in ranges for c in range(low, high + 1))
    return level1 + marks + "·￥"


def text_characters(element: etree._Element) -> set[str]:
    """Every character the text under `element` shows."""
    return set("".join([text.text or "" for text in element.iter(*TEXT_TAGS)]))


def deck_characters(deck: Deck, known: Mapping[str, set[str]]) -> str:
    """Every character the deck's slides, layouts, masters and charts show, sorted; `known`
    has those of parts kept as bytes, by part name, read when they were made."""
    chars: set[str] = set()
    for part in deck.part.package.iter_parts():
        name = str(part.partname)
        if name.startswith(TEXT_PARTS):
            chars |= known[name] if name in known else text_characters(_element(part))
    return "".join(sorted(chars))


def _element(part: Part) -> etree._Element:
    element = getattr(part, "_element", None)
    if element is None:  # a part kept as bytes and not in `known`: read it here
        element = etree.fromstring(part.blob)
    return element


@functools.lru_cache(maxsize=8)
def subset_font(path: Path, text: str) -> bytes:
    """The TrueType at `path` cut to the glyphs of `text`; the same bytes for the same input
    (the head table's dates are the source's, never the clock). Cut once per machine: the
    text is mostly the common characters, so a day's deck finds yesterday's cut."""

    def cut(out: Path) -> None:
        # imported only to cut (0.06 s): a machine that has the cut already never needs it
        from fontTools import subset

        options = subset.Options()
        options.name_IDs = ["*"]  # keep the family and licence names
        options.name_languages = ["*"]
        options.notdef_outline = True
        options.layout_features = []
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        # closed when cut: a file left to the garbage collector warns (ResourceWarning) at
        # whatever runs next, and pikepdf.pdfa's validator counts a warning raised while it
        # parses a page as a finding (a flaky "not PDF/A-2b" on the meeting PDF)
        # recalcBBoxes off: glyphs are copied as they are, not re-encoded (0.15 s, not 2 s)
        with TTFont(path, recalcTimestamp=False, recalcBBoxes=False) as font:
            subsetter.subset(font)
            font.save(out)

    return cut_once(path, f"deck {text}", cut, CACHE_DIR).read_bytes()


def _name(font: TTFont, name_id: int) -> bytes:
    record = font["name"].getName(name_id, 3, 1, 0x409) or font["name"].getName(name_id, 1, 0, 0)
    return record.toUnicode().encode("utf-16-le") if record else b""


def eot(ttf: bytes) -> bytes:
    """`ttf` wrapped as Embedded OpenType (W3C submission 2008), version 0x00020001: the header
    PowerPoint reads a .fntdata by, then the TrueType data as it is."""
    font = TTFont(io.BytesIO(ttf), lazy=True)
    os2, head = font["OS/2"], font["head"]
    names = b"".join(
        struct.pack("<HH", 0, len(text)) + text  # padding, size in bytes, UTF-16LE
        for text in (*(_name(font, i) for i in (1, 2, 5, 4)), b"")  # family, style, version,
    )  # full name, and an empty root string
    size = EOT_FIXED.size + len(names) + len(ttf)
    fixed = EOT_FIXED.pack(
        size,
        len(ttf),
        EOT_VERSION,
        EOT_FLAGS,
        bytes(getattr(os2.panose, field) for field in PANOSE),
        1,  # DEFAULT_CHARSET, as the format asks
        os2.fsSelection & 1,
        os2.usWeightClass,
        os2.fsType,
        EOT_MAGIC,
        os2.ulUnicodeRange1,
        os2.ulUnicodeRange2,
        os2.ulUnicodeRange3,
        os2.ulUnicodeRange4,
        os2.ulCodePageRange1,
        os2.ulCodePageRange2,
        head.checkSumAdjustment,
        0,
        0,
        0,
        0,
    )
    return fixed + names + ttf


def embedded_faces(text: str) -> tuple[EmbeddedFace, ...]:
    """Regular and bold, each cut to `text` plus the common characters."""
    wanted = "".join(sorted(set(text) | set(common_characters())))
    return tuple(_face(slot, subset_font(path, wanted)) for slot, path in WEIGHTS)


def _face(slot: str, ttf: bytes) -> EmbeddedFace:
    os2 = TTFont(io.BytesIO(ttf), lazy=True)["OS/2"]
    panose = "".join(f"{getattr(os2.panose, field):02X}" for field in PANOSE)
    return EmbeddedFace(slot, eot(ttf), panose)


def _entry(deck: Deck, faces: tuple[EmbeddedFace, ...]) -> etree._Element:
    """p:embeddedFont naming the face as the text does, its weights related as font parts."""
    entry = etree.Element(qn("p:embeddedFont"))
    etree.SubElement(
        entry,
        qn("p:font"),
        typeface=FONT_FAMILY,
        panose=faces[0].panose,
        pitchFamily=PITCH_FAMILY,
        charset=CHARSET,
    )
    names = _free_names(deck, len(faces))
    for face, name in zip(faces, names, strict=True):
        part = Part(name, CT_FONTDATA, deck.part.package, face.eot)
        r_id = deck.part.relate_to(part, RT_FONT)
        etree.SubElement(entry, qn(f"p:{face.slot}")).set(qn("r:id"), r_id)
    return entry


def _free_names(deck: Deck, count: int) -> list[PackURI]:
    """Font part names no part holds yet (a firm's template may carry fonts of its own)."""
    taken = {str(part.partname) for part in deck.part.package.iter_parts()}
    free = (PARTNAME % n for n in range(1, len(taken) + count + 1))
    return [PackURI(name) for name in free if name not in taken][:count]


def _font_list(deck: Deck) -> etree._Element:
    """The presentation's p:embeddedFontLst, made in its schema place when missing (a firm's
    template may bring one with its own faces)."""
    presentation = deck.part._element
    found = presentation.find(qn("p:embeddedFontLst"))
    if found is not None:
        return found
    font_list = etree.Element(qn("p:embeddedFontLst"))
    presentation.insert_element_before(font_list, *AFTER_FONTS)
    return font_list


def _drop_entry(deck: Deck, font_list: etree._Element, typeface: str) -> None:
    """A template's own copy of the face goes: the deck carries one, cut to its text."""
    for entry in font_list.findall(qn("p:embeddedFont")):
        font = entry.find(qn("p:font"))
        if font is not None and font.get("typeface") == typeface:
            ids = [child.get(qn("r:id")) for child in entry if child.get(qn("r:id"))]
            font_list.remove(entry)
            for r_id in ids:
                deck.part.drop_rel(r_id)


def embed_fonts(deck: Deck, known: Mapping[str, set[str]]) -> bool:
    """Embed the bundled face when the deck's East Asian text names it (a firm template naming
    another face keeps it, unembedded: we can ship only our own font). True if embedded.
    `known`: the characters of parts kept as bytes, by part name (see deck_characters)."""
    if theme_face(deck).ea != FONT_FAMILY:
        return False
    faces = embedded_faces(deck_characters(deck, known))
    font_list = _font_list(deck)
    _drop_entry(deck, font_list, FONT_FAMILY)
    font_list.append(_entry(deck, faces))
    return True
