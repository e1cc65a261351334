"""Files identity: a hash over the input files' bytes and roles, wherever the folder lies."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.archive.errors import ArchiveError
from publisher.archive.inputs import Inputs, covers, list_inputs, quick_identity, read_inputs
from publisher.snapshot import load_snapshot
from tests.archive.conftest import copy_sample
from tests.conftest import SAMPLE


def it_lists_the_files_the_loader_reads_and_those_the_brand_names() -> None:
    inputs = read_inputs(list_inputs(SAMPLE))
    covers(inputs, load_snapshot(SAMPLE))
    assert [(f.role, f.source.name) for f in inputs.files] == [
        ("snapshot", "snapshot.toml"),
        ("brand", "brand.toml"),
        ("catalog", "catalog.csv"),
        ("observations", "observations.csv"),
        ("template", "template.pptx"),
    ]
    assert str(inputs.entry) == "silicon-2025-05-27/snapshot.toml"
    assert quick_identity(SAMPLE) == inputs.files_identity


def it_refuses_a_snapshot_reading_a_file_it_does_not_list() -> None:
    inputs = read_inputs(list_inputs(SAMPLE))
    partial = Inputs(inputs.files[:-1], inputs.root)  # as if the template were unknown
    with pytest.raises(ArchiveError, match=r"template\.pptx"):
        covers(partial, load_snapshot(SAMPLE))


def it_gives_a_copy_elsewhere_the_same_identity(tmp_path: Path) -> None:
    assert quick_identity(copy_sample(tmp_path)) == quick_identity(SAMPLE)


def it_changes_the_identity_when_any_input_changes(tmp_path: Path) -> None:
    folder = copy_sample(tmp_path)
    template = tmp_path / "brand" / "template.pptx"
    template.write_bytes(template.read_bytes() + b"\0")
    assert quick_identity(folder) != quick_identity(SAMPLE)


def it_has_no_identity_for_a_folder_it_cannot_read(tmp_path: Path) -> None:
    assert quick_identity(tmp_path) is None
