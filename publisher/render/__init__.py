"""Renderers: turn the layout stage's Document into a printable PDF (render.pdf) and a deck."""

# Each renderer's entry points by name: a process that never loads a renderer hands them to one
# that has (workers.by_name), as the build hands its PDF and deck to their own processes.
LOAD_PDF = "publisher.render.pdf:load_pdf_renderer"
LAY_OUT_PDF = "publisher.render.pdf:lay_out_pdf"
FINISH_PDF = "publisher.render.pdf:finish_pdf"
LOAD_DECK = "publisher.render.pptx:load_deck_renderer"
RENDER_DECK = "publisher.render.pptx:render_pptx"
