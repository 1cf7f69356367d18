"""``maskqa report RESULTS_DIR``: writes the page beside the results; errors exit 2."""

from __future__ import annotations

from test_report import write_results
from typer.testing import CliRunner

from maskqa.cli import app

runner = CliRunner()


def test_report_command_writes_the_page(tmp_path):
    results = write_results(tmp_path / "r", ["a", "b", "c"])
    result = runner.invoke(
        app, ["report", str(results), "--worst-k", "2", "--metric", "iou"]
    )

    assert result.exit_code == 0, result.output
    page = (results / "report.html").read_text()
    assert "The 2 worst pairs by iou" in page
    assert "Pairs ranked by iou, as chosen." in page
    # The pictures are in the page: no folder beside it.
    assert 'src="data:image/png;base64,' in page
    assert not (results / "report_files").exists()


def test_report_command_out_option(tmp_path):
    results = write_results(tmp_path / "r", ["a"])
    out = tmp_path / "pages" / "index.html"
    result = runner.invoke(app, ["report", str(results), "-o", str(out), "--files"])

    assert result.exit_code == 0, result.output
    assert out.is_file() and (tmp_path / "pages" / "index_files").is_dir()
    assert (tmp_path / "pages" / "index_files" / "worst_001.png").is_file()


def test_folder_without_pairs_csv_is_one_line_and_exit_2(tmp_path):
    result = runner.invoke(app, ["report", str(tmp_path)])

    assert result.exit_code == 2
    assert "pairs.csv" in result.output and "Traceback" not in result.output


def test_unknown_metric_exits_2(tmp_path):
    results = write_results(tmp_path / "r", ["a"])
    result = runner.invoke(app, ["report", str(results), "--metric", "nope"])

    assert result.exit_code == 2
    assert "`metric`" in result.output


def test_images_must_be_an_existing_folder(tmp_path):
    results = write_results(tmp_path / "r", ["a"])
    a_file = tmp_path / "a.png"
    a_file.write_bytes(b"")
    for images in (tmp_path / "nodir", a_file):
        result = runner.invoke(app, ["report", str(results), "--images", str(images)])

        # Rejected by the option's check (usage error), before any page is written.
        assert result.exit_code == 2
        assert "--images" in result.output
        assert not (results / "report.html").exists()


def test_a_folder_where_every_pair_failed_gives_a_page(tmp_path):
    failed = {"name": "x", "reference": "r.png", "candidate": "c.png", "error": "bad"}
    results = write_results(tmp_path / "r", [], errors=[failed])
    result = runner.invoke(app, ["report", str(results)])

    assert result.exit_code == 0, result.output
    assert "No pair was scored" in (results / "report.html").read_text()
