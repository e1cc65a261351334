"""Snapshot stage: a layout's overview rows are checked against the catalog when read."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.errors import LayoutError
from publisher.snapshot import load_snapshot
from publisher.snapshot.layoutfile import load_layout


@pytest.fixture
def layouts(tmp_path: Path) -> Path:
    return tmp_path


def _layout(folder: Path, row: str) -> None:
    (folder / "t.toml").write_text(
        f'[[tables]]\nid = "t"\ntitle = "t"\nproduct = "si"\n'
        f'[[tables.sections]]\ncategory = "基差"\nrows = [{row}]\n',
        encoding="utf-8",
    )


def it_reads_a_basis_row_with_its_spot_scale(tiny_snapshot: Path, layouts: Path) -> None:
    _layout(layouts, '{ id = "b", basis = ["si_spot_553", "si_fut_07"], scale = 1 }')
    layout = load_layout("t", load_snapshot(tiny_snapshot).catalog, layouts)
    row = layout.tables[0].sections[0].rows[0]
    assert (row.kind, row.inputs, row.key) == ("basis", ("si_spot_553", "si_fut_07"), "b")


@pytest.mark.parametrize(
    ("row", "complaint"),
    [
        ('{ id = "b", basis = ["si_spot_553"] }', "basis takes 2 series id(s)"),
        ('{ id = "b", basis = ["si_spot_553", "si_nowhere"] }', "names series 'si_nowhere'"),
        ('{ basis = ["si_spot_553", "si_fut_07"] }', "has no id"),
        ('{ series = "si_fut_07", spread = ["a", "b"] }', "with 2 of"),
    ],
)
def it_refuses_a_malformed_row_naming_the_layout(
    tiny_snapshot: Path, layouts: Path, row: str, complaint: str
) -> None:
    _layout(layouts, row)
    with pytest.raises(LayoutError) as refused:
        load_layout("t", load_snapshot(tiny_snapshot).catalog, layouts)
    assert complaint in str(refused.value) and "t.toml" in str(refused.value)
