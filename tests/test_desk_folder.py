"""A desk keeps a whole report — snapshots, brand, layout, template, chart catalog — in a folder
of its own outside the repository; validate, build, publish and batch read its layouts through
--layouts or PUBLISHER_LAYOUTS, and the archive keeps them wherever they came from."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.cli import main
from publisher.snapshot.layoutfile import ENV
from tests.archive.conftest import sql

SNAPSHOT = "snapshots/lc-2025-05-27"
# The layout files a revision stores, at the paths the desk has them at too.
KEPT = ("layouts/lithium-daily.toml", "layouts/templates/lc_view.j2", "layouts/charts/lithium.toml")


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, f"publisher {' '.join(args)}\n{result.output}"
    return result.output


def _manifest(archive: Path) -> dict:
    (path,) = archive.glob("reports/lithium-daily/2025-05-27/r1/manifest.json")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("via", ["--layouts", ENV])
def it_validates_builds_publishes_and_batches_the_desks_report(
    desk: Path, monkeypatch: pytest.MonkeyPatch, via: str
) -> None:
    if via == ENV:
        monkeypatch.setenv(ENV, str(desk / "layouts"))
    option = ["--layouts", "layouts"] if via == "--layouts" else []
    assert "ok: 0 error(s), 0 warning(s)" in _run("validate", SNAPSHOT, *option)
    assert "lithium-daily-2025-05-27.pdf" in _run("build", SNAPSHOT, "--out", "out", *option)
    published = _run("publish", SNAPSHOT, "--archive", "archive", *option)
    assert "published lithium-daily 2025-05-27 r1" in published
    batched = _run("batch", "snapshots", "--archive", "daily", "--jobs", "1", *option)
    assert "batch: 1 published" in batched
    for archive in (desk / "archive", desk / "daily"):
        manifest = _manifest(archive)
        assert manifest["layout"] == "lithium-daily"
        stored = {e["path"]: e["sha256"] for e in manifest["inputs"] if e["role"] == "layout"}
        assert set(stored) == set(KEPT)
        for path in KEPT:
            assert (archive / "reports/lithium-daily/2025-05-27/r1" / path).read_bytes() == (
                desk / path
            ).read_bytes()


def it_archives_a_layout_named_by_path_and_rebuilds_it_without_the_desks_layouts(
    desk: Path,
) -> None:
    manifest = desk / SNAPSHOT / "snapshot.toml"
    text = manifest.read_text(encoding="utf-8")
    named = 'layout = "../../layouts/lithium-daily.toml"'
    manifest.write_text(text.replace('layout = "lithium-daily"', named, 1), encoding="utf-8")
    assert "published lithium-daily 2025-05-27 r1" in _run("publish", SNAPSHOT, "--archive", "a")
    assert _manifest(desk / "a")["layout"] == "lithium-daily"
    shutil.rmtree(desk / "layouts")  # the archive's copy is all a rebuild reads
    rebuilt = _run("archive", "rebuild", "a", "lithium-daily", "2025-05-27")
    assert rebuilt.count("identical") == 2


def it_names_the_desks_own_file_when_publish_refuses_it(desk: Path) -> None:
    template = desk / "layouts" / "templates" / "lc_view.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("{% endblock %}", "{% endblock %", 1), encoding="utf-8")
    args = ["publish", SNAPSHOT, "--archive", "a", "--layouts", str(desk / "layouts")]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 2, refused.output
    assert refused.output.startswith(f"error: {template}, line 6: template error")


def it_draws_the_desks_chart_catalog(desk: Path) -> None:
    assert "wrote 2 chart files" in _run("charts", SNAPSHOT, "--out", "c", "--layouts", "layouts")
    assert sorted(p.name for p in (desk / "c").glob("*.pdf")) == [
        "lc_inventory.pdf",
        "lc_prices.pdf",
    ]


def it_rebuilds_a_revision_that_kept_no_layout_files_with_the_search_path(desk: Path) -> None:
    _run("publish", SNAPSHOT, "--archive", "a", "--layouts", "layouts")
    _make_format_one(desk / "a", "reports/lithium-daily/2025-05-27/r1")
    refused = CliRunner().invoke(main, ["archive", "rebuild", "a", "lithium-daily", "2025-05-27"])
    assert refused.exit_code == 2 and "layout 'lithium-daily': not found" in refused.output
    rebuilt = _run("archive", "rebuild", "a", "lithium-daily", "2025-05-27", "--layouts", "layouts")
    assert rebuilt.count("identical") == 2


def _make_format_one(archive: Path, revision: str) -> None:
    """A revision as published before layout files were kept: format 1, no layouts/ copy, its
    identity the hash of its input files' bytes, and the index as that publisher wrote it."""
    path = archive / revision / "manifest.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["inputs"] = [e for e in doc["inputs"] if e["role"] != "layout"]
    lines = sorted(f"{e['role']} {e['sha256']}\n" for e in doc["inputs"])
    identity = hashlib.sha256("".join(lines).encode()).hexdigest()
    doc["format"], doc["layouts"], doc["identity"] = 1, "", identity
    data = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    path.write_bytes(data)
    shutil.rmtree(archive / revision / "layouts")
    digest = hashlib.sha256(data).hexdigest()
    change = "UPDATE revisions SET identity = ?, manifest_sha256 = ? WHERE folder = ?"
    sql(archive, change, identity, digest, revision)


def it_names_the_folders_searched_when_the_desks_layouts_are_not_on_the_path(desk: Path) -> None:
    result = CliRunner().invoke(main, ["publish", SNAPSHOT, "--archive", "archive"])
    assert result.exit_code == 2, result.output
    assert "error: layout 'lithium-daily': not found in " in result.output
    assert "add its folder with --layouts DIR or PUBLISHER_LAYOUTS" in result.output
    missing = CliRunner().invoke(main, ["build", SNAPSHOT, "--layouts", "nope"])
    assert missing.exit_code == 2 and "nope: the --layouts folder is not there" in missing.output
    assert "Traceback" not in result.output + missing.output
