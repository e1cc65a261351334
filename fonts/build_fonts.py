"""Build the bundled "Publisher Sans SC" fonts from Debian's Noto Sans CJK SC.

What it does
------------
Reads the Simplified-Chinese face of Debian's ``fonts-noto-cjk`` collections
(``NotoSansCJK-Regular.ttc`` / ``NotoSansCJK-Bold.ttc``, face "Noto Sans CJK SC")
and writes two TrueType fonts next to this script:

* ``PublisherSansSC-Regular.ttf``
* ``PublisherSansSC-Bold.ttf``

Steps, per weight:

1. Subset to GB 2312 (every character the ``gb2312`` codec can encode), Basic
   Latin, Latin-1, General Punctuation, CJK Symbols and Punctuation
   (U+3000-303F), Halfwidth/Fullwidth Forms (U+FF00-FFEF) and a few symbols used
   in reports (see ``EXTRA_SYMBOLS``).  OpenType layout and vertical-metrics
   tables are dropped; cmap, hmtx, name, OS/2 and post are kept.
2. Convert the CFF (cubic, PostScript) outlines to TrueType ``glyf`` quadratic
   outlines with ``fontTools.pens.cu2quPen.Cu2QuPen`` (max error 1.0 font unit,
   contour direction reversed to the TrueType convention), and rebuild
   ``loca``, ``maxp`` (version 1.0), ``head``, ``hmtx`` side bearings and a
   version 3 ``post`` table.  reportlab only embeds TrueType outlines ("postscript
   outlines are not supported"), hence the conversion.
3. Rename the family to "Publisher Sans SC".  The SIL Open Font License forbids a
   Modified Version from using the original's Reserved Font Name, and under the
   original name matplotlib would silently pick a system-installed Noto instead
   of the bundled file.  The Bold face gets usWeightClass 700, the OS/2
   fsSelection bold bit and the head.macStyle bold bit.

The build is deterministic: head.created / head.modified are taken from
``SOURCE_DATE_EPOCH`` when it is set, otherwise copied from the source font, so
running the script twice gives byte-identical files.

How to run
----------
Requires the Debian package ``fonts-noto-cjk`` and ``fonttools``::

    python fonts/build_fonts.py                 # writes into fonts/
    python fonts/build_fonts.py --out-dir /tmp/x --source-dir /path/to/ttc/dir

It takes roughly half a minute per weight.  The result is licensed under the SIL
Open Font License 1.1, see ``fonts/OFL.txt``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from fontTools import subset
from fontTools.misc.timeTools import timestampSinceEpoch
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

FAMILY = "Publisher Sans SC"
PS_FAMILY = "PublisherSansSC"
SOURCE_FAMILY = "Noto Sans CJK SC"
SOURCE_FACE_INDEX = 2  # face index of Noto Sans CJK SC inside Debian's TTCs
DEFAULT_SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
OUT_DIR = Path(__file__).resolve().parent

# style -> (source collection file name, bold?)
WEIGHTS: dict[str, tuple[str, bool]] = {
    "Regular": ("NotoSansCJK-Regular.ttc", False),
    "Bold": ("NotoSansCJK-Bold.ttc", True),
}

MAX_ERR = 1.0  # maximum cubic->quadratic approximation error, in font units

# Unicode blocks kept in full (inclusive ranges).
KEEP_RANGES: list[tuple[int, int]] = [
    (0x0020, 0x007E),  # Basic Latin (printable)
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x2000, 0x206F),  # General Punctuation
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]

# Symbols used in reports (most are already in GB 2312; listed so that the set is
# explicit).  U+2212 MINUS SIGN matters: matplotlib uses it for negative tick
# labels (axes.unicode_minus).
EXTRA_SYMBOLS = "μ±×÷≥≤≈≠−—–‘’“”•·…℃%‰№€¥①②③④⑤⑥⑦⑧⑨⑩↑↓←→↗↘▲▼△▽■□●○◆◇★☆"

# Layout / CFF-only / vertical tables that are not wanted in the output.
DROP_TABLES = ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "VORG", "vhea", "vmtx"]

# OS/2 fsSelection and head.macStyle bits.
FS_ITALIC, FS_BOLD, FS_REGULAR = 1 << 0, 1 << 5, 1 << 6
MAC_BOLD, MAC_ITALIC = 1 << 0, 1 << 1


def wanted_unicodes() -> set[int]:
    """Code points to keep: GB 2312, the KEEP_RANGES blocks and EXTRA_SYMBOLS."""
    cps: set[int] = set()
    for cp in range(0x80, 0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        try:
            chr(cp).encode("gb2312")
        except UnicodeEncodeError:
            continue
        cps.add(cp)
    for lo, hi in KEEP_RANGES:
        cps.update(range(lo, hi + 1))
    cps.update(ord(ch) for ch in EXTRA_SYMBOLS)
    return cps


def load_sc_face(ttc_path: Path) -> TTFont:
    """Return the "Noto Sans CJK SC" face of a TTC, checked via its name table."""
    collection = TTCollection(str(ttc_path), lazy=True)
    names = [face["name"].getDebugName(1) for face in collection.fonts]
    if names[SOURCE_FACE_INDEX] != SOURCE_FAMILY:
        raise SystemExit(
            f"{ttc_path}: face {SOURCE_FACE_INDEX} is {names[SOURCE_FACE_INDEX]!r}, "
            f"expected {SOURCE_FAMILY!r} (faces: {names})"
        )
    font = TTFont(str(ttc_path), fontNumber=SOURCE_FACE_INDEX, recalcTimestamp=False)
    if "CFF " not in font:
        raise SystemExit(f"{ttc_path}: expected CFF outlines in {SOURCE_FAMILY}")
    return font


def subset_font(font: TTFont, unicodes: set[int]) -> None:
    """Subset *font* in place to *unicodes*, dropping layout tables and hints."""
    options = subset.Options()
    options.layout_features = []
    options.drop_tables = sorted(set(options.drop_tables) | set(DROP_TABLES))
    options.name_IDs = ["*"]  # the name table is rewritten by rename() anyway
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    available = set(font.getBestCmap())
    subsetter.populate(unicodes=sorted(unicodes & available))
    subsetter.subset(font)
    # Keep only the Unicode BMP cmap subtables (drop format 14 variation selectors).
    cmap = font["cmap"]
    cmap.tables = [t for t in cmap.tables if t.format in (4, 12)]


def cff_to_glyf(font: TTFont, max_err: float = MAX_ERR) -> None:
    """Replace the CFF table of *font* by quadratic glyf/loca outlines, in place."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    quad_glyphs = {}
    for name in glyph_order:
        tt_pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(tt_pen, max_err, reverse_direction=True))
        quad_glyphs[name] = tt_pen.glyph(dropImpliedOnCurves=True)

    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = quad_glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)  # computes every glyph's bounding box

    # TrueType convention: left side bearing == xMin.
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        advance, _ = hmtx.metrics[name]
        hmtx.metrics[name] = (advance, getattr(glyph, "xMin", 0) if glyph.numberOfContours else 0)

    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(glyph_order)
    maxp.maxZones = 1
    maxp.maxTwilightPoints = 0
    maxp.maxStorage = 0
    maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = 0
    maxp.maxStackElements = 0
    maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = 0
    maxp.recalc(font)  # maxPoints, maxContours, composite maxima

    head = font["head"]
    head.glyphDataFormat = 0

    post = font["post"]
    post.formatType = 3.0  # no glyph names: smaller, and nothing downstream needs them
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = glyph_order

    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font: TTFont, style: str, bold: bool) -> None:
    """Rewrite the name table for the "Publisher Sans SC" family and set style bits."""
    old = font["name"]
    source_copyright = old.getDebugName(0) or "© 2014-2021 Adobe (http://www.adobe.com/)."
    source_version = old.getDebugName(5) or ""
    designer = old.getDebugName(9)
    license_text = old.getDebugName(13)
    license_url = old.getDebugName(14)
    version = source_version.split(";")[0].strip() or f"Version {font['head'].fontRevision:.3f}"
    ps_name = f"{PS_FAMILY}-{style}"

    records = {
        0: f"{source_copyright} Modified by the publisher project: subset, "
        f"converted to TrueType outlines and renamed.",
        1: FAMILY,
        2: style,
        3: f"{version.removeprefix('Version ')};{ps_name}",
        4: f"{FAMILY} {style}",
        5: f"{version}; {FAMILY} is a modified version of {SOURCE_FAMILY}",
        6: ps_name,
        9: designer,
        10: (
            f"{FAMILY} is a modified version of {SOURCE_FAMILY} (Google/Adobe), "
            "subset to GB 2312 plus Latin and punctuation, converted from CFF to "
            "TrueType outlines and renamed, under the SIL Open Font License 1.1."
        ),
        13: license_text,
        14: license_url,
        16: FAMILY,
        17: style,
    }
    name = font["name"] = newTable("name")
    name.names = []
    for name_id, text in records.items():
        if text:
            name.setName(text, name_id, 3, 1, 0x409)

    os2 = font["OS/2"]
    head = font["head"]
    os2.usWeightClass = 700 if bold else 400
    fs = os2.fsSelection & ~(FS_BOLD | FS_REGULAR | FS_ITALIC)
    os2.fsSelection = fs | (FS_BOLD if bold else FS_REGULAR)
    mac = head.macStyle & ~(MAC_BOLD | MAC_ITALIC)
    head.macStyle = mac | (MAC_BOLD if bold else 0)
    os2.recalcAvgCharWidth(font)


def set_timestamps(font: TTFont) -> None:
    """Make head.created/modified deterministic (SOURCE_DATE_EPOCH or the source's)."""
    head = font["head"]
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        head.created = head.modified = timestampSinceEpoch(int(epoch))
    font.recalcTimestamp = False  # otherwise save() stamps the current time


def build_one(source: Path, out: Path, style: str, bold: bool, unicodes: set[int]) -> TTFont:
    """Build one weight from *source* (a TTC) into *out*; return the saved font."""
    font = load_sc_face(source)
    subset_font(font, unicodes)
    cff_to_glyf(font)
    rename(font, style, bold)
    set_timestamps(font)
    font.save(str(out))
    return font


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source-dir",
        type=Path,
        default=DEFAULT_SOURCE_DIR,
        help=f"directory holding the Noto Sans CJK TTCs (default: {DEFAULT_SOURCE_DIR})",
    )
    parser.add_argument(
        "--out-dir", type=Path, default=OUT_DIR, help=f"output directory (default: {OUT_DIR})"
    )
    args = parser.parse_args(argv)

    unicodes = wanted_unicodes()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for style, (ttc_name, bold) in WEIGHTS.items():
        start = time.perf_counter()
        out = args.out_dir / f"{PS_FAMILY}-{style}.ttf"
        font = build_one(args.source_dir / ttc_name, out, style, bold, unicodes)
        print(
            f"{out}: {font['maxp'].numGlyphs} glyphs, {len(font.getBestCmap())} code points, "
            f"{out.stat().st_size / 1e6:.2f} MB, {time.perf_counter() - start:.1f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
