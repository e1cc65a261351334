"""Meeting-deck fixtures: the sample laid out by layouts/silicon-meeting.toml, built once."""

from __future__ import annotations

import functools

from publisher.layout.model import Document
from publisher.render.pptx import DeckResult, render_pptx
from tests.render.deck_fixtures import document_of, workdir

MEETING = "silicon-meeting"


@functools.cache
def meeting_document() -> Document:
    return document_of(MEETING)


@functools.cache
def meeting_deck() -> DeckResult:
    return render_pptx(meeting_document(), workdir() / MEETING / "deck.pptx")
