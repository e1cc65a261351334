"""Charts stage: text a chart for print sets aside, placed as matplotlib's Text places it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from matplotlib import colors
from matplotlib.artist import Artist
from matplotlib.font_manager import FontProperties, get_font
from matplotlib.patches import FancyBboxPatch
from matplotlib.transforms import Affine2D, IdentityTransform, Transform

# Set while a chart is drawn for print (render.render_print): its texts are recorded by the
# renderer and never drawn, so they need only where each line starts.
_SETTING_ASIDE: ContextVar[bool] = ContextVar("setting_aside", default=False)


@contextmanager
def setting_aside() -> Iterator[None]:
    """Texts drawn meanwhile (draw.text) are AsideTexts."""
    token = _SETTING_ASIDE.set(True)
    try:
        yield
    finally:
        _SETTING_ASIDE.reset(token)


def wanted(s: str) -> bool:
    """Whether draw.text may give an AsideText for `s`: while a chart is drawn for print, and
    for plain text (a "$" may start mathtext, which Text lays out otherwise)."""
    return _SETTING_ASIDE.get() and "$" not in s


class AsideText(Artist):
    """A line or lines of text with a Text's position, alignment, font, colour and line
    spacing, upright, unclipped: drawn, it hands the renderer each line's origin as
    Text._get_layout and Text.draw compute it, with the same float steps, to record
    (render._RecordingRenderer.set_aside). A Text costs ~3× as much to make and to draw:
    properties through setters, a bounding box and a graphics context per text."""

    zorder = 3  # a Text's: drawn in the same order among the chart's artists

    def __init__(
        self,
        x: float,
        y: float,
        text: str,
        *,
        fontproperties: FontProperties,
        color: Any,
        transform: Transform | None = None,
        ha: str = "left",
        va: str = "baseline",
        linespacing: float | str = "normal",  # a Text's default
        zorder: float | None = None,
        bbox: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self._x, self._y, self._text = x, y, text
        self._font = fontproperties  # a Style's, never changed after it is made
        self._rgba = colors.to_rgba(color)
        self._ha, self._va, self._linespacing = ha, va, linespacing
        if transform is not None:
            self.set_transform(transform)
        if zorder is not None:
            self.set_zorder(zorder)
        self._box = None if bbox is None else _box(bbox, fontproperties.get_size_in_points())

    def get_text(self) -> str:
        return self._text

    def draw(self, renderer: Any) -> None:
        if not self.get_visible() or not self._text:
            return
        posx = float(self.convert_xunits(self._x))
        posy = float(self.convert_yunits(self._y))
        posx, posy = self.get_transform().transform((posx, posy))
        placed, (x_box, y_box), (w_box, h_box) = self._layout(renderer)
        if self._box is not None:  # Text.update_bbox_position_size, then the box drawn
            self._box.set_bounds(0.0, 0.0, w_box, h_box)
            self._box.set_transform(
                Affine2D().rotate_deg(0.0).translate(posx + x_box, posy + y_box)
            )
            self._box.set_mutation_scale(renderer.points_to_pixels(self._font.get_size_in_points()))
            self._box.draw(renderer)
        for line, x, y in placed:
            renderer.set_aside(line, x + posx, y + posy, self._font, self._rgba)
        self.stale = False

    def _layout(
        self, renderer: Any
    ) -> tuple[list[tuple[str, float, float]], tuple[float, float], tuple[float, float]]:
        """Text._get_layout for upright text: each line with its offset from the anchor
        point, and the text box's corner and size, in the same order of float operations."""
        min_ascent, min_descent, line_gap = renderer._get_font_height_metrics(self._font)
        if min_ascent is None:  # a renderer that leaves them to Text, which reads them so
            size = self._font.get_size_in_points()
            min_ascent, min_descent, line_gap = font_heights(str(self._font.get_file()), size)
        lines = self._text.split("\n")
        if len(lines) == 1:
            line_gap = 0
        thisy = 0.0
        widths: list[float] = []
        ys: list[float] = []
        a: float = 0.0
        d: float = 0.0
        baseline = 0.0
        for line in lines:
            if line:
                w, h, d = renderer.get_text_width_height_descent(line, self._font, False)
            else:
                w = h = d = 0
            a = h - d
            if self._linespacing == "normal":  # at least the font's ascent and descent
                a = max(a, min_ascent) + line_gap / 2
                d = max(d, min_descent) + line_gap / 2
            else:  # every line the same height
                line_height = self._linespacing * (min_ascent + min_descent)  # type: ignore[operator]
                leading = line_height - (a + d)
                a += leading / 2
                d += leading / 2
            baseline = a - thisy
            thisy -= a
            widths.append(w)
            ys.append(thisy)
            thisy -= d
        descent = d
        width = max(widths)
        xmin: float = 0  # ints where matplotlib has them: min() and max() below keep them
        xmax: float = width
        ymax: float = 0
        ymin = ys[-1] - descent
        corner, extent = (xmin, ymin), (xmax - xmin, ymax - ymin)
        if self._ha == "left":
            offsets = [(0.0, y) for y in ys]
        elif self._ha == "center":
            offsets = [(0.0 + width / 2 - w / 2, y) for y, w in zip(ys, widths, strict=True)]
        else:
            offsets = [(0.0 + width - w, y) for y, w in zip(ys, widths, strict=True)]
        xs_box = (xmin, xmin, xmax, xmax)
        ys_box = (ymin, ymax, ymax, ymin)
        xmin, xmax = min(xs_box), max(xs_box)
        ymin, ymax = min(ys_box), max(ys_box)
        height_rot = ymax - ymin
        offsetx = xmin if self._ha == "left" else xmax if self._ha == "right" else (xmin + xmax) / 2
        va = self._va
        offsety = (
            ymin
            if va == "bottom"
            else ymax
            if va == "top"
            else (ymin + ymax) / 2
            if va == "center"
            else ymin + descent
            if va == "baseline"
            else ymin + height_rot - baseline / 2  # center_baseline
        )
        placed = [
            (line, x - offsetx, y - offsety) for line, (x, y) in zip(lines, offsets, strict=True)
        ]
        return placed, (corner[0] - offsetx, corner[1] - offsety), extent


def _box(props: dict[str, Any], size: float) -> FancyBboxPatch:
    """The box Text.set_bbox makes behind a text, as the Text's clip settings leave it for an
    unclipped text (clip_on False)."""
    props = dict(props)
    boxstyle = props.pop("boxstyle", None)
    pad = props.pop("pad", None)
    if boxstyle is None:
        boxstyle = "square"
        pad = (4 if pad is None else pad) / size
    elif pad is None:
        pad = 0.3
    if isinstance(boxstyle, str) and "pad" not in boxstyle:
        boxstyle += f",pad={pad:0.2f}"
    box = FancyBboxPatch((0, 0), 1, 1, boxstyle=boxstyle, transform=IdentityTransform(), **props)
    box.set_clip_on(False)
    return box


def font_heights(fname: str, size: float) -> tuple[Any, Any, Any]:
    """Ascent, descent and line gap of a font at `size` points and 72 dpi, as Text._get_layout
    reads them from its OS/2 table, or else its hhea table, for every text it lays out."""
    font = get_font(fname)
    head = font.get_sfnt_table("head")
    if head is None:
        return None, None, None  # matplotlib measures "lp" instead
    scale = 1 / head["unitsPerEm"] * size * 72 / 72  # matplotlib's float steps, at 72 dpi
    os2 = font.get_sfnt_table("OS/2")
    if os2 is not None:
        ascent, descent, gap = os2["sTypoAscender"], os2["sTypoDescender"], os2["sTypoLineGap"]
        return ascent * scale, -descent * scale, gap * scale
    hhea = font.get_sfnt_table("hhea")
    if hhea is not None:
        return hhea["ascent"] * scale, -hhea["descent"] * scale, hhea["lineGap"] * scale
    return None, None, None
