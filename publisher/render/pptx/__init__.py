"""Deck renderer: the Document as a 16:9 PPTX with native, editable charts (python-pptx)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Mapping
from contextlib import nullcontext
from pathlib import Path

from pptx import Presentation
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide

from publisher.atomic import write_atomically
from publisher.layout.model import Document
from publisher.render.pptx import plan as p
from publisher.render.pptx.charts import NativeChart, NotNative
from publisher.render.pptx.embed import BUNDLED_FACE, embed_fonts
from publisher.render.pptx.geometry import Geometry, geometry, pt
from publisher.render.pptx.master import (
    BrandSpec,
    build_template,
    layout,
    open_deck,
    theme_face,
)
from publisher.render.pptx.package import deck_bytes
from publisher.render.pptx.slides import (
    Ink,
    cover,
    drop_empty_placeholders,
    footer,
    slide_title,
    table_slide,
    text_slide,
)
from publisher.render.pptx.slots import PartNames, chart_slide, native_jobs, native_part
from publisher.render.results import DeckResult
from publisher.workers import forked_map

__all__ = ["DeckResult", "load_deck_renderer", "render_pptx"]


def _brand(document: Document) -> BrandSpec:
    return BrandSpec(document.compliance.firm, document.primary, document.accent)


def _open(template: Path | None, brand: BrandSpec) -> Deck:
    """The firm's master; without one, a master in the brand naming the bundled face, which the
    deck then embeds, so its Chinese looks the same on a machine without the face."""
    if template is None:
        return Presentation(io.BytesIO(build_template(brand, BUNDLED_FACE)))
    return open_deck(template, brand)


def _core_properties(deck: Deck, document: Document) -> None:
    """Fixed metadata: the report's own date, never the clock."""
    props = deck.core_properties
    compliance = document.compliance
    stamp = dt.datetime.combine(document.as_of, dt.time())
    props.title = f"{document.title}——{document.subtitle}" if document.subtitle else document.title
    props.subject = f"{props.title}（{document.date_text}）"
    if document.correction:  # a correction says so in its metadata too
        props.subject += f" {document.correction.heading}"
    props.author = f"{compliance.firm} {compliance.analyst}"
    props.keywords = ", ".join(document.keywords)
    props.last_modified_by = "publisher"
    props.revision = 1
    props.created = props.modified = stamp
    props.last_printed = stamp
    props.language = "zh-CN"


def _count_ids(slide: Slide, counting: bool) -> None:
    """While shapes are only added, each new id is the largest so far plus one: python-pptx
    counts from the largest then ("turbo add") instead of searching the slide's whole tree for
    it per shape (a table slide's thousand cells each time): the same ids."""
    slide.shapes.turbo_add_enabled = counting


def _draw(
    deck: Deck,
    document: Document,
    geo: Geometry,
    ink: Ink,
    drawn: Mapping[str, bytes],
    names: PartNames,
    beside: bool,
) -> DeckResult:
    plans = p.plan_deck(document, p.Room(pt(geo.body.width), pt(geo.body.height)))
    jobs = native_jobs(plans, ink, geo.body)
    with forked_map(native_part, jobs) if beside and jobs else nullcontext(None) as apart:
        natives = iter(apart) if apart is not None else map(native_part, jobs)
        return _slides(deck, document, plans, geo, ink, drawn, names, natives)


def _slides(
    deck: Deck,
    document: Document,
    plans: list[p.SlidePlan],
    geo: Geometry,
    ink: Ink,
    drawn: Mapping[str, bytes],
    names: PartNames,
    natives: Iterator[NativeChart | NotNative],
) -> DeckResult:
    charts: list[tuple[str, int, str]] = []
    for number, plan in enumerate(plans, start=1):
        slide = deck.slides.add_slide(layout(deck, plan.layout))
        _count_ids(slide, True)
        if plan.kind == "title":
            cover(slide, document, ink, geo)
        else:
            slide_title(slide, plan.title, ink, geo)
        if plan.kind == "text":
            text_slide(slide, plan, ink, geo)
        elif plan.kind == "table":
            table_slide(slide, plan, ink, geo)
        elif plan.kind == "charts":
            shown = chart_slide(slide, plan, ink, geo.body, document, names, drawn, natives)
            charts += [(chart, number, how) for chart, how in shown]
        _count_ids(slide, False)  # a dropped shape may hold the largest id: search again after
        drop_empty_placeholders(slide)
        _count_ids(slide, True)
        footer(slide, document, plan.sources, number, len(plans), ink, geo)
    return DeckResult(Path(), len(plans), tuple(plan.sources for plan in plans), tuple(charts))


def load_deck_renderer() -> None:
    """What writing a deck loads on first use, for a process that writes one later: fontTools'
    table modules, read to name each embedded face (~35 ms)."""
    from fontTools.ttLib import getTableModule

    getTableModule("name")


def render_pptx(
    document: Document,
    out: Path,
    template: Path | None = None,
    drawn: Mapping[str, bytes] | None = None,
    beside: bool = False,
) -> DeckResult:
    """Render `document` to the deck `out`, on the firm's master `template` (a .pptx whose
    layouts Title, Content and Charts it uses) or, without one, on a master built from the
    document's brand; the file is replaced only once the new one is complete. A chart that
    cannot be native shows its artwork: the document's, or else `drawn`'s (by chart id,
    read only then: the charts stage may still be drawing the others). With `beside`, the
    native charts' parts are made in a process forked beside this one while it draws the
    slides (for a build with a core to spare): the same bytes."""
    out = Path(out)
    deck = _open(template, _brand(document))
    ink = Ink(document.primary, document.accent, theme_face(deck))
    geo = geometry(deck, document)
    names = PartNames(deck.part.package)
    result = _draw(deck, document, geo, ink, drawn or {}, names, beside)
    _core_properties(deck, document)
    embed_fonts(deck, names.characters)
    write_atomically(out, deck_bytes(deck))
    return DeckResult(out, result.slides, result.sources, result.charts)
