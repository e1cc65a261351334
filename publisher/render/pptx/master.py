"""Deck renderer: the brand master — built from brand colours, or a firm's .pptx, read by name."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide, SlideLayout
from pptx.util import Emu, Inches, Length

from publisher.render.pptx.package import deck_bytes
from publisher.render.pptx.text import Face, style_run

SLIDE_WIDTH = Inches(13.333)  # 16:9, PowerPoint's widescreen size
SLIDE_HEIGHT = Inches(7.5)
MARGIN = Inches(0.5)
LAYOUTS = ("Title", "Content", "Charts")  # the names the renderer asks a template for
# Faces a client's PowerPoint has: 微软雅黑 ships with every Chinese Windows and Office for Mac;
# a firm's template may name its own (our "Publisher Sans SC" only if it says so).
DEFAULT_FACE = Face(latin="Arial", ea="Microsoft YaHei")
TEMPLATE_DATE = dt.datetime(2025, 1, 1)
INK = "#1A1A1A"


@dataclass(frozen=True)
class BrandSpec:
    """What a master needs of the brand: the firm's name and colours."""

    firm: str
    primary: str
    accent: str
    palette: tuple[str, ...] = ()


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def tint(colour: str, share: float) -> str:
    """`colour` mixed into white: `share` 0 is white, 1 the colour itself."""
    rgb = [int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(255 - share * (255 - c)):02X}" for c in rgb)


# --- reading a template ---------------------------------------------------------------------


def theme_face(deck: Deck) -> Face:
    """The theme's body faces; a theme without an East Asian face gets 微软雅黑."""
    theme = etree.fromstring(deck.slide_master.part.part_related_by(RT.THEME).blob)
    minor = theme.find(".//" + qn("a:minorFont"))
    if minor is None:
        return DEFAULT_FACE
    latin = minor.find(qn("a:latin"))
    ea = minor.find(qn("a:ea"))
    latin_face = latin.get("typeface") if latin is not None else ""
    ea_face = ea.get("typeface") if ea is not None else ""
    return Face(latin=latin_face or DEFAULT_FACE.latin, ea=ea_face or DEFAULT_FACE.ea)


def layout(deck: Deck, name: str) -> SlideLayout:
    """The layout called `name` (any master), else a sensible stand-in by position."""
    for master in deck.slide_masters:
        for candidate in master.slide_layouts:
            if candidate.name.strip().lower() == name.lower():
                return candidate
    layouts = deck.slide_layouts
    index = {"title": 0, "content": 1}.get(name.lower(), min(5, len(layouts) - 1))
    return layouts[min(index, len(layouts) - 1)]


def drop_slides(deck: Deck) -> None:
    """A firm's template may carry example slides: the deck starts empty."""
    ids = deck.slides._sldIdLst
    for sld_id in list(ids):
        deck.part.drop_rel(sld_id.rId)
        ids.remove(sld_id)


def open_deck(template: Path | None, brand: BrandSpec) -> Deck:
    """The firm's master, or one built from the brand, without slides."""
    source = io.BytesIO(Path(template).read_bytes() if template else build_template(brand))
    deck = Presentation(source)
    drop_slides(deck)
    return deck


# --- building the bundled template ----------------------------------------------------------


def _theme(deck: Deck, brand: BrandSpec, face: Face) -> None:
    part = deck.slide_master.part.part_related_by(RT.THEME)
    xml = part.blob.decode("utf-8")
    accents = [brand.primary, brand.accent, *brand.palette[2:6]]
    accents += ["#7F7F7F"] * (6 - len(accents))
    colours = {
        "dk2": brand.primary,
        "lt2": "#E7E6E6",
        **{f"accent{n}": c for n, c in enumerate(accents[:6], start=1)},
    }
    for slot, colour in colours.items():
        xml = re.sub(
            rf"<a:{slot}>.*?</a:{slot}>",
            f'<a:{slot}><a:srgbClr val="{colour.lstrip("#").upper()}"/></a:{slot}>',
            xml,
        )
    xml = re.sub(r'<a:latin typeface="[^"]*"/>', f'<a:latin typeface="{face.latin}"/>', xml)
    xml = re.sub(r'<a:ea typeface="[^"]*"/>', f'<a:ea typeface="{face.ea}"/>', xml)
    xml = xml.replace('name="Office Theme"', 'name="Publisher Brand"')
    part._blob = xml.encode("utf-8")  # a theme is a plain part: python-pptx keeps its bytes


def _drop_placeholders(shapes: object, kinds: tuple[str, ...]) -> None:
    for shape in list(shapes.placeholders):  # type: ignore[attr-defined]
        ph = shape._element.find(".//" + qn("p:ph"))
        if ph is not None and ph.get("type") in kinds:
            shape._element.getparent().remove(shape._element)


def _place(shape: object, left: int, top: int, width: int, height: int) -> None:
    shape.left, shape.top, shape.width, shape.height = (  # type: ignore[attr-defined]
        Emu(left),
        Emu(top),
        Emu(width),
        Emu(height),
    )


def _text_style(shape: object, size: float, colour: str, bold: bool, anchor: str) -> None:
    """A placeholder's own list style: what typed text looks like, in the brand."""
    sp = shape._element  # type: ignore[attr-defined]
    body = sp.find(qn("p:txBody"))
    if body is None:
        return
    body_pr = body.find(qn("a:bodyPr"))
    body_pr.set("anchor", anchor)
    body_pr.set("wrap", "square")
    lst = body.find(qn("a:lstStyle"))
    for child in list(lst):
        lst.remove(child)
    level = etree.SubElement(lst, qn("a:lvl1pPr"), marL="0", indent="0", algn="l")
    etree.SubElement(level, qn("a:buNone"))
    rpr = etree.SubElement(level, qn("a:defRPr"), sz=str(round(size * 100)), b=str(int(bold)))
    fill = etree.SubElement(rpr, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr"), val=colour.lstrip("#").upper())


def _scratch(deck: Deck) -> Slide:
    """A slide to draw decorations on with python-pptx's API before moving them to a master."""
    return deck.slides.add_slide(deck.slide_layouts[6])


def _move(slide: Slide, target: object, behind: bool = True) -> None:
    """Move every shape of the scratch slide into a master or layout, behind its placeholders."""
    tree = target.shapes._spTree  # type: ignore[attr-defined]
    anchor = tree.find(qn("p:grpSpPr"))
    for shape in list(slide.shapes._spTree)[2:]:
        if behind:
            anchor.addnext(shape)
            anchor = shape
        else:
            tree.append(shape)
    _renumber(tree)


def _renumber(tree: etree._Element) -> None:
    for n, nv in enumerate(tree.iter(qn("p:cNvPr")), start=2):
        nv.set("id", str(n))


def _logo(slide: Slide, brand: BrandSpec, left: Length, top: Length, on_dark: bool) -> None:
    """The wordmark: a brand square with the accent stripe, and the firm's name."""
    face = DEFAULT_FACE
    size = Inches(0.34)
    group = slide.shapes.add_group_shape()
    group.name = "Brand Logo"
    mark = group.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, size, size)
    mark.fill.solid()
    mark.fill.fore_color.rgb = _rgb("#FFFFFF" if on_dark else brand.primary)
    mark.line.fill.background()
    stripe = group.shapes.add_shape(
        MSO_SHAPE.RECTANGLE, left, Emu(top + size - Inches(0.08)), size, Inches(0.08)
    )
    stripe.fill.solid()
    stripe.fill.fore_color.rgb = _rgb(brand.accent)
    stripe.line.fill.background()
    name = group.shapes.add_textbox(
        Emu(left + size + Inches(0.1)), Emu(top - Inches(0.03)), Inches(4.2), size
    )
    frame = name.text_frame
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame.word_wrap = False
    colour = "#FFFFFF" if on_dark else brand.primary
    style_run(frame.paragraphs[0].add_run(), brand.firm, face, 12, colour, bold=True)


def _rect(slide: Slide, name: str, box: tuple[Length, Length, Length, Length], colour: str) -> None:
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *box)
    shape.name = name
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(colour)
    shape.line.fill.background()
    shape.shadow.inherit = False


def _master(deck: Deck, brand: BrandSpec) -> None:
    master = deck.slide_master
    _drop_placeholders(master, ("dt", "ftr", "sldNum"))
    width = Emu(SLIDE_WIDTH - 2 * MARGIN)
    for shape in master.placeholders:
        if shape.placeholder_format.idx == 0:
            _place(shape, MARGIN, Inches(0.3), Inches(8.6), Inches(0.72))
            _text_style(shape, 24, brand.primary, True, "b")
        else:
            _place(shape, MARGIN, Inches(1.32), width, Inches(4.95))
            _text_style(shape, 16, INK, False, "t")
    scratch = _scratch(deck)
    _rect(scratch, "Brand Rule", (MARGIN, Inches(1.1), width, Inches(0.025)), brand.primary)
    _rect(scratch, "Brand Accent", (MARGIN, Inches(1.08), Inches(1.1), Inches(0.065)), brand.accent)
    _logo(scratch, brand, Emu(SLIDE_WIDTH - MARGIN - Inches(3.6)), Inches(0.5), on_dark=False)
    _move(scratch, master)


def _title_layout(deck: Deck, slide_layout: SlideLayout, brand: BrandSpec) -> None:
    slide_layout.name = "Title"
    # the cover has its own band and logo: the master's rule and wordmark would cut through it
    slide_layout._element.cSld.getparent().set("showMasterSp", "0")
    band = Inches(4.1)
    # python-pptx declares the placeholders' __iter__ as a Callable attribute: mypy rejects it
    for shape in slide_layout.placeholders:  # type: ignore[misc]
        if shape.placeholder_format.idx == 0:
            _place(shape, Inches(0.75), Inches(1.25), Inches(11.2), Inches(1.2))
            _text_style(shape, 40, "#FFFFFF", True, "b")
        else:
            _place(shape, Inches(0.75), Inches(2.6), Inches(11.2), Inches(1.2))
            _text_style(shape, 20, "#FFFFFF", False, "t")
    scratch = _scratch(deck)
    _rect(scratch, "Brand Band", (Emu(0), Emu(0), SLIDE_WIDTH, band), brand.primary)
    facet = scratch.shapes.add_shape(
        MSO_SHAPE.RIGHT_TRIANGLE, Inches(9.0), Emu(0), Emu(SLIDE_WIDTH - Inches(9.0)), band
    )
    facet.name = "Brand Facet"
    facet.rotation = 180.0
    facet.fill.solid()
    facet.fill.fore_color.rgb = _rgb(tint(brand.primary, 0.82))
    facet.line.fill.background()
    _rect(scratch, "Brand Stripe", (Emu(0), band, SLIDE_WIDTH, Inches(0.09)), brand.accent)
    _logo(scratch, brand, Inches(0.75), Inches(0.45), on_dark=True)
    _move(scratch, slide_layout)


def _body_layout(slide_layout: SlideLayout, name: str) -> None:
    slide_layout.name = name
    # python-pptx declares the placeholders' __iter__ as a Callable attribute: mypy rejects it
    for shape in slide_layout.placeholders:  # type: ignore[misc]
        # layouts inherit position and style from the master: drop their 4:3 copies
        sp_pr = shape._element.find(qn("p:spPr"))
        for child in list(sp_pr):
            sp_pr.remove(child)


def _delete_slide(deck: Deck, index: int) -> None:
    sld_id = deck.slides._sldIdLst[index]
    deck.part.drop_rel(sld_id.rId)
    deck.slides._sldIdLst.remove(sld_id)


def build_template(brand: BrandSpec, face: Face = DEFAULT_FACE) -> bytes:
    """A 16:9 master in the brand: layouts Title, Content and Charts; reproducible bytes."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    _theme(deck, brand, face)
    layouts = list(deck.slide_layouts)
    _master(deck, brand)
    _title_layout(deck, layouts[0], brand)
    _body_layout(layouts[1], "Content")
    _body_layout(layouts[5], "Charts")
    for slide_layout in layouts:
        _drop_placeholders(slide_layout, ("dt", "ftr", "sldNum"))
    while len(deck.slides):
        _delete_slide(deck, 0)
    for slide_layout in layouts:
        if slide_layout.name not in LAYOUTS:
            deck.slide_layouts.remove(slide_layout)
    props = deck.core_properties
    props.title, props.author = f"{brand.firm} 模板", brand.firm
    props.last_modified_by, props.revision = "publisher", 1
    props.created = props.modified = TEMPLATE_DATE
    return deck_bytes(deck)


def brand_from_toml(path: Path) -> BrandSpec:
    import tomllib

    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    firm = data["firm"]
    colours = firm["colors"]
    return BrandSpec(
        firm=firm["name"],
        primary=colours["primary"],
        accent=colours["accent"],
        palette=tuple(colours.get("palette", ())),
    )


def placeholder_box(slide_layout: SlideLayout, idx: int) -> tuple[int, int, int, int] | None:
    """Where a layout's placeholder sits (inherited from the master when the layout is silent)."""
    # python-pptx declares the placeholders' __iter__ as a Callable attribute: mypy rejects it
    for shape in slide_layout.placeholders:  # type: ignore[misc]
        if shape.placeholder_format.idx == idx and shape.width:
            return (int(shape.left), int(shape.top), int(shape.width), int(shape.height))
    master = slide_layout.slide_master
    for master_shape in master.placeholders:  # type: ignore[misc]  # as above
        wanted = "title" if idx == 0 else "body"
        ph = master_shape._element.find(".//" + qn("p:ph"))
        if ph is not None and (ph.get("type") or "body") == wanted and master_shape.width:
            left, top = int(master_shape.left), int(master_shape.top)
            return (left, top, int(master_shape.width), int(master_shape.height))
    return None
