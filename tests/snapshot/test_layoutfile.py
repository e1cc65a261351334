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


def _write(folder: Path, text: str) -> None:
    (folder / "t.toml").write_text(text, encoding="utf-8")


TABLE = '[[tables]]\nid = "t"\n[[tables.sections]]\ncategory = "期货"\nrows = [{row}]\n'


def _columns(columns: str, row: str = '{ series = "si_fut_07" }') -> str:
    return TABLE.replace('id = "t"\n', f'id = "t"\ncolumns = {columns}\n').format(row=row)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ('[[sections]]\nkind = "poster"\n', "section 1 has kind 'poster'"),
        ('[[sections]]\nkind = ["table"]\n', "section 1 has kind ['table']"),
        ('[[sectoins]]\nkind = "cover"\n', "the layout has unknown key 'sectoins'"),
        ('[report]\npage = "Letter"\n', "[report] page is 'Letter'"),
        ('[report]\ntitel = "日报"\n', "[report] has unknown key 'titel'"),
        ('[[sections]]\nkind = "charts"\ngrup = "库存"\n', "(charts) has unknown key 'grup'"),
        ('[[sections]]\nkind = "cover"\nnew_page = "false"\n', "new_page is 'false'"),
        ('[[sections]]\nkind = "table"\n', "section 1 (table) lacks 'table'"),
        ('[[sections]]\nkind = "charts"\n', "names neither a group and chart ids"),
        (
            '[[sections]]\nkind = "charts"\ngroup = "库存"\ncharts = ["a"]\n',
            "names both a group and chart ids",
        ),
        ('[[sections]]\nkind = "charts"\ncharts = ["a"]\ncolumns = 9\n', "columns is 9"),
        ('[[sections]]\nkind = "charts"\ngroup = ""\n', "(charts) group is ''"),
        ('[[sections]]\nkind = "charts"\ncharts = []\n', "(charts) names no chart ids"),
        ('[[sections]]\nkind = "view"\nproduct = []\n', "(view) product is []"),
        ("[report]\ntitle = {}\n", "[report] title is {}"),
        (
            '[views.si]\ntemplate = "v.j2"\nmain_contract = ["si_fut_07"]\nma = "m"\n'
            'long = "si_fut_07"\nshort = "si_fut_07"\n',
            "[views.si] main_contract is ['si_fut_07']",
        ),
        (TABLE.format(row='"si_fut_07"'), "row 'si_fut_07' is not an inline table"),
        (TABLE.format(row='{ series = "si_fut_07", lable = "x" }'), "unknown key 'lable'"),
        (
            TABLE.format(row='{ id = "m", ma = "si_fut_07", window = "20" }'),
            "row 'm' window is '20'",
        ),
        (
            TABLE.format(row='{ id = "b", basis = ["si_spot_553", "si_fut_07"], scale = "k" }'),
            "row 'b' scale is 'k'",
        ),
        ("[deck]\nbody_pt = 12\n", "[deck] body_pt is 12"),
        (
            '[views.si]\ntemplate = "v.j2"\nma = "m"\nlong = "si_fut_07"\n',
            "[views.si] names long without short",
        ),
        (
            '[views.si]\ntemplate = "v.j2"\nma = "m"\nmain_contract = "mian"\n',
            "[views.si].main_contract names series 'mian', which the catalog lacks",
        ),
        (
            _columns('["现值", "同比", "同比"]'),
            "columns is",
        ),
        (
            _columns('["现值", "YoY"]'),
            "columns is",
        ),
        (_columns("[]"), "table 't' columns is []"),
        (
            TABLE.format(row='{ id = "r", ratio = ["si_fut_07", "si_spot_553"], unit = "元" }'),
            "row 'r' unit is '元'",
        ),
        (
            TABLE.format(row='{ id = "s", spread = ["si_fut_07", "si_spot_553"], unit = "%" }'),
            "row 's' has unknown key 'unit'",
        ),
        (
            TABLE.format(row='{ id = "s", sum = ["si_fut_07", "si_spot_553"], decimals = 9 }'),
            "row 's' decimals is 9",
        ),
        (
            TABLE.format(row='{ id = "main", basis = ["si_spot_553", "main"] }'),
            "row 'main' has the id 'main', which names the main contract",
        ),
        (TABLE.format(row='{ id = "c", convert = ["si_fut_07"] }'), "convert takes 2 series"),
        ('[deck]\nbody_pt = "18"\n', "[deck] body_pt is '18'"),
        ("[deck]\nbody = 18\n", "[deck] has unknown key 'body'"),
        ('[[sections]]\nkind = "cover"\nkey_figures = "yes"\n', "(cover) key_figures is 'yes'"),
        ('[[sections]]\nkind = "table"\ntable = "t"\nkey_figures = true\n', "unknown key"),
        (
            '[[sections]]\nkind = "charts"\ncharts = ["a"]\ntitle = "库存{{ f.x.text.current }"\n',
            "section 1 (charts) title is not a valid template",
        ),
    ],
)
def it_refuses_what_the_layout_would_otherwise_ignore_or_crash_on(
    tiny_snapshot: Path, layouts: Path, text: str, complaint: str
) -> None:
    _write(layouts, text)
    with pytest.raises(LayoutError) as refused:
        load_layout("t", load_snapshot(tiny_snapshot).catalog, layouts)
    assert complaint in refused.value.what and refused.value.where.endswith("t.toml")
    assert refused.value.fix


def it_reads_sections_as_typed_specs(tiny_snapshot: Path, layouts: Path) -> None:
    _write(
        layouts,
        '[report]\ntitle = "日报"\ncharts = "charts/x.toml"\n'
        '[[sections]]\nkind = "cover"\n'
        '[[sections]]\nkind = "charts"\ngroup = "库存"\nnew_page = false\ncolumns = 1\n',
    )
    layout = load_layout("t", load_snapshot(tiny_snapshot).catalog, layouts)
    cover, charts = layout.sections
    assert (cover.number, cover.kind, cover.new_page) == (1, "cover", True)
    assert (charts.group, charts.new_page, charts.columns) == ("库存", False, 1)
    assert layout.report.title == "日报"
    assert layout.chart_catalog == layouts / "charts" / "x.toml"


def it_reads_the_deck_options_and_the_key_figures_switch(
    tiny_snapshot: Path, layouts: Path
) -> None:
    _write(
        layouts,
        "[deck]\nbody_pt = 18\n"
        '[[sections]]\nkind = "cover"\n'
        '[[sections]]\nkind = "cover"\nkey_figures = false\n'
        '[[sections]]\nkind = "summary"\nproducts = ["si"]\nkey_figures = true\n'
        '[[sections]]\nkind = "summary"\n'
        '[[sections]]\nkind = "charts"\ncharts = ["a"]\ntitle = "库存{{ f.x.text.current }}"\n',
    )
    layout = load_layout("t", load_snapshot(tiny_snapshot).catalog, layouts)
    assert layout.deck.body_pt == 18.0
    assert [s.key_figures for s in layout.sections] == [True, False, True, False, False]
    assert layout.sections[2].products == ("si",)
    assert layout.sections[4].title == "库存{{ f.x.text.current }}"  # filled in when built
    _write(layouts, "")
    assert load_layout("t", load_snapshot(tiny_snapshot).catalog, layouts).deck.body_pt == 16.0


def it_reads_the_main_contract_and_the_new_row_kinds(tiny_snapshot: Path, layouts: Path) -> None:
    rows = (
        '{ series = "main", label = "{main_month}合约" }, '
        '{ id = "s", sum = ["si_fut_07", "si_spot_553", "si_social_stock"] }, '
        '{ id = "r", ratio = ["si_fut_07", "si_spot_553"], unit = "倍", decimals = 3 }, '
        '{ id = "c", convert = ["si_fut_07", "si_spot_553"] }'
    )
    _write(
        layouts,
        _columns('["现值", "涨跌幅", "同比"]', rows) + '[views.si]\ntemplate = "v.j2"\nma = "m"\n',
    )
    layout = load_layout("t", load_snapshot(tiny_snapshot).catalog, layouts)
    main, total, ratio, convert = layout.tables[0].sections[0].rows
    assert (main.kind, main.inputs, main.key, main.label) == (
        "series",
        ("main",),
        "main",
        "{main_month}合约",
    )
    assert total.inputs == ("si_fut_07", "si_spot_553", "si_social_stock")
    assert (ratio.kind, ratio.unit, ratio.decimals) == ("ratio", "倍", 3)
    assert (convert.kind, convert.unit, convert.decimals) == ("convert", None, None)
    assert layout.tables[0].columns == ("现值", "涨跌幅", "同比")
    (view,) = layout.views
    assert (view.main_contract, view.positions) == ("main", None)
