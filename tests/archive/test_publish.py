"""Publishing: outputs, the snapshot as read and a manifest stored together; once per snapshot."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from publisher.archive.errors import ArchiveError
from publisher.archive.publish import publish
from publisher.archive.store import Archive
from publisher.archive.verify import rebuild
from publisher.assets import LAYOUTS_DIR
from publisher.errors import CheckError, QualityError, SnapshotError
from publisher.snapshot import load_snapshot
from tests.archive.conftest import CORRECTED_OUTLOOK, cli, copy_sample
from tests.conftest import SAMPLE

R1 = Path("reports/silicon-daily/2025-05-27/r1")
R2 = Path("reports/silicon-daily/2025-05-27/r2")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def it_stores_the_outputs_the_snapshot_as_read_and_a_manifest(archived: Path) -> None:
    folder = archived / R1
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["report_id"] == "silicon-daily"
    assert manifest["as_of"] == "2025-05-27"
    assert manifest["revision"] == 1 and manifest["supersedes"] is None
    assert manifest["analyst"] == "analyst-a"
    assert manifest["layout"] == "silicon-daily"
    assert manifest["package_version"] == "0.1.0"
    assert manifest["build_time"] == "2025-05-27T00:00:00+08:00"  # from the snapshot, no clock
    assert [(o["path"], o["role"]) for o in manifest["outputs"]] == [
        ("silicon-daily-2025-05-27.pdf", "pdf"),
        ("silicon-daily-2025-05-27.pptx", "pptx"),
    ]
    assert all(o["pages"] > 1 for o in manifest["outputs"])  # pages, slides
    stored = "snapshot/silicon-2025-05-27/"
    sources = {
        f"{stored}snapshot.toml": ("snapshot", SAMPLE / "snapshot.toml"),
        f"{stored}catalog.csv": ("catalog", SAMPLE / "catalog.csv"),
        f"{stored}observations.csv": ("observations", SAMPLE / "observations.csv"),
        "snapshot/brand/brand.toml": ("brand", SAMPLE.parent / "brand" / "brand.toml"),
        "snapshot/brand/template.pptx": ("template", SAMPLE.parent / "brand" / "template.pptx"),
        # the layout files the build read, so a rebuild reads them as they were
        "layouts/silicon-daily.toml": ("layout", LAYOUTS_DIR / "silicon-daily.toml"),
        "layouts/templates/si_view.j2": ("layout", LAYOUTS_DIR / "templates" / "si_view.j2"),
        "layouts/templates/ps_view.j2": ("layout", LAYOUTS_DIR / "templates" / "ps_view.j2"),
        "layouts/charts/silicon.toml": ("layout", LAYOUTS_DIR / "charts" / "silicon.toml"),
    }
    assert {i["path"]: i["role"] for i in manifest["inputs"]} == {
        path: role for path, (role, _) in sources.items()
    }
    for entry in manifest["inputs"] + manifest["outputs"]:
        assert sha(folder / entry["path"]) == entry["sha256"], entry["path"]
    for path, (_, source) in sources.items():
        assert (folder / path).read_bytes() == source.read_bytes()


def it_stores_a_snapshot_copy_that_loads_again(archived: Path) -> None:
    copy = load_snapshot(archived / R1 / "snapshot" / "silicon-2025-05-27")
    assert copy.brand.template and copy.brand.template.is_file()
    assert all(archived in f.resolve().parents for f in (*copy.files, copy.brand.template))
    original = load_snapshot(SAMPLE)
    assert replace(copy.brand, template=None) == replace(original.brand, template=None)
    assert copy.judgements == original.judgements
    assert {k: len(v) for k, v in copy.observations.items()} == {
        k: len(v) for k, v in original.observations.items()
    }


def it_does_nothing_when_the_same_snapshot_is_published_again(
    archive_copy: Path, corrected: Path
) -> None:
    before = sorted(p for p in archive_copy.rglob("*") if p.is_file())
    result = cli("publish", corrected, "--archive", archive_copy)  # r2's: the latest
    assert result.exit_code == 0, result.output
    assert "unchanged: silicon-daily 2025-05-27 r2" in result.output
    assert len(Archive.open(archive_copy).rows(report="silicon-daily")) == 2  # r1 and r2 only
    assert sorted(p for p in archive_copy.rglob("*") if p.is_file()) == before


def it_knows_the_same_snapshot_copied_to_another_folder(archive_copy: Path, tmp_path: Path) -> None:
    moved = copy_sample(tmp_path / "elsewhere", outlook=CORRECTED_OUTLOOK)
    done = publish(moved, archive_copy)
    assert not done.created and done.row.revision == 2


def it_keeps_revision_one_when_a_correction_is_published(archived: Path) -> None:
    rows = Archive.open(archived).rows()
    assert [(r.revision, r.correction) for r in rows] == [(2, True), (1, False)]
    r1 = json.loads((archived / R1 / "manifest.json").read_text(encoding="utf-8"))
    r2 = json.loads((archived / R2 / "manifest.json").read_text(encoding="utf-8"))
    assert r2["supersedes"] == 1 and r2["identity"] != r1["identity"]
    for entry in r1["inputs"] + r1["outputs"]:
        assert sha(archived / R1 / entry["path"]) == entry["sha256"]  # r1 untouched
    assert (
        b"2025-05-27" in (archived / R1 / "snapshot/silicon-2025-05-27/snapshot.toml").read_bytes()
    )
    assert "（更正）" in (archived / R2 / "snapshot/silicon-2025-05-27/snapshot.toml").read_text(
        encoding="utf-8"
    )


def it_says_a_correction_is_one(archive_copy: Path, tmp_path: Path, fast_build: object) -> None:
    changed = copy_sample(tmp_path / "again", outlook="供给端排产减少（再次更正）。")
    result = cli("publish", changed, "--archive", archive_copy)
    assert result.exit_code == 0, result.output
    assert "published silicon-daily 2025-05-27 r3 (更正 of r2)" in result.output


def it_writes_nothing_for_a_snapshot_that_does_not_load(archive_copy: Path, tmp_path: Path) -> None:
    bad = copy_sample(tmp_path / "bad")
    observations = bad / "observations.csv"
    observations.write_bytes(observations.read_bytes().replace(b",7415,", b",abc,", 1))
    before = Archive.open(archive_copy).rows()
    result = cli("publish", bad, "--archive", archive_copy)
    assert result.exit_code == SnapshotError.exit_code == 2
    assert str(observations) in result.output
    assert Archive.open(archive_copy).rows() == before
    assert not list((archive_copy / ".staging").iterdir())


def it_refuses_to_archive_an_output_that_fails_the_check(
    archive_copy: Path, tmp_path: Path, fast_build: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from publisher.check import CheckResult, Problem

    failing = lambda path, expect=None: CheckResult(path, "page", 3, (Problem(2, "no 数据来源："),))  # noqa: E731
    monkeypatch.setattr("publisher.archive.publish.check_file", failing)
    changed = copy_sample(tmp_path / "c", outlook="改。")
    with pytest.raises(CheckError, match="page 2: no 数据来源"):
        publish(changed, archive_copy)
    assert len(Archive.open(archive_copy).rows()) == 2
    assert not list((archive_copy / ".staging").iterdir())


def it_names_the_users_files_when_the_build_refuses(
    archive_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refusing(path: Path, out: Path, jobs: int | None = None, layout: str | None = None, **_):
        raise QualityError(
            Path(path).parent / "observations.csv", "si_fut_07 is stale", "update it"
        )

    monkeypatch.setattr("publisher.archive.publish.build", refusing)
    changed = copy_sample(tmp_path / "q", outlook="改。")
    with pytest.raises(QualityError) as refused:
        publish(changed, archive_copy)
    assert refused.value.where == str(changed / "observations.csv")
    assert ".staging" not in str(refused.value)


def it_refuses_a_snapshot_whose_stored_copy_would_not_load_alone(
    archive_copy: Path, tmp_path: Path
) -> None:
    folder = copy_sample(tmp_path / "abs", outlook="改。")
    manifest = folder / "snapshot.toml"
    brand = (folder.parent / "brand" / "brand.toml").resolve()
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('"../brand/brand.toml"', f'"{brand}"'),
        encoding="utf-8",
    )
    shutil.rmtree(archive_copy / ".staging")
    with pytest.raises(ArchiveError, match="would not load on its own"):
        publish(folder, archive_copy)
    assert not list((archive_copy / ".staging").iterdir())


def it_rebuilds_with_the_layout_files_it_was_published_with(tmp_path: Path) -> None:
    # a desk edits its layouts; a past revision must still rebuild to the same bytes
    layouts = tmp_path / "layouts"
    shutil.copytree(LAYOUTS_DIR, layouts)
    sample = copy_sample(tmp_path)
    manifest = sample / "snapshot.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('layout = "silicon-daily"', 'layout = "polysilicon-brief"'))
    done = publish(sample, tmp_path / "archive", layouts=layouts)
    brief = layouts / "polysilicon-brief.toml"
    brief.write_text(brief.read_text(encoding="utf-8").replace("多晶硅简报", "多晶硅周报"))

    again = rebuild(Archive.open(tmp_path / "archive"), "silicon-daily", done.row.as_of)
    assert again.outputs == (
        ("polysilicon-brief-2025-05-27.pdf", "identical"),
        ("polysilicon-brief-2025-05-27.pptx", "identical"),
    )
    stored = done.folder / "layouts" / "polysilicon-brief.toml"
    assert "多晶硅简报" in stored.read_text(encoding="utf-8")


def it_names_the_installed_layout_file_when_the_build_refuses_one(
    archive_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refusing(path: Path, out: Path, layouts: Path = LAYOUTS_DIR, **_: object) -> None:
        raise QualityError(layouts / "charts" / "silicon.toml", "a chart draws series 'x'")

    monkeypatch.setattr("publisher.archive.publish.build", refusing)
    with pytest.raises(QualityError) as refused:
        publish(copy_sample(tmp_path / "q", outlook="改。"), archive_copy)
    assert refused.value.where == str(LAYOUTS_DIR / "charts" / "silicon.toml")
