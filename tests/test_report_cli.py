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
    assert "Worst 2 pairs by iou" in page
    assert (results / "report_files" / "worst_002.png").is_file()


def test_report_command_out_option(tmp_path):
    results = write_results(tmp_path / "r", ["a"])
    out = tmp_path / "pages" / "index.html"
    result = runner.invoke(app, ["report", str(results), "-o", str(out)])

    assert result.exit_code == 0, result.output
    assert out.is_file() and (tmp_path / "pages" / "index_files").is_dir()


def test_folder_without_pairs_csv_is_one_line_and_exit_2(tmp_path):
    result = runner.invoke(app, ["report", str(tmp_path)])

    assert result.exit_code == 2
    assert "pairs.csv" in result.output and "Traceback" not in result.output


def test_unknown_metric_exits_2(tmp_path):
    results = write_results(tmp_path / "r", ["a"])
    result = runner.invoke(app, ["report", str(results), "--metric", "nope"])

    assert result.exit_code == 2
    assert "`metric`" in result.output
