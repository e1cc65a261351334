"""Output check: a PDF must be PDF/A-2b and a deck valid Open XML, or `publisher check` fails."""

from __future__ import annotations

import contextlib
import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from publisher.archive.publish import publish
from publisher.archive.store import Archive
from publisher.assets import SAMPLE
from publisher.cli import main
from publisher.errors import CheckError
from publisher.pipeline import Built, build
from tests.archive.conftest import copy_sample

AUTO_TITLE = re.compile(rb'<c:autoTitleDeleted val="[01]"/>')


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(SAMPLE, tmp_path_factory.mktemp("formats"))


def _check(*paths: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *map(str, paths)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def it_passes_the_sample(built: Built) -> None:
    code, output = _check(*built.outputs)
    assert code == 0, output
    assert output.count("ok: ") == 2


def _chart_out_of_order(deck: Path, out: Path) -> Path:
    """The deck with one element of its first chart moved before its title: out of schema
    order, as a renderer slip would write it."""
    with zipfile.ZipFile(deck) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "ppt/charts/chart1.xml":
                moved = AUTO_TITLE.search(data)
                assert moved and b"<c:chart><c:title>" in data
                data = data.replace(moved[0], b"", 1)
                data = data.replace(b"<c:chart><c:title>", b"<c:chart>" + moved[0] + b"<c:title>")
            target.writestr(item, data)
    return out


def it_names_a_chart_element_out_of_schema_order(built: Built, tmp_path: Path) -> None:
    assert built.deck is not None
    deck = _chart_out_of_order(built.deck.path, tmp_path / "deck.pptx")
    code, output = _check(deck)
    assert code == 1
    assert "not valid Open XML: /ppt/charts/chart1.xml /chartSpace[1]/chart[1]" in output
    assert re.search(r"slide \d+: not valid Open XML: .*Unexpected element 'title'", output)


def it_names_a_pdf_stripped_of_its_xmp(built: Built, tmp_path: Path) -> None:
    assert built.pdf is not None
    stripped = tmp_path / "report.pdf"
    with pikepdf.open(built.pdf.path) as pdf:
        del pdf.Root["/Metadata"]
        pdf.save(stripped)
    code, output = _check(stripped)
    assert code == 1
    rule = "ISO_19005_2:6.6.2.1-1: the catalog has no /Metadata"
    assert f"{stripped}: not PDF/A-2b: {rule}" in output


def it_refuses_to_publish_a_file_with_a_format_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Publish runs the check: a format finding refuses the revision as missing text does."""
    finding = [(4, "not valid Open XML: /ppt/charts/chart1.xml /chartSpace[1]/chart[1]: …")]
    monkeypatch.setattr(
        "publisher.check.format_findings", lambda path: finding if path.suffix == ".pptx" else []
    )
    with pytest.raises(CheckError, match=r"slide 4: not valid Open XML: /ppt/charts/chart1"):
        publish(copy_sample(tmp_path / "in"), tmp_path / "archive")
    assert Archive.open(tmp_path / "archive").rows() == []


def it_numbers_siblings_as_openxml_audit_does(built: Built) -> None:
    """The deck check numbers elements among their same-tag siblings once a parent, not by
    walking from the first sibling each time: the same numbers, so the same finding paths."""
    from lxml import etree
    from openxml_audit import context

    from publisher.check import _sibling_positions_once

    assert built.deck is not None
    with zipfile.ZipFile(built.deck.path) as deck:
        charts = [n for n in deck.namelist() if n.startswith("ppt/charts/")]
        roots = [etree.fromstring(deck.read(name)) for name in charts]
    widest = max(roots, key=lambda root: sum(1 for _ in root.iter()))
    elements = list(widest.iter())
    walked = [context._sibling_position(e) for e in elements]
    with _sibling_positions_once():
        numbered = [context._sibling_position(e) for e in elements]
    assert numbered == walked
    assert max(walked) > 100  # a chart's data points: where walking was quadratic


# Slips a renderer could make, each in one part of the sample deck: (part, pattern, slip).
SLIPS = {
    "a point's idx not a number": ("ppt/charts/chart3.xml", rb'<c:pt idx="5">', b'<c:pt idx="x5">'),
    "a negative idx": ("ppt/charts/chart3.xml", rb'<c:pt idx="9">', b'<c:pt idx="-9">'),
    "a point without its value": (
        "ppt/charts/chart3.xml",
        rb'(<c:pt idx="7">)<c:v>[^<]*</c:v>',
        rb"\1",
    ),
    "a stray element in a point": ("ppt/charts/chart3.xml", rb'(<c:pt idx="11">)', rb"\1<c:x/>"),
    "an element amid the points": (
        "ppt/charts/chart3.xml",
        rb'(<c:pt idx="3">)',
        rb"<c:extLst/>\1",
    ),
    "a slide offset not a number": (
        "ppt/slides/slide3.xml",
        rb'<a:off x="\d+"',
        b'<a:off x="wide"',
    ),
    # values read as one the rules accept alike, where the slip is not such a value
    "a point count below zero": (
        "ppt/charts/chart3.xml",
        rb'<c:ptCount val="522"/>',
        b'<c:ptCount val="-522"/>',
    ),
    "an index of ten digits": (
        "ppt/charts/chart3.xml",
        rb'<c:idx val="2"/>',
        b'<c:idx val="4294967296"/>',
    ),
    "an axis bound not a number": (
        "ppt/charts/chart3.xml",
        rb'<c:max val="20000.0"/>',
        b'<c:max val="20k"/>',
    ),
    "a layout fraction not a number": (
        "ppt/charts/chart3.xml",
        rb'<c:x val="0.1092"/>',
        b'<c:x val="0,1092"/>',
    ),
    "a number format without its code": (
        "ppt/charts/chart3.xml",
        rb'<c:numFmt formatCode="0" ',
        b"<c:numFmt ",
    ),
    # the semantic rules' slips: an element the semantic walk must enter, deep in a slide
    "a chart on no relationship": (
        "ppt/slides/slide26.xml",
        rb'(<c:chart xmlns:c="[^"]+" r:id=")rId\d+',
        rb"\1rId99",
    ),
    "a table cell spanning no column": (
        "ppt/slides/slide18.xml",
        rb"<a:tc>",
        b'<a:tc a:gridSpan="0">',
    ),
    "a run ignoring an undeclared prefix": (
        "ppt/slides/slide12.xml",
        rb"<a:rPr ",
        b'<a:rPr xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        b'mc:Ignorable="zz" ',
    ),
    "a slide id twice": ("ppt/presentation.xml", rb'(<p:sldId id=)"257"', rb'\1"256"'),
}


def _slipped(deck: Path, out: Path, part: str, pattern: bytes, slip: bytes) -> Path:
    with zipfile.ZipFile(deck) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                data, made = re.subn(pattern, slip, data, count=1)
                assert made, f"{pattern!r} is not in {part}"
            target.writestr(item, data)
    return out


def _rules_findings(deck: Path, shortcut: bool) -> list[tuple[str, str, str]]:
    from publisher.check import (
        _openxml_validator,
        _schema_rules_once,
        _semantic_rules_where_they_apply,
        _sibling_positions_once,
    )

    with contextlib.ExitStack() as shortcuts:
        shortcuts.enter_context(_sibling_positions_once())
        if shortcut:
            shortcuts.enter_context(_schema_rules_once())
            shortcuts.enter_context(_semantic_rules_where_they_apply())
        result = _openxml_validator().validate(deck)
    return [(e.part_uri, e.path, e.description) for e in result.errors]


@pytest.mark.parametrize("slip", SLIPS)
def it_finds_with_its_shortcuts_what_the_full_rules_find(
    built: Built, tmp_path: Path, slip: str
) -> None:
    """The deck check validates a chart's point list by its first point, skips markup it found
    clean before, and walks the semantic rules only into elements they apply to: a slip after
    a clean sample deck is still found, at the same path."""
    assert built.deck is not None
    assert _rules_findings(built.deck.path, shortcut=True) == []  # its parts now known clean
    deck = _slipped(built.deck.path, tmp_path / "deck.pptx", *SLIPS[slip])
    full = _rules_findings(deck, shortcut=False)
    assert full, f"the rules do not object to {slip}"
    assert _rules_findings(deck, shortcut=True) == full


def it_collapses_only_point_numbers_the_rules_accept() -> None:
    """A point list is collapsed only where each idx has 1 to 9 digits: numbers the schema's
    own type for idx accepts, so every dropped point would have passed."""
    from openxml_audit.schema.validator import get_constraint_for_tag

    from publisher.check import PPTX_NS

    rule = get_constraint_for_tag(f"{{{PPTX_NS['c']}}}pt")
    idx = next(a for a in rule.attributes if a.local_name == "idx")
    assert idx.required and idx.fixed_value is None
    assert all(idx.type_validator.validate(n).is_valid for n in ("0", "7", "999999999"))


# Each value _VARYING rewrites, by (element, attribute) of the chart namespace, and values of
# the kind its pattern matches (the extremes among them), all of which the rules must accept.
MOVING_VALUES = {
    ("ptCount", "val"): ("0", "7", "999999999"),
    ("idx", "val"): ("0", "7", "999999999"),
    **{
        (tag, "val"): ("0", "-0.5", "999999999999999.999999999999999", "-999999999999999")
        for tag in ("max", "min", "x", "y", "w", "h")
    },
    ("numFmt", "formatCode"): ("", "0.00", '[<=45800]yyyy\\-mm;""', "m月"),
}


@pytest.mark.parametrize("tag, attribute", MOVING_VALUES)
def it_reads_a_moving_value_as_one_the_rules_accept_alike(tag: str, attribute: str) -> None:
    """A day's value is read as another only where the rules' own type accepts every value of
    the pattern alike: one type whatever the element's place, no fixed value, and no bound,
    length or pattern that would tell two such values apart."""
    from openxml_audit.codegen.schema_loader import get_registry
    from openxml_audit.schema.validator import get_constraint_for_tag

    from publisher.check import PPTX_NS

    qualified = f"{{{PPTX_NS['c']}}}{tag}"
    assert len(get_registry().get_element_type_candidates(qualified)) == 1
    rule = next(
        a for a in get_constraint_for_tag(qualified).attributes if a.local_name == attribute
    )
    assert rule.fixed_value is None and not rule.introduced_version
    kind = rule.type_validator
    if attribute == "formatCode":
        assert type(kind).__name__ == "StringTypeValidator"
        assert (kind.min_length, kind.max_length, kind.pattern, kind.enumeration) == (None,) * 4
    elif tag in ("ptCount", "idx"):
        assert type(kind).__name__ == "IntegerTypeValidator"
        assert kind.min_value <= 0 and kind.max_value >= 999999999
    else:
        assert type(kind).__name__ == "DecimalTypeValidator"
        assert (kind.min_value, kind.max_value) == (None, None)
        assert (kind.total_digits, kind.fraction_digits) == (None, None)
    assert all(kind.validate(value).is_valid for value in MOVING_VALUES[tag, attribute])


def it_rewrites_only_the_values_proven_alike(built: Built) -> None:
    """Over every chart of the sample deck, what _VARYING rewrites is one of MOVING_VALUES."""
    from lxml import etree

    from publisher.check import _VARYING, PPTX_NS

    assert built.deck is not None
    rewritten = set()
    with zipfile.ZipFile(built.deck.path) as deck:
        charts = [deck.read(n) for n in deck.namelist() if n.startswith("ppt/charts/chart")]
    for data in charts:
        seen = data
        for pattern, accepted in _VARYING:
            seen = pattern.sub(accepted, seen)
        for before, after in zip(
            etree.fromstring(data).iter(), etree.fromstring(seen).iter(), strict=True
        ):
            assert before.tag == after.tag and before.text == after.text
            for name, value in before.attrib.items():
                if after.get(name) != value:
                    rewritten.add((etree.QName(before).localname, name))
                    assert before.tag.startswith(f"{{{PPTX_NS['c']}}}")
    assert rewritten and rewritten <= set(MOVING_VALUES)


def it_hands_the_rules_one_point_a_list(built: Built) -> None:
    from lxml import etree

    from publisher.check import PPTX_NS, _chart_for_the_rules

    assert built.deck is not None
    with zipfile.ZipFile(built.deck.path) as deck:
        data = deck.read("ppt/charts/chart3.xml")
    chart = etree.fromstring(data)
    seen = _chart_for_the_rules(data, chart)
    lists = chart.xpath(".//c:numCache | .//c:strCache", namespaces=PPTX_NS)
    assert len(chart.xpath(".//c:pt", namespaces=PPTX_NS)) > 10 * len(lists)
    assert len(seen.xpath(".//c:pt", namespaces=PPTX_NS)) == len(lists)
    assert etree.tostring(chart) == etree.tostring(etree.fromstring(data))  # its own tree untouched


def it_walks_the_semantic_rules_only_where_they_apply(built: Built) -> None:
    """The shortcut is in force with the installed openxml-audit (its walk reads what the
    shortcut assumes), and it enters a small part of a slide's elements."""
    from openxml_audit.context import ElementContext

    from publisher.check import _openxml_validator, _semantic_rules_where_they_apply

    assert built.deck is not None
    semantic = _openxml_validator()._semantic_validator_pptx
    entered: list[int] = []

    def count(shortcut: bool) -> int:
        entered.clear()
        with _semantic_rules_where_they_apply() if shortcut else contextlib.nullcontext():
            if shortcut:
                assert "_validate_element" in vars(semantic), "the shortcut left itself out"
            _openxml_validator().validate(built.deck.path)
        return len(entered)

    enter = ElementContext.__enter__

    def counting(self: ElementContext) -> ElementContext:
        entered.append(1)
        return enter(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ElementContext, "__enter__", counting)
        full, short = count(shortcut=False), count(shortcut=True)
    assert "_validate_element" not in vars(semantic)  # the library's own method again
    assert 0 < short < full


def it_reads_a_decks_text_from_the_trees_its_rules_parsed(built: Built, tmp_path: Path) -> None:
    """The slides' text is read from the parts the Open XML rules just parsed from the same
    bytes, and is the text read from the file itself; other bytes at that path are read anew."""
    from publisher import check

    assert built.deck is not None
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(built.deck.path.read_bytes())
    from_file = check._read_pptx(deck)
    check._FOUND.clear()
    assert check.format_findings(deck) == []
    (parsed,) = check._PARSED.values()
    assert "ppt/slides/slide1.xml" in parsed and "ppt/charts/chart1.xml" in parsed
    assert check._read_pptx(deck) == from_file
    assert not check._PARSED  # read once, then let go

    assert check.format_findings(deck) == []  # remembered: nothing parsed
    assert not check._PARSED
    check._FOUND.clear()
    check.format_findings(deck)
    _slipped(built.deck.path, deck, "ppt/slides/slide2.xml", rb"(<a:t>)", rb"\1nan ")
    assert check._PARSED  # the trees of the bytes before
    leaked = check._read_pptx(deck)
    assert leaked != from_file and "nan " in leaked[1]


def it_knows_markup_by_its_tags_and_attributes_not_its_text(built: Built) -> None:
    """The digest clean markup is remembered by: the same whatever a part's texts say, and
    another as soon as a tag, an attribute or a comment differs."""
    from lxml import etree

    from publisher.check import _markup

    assert built.deck is not None
    with zipfile.ZipFile(built.deck.path) as deck:
        parts = {n: deck.read(n) for n in deck.namelist() if n.endswith((".xml", ".rels"))}
    for name, data in parts.items():
        tree, retold = etree.fromstring(data), etree.fromstring(data)
        texts = 0
        for element in retold.iter():
            if element.text:
                element.text, texts = "数据 <7440> & 'nan'", texts + 1
            if element.tail:
                element.tail = " > "
        assert _markup(retold) == _markup(tree), name
        for element in list(retold.iter())[1:] if texts else []:
            if isinstance(element.tag, str) and element.attrib:
                attribute = next(iter(element.attrib))
                element.set(attribute, element.get(attribute) + "0")
                assert _markup(retold) != _markup(tree), name
                break
    slide = etree.fromstring(parts["ppt/slides/slide2.xml"])
    before = _markup(slide)
    slide[0].tag = slide[0].tag + "x"
    assert _markup(slide) != before
    commented = etree.fromstring(parts["ppt/slides/slide2.xml"])
    commented.append(etree.Comment(" a > b < c "))
    other = etree.fromstring(parts["ppt/slides/slide2.xml"])
    other.append(etree.Comment(" a > d < c "))
    assert len({before, _markup(commented), _markup(other)}) == 3
