"""Layout stage: key figures (range calls and verdicts) and section titles that print figures."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from publisher.assets import LAYOUTS_DIR
from publisher.errors import LayoutError
from publisher.layout.engine import build_document, product_call
from publisher.layout.model import BulletList, Callout, KeyFigures, Verdict
from publisher.layout.titles import render_title
from publisher.pipeline import Prepared, prepare
from publisher.snapshot.model import RangeCall
from tests.conftest import SAMPLE

SI_VERDICTS = ("偏多", "偏多", "偏空", "偏空", "偏空", "中性")


@pytest.fixture(scope="module")
def prepared() -> Prepared:
    return prepare(SAMPLE)


def it_puts_every_products_call_on_the_cover_by_default(prepared: Prepared) -> None:
    cover = build_document(_with_sections(prepared), {}).sections[0]
    assert cover.kind == "cover" and cover.blocks == (KeyFigures(cover.blocks[0].calls),)
    si, ps = cover.blocks[0].calls
    assert (si.heading, si.range_text) == ("工业硅2507", "7335–7545")
    assert (ps.heading, ps.range_text) == ("多晶硅2507", "34690–35890")
    assert [v.factor for v in si.verdicts] == ["基本面", "基差", "库存", "盘面", "主力持仓", "预期"]
    assert tuple(v.verdict for v in si.verdicts) == SI_VERDICTS
    assert cover.sources == ()  # the analyst's calls, not data


def _with_sections(prepared: Prepared, **section: object) -> Prepared:
    """The layout cut to its first section (the cover), changed as given: no charts to draw,
    and no 今日要点 unless asked (tests/metrics/test_highlights.py has those)."""
    spec = dataclasses.replace(prepared.layout.sections[0], **{"highlights": 0, **section})
    layout = dataclasses.replace(prepared.layout, sections=(spec,))
    return dataclasses.replace(prepared, layout=layout)


def it_leaves_the_cover_bare_when_told(prepared: Prepared) -> None:
    bare = _with_sections(prepared, key_figures=False)
    assert build_document(bare, {}).sections[0].blocks == ()
    one = _with_sections(prepared, products=("ps",))
    assert [c.name for c in build_document(one, {}).sections[0].blocks[0].calls] == ["多晶硅"]


def it_leads_a_summary_with_the_call_in_figures_when_asked(prepared: Prepared) -> None:
    plain = _with_sections(prepared, kind="summary", products=("si",), key_figures=False)
    figures = _with_sections(prepared, kind="summary", products=("si",), key_figures=True)
    before = build_document(plain, {}).sections[0].blocks
    after = build_document(figures, {}).sections[0].blocks
    assert isinstance(before[0], Callout) and isinstance(after[0], KeyFigures)
    assert before[1:] == after[1:] and all(isinstance(b, BulletList) for b in after[1:])
    assert [b.label for b in after[1:]] == ["利多", "利空", "主要逻辑", "主要风险点"]


def it_prints_the_bounds_as_the_view_does(prepared: Prepared) -> None:
    judgement = prepared.snapshot.judgements["ps"]
    assert product_call(prepared, judgement).low == "34690"
    brand = dataclasses.replace(prepared.snapshot.brand, thousands=True)
    grouped = dataclasses.replace(
        prepared, snapshot=dataclasses.replace(prepared.snapshot, brand=brand)
    )
    assert product_call(grouped, judgement).range_text == "34,690–35,890"
    # without a view, no contract says how to print it: as the analyst wrote it
    viewless = dataclasses.replace(prepared, layout=dataclasses.replace(prepared.layout, views=()))
    odd = dataclasses.replace(judgement, range_call=RangeCall("2507", 36.5, 37))
    assert product_call(viewless, odd).range_text == "36.5–37.0"
    assert product_call(prepared, odd).range_text == "37–37"  # the contract's 0 decimals


def it_keeps_each_verdict_beside_its_factor(prepared: Prepared) -> None:
    call = product_call(prepared, prepared.snapshot.judgements["si"])
    judgement = prepared.snapshot.judgements["si"]
    assert call.verdicts == tuple(Verdict(f.name, f.verdict) for f in judgement.factors)


def it_fills_a_title_template_with_the_tables_strings(prepared: Prepared) -> None:
    figures, path = prepared.metrics.figures, prepared.layout.path
    social = figures["si_inv_social"]
    title = render_title(
        "社会库存{{ f.si_inv_social.text.current }}{{ f.si_inv_social.unit }}，"
        "周{{ f.si_inv_social.trend('增', '降') }}",
        figures,
        "5月27日",
        path,
        "section 3 (charts)",
    )
    assert title.text == f"社会库存{social.text.current}万吨，周降{social.text.pct.lstrip('-')}"
    assert title.sources == social.sources
    assert render_title("工业硅库存", figures, "5月27日", path, "s").sources == ()
    with pytest.raises(LayoutError) as refused:
        render_title("{{ f.si_nope.text.current }}", figures, "", path, "section 3 (charts)")
    assert "section 3 (charts) title uses an undefined figure" in refused.value.what
    assert str(refused.value.where) == str(path)


def it_takes_the_deck_body_size_from_the_layout(tmp_path: Path) -> None:
    root = tmp_path / "layouts"
    shutil.copytree(LAYOUTS_DIR, root)
    text = (root / "silicon-meeting.toml").read_text(encoding="utf-8")
    (root / "silicon-meeting.toml").write_text(text.replace("body_pt = 18", "body_pt = 20"))
    meeting = prepare(SAMPLE, "silicon-meeting", layouts=root)
    assert build_document(_with_sections(meeting), {}).deck.body_pt == 20.0
    assert build_document(_with_sections(prepare(SAMPLE)), {}).deck.body_pt == 16.0
