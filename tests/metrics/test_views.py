"""Metrics stage: a view without 主力持仓 series prints no positions sentence, rather than one
made up; the rest of the view is written as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.errors import LayoutError
from publisher.metrics.narrative import daily_views
from publisher.metrics.overview import compute_metrics
from publisher.snapshot import load_snapshot
from publisher.snapshot.layoutfile import load_layout

LAYOUT = """\
[views.si]
template = "v.j2"
main_contract = "si_fut_07"
ma = "si_ma2"
{positions}
[[tables]]
id = "t"
product = "si"
[[tables.sections]]
category = "盘面"
rows = [{{ id = "si_ma2", label = "MA2", ma = "si_fut_07", window = 2 }}]
"""

TEMPLATE = """\
{% block price_action %}MA2{{ price.ma_direction }}，收于MA2{{ price.close_side }}。{% endblock %}
{% block positions %}主力持仓{{ positions.side }}，{{ positions.move }}。{% endblock %}
"""


def _factors(snapshot: Path, folder: Path, positions: str, template: str = TEMPLATE) -> dict:
    (folder / "t.toml").write_text(LAYOUT.format(positions=positions), encoding="utf-8")
    (folder / "templates").mkdir(exist_ok=True)
    (folder / "templates" / "v.j2").write_text(template, encoding="utf-8")
    loaded = load_snapshot(snapshot)
    layout = load_layout("t", loaded.catalog, folder)
    (view,) = daily_views(loaded, layout, compute_metrics(loaded, layout))
    return {f.name: f.text for f in view.factors}


def it_writes_positions_from_the_long_and_short_series(tiny_snapshot: Path, tmp_path: Path):
    # a stand-in pair: "long" 7440 (was 7610) against "short" 8350: net short, shorts fell
    factors = _factors(tiny_snapshot, tmp_path, 'long = "si_fut_07"\nshort = "si_spot_553"')
    assert factors["主力持仓"] == "主力持仓净空，空减。测试"


def it_leaves_the_positions_sentence_out_without_the_series(tiny_snapshot: Path, tmp_path: Path):
    factors = _factors(tiny_snapshot, tmp_path, "")
    assert factors["主力持仓"] == "测试"  # the analyst's comment alone
    assert factors["盘面"] == "MA2走平，收于MA2下方。测试"  # one MA value: no slope yet


def it_lets_a_template_say_so_when_there_are_no_positions(tiny_snapshot: Path, tmp_path: Path):
    template = TEMPLATE.replace(
        "{% block price_action %}",
        "{% block price_action %}{% if not positions %}无持仓数据；{% endif %}",
    )
    factors = _factors(tiny_snapshot, tmp_path, "", template)
    assert factors["盘面"].startswith("无持仓数据；MA2走平")


def it_names_the_fix_when_another_block_reads_missing_positions(
    tiny_snapshot: Path, tmp_path: Path
) -> None:
    template = TEMPLATE.replace("收于MA2{{ price.close_side }}", "{{ positions.side }}")
    with pytest.raises(LayoutError) as refused:
        _factors(tiny_snapshot, tmp_path, "", template)
    assert "block 'price_action' uses an undefined figure" in refused.value.what
    assert "give the view long and short" in refused.value.fix
