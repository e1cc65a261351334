"""Snapshot stage: any value of the snapshot, brand or layout file replaced by one of the wrong
form is loaded or refused with a PublisherError — never another exception (a traceback)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from publisher.charts.catalog import check_catalog, load_catalog
from publisher.errors import PublisherError
from publisher.snapshot import load_snapshot
from publisher.snapshot.layoutfile import load_layout

# Each replaces a value wholesale; "DELETE" drops the line. Chosen from the kinds that broke
# the loaders before: a number for text, an empty or mixed list, a table, infinity, a date.
WRONG = ("42", '""', "[]", "{}", "true", "1e999", '["a", 1]', "1979-01-01", "DELETE")
ASSIGNMENT = re.compile(r'^(\s*"?[^=#\s"]+"?\s*=\s*)(.+)$')

LAYOUT = """\
[report]
title = "工业硅简报"
page = "A4"
products = ["si"]
source_order = ["WIND", "SMM"]

[views.si]
template = "si_view.j2"
main_contract = "si_fut_07"
ma = "si_ma20_07"
long = "si_fut_07"
short = "si_spot_553"

[[tables]]
id = "si_overview"
title = "工业硅行情概览"
product = "si"

[[tables.sections]]
category = "基差"

[[tables.sections.rows]]  # a row as a table of its own, so each of its keys is mutated
id = "si_basis_07"
label = "07合约基差"
basis = ["si_spot_553", "si_fut_07"]
scale = 1

[[tables.sections.rows]]
id = "si_ma20_07"
ma = "si_fut_07"
window = 20

[[sections]]
kind = "table"
table = "si_overview"
new_page = false
title = "行情"
"""


CHARTS = """\
[[chart]]
id = "si_basis"
kind = "lines"
title = "工业硅：基差"
group = "基差"
size = "half"
unit = "元/吨"
years = 2
zero_line = true
series = [{ basis = ["si_spot_553", "si_fut_07"], label = "07基差" }]

[[chart]]
id = "si_stock"
kind = "seasonal"
title = "工业硅：社会库存"
unit = "万吨"
average_years = 5
band = true
series = ["si_social_stock"]
"""


def mutants(text: str) -> list[tuple[str, str]]:
    """(what changed, the whole text with it) for every assignment line and wrong value."""
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        match = ASSIGNMENT.match(line)
        if not match:
            continue
        for value in WRONG:
            changed = [] if value == "DELETE" else [match[1] + value]
            found.append(
                (f"line {i + 1} -> {value}", "\n".join([*lines[:i], *changed, *lines[i + 1 :]]))
            )
    return found


def _survives(load: object, label: str) -> None:
    try:
        load()  # type: ignore[operator]
    except PublisherError:
        pass
    except Exception as exc:
        pytest.fail(f"{label}: {type(exc).__name__}: {exc}")


@pytest.mark.parametrize("name", ["snapshot.toml", "brand.toml"])
def it_loads_or_refuses_every_mutant_of_the_snapshot_files(tiny_snapshot: Path, name: str) -> None:
    assert load_snapshot(tiny_snapshot).judgements  # the unmutated snapshot loads
    path = tiny_snapshot / name
    original = path.read_text(encoding="utf-8")
    for label, text in mutants(original):
        path.write_text(text, encoding="utf-8")
        _survives(lambda: load_snapshot(tiny_snapshot), f"{name} {label}")
    path.write_text(original, encoding="utf-8")


def it_loads_or_refuses_every_mutant_of_a_layout(tiny_snapshot: Path, tmp_path: Path) -> None:
    catalog = load_snapshot(tiny_snapshot).catalog
    (tmp_path / "t.toml").write_text(LAYOUT, encoding="utf-8")
    assert load_layout("t", catalog, tmp_path).sections  # the unmutated layout loads
    for label, text in mutants(LAYOUT):
        (tmp_path / "t.toml").write_text(text, encoding="utf-8")
        _survives(lambda: load_layout("t", catalog, tmp_path), f"layout {label}")


def it_loads_or_refuses_every_mutant_of_a_chart_catalog(tiny_snapshot: Path, tmp_path: Path):
    catalog = load_snapshot(tiny_snapshot).catalog
    (tmp_path / "c.toml").write_text(CHARTS, encoding="utf-8")
    check_catalog(load_catalog(tmp_path / "c.toml"), catalog)  # the unmutated catalog loads
    for label, text in mutants(CHARTS):
        (tmp_path / "c.toml").write_text(text, encoding="utf-8")
        _survives(lambda: check_catalog(load_catalog(tmp_path / "c.toml"), catalog), label)
