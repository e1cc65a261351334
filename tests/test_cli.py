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
    assert len(list(tmp_path.glob("*.pdf"))) == 55  # the catalog, 石墨电极 on its own
    assert (tmp_path / "index.md").is_file()


def it_reports_data_quality_as_json() -> None:
    import json

    result = CliRunner().invoke(main, ["validate", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"] is True and report["errors"] == 0


def it_refuses_an_output_folder_that_is_a_file_and_leaves_the_file_alone(tmp_path) -> None:
    in_the_way = tmp_path / "out"
    in_the_way.write_bytes(b"keep me")
    result = CliRunner().invoke(main, ["build", "--format", "pdf", "--out", str(in_the_way)])
    assert result.exit_code == 2, result.output
    assert f"{in_the_way}: is a file, not a folder" in result.output
    assert "fix: pass --out a folder" in result.output
    assert in_the_way.read_bytes() == b"keep me"


def it_says_which_output_folder_cannot_be_made() -> None:
    result = CliRunner().invoke(main, ["charts", "--out", "/proc/no-such-place/charts"])
    assert result.exit_code == 2, result.output
    assert "/proc/no-such-place: cannot write the output here" in result.output
    assert "Traceback" not in result.output


def it_validates_the_daily_views_templates_too(monkeypatch) -> None:
    import publisher.pipeline
    from publisher.errors import LayoutError

    def broken(*args: object) -> None:
        raise LayoutError("layouts/templates/si_view.j2", "template error: unexpected '}'")

    monkeypatch.setattr(publisher.pipeline, "daily_views", broken)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 2, result.output
    assert "si_view.j2: template error: unexpected '}'" in result.output


def it_does_not_blame_the_output_folder_for_a_missing_input(tmp_path, monkeypatch) -> None:
    import publisher.render.pptx

    def vanished(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError(2, "No such file or directory", "/elsewhere/brand/master.pptx")

    # where the deck is written, in its own process (forked after this) or in this one
    monkeypatch.setattr(publisher.render.pptx, "render_pptx", vanished)
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "out")])
    assert isinstance(result.exception, FileNotFoundError)  # a bug to report, not a wrong --out
    assert "cannot write the output here" not in result.output
    assert not list((tmp_path / "out").glob("*.pdf"))  # and no PDF without its deck


def it_prints_where_a_builds_time_went(tmp_path) -> None:
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path), "--timings"])
    assert result.exit_code == 0, result.output
    stages = ("snapshot", "chart data", "figures", "layout", "deck", "PDF", "build")
    for stage in (*stages, "  of which waiting for chart workers"):
        assert any(
            line.startswith(stage) and line.endswith(" s") for line in result.output.splitlines()
        )
