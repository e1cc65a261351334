"""Snapshot stage: layouts are found on a search path (--layouts, PUBLISHER_LAYOUTS, bundled),
by id or by path, and their templates and chart catalog beside them, then on that path."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import pytest

from publisher.assets import LAYOUTS_DIR
from publisher.charts.catalog import catalog_path
from publisher.errors import LayoutError, SnapshotError
from publisher.snapshot import load_snapshot
from publisher.snapshot.layoutfile import (
    ENV,
    LayoutSearch,
    layout_search,
    load_layout,
    snapshot_layout,
)

VIEW = (
    '[views.si]\ntemplate = "v.j2"\nmain_contract = "si_fut_07"\nma = "si_fut_07"\n'
    'long = "si_fut_07"\nshort = "si_spot_553"\n'
)


def _folder(path: Path, files: dict[str, str]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text, encoding="utf-8")
    return path


def _catalog(tiny_snapshot: Path):  # type: ignore[no-untyped-def]
    return load_snapshot(tiny_snapshot).catalog


def it_searches_the_given_folders_then_the_variable_then_the_bundled_layouts(
    tmp_path: Path, tiny_snapshot: Path
) -> None:
    given = _folder(tmp_path / "given", {"t.toml": '[report]\ntitle = "given"\n'})
    listed = _folder(tmp_path / "listed", {"t.toml": '[report]\ntitle = "listed"\n', "u.toml": ""})
    other = _folder(tmp_path / "other", {})
    search = layout_search([given], {ENV: f"{listed}{os.pathsep}{os.pathsep}{other}"})
    assert search.folders == (given, listed, other, LAYOUTS_DIR)
    assert search.origins == ("--layouts", ENV, ENV, "bundled")
    catalog = _catalog(tiny_snapshot)
    assert load_layout("t", catalog, search).report.title == "given"
    assert load_layout("u", catalog, search).path == listed / "u.toml"
    assert search.find("silicon-daily.toml") == LAYOUTS_DIR / "silicon-daily.toml"


def it_reads_the_variable_from_the_environment_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, str(tmp_path))
    assert layout_search().folders == (tmp_path, LAYOUTS_DIR)
    monkeypatch.delenv(ENV)
    assert layout_search().folders == (LAYOUTS_DIR,)


def it_refuses_a_search_folder_that_is_not_there(tmp_path: Path) -> None:
    with pytest.raises(LayoutError) as given:
        layout_search([tmp_path / "nope"], {})
    assert given.value.where == str(tmp_path / "nope")
    assert "--layouts folder is not there" in given.value.what
    with pytest.raises(LayoutError) as listed:
        layout_search([], {ENV: f"{tmp_path}{os.pathsep}{tmp_path / 'nope'}"})
    assert listed.value.where == ENV and str(tmp_path / "nope") in listed.value.what


def it_names_every_folder_searched_and_how_to_add_a_layout(
    tmp_path: Path, tiny_snapshot: Path
) -> None:
    desk = _folder(tmp_path / "desk", {"lithium-daily.toml": ""})
    search = layout_search([desk], {})
    with pytest.raises(LayoutError) as refused:
        load_layout("lithium-weekly", _catalog(tiny_snapshot), search)
    message = str(refused.value)
    assert f"not found in {desk} (--layouts), {LAYOUTS_DIR} (bundled)" in message
    assert "use one of: lithium-daily, polysilicon-brief, silicon-daily" in message
    assert "save lithium-weekly.toml in one of those folders, or add its folder with " in message
    assert f"--layouts DIR or {ENV}" in message


@pytest.mark.parametrize("written", ["{folder}/t.toml", "{folder}/t", "desk/t", "desk/t.toml"])
def it_takes_a_layout_by_path_with_or_without_toml(
    tmp_path: Path, tiny_snapshot: Path, written: str
) -> None:
    desk = _folder(tmp_path / "desk", {"t.toml": '[report]\ntitle = "desk"\n'})
    name = written.format(folder=desk)
    layout = load_layout(name, _catalog(tiny_snapshot), LayoutSearch(()), base=tmp_path)
    assert (layout.id, layout.path.resolve()) == ("t", (desk / "t.toml").resolve())


def it_takes_a_bare_file_name_not_in_the_folder_as_an_id(
    tmp_path: Path, tiny_snapshot: Path
) -> None:
    shared = _folder(tmp_path / "shared", {"t.toml": ""})
    search = LayoutSearch((shared,))
    layout = load_layout("t.toml", _catalog(tiny_snapshot), search, base=tmp_path)
    assert layout.path == shared / "t.toml"
    _folder(tmp_path, {"t.toml": ""})  # one in the folder itself is that file
    layout = load_layout("t.toml", _catalog(tiny_snapshot), search, base=tmp_path)
    assert layout.path == tmp_path / "t.toml"


def it_says_which_layout_file_is_missing(tmp_path: Path, tiny_snapshot: Path) -> None:
    with pytest.raises(LayoutError) as refused:
        load_layout("desk/nope", _catalog(tiny_snapshot), LayoutSearch(()), base=tmp_path)
    assert refused.value.where == str(tmp_path / "desk" / "nope.toml")
    assert "report.layout is relative to snapshot.toml, --layout to the current folder" in (
        refused.value.fix
    )


def it_refuses_a_layout_file_whose_name_is_not_an_id(tmp_path: Path, tiny_snapshot: Path) -> None:
    _folder(tmp_path, {"Lithium Daily.toml": ""})
    with pytest.raises(LayoutError) as refused:
        load_layout("Lithium Daily.toml", _catalog(tiny_snapshot), LayoutSearch(()), tmp_path)
    assert "the file name 'Lithium Daily' is not a layout id" in refused.value.what


def it_reads_a_layout_file_named_relative_to_the_snapshot(
    tmp_path: Path, tiny_snapshot: Path
) -> None:
    _folder(tmp_path / "desk", {"t.toml": '[report]\ntitle = "desk"\n'})
    manifest = tiny_snapshot / "snapshot.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('layout = "silicon-daily"', 'layout = "../desk/t.toml"'))
    snapshot = load_snapshot(tiny_snapshot)
    assert snapshot.layout == "../desk/t.toml"
    layout = snapshot_layout(snapshot, LayoutSearch(()))
    assert layout.path.resolve() == (tmp_path / "desk" / "t.toml").resolve()


@pytest.mark.parametrize("written", ["/etc/t.toml", "../desk/t", "Silicon Daily"])
def it_refuses_a_report_layout_that_is_neither_an_id_nor_a_relative_file(
    tiny_snapshot: Path, written: str
) -> None:
    manifest = tiny_snapshot / "snapshot.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('layout = "silicon-daily"', f'layout = "{written}"'))
    with pytest.raises(SnapshotError) as refused:
        load_snapshot(tiny_snapshot)
    assert f"report.layout '{written}' is neither a layout id nor a .toml file" in (
        refused.value.what
    )


def it_finds_templates_and_the_chart_catalog_beside_the_layout_then_on_the_search_path(
    tmp_path: Path, tiny_snapshot: Path
) -> None:
    desk = _folder(tmp_path / "desk", {"t.toml": f'[report]\ncharts = "charts/c.toml"\n{VIEW}'})
    shared = _folder(tmp_path / "shared", {"templates/v.j2": "", "charts/c.toml": ""})
    search = layout_search([shared], {})
    layout = load_layout("desk/t", _catalog(tiny_snapshot), search, base=tmp_path)
    assert layout.template_dirs == (
        desk / "templates",
        shared / "templates",
        LAYOUTS_DIR / "templates",
    )
    assert layout.chart_catalog == shared / "charts" / "c.toml"
    assert catalog_path("desk/t", search, tmp_path) == shared / "charts" / "c.toml"
    assert layout.stored == (
        (PurePosixPath("t.toml"), desk / "t.toml"),
        (PurePosixPath("templates/v.j2"), shared / "templates" / "v.j2"),
        (PurePosixPath("charts/c.toml"), shared / "charts" / "c.toml"),
    )
    _folder(desk, {"templates/v.j2": "", "charts/c.toml": ""})  # the desk's own come first
    assert [path for _, path in layout.stored] == [
        desk / "t.toml",
        desk / "templates" / "v.j2",
        desk / "charts" / "c.toml",
    ]
