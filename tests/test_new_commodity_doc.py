"""docs/new-commodity.md: its desk folder, written from the page alone in a folder outside the
repository, validates, builds and passes the check with the page's own commands."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from publisher.cli import main
from publisher.pipeline import prepare
from publisher.snapshot.layoutfile import layout_search
from tests.new_commodity import DOC, commands, section

SNAPSHOT = Path("snapshots/lc-2025-05-27")
FILES = (
    *("snapshot.toml", "catalog.csv", "observations.csv", "brand.toml"),
    *("lithium-daily.toml", "lc_view.j2", "lithium.toml"),
)


def it_shows_every_file_of_its_tree(desk: Path) -> None:
    written = sorted(p.name for p in desk.rglob("*") if p.is_file())
    tree = DOC.read_text(encoding="utf-8").split("```", 1)[0]
    assert written == sorted(FILES)
    assert all(f"── {name}" in tree for name in written)


def it_builds_the_report_with_the_pages_commands(desk: Path) -> None:
    said = []
    for args in commands("Build it"):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, f"publisher {' '.join(args)}\n{result.output}"
        said.append(result.output)
    validate, _, build, check = said
    assert "ok: 0 error(s), 0 warning(s)" in validate and "8/8 series with data" in validate
    assert "wrote out/lithium-daily-2025-05-27.pdf (4 pages)" in build
    assert (desk / "out" / "lithium-daily-2025-05-27.pptx").is_file()
    assert check.count("ok: ") == 2


def it_prints_the_figures_the_page_quotes(desk: Path) -> None:
    view = prepare(SNAPSHOT, layouts=layout_search([Path("layouts")])).views[0]
    text = "".join((*view.paragraphs, *(factor.text for factor in view.factors)))
    for quoted in ("07合约基差为1190元/吨，现货升水期货", "主力持仓净空，空增"):
        assert quoted in text and quoted in section("Build it")


def it_quotes_the_message_given_without_a_search_path(desk: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(SNAPSHOT)])
    assert result.exit_code == 2, result.output
    head, fix = result.output.split(" (bundled)\n", 1)
    assert head.startswith("error: layout 'lithium-daily': not found in ")
    assert f"(bundled)\n{fix}" in section("Every day")
