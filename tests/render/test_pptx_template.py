"""Deck renderer: the brand master — bundled, reproducible, and a firm's own used by name."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from pptx import Presentation

from publisher.assets import REPO
from publisher.render.pptx import render_pptx
from publisher.render.pptx.embed import BUNDLED_FACE
from publisher.render.pptx.master import brand_from_toml, build_template
from publisher.render.pptx.text import Face
from tests.render.deck_fixtures import DRAWING_NS, reopen, sample_document

BRAND = REPO / "samples" / "brand"


def it_ships_the_template_its_script_makes(tmp_path: Path) -> None:
    built = build_template(brand_from_toml(BRAND / "brand.toml"), BUNDLED_FACE)
    assert built == build_template(brand_from_toml(BRAND / "brand.toml"), BUNDLED_FACE)
    assert (BRAND / "template.pptx").read_bytes() == built
    script = subprocess.run(
        [sys.executable, str(BRAND / "make_template.py")], capture_output=True, text=True
    )
    assert script.returncode == 0, script.stderr


def it_lays_slides_on_the_templates_layouts_by_name(tmp_path: Path) -> None:
    result = render_pptx(sample_document(), tmp_path / "deck.pptx", BRAND / "template.pptx")
    deck = reopen(result)
    names = [slide.slide_layout.name for slide in deck.slides]
    assert names[0] == "Title"
    assert set(names[1:]) == {"Content", "Charts"}
    master = deck.slide_masters[0]
    assert "Brand Logo" in [s.name for s in master.shapes]
    for slide in list(deck.slides)[1:]:
        assert slide.slide_layout._element.get("showMasterSp") != "0"  # logo and rule show


def it_takes_the_east_asian_face_from_the_template(tmp_path: Path) -> None:
    brand = brand_from_toml(BRAND / "brand.toml")
    template = tmp_path / "firm.pptx"
    template.write_bytes(build_template(brand, Face("Publisher Sans SC", "Publisher Sans SC")))
    result = render_pptx(sample_document(), tmp_path / "deck.pptx", template)
    slide = reopen(result).slides[1]
    faces = {e.get("typeface") for e in slide._element.iter(f"{{{DRAWING_NS['a']}}}ea")}
    assert faces == {"Publisher Sans SC"}


def it_renders_on_a_foreign_template_without_its_slides(tmp_path: Path) -> None:
    """A 4:3 template with other layout names and an example slide still gives a clean deck."""
    foreign = Presentation()
    foreign.slides.add_slide(foreign.slide_layouts[0]).shapes.title.text = "示例页"
    buffer = io.BytesIO()
    foreign.save(buffer)
    template = tmp_path / "foreign.pptx"
    template.write_bytes(buffer.getvalue())
    result = render_pptx(sample_document(), tmp_path / "deck.pptx", template)
    deck = reopen(result)
    assert len(deck.slides) == result.slides
    texts = [s.shapes.title.text_frame.text for s in deck.slides if s.shapes.title]
    assert "示例页" not in texts
    for slide in deck.slides:
        assert any(s.name == "Footer Disclaimer" for s in slide.shapes)
