"""The pipeline's stages import one way only: snapshot → metrics → charts → layout →
renderers. A stage never imports a later one (not even for type hints), nor what stands on
top of them all (the pipeline, the archive, the CLI); the two renderers never import each
other; shared modules (errors, assets, font cache, workers, the renderers' results) import no
stage at all."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "publisher"
ORDER = ("snapshot", "metrics", "charts", "layout", "render.pdf", "render.pptx")
SHARED = ("errors", "assets", "atomic", "fontcache", "workers", "render.results")


def stage_of(module: str) -> str | None:
    """The stage `module` belongs to (publisher.render.pdf.pages: render.pdf), if any."""
    parts = module.split(".")[1:]
    for stage in (*ORDER, *SHARED):
        if parts[: stage.count(".") + 1] == stage.split("."):
            return stage
    return None


def imports(path: Path) -> Iterator[str]:
    """Every publisher module `path` imports, wherever the import statement stands."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("publisher"):
            yield str(node.module)
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("publisher"))


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found.append((".".join(p for p in parts if p != "__init__"), path))
    return found


def later(importer: str, imported: str) -> bool:
    """Whether a module of stage `importer` importing one of stage `imported` breaks the order
    (a module of no stage, such as the pipeline, is "")."""
    if importer in (*ORDER, *SHARED) and imported == "":
        return True
    if importer in SHARED:
        return imported in ORDER
    if importer in ORDER and imported in ORDER:
        if {importer, imported} == {"render.pdf", "render.pptx"}:
            return True
        return ORDER.index(imported) > ORDER.index(importer)
    return False


@pytest.mark.parametrize(("module", "path"), _modules(), ids=[m for m, _ in _modules()])
def it_imports_no_later_stage(module: str, path: Path) -> None:
    mine = stage_of(module)
    wrong = sorted({name for name in imports(path) if later(mine or "", stage_of(name) or "")})
    assert not wrong, f"{module} ({mine}) imports {wrong}"


def it_knows_which_imports_go_against_the_flow() -> None:
    assert later("snapshot", "metrics") and later("layout", "render.pdf")
    assert later("render.pdf", "render.pptx") and later("workers", "charts")
    assert not later("render.pdf", "layout") and not later("charts", "snapshot")
    assert later("layout", "") and not later("", "layout")  # the pipeline, above them all
    assert stage_of("publisher.render.pdf.pages") == "render.pdf"
    assert stage_of("publisher.pipeline") is None
