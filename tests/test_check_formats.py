"""Output check: a PDF must be PDF/A-2b and a deck valid Open XML, or `publisher check` fails."""

from __future__ import annotations

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
