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
