"""Renderers: turn the layout stage's Document into a printable PDF (render.pdf) and a deck."""
