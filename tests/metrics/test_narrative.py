"""Metrics stage: the daily view prints each figure with its date when it is not the report's."""

from __future__ import annotations

import dataclasses
import errno
import re
import subprocess
import sys
from pathlib import Path
from types import MappingProxyType

import jinja2
import pytest

from publisher.metrics.narrative import DailyView, _KeptTemplates, kept_templates
from publisher.pipeline import prepare
from publisher.snapshot import Snapshot, load_snapshot
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def sample() -> Snapshot:
    return load_snapshot(SAMPLE)


def _cut(snapshot: Snapshot, **last_day: str) -> Snapshot:
    """The snapshot with each named series ending on the given day."""
    observations = dict(snapshot.observations)
    for series, day in last_day.items():
        observations[series] = observations[series].loc[:day]
    return dataclasses.replace(snapshot, observations=MappingProxyType(observations))


def _view(snapshot: Snapshot, product: str = "si") -> DailyView:
    views = prepare(SAMPLE, snapshot=snapshot).views
    return next(v for v in views if v.product == product)


def _factor(view: DailyView, name: str) -> str:
    return next(f.text for f in view.factors if f.name == name)


def it_marks_a_basis_from_weeks_ago_with_its_date_and_as_not_updated(sample: Snapshot) -> None:
    # the 07 close stopped on 04-10: the basis sentence paired today's spot with April's basis
    view = _view(_cut(sample, si_fut_07="2025-04-10"))
    basis = _factor(view, "基差")
    assert basis.startswith(
        "5月27日，华东不通氧现货价8350元/吨，07合约基差为585元/吨（4月10日，未更新），"
        "现货升水期货。"
    )
    assert _factor(view, "盘面").startswith("MA20向下（4月10日，未更新），07合约期价收于MA20")


def it_dates_a_basis_whose_close_is_missing_on_the_report_day(sample: Snapshot) -> None:
    view = _view(_cut(sample, si_fut_07="2025-05-26"))
    assert "07合约基差为" in _factor(view, "基差")
    assert re.search(r"07合约基差为-?\d+元/吨（5月26日），现货", _factor(view, "基差"))


def it_dates_a_stale_weekly_figure_once_a_sentence(sample: Snapshot) -> None:
    view = _view(_cut(sample, si_inv_social="2025-05-09"))
    stock = _factor(view, "库存")
    assert re.match(r"社会库存为[\d.]+万吨（5月9日，未更新），环比", stock)
    assert stock.count("（5月9日，未更新）") == 1


def it_leaves_figures_of_the_report_day_and_fresh_weeklies_undated(sample: Snapshot) -> None:
    for view in prepare(SAMPLE, snapshot=sample).views:
        prose = "".join(view.paragraphs) + "".join(f.text for f in view.factors)
        assert "未更新" not in prose and "\ue000" not in prose, view.name


def _environment_with(cache: jinja2.BytecodeCache, folder: Path) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(folder), bytecode_cache=cache)


def it_keeps_compiled_templates_for_the_next_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "view.j2").write_text("{{ a }}：{{ b | default('—') }}", encoding="utf-8")
    kept = tmp_path / "kept"
    kept.mkdir()
    first = _environment_with(_KeptTemplates(str(kept)), tmp_path).get_template("view.j2")
    assert len(list(kept.iterdir())) == 1
    # a later process: the code comes from the cache, not from compiling the source again
    monkeypatch.setattr(jinja2.Environment, "compile", lambda *a, **k: pytest.fail("compiled"))
    again = _environment_with(_KeptTemplates(str(kept)), tmp_path).get_template("view.j2")
    assert again.render(a="工业硅") == first.render(a="工业硅") == "工业硅：—"


def it_builds_without_the_cache_when_it_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "view.j2").write_text("{{ a }}", encoding="utf-8")

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(jinja2.bccache.tempfile, "NamedTemporaryFile", disk_full)
    cache = _KeptTemplates(str(tmp_path))
    assert _environment_with(cache, tmp_path).get_template("view.j2").render(a="多晶硅") == "多晶硅"
    with pytest.raises(OSError):  # what the plain cache would have done to the build
        _environment_with(jinja2.FileSystemBytecodeCache(str(tmp_path)), tmp_path).get_template(
            "view.j2"
        )


def it_views_the_sample_alike_with_kept_templates(tmp_path: Path) -> None:
    """The views from compiled templates kept on disk are the views compiled afresh."""
    code = (
        "from publisher.pipeline import prepare; from publisher.assets import SAMPLE; "
        "print(repr(prepare(SAMPLE).views))"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)  # the second finds the first's compiled templates
    ]
    assert runs[0] == runs[1] and "DailyView" in runs[0]
    assert isinstance(kept_templates(), _KeptTemplates)
