"""docs/new-commodity.md's desk folder, written from the page's code blocks, and its commands."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from tests.conftest import REPO

DOC = REPO / "docs" / "new-commodity.md"
DESK = "lithium-desk"
# A file is a line `lithium-desk/<path>`: and the fenced block under it.
FILE = re.compile(rf"^`({DESK}/[^`]+)`:\n\n```[a-z]*\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def write_desk(root: Path) -> Path:
    """Every file the page shows, written under `root`; the desk folder."""
    files = FILE.findall(DOC.read_text(encoding="utf-8"))
    assert files, f"{DOC} shows no `{DESK}/…` file"
    for name, text in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / DESK


def section(title: str) -> str:
    parts = DOC.read_text(encoding="utf-8").split(f"\n## {title}\n", 1)
    assert len(parts) == 2, f"{DOC} has no '## {title}' section"
    return parts[1].split("\n## ", 1)[0]


def commands(title: str) -> list[list[str]]:
    """The arguments of each `publisher …` line of the first ```sh block under `## title`."""
    block = re.search(r"```sh\n(.*?)```", section(title), re.DOTALL)
    assert block, f"'## {title}' has no ```sh block"
    lines = [shlex.split(line) for line in block[1].splitlines()]
    return [line[1:] for line in lines if line and line[0] == "publisher"]
