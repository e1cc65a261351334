"""Command line: each command runs on the sample as a user would call it."""

from __future__ import annotations

from click.testing import CliRunner

from publisher.cli import main


def it_validates_the_bundled_sample_by_default() -> None:
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert "145/145 series with data" in result.output


def it_previews_tables_and_views_in_the_terminal() -> None:
    result = CliRunner().invoke(main, ["preview"])
    assert result.exit_code == 0, result.output
    for text in ("工业硅行情概览", "多晶硅行情概览", "每日观点——工业硅", "7415", "-2.18%"):
        assert text in result.output


def it_draws_the_chart_gallery_for_review(tmp_path) -> None:
    result = CliRunner().invoke(main, ["charts", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("*.pdf"))) == 54
    assert (tmp_path / "index.md").is_file()


def it_reports_data_quality_as_json() -> None:
    import json

    result = CliRunner().invoke(main, ["validate", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"] is True and report["errors"] == 0
