"""docs/layouts.md: its worked example is a layout that really builds against the sample."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest

from publisher import pipeline
from publisher.assets import LAYOUTS_DIR, REPO
from publisher.errors import LayoutError
from publisher.layout.engine import SECTION_BUILDERS, build_document
from publisher.layout.model import ChartGrid, Table
from publisher.snapshot.layoutfile import ROW_KINDS
from tests.conftest import SAMPLE

DOC = REPO / "docs" / "layouts.md"
# The break the doc's error example describes: the spread row without its id.
BREAK = 'id = "ps_spread_07_08", '


def _worked_example() -> tuple[str, str]:
    """The layout id (from the doc's build command) and the TOML of the first ```toml block
    under '## Worked example'."""
    text = DOC.read_text(encoding="utf-8")
    parts = text.split("\n## Worked example\n", 1)
    assert len(parts) == 2, f"{DOC} has no '## Worked example' section"
    section = parts[1].split("\n## ", 1)[0]
    block = re.search(r"```toml\n(.*?)```", section, re.DOTALL)
    command = re.search(r"publisher build --layout ([a-z0-9][a-z0-9_-]*)", section)
    assert block, "the worked example has no ```toml block"
    assert command, "the worked example does not say how to build it (publisher build --layout)"
    layout_id = command[1]
    assert f"layouts/{layout_id}.toml" in section, "the example's file name and command disagree"
    return layout_id, block[1]


@pytest.fixture
def example(tmp_path: Path) -> tuple[str, str, Path]:
    """The example saved beside a copy of the real layouts folder (templates/, charts/), which
    the pipeline is told to read (layouts=): the repo's layouts/ stay untouched."""
    layout_id, toml = _worked_example()
    root = tmp_path / "layouts"
    shutil.copytree(LAYOUTS_DIR, root)
    (root / f"{layout_id}.toml").write_text(toml, encoding="utf-8")
    return layout_id, toml, root


def it_builds_the_minimal_layout_shown_in_the_docs(example: tuple[str, str, Path]) -> None:
    layout_id, toml, root = example
    doc = tomllib.loads(toml)
    prepared = pipeline.prepare(SAMPLE, layout_id, layouts=root)
    assert prepared.layout.path == root / f"{layout_id}.toml"
    assert pipeline.gate(prepared).ok  # the data-quality gate a build passes first
    assert pipeline.draw_charts(prepared) == {}  # places no chart: reads no catalog

    document = build_document(prepared, {})
    assert document.title == doc["report"]["title"]
    assert [s.kind for s in document.sections] == [s["kind"] for s in doc["sections"]]
    blocks = [b for s in document.sections for b in s.blocks]
    assert not any(isinstance(b, ChartGrid) for b in blocks)
    tables = [b for b in blocks if isinstance(b, Table)]
    placed = [s["table"] for s in doc["sections"] if s["kind"] == "table"]
    assert len(tables) == len(placed) >= 1
    specs = {t["id"]: t for t in doc["tables"]}
    for table, table_id in zip(tables, placed, strict=True):
        written = [row for section in specs[table_id]["sections"] for row in section["rows"]]
        assert len(table.rows) == len(written)
        assert all(row.cells[2] != "—" for row in table.rows), "a row prints no current value"
        assert all(row.cells[1].endswith(" *") == row.stale for row in table.rows)
        assert bool(table.note) == any(row.stale for row in table.rows)


def it_quotes_the_error_a_broken_example_really_gives(example: tuple[str, str, Path]) -> None:
    layout_id, toml, root = example
    assert BREAK in toml, "the worked example no longer has the row the error example breaks"
    (root / f"{layout_id}.toml").write_text(toml.replace(BREAK, "", 1), encoding="utf-8")
    with pytest.raises(LayoutError) as refused:
        pipeline.prepare(SAMPLE, layout_id, layouts=root)
    text = DOC.read_text(encoding="utf-8")
    assert f"`{BREAK}` deleted" in text
    assert f"{refused.value.what}\n  fix: {refused.value.fix}" in text


def it_documents_every_section_and_row_kind() -> None:
    text = DOC.read_text(encoding="utf-8")
    for kind in SECTION_BUILDERS:
        assert f'kind = "{kind}"' in text, f"section kind {kind} is not documented"
    for kind in ROW_KINDS:
        assert re.search(rf"\{{ [^}}]*\b{kind} = ", text), f"row kind {kind} has no example"
