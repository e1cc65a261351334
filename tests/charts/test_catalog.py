"""The chart catalog: read from TOML, refused with a message naming file, chart and series."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from publisher.assets import LAYOUTS_DIR
from publisher.charts.catalog import KINDS, catalog_path, check_catalog, load_catalog
from publisher.errors import LayoutError
from tests.charts.conftest import spec

SAMPLE_CATALOG = LAYOUTS_DIR / "charts" / "silicon.toml"


def it_reads_the_sample_catalog() -> None:
    catalog = load_catalog(SAMPLE_CATALOG)
    assert len(catalog) >= 45
    assert len(set(catalog.ids)) == len(catalog)
    assert {chart.kind for chart in catalog} == set(KINDS)
    assert all(chart.title and chart.group for chart in catalog)


def it_finds_the_catalog_the_sample_layout_names() -> None:
    assert catalog_path("silicon-daily") == SAMPLE_CATALOG


def it_falls_back_to_a_catalog_named_like_the_layout(tmp_path: Path) -> None:
    assert catalog_path("weekly", root=tmp_path) == tmp_path / "charts" / "weekly.toml"


def it_parses_series_references(one_chart: Callable[[str], object]) -> None:
    chart = one_chart(
        """
        id = "basis"
        kind = "lines"
        title = "基差"
        unit = "元/吨"
        years = 1
        series = [
            "si_spot",
            { basis = ["ps_spot", "ps_fut"], scale = 1000, label = "基差", axis = "secondary" },
        ]
        """
    )
    first, second = chart.series  # type: ignore[attr-defined]
    assert (first.op, first.inputs, first.axis) == ("series", ("si_spot",), "primary")
    assert (second.op, second.inputs, second.scale) == ("basis", ("ps_spot", "ps_fut"), 1000.0)
    assert second.key == "basis:ps_spot-ps_fut"
    assert chart.option("years") == 1  # type: ignore[attr-defined]
    assert chart.series_ids == ("si_spot", "ps_spot", "ps_fut")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ('id = "x"\nkind = "pie"\ntitle = "t"\nseries = ["a"]', "kind 'pie'"),
        ('id = "x"\nkind = "lines"\nseries = ["a"]', "has no title"),
        ('id = "x"\nkind = "lines"\ntitle = "t"\nseries = []', "draws no series"),
        ('id = "x"\nkind = "lines"\ntitle = "t"\nbars = 3\nseries = ["a"]', "unknown key 'bars'"),
        (
            'id = "x"\nkind = "lines"\ntitle = "t"\nseries = [{ series = "a", axis = "left" }]',
            "series 'a' has axis 'left'",
        ),
        ('id = "x"\nkind = "lines"\ntitle = "t"\nyears = "2y"\nseries = ["a"]', "years = '2y'"),
        ('id = "x"\nkind = "lines"\ntitle = "t"\nyears = 1e999\nseries = ["a"]', "years = inf"),
        (
            'id = "x"\nkind = "lines"\ntitle = "t"\nseries = [{ spread = ["a"] }]',
            "series 'a': spread takes 2",
        ),
        (
            'id = "x"\nkind = "cost_profit"\ntitle = "t"\n'
            'series = [{ series = "a", role = "cost" }]',
            'role = "profit"',
        ),
    ],
)
def it_refuses_a_malformed_chart_naming_the_file_and_chart(
    catalog_file: Callable[[str], Path], body: str, complaint: str
) -> None:
    path = catalog_file("[[chart]]\n" + body)
    with pytest.raises(LayoutError) as caught:
        load_catalog(path)
    assert str(path) in str(caught.value)
    assert complaint in str(caught.value)
    assert "chart 'x'" in str(caught.value)
    assert caught.value.fix


def it_refuses_a_chart_listed_twice(catalog_file: Callable[[str], Path]) -> None:
    chart = '[[chart]]\nid = "x"\nkind = "lines"\ntitle = "t"\nseries = ["a"]\n'
    with pytest.raises(LayoutError, match="listed twice"):
        load_catalog(catalog_file(chart + chart))


def it_refuses_a_series_the_snapshot_lacks(catalog_file: Callable[[str], Path]) -> None:
    path = catalog_file('[[chart]]\nid = "x"\nkind = "lines"\ntitle = "t"\nseries = ["gone"]\n')
    with pytest.raises(LayoutError) as caught:
        check_catalog(load_catalog(path), {"here": spec("here", "在")})
    assert "chart 'x' names series 'gone'" in str(caught.value)


def it_refuses_a_series_in_another_unit_than_the_chart_expects(
    catalog_file: Callable[[str], Path],
) -> None:
    # the reference printed DMC inventory in tonnes under a 万吨 label
    path = catalog_file(
        '[[chart]]\nid = "dmc"\nkind = "lines"\ntitle = "DMC库存"\nunit = "万吨"\n'
        'series = ["si_dmc_inv"]\n'
    )
    with pytest.raises(LayoutError) as caught:
        check_catalog(load_catalog(path), {"si_dmc_inv": spec("si_dmc_inv", "DMC库存", "吨")})
    assert "expects series 'si_dmc_inv' in 万吨" in str(caught.value)
    assert "gives it in 吨" in str(caught.value)


def it_reads_catalog_and_data_without_matplotlib() -> None:
    """The slide renderer imports these for data: they must not pull in matplotlib."""
    code = (
        "import sys, publisher.charts, publisher.charts.catalog, publisher.charts.data; "
        "print('matplotlib' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def it_refuses_one_unit_on_two_axes(one_chart: Callable[[str], object]) -> None:
    with pytest.raises(LayoutError) as refused:
        one_chart(
            """
            id = "materials"
            kind = "lines"
            title = "原料价格"
            unit = "元/吨"
            unit2 = "元/吨"
            series = [
                { series = "coal", label = "精煤" },
                { series = "electrode", label = "石墨电极（右轴）", axis = "secondary" },
            ]
            """
        )
    assert "chart 'materials' puts series in 元/吨 on two axes" in refused.value.what
    assert "another chart" in refused.value.fix


def it_lets_a_basis_go_in_a_panel_under_prices_in_the_same_unit(
    one_chart: Callable[[str], object],
) -> None:
    chart = one_chart(
        """
        id = "basis"
        kind = "lines"
        title = "现货、期货与基差"
        unit = "元/吨"
        unit2 = "元/吨"
        series = [
            { series = "spot" },
            { series = "fut" },
            { basis = ["spot", "fut"], axis = "secondary", draw = "area" },
        ]
        """
    )
    assert chart.id == "basis"
