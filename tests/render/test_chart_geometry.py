"""Page and slide draw a chart with the same numbers: the charts stage's one geometry."""

from __future__ import annotations

import io
import itertools

from pypdf import PdfReader

from tests.render.deck_fixtures import CHART_NS, chart_element, charts_of, reopen, sample_deck
from tests.render.deck_fixtures import sample_document as document

C = "{" + CHART_NS["c"] + "}"


def _native_charts() -> dict[str, object]:
    return {
        shape.name.removeprefix("Chart "): chart_element(shape)
        for slide in reopen(sample_deck()).slides
        for shape in slide.shapes
        if shape.has_chart
    }


def _value(element: object, path: str) -> float:
    found = element.find(path, CHART_NS)  # type: ignore[attr-defined]
    assert found is not None, path
    return float(found.get("val"))


def it_gives_every_value_axis_the_geometrys_limits_and_step() -> None:
    charts = charts_of(document())
    for chart_id, xml in _native_charts().items():
        geometry = charts[chart_id].data.geometry
        axes = xml.findall(".//c:valAx", CHART_NS)
        assert axes, chart_id
        planned = [geometry.y] + ([geometry.y2] if geometry.y2 and len(axes) > 1 else [])
        for axis, plan in zip(axes, planned, strict=True):
            assert _value(axis, "c:scaling/c:min") == plan.lo, chart_id
            assert _value(axis, "c:scaling/c:max") == plan.hi, chart_id
            assert _value(axis, "c:majorUnit") == plan.step, chart_id


def it_never_starts_an_all_positive_price_chart_at_zero() -> None:
    for chart in charts_of(document()).values():
        data, geometry = chart.data, chart.data.geometry
        if data.kind == "table":
            continue
        left = [s for s in data.series if s.axis == "primary"]
        values = [v for s in left for v in s.values if v is not None]
        lines_only = all(s.draw == "line" for s in left)
        price = "元" in data.unit
        if price and lines_only and values and min(values) > 0 and not data.zero_line:
            # the first labelled tick (a panel's axis runs on below its band, unlabelled)
            assert geometry.y.ticks[0] > 0 or min(values) <= geometry.y.step, chart.id


def it_places_each_slide_label_where_the_geometry_put_it() -> None:
    charts = charts_of(document())
    for chart_id, xml in _native_charts().items():
        geometry = charts[chart_id].data.geometry
        if xml.find(".//c:plotArea/c:layout/c:manualLayout", CHART_NS) is None:
            assert not geometry.labels, chart_id  # a balance with its data table: no labels
            continue
        plot_h = _value(xml, ".//c:plotArea/c:layout/c:manualLayout/c:h")
        offsets = [_value(label, "c:layout/c:manualLayout/c:y") for label in xml.iter(f"{C}dLbl")]
        assert len(offsets) == len(geometry.labels), chart_id  # every label shown, none dropped
        moves = sorted(-(label.share - label.value_share) * plot_h for label in geometry.labels)
        bars = any(s.draw == "bar" for s in charts[chart_id].data.series)
        if not bars:  # a bar's label also steps off the bar's end
            assert sorted(offsets) == [round(m, 4) for m in moves] or all(
                abs(a - b) < 1e-3 for a, b in zip(sorted(offsets), moves, strict=True)
            ), chart_id


def it_prints_the_geometrys_ticks_and_labels_on_the_page() -> None:
    for chart in charts_of(document()).values():
        geometry = chart.data.geometry
        if chart.data.kind == "table" or not chart.artwork:
            continue
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(chart.artwork)).pages)
        text = text.replace("\n", "").replace(" ", "")
        for label in (*geometry.y.labels, *(label.text for label in geometry.labels)):
            assert label in text, (chart.id, label)
        if geometry.dates:
            assert geometry.dates.labels[-1] in text, chart.id


def _occupied_near(chart: object, label: object, geometry: object) -> list[tuple[float, float]]:
    """Heights other series reach under a label's width (their points there, as shares)."""
    from publisher.charts.geometry import label_share, x_number

    data = chart.data  # type: ignore[attr-defined]
    lo, hi = geometry.x_lo, geometry.x_hi  # type: ignore[attr-defined]
    right = label.x + label_share(label.text, data.size)  # type: ignore[attr-defined]
    found = []
    for s in data.series:
        if s.id == label.series or s.draw == "band":  # type: ignore[attr-defined]
            continue
        axis = geometry.y2 if s.axis == "secondary" and geometry.y2 else geometry.y  # type: ignore[attr-defined]
        for x, v in zip(s.x, s.values, strict=True):
            share = (x_number(data, x) - lo) / (hi - lo)
            if v is not None and label.x < share < right:  # type: ignore[attr-defined]
                found.append((share, axis.share(v)))
    return found


def it_keeps_every_sample_label_clear_of_labels_lines_and_zero() -> None:
    from publisher.charts.geometry import LABEL_HEIGHT, label_share

    half = LABEL_HEIGHT / 2
    for chart in charts_of(document()).values():
        geometry = chart.data.geometry
        labels = geometry.labels
        for one, other in itertools.combinations(labels, 2):
            side_by_side = one.x < other.x + label_share(other.text, chart.data.size) and (
                other.x < one.x + label_share(one.text, chart.data.size)
            )
            if side_by_side:
                assert abs(one.share - other.share) >= LABEL_HEIGHT - 1e-9, (chart.id, one, other)
        for label in labels:
            assert half <= label.share <= 1 - half, (chart.id, label)
            if chart.data.zero_line and geometry.y.lo < 0 < geometry.y.hi:
                assert abs(label.share - geometry.y.share(0.0)) >= half, (chart.id, label)
            for _, height in _occupied_near(chart, label, geometry):
                assert not label.share - half < height < label.share + half, (chart.id, label)


def it_bounds_every_value_axis_of_both_sample_decks() -> None:
    from tests.render.meeting_fixtures import meeting_deck

    for result in (sample_deck(), meeting_deck()):
        for slide in reopen(result).slides:
            for shape in slide.shapes:
                if not shape.has_chart:
                    continue
                for axis in chart_element(shape).findall(".//c:valAx", CHART_NS):
                    scaling = axis.find("c:scaling", CHART_NS)
                    assert scaling.find("c:min", CHART_NS) is not None, shape.name
                    assert scaling.find("c:max", CHART_NS) is not None, shape.name
