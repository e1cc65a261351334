"""Meeting-deck fixtures: the sample laid out by layouts/silicon-meeting.toml, built once."""

from __future__ import annotations

import functools

from publisher.layout.model import Document
from publisher.render.pptx import DeckResult, render_pptx
from tests.render.deck_fixtures import workdir

MEETING = "silicon-meeting"


@functools.cache
def meeting_document() -> Document:
    from publisher.assets import SAMPLE
    from publisher.layout.engine import build_document
    from publisher.pipeline import draw_charts, prepare

    prepared = prepare(SAMPLE, MEETING)
    return build_document(prepared, draw_charts(prepared))


@functools.cache
def meeting_deck() -> DeckResult:
    return render_pptx(meeting_document(), workdir() / MEETING / "deck.pptx")
