"""Deck renderer: every deck is valid by the Open XML SDK's rules (openxml-audit), and free of
what makes PowerPoint offer to repair a file."""

from __future__ import annotations

import functools
import io
import math
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from lxml import etree
from openxml_audit import OpenXmlValidator, ValidationError

from publisher.assets import LAYOUTS_DIR, SAMPLE
from publisher.render.pptx import render_pptx
from tests.render.deck_fixtures import document_of, sample_deck, sample_layout, workdir

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}
TEMPLATE = SAMPLE.parent / "brand" / "template.pptx"  # the sample firm's master, as built
AXES = ("c:valAx", "c:catAx", "c:dateAx", "c:serAx")
NOT_NUMBERS = {"nan", "-nan", "none", "null", "inf", "-inf", "+inf", "infinity", "-infinity"}
# every layout the repository ships, on the bundled master and on the sample firm's template,
# and the render tests' hand-built document (picture charts, a long table)
DECKS = [
    *(
        (layout.stem, master)
        for layout in sorted(LAYOUTS_DIR.glob("*.toml"))
        for master in ("bundled", "firm")
    ),
    ("fixture-document", "bundled"),
]


@functools.cache
def validator() -> OpenXmlValidator:
    return OpenXmlValidator()  # loads its schemas once


@functools.cache
@functools.cache
def deck(layout: str, master: str) -> Path:
    if layout == sample_layout() and master == "bundled":
        return sample_deck().path  # the render tests' own deck, built once
    template = TEMPLATE if master == "firm" else None
    out = workdir() / f"valid-{layout}-{master}" / "deck.pptx"
    return render_pptx(document_of(layout), out, template).path


def findings(path: Path) -> list[ValidationError]:
    return list(validator().validate(path).errors)


@pytest.mark.parametrize(("layout", "master"), DECKS)
def it_is_valid_by_the_open_xml_sdks_rules(layout: str, master: str) -> None:
    found = findings(deck(layout, master))
    assert not found, "\n".join(str(finding) for finding in found[:20])


# --- the validator sees what PowerPoint would repair ----------------------------------------


def _chart_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as package:
        return [
            n for n in package.namelist() if n.startswith("ppt/charts/chart") and n.endswith(".xml")
        ]


def mutated(path: Path, part: str, change: Callable[[etree._Element], None], out: Path) -> Path:
    """A copy of the deck at `path` with `change` applied to the XML of `part`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w") as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == part:
                root = etree.fromstring(data)
                change(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(entry, data)
    out.write_bytes(buffer.getvalue())
    return out


def _legend_first(root: etree._Element) -> None:
    chart = root.find("c:chart", NS)
    legend = chart.find("c:legend", NS)
    assert legend is not None, "the mutation needs a chart with a legend"
    chart.find("c:plotArea", NS).addprevious(legend)


def _axis_id_last(root: etree._Element) -> None:
    axis = root.find("c:chart/c:plotArea/c:valAx", NS)
    axis.append(axis.find("c:axId", NS))  # c:axId must come first in an axis


def _with_legend(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return next(
            name
            for name in _chart_names(path)
            if etree.fromstring(package.read(name)).find("c:chart/c:legend", NS) is not None
        )


@pytest.mark.parametrize("change", [_legend_first, _axis_id_last], ids=["legend", "axId"])
def it_reports_a_chart_element_out_of_schema_order(
    tmp_path: Path, change: Callable[[etree._Element], None]
) -> None:
    source = deck("polysilicon-brief", "bundled")  # a small deck with native charts: quick
    part = _with_legend(source)
    assert not findings(source)
    found = findings(mutated(source, part, change, tmp_path / "mutated.pptx"))
    assert found, f"moving a child of {part} out of order went unreported"
    assert {finding.part_uri for finding in found} == {"/" + part}


# --- the known causes of PowerPoint's repair prompt -----------------------------------------


def _parts(path: Path, prefix: str) -> Iterator[tuple[str, etree._Element]]:
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.startswith(prefix) and name.endswith(".xml"):
                yield name, etree.fromstring(package.read(name))


def shape_id_clashes(path: Path) -> list[str]:
    """Shape ids (p:cNvPr) a slide uses twice."""
    clashes = []
    for name, root in _parts(path, "ppt/slides/slide"):
        ids = Counter(e.get("id") for e in root.iterfind(".//p:cNvPr", NS))
        clashes += [f"{name}: shape id {i} twice" for i, n in sorted(ids.items()) if n > 1]
    return clashes


def unpaired_axes(path: Path) -> list[str]:
    """A plot's c:axId, or an axis's c:crossAx, with no axis of that id in the same chart."""
    unpaired = []
    for name, root in _parts(path, "ppt/charts/chart"):
        area = root.find("c:chart/c:plotArea", NS)
        axes = [axis for tag in AXES for axis in area.iterfind(tag, NS)]
        ids = {axis.find("c:axId", NS).get("val") for axis in axes}
        plots = [child for child in area if etree.QName(child).localname.endswith("Chart")]
        wanted = [axis_id for plot in plots for axis_id in plot.iterfind("c:axId", NS)]
        wanted += [axis.find("c:crossAx", NS) for axis in axes]
        unpaired += [f"{name}: no axis {e.get('val')}" for e in wanted if e.get("val") not in ids]
    return unpaired


def not_numbers(path: Path) -> list[str]:
    """c:v texts that say nan, None or inf, and number-cache values that are not finite."""
    found = []
    for name, root in _parts(path, "ppt/charts/chart"):
        for v in root.iterfind(".//c:v", NS):
            text = (v.text or "").strip()
            if text.lower() in NOT_NUMBERS:
                found.append(f"{name}: c:v {text!r}")
        for v in root.iterfind(".//c:numCache/c:pt/c:v", NS):
            if not _finite(v.text or ""):
                found.append(f"{name}: number cache holds {v.text!r}")
    return found


def _finite(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


@pytest.mark.parametrize(("layout", "master"), DECKS)
def it_has_none_of_the_known_causes_of_a_repair_prompt(layout: str, master: str) -> None:
    path = deck(layout, master)
    assert not shape_id_clashes(path)
    assert not unpaired_axes(path)
    assert not not_numbers(path)


def _clash(root: etree._Element) -> None:
    ids = root.findall(".//p:cNvPr", NS)
    ids[-1].set("id", ids[1].get("id"))


def _lost_axis(root: etree._Element) -> None:
    root.find("c:chart/c:plotArea/c:valAx/c:axId", NS).set("val", "999")


def _nan(root: etree._Element) -> None:
    root.find(".//c:numCache/c:pt/c:v", NS).text = "nan"


@pytest.mark.parametrize(
    ("check", "change", "where"),
    [
        (shape_id_clashes, _clash, "slide"),
        (unpaired_axes, _lost_axis, "chart"),
        (not_numbers, _nan, "chart"),
    ],
    ids=["shape-ids", "axis-ids", "nan"],
)
def it_sees_each_cause_when_it_is_there(
    tmp_path: Path,
    check: Callable[[Path], list[str]],
    change: Callable[[etree._Element], None],
    where: str,
) -> None:
    source = deck("polysilicon-brief", "bundled")
    part = "ppt/slides/slide2.xml" if where == "slide" else _chart_names(source)[0]
    assert not check(source)
    assert check(mutated(source, part, change, tmp_path / "mutated.pptx"))
