"""``maskqa report RESULTS_DIR``: writes the page beside the results; errors exit 2."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
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


# --- `maskqa evaluate --report --ceiling`, as a user runs it ------------------------

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples" / "lemur"


def test_evaluate_of_junk_files_says_no_pair_was_scored_in_page_and_ceiling(tmp_path):
    for side in ("ref", "cand"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "a.png").write_bytes(b"junk")
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "evaluate",
            str(tmp_path / "ref"),
            str(tmp_path / "cand"),
            "-o",
            str(out),
            "--report",
            "--ceiling",
        ],
    )

    # Exit 1: every pair failed. Both files say so and point to errors.csv.
    assert result.exit_code == 1, result.output
    said = "No pair was scored; see errors.csv (1 pair failed)."
    page = " ".join((out / "report.html").read_text().split())
    assert said in page and 'id="summary-table"' not in page
    assert (out / "ceiling.md").read_text() == f"# Accuracy ceiling\n\n{said}\n"


def _cells(page: str, table_id: str) -> list[str]:
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', page, re.DOTALL)
    return re.findall(r'<tr><td class="text">([^<]+)</td>', table[1])


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="data/samples/lemur is absent")
def test_evaluate_of_the_samples_with_a_preset_reports_its_metrics(tmp_path):
    out = tmp_path / "davis"
    args = [str(SAMPLES / "reference"), str(SAMPLES / "candidate"), "-o", str(out)]
    result = runner.invoke(
        app, ["evaluate", *args, "--preset", "davis", "--report", "--ceiling"]
    )

    assert result.exit_code == 0, result.output
    page = " ".join((out / "report.html").read_text().split())
    assert _cells(page, "summary-table") == ["davis.J", "davis.F", "davis.P", "davis.R"]
    markdown = (out / "ceiling.md").read_text()
    for name in ("davis.J", "davis.F", "davis.P", "davis.R"):
        assert f"| {name} |" in markdown
    # 4 pairs: the worst one is named, no percentile of a fifth of a pair.
    assert "the worst image scores" in markdown and "5 %" not in markdown


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="data/samples/lemur is absent")
def test_evaluate_of_the_samples_ranks_by_a_metric_that_varies(tmp_path):
    out = tmp_path / "default"
    args = [str(SAMPLES / "reference"), str(SAMPLES / "candidate"), "-o", str(out)]
    result = runner.invoke(app, ["evaluate", *args, "--report", "--ceiling"])

    assert result.exit_code == 0, result.output
    # Boundary F at 1 px is 0 for the four coarse lemur labels: IoU ranks them.
    with (out / "pairs.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert {float(r["boundary_f@1px"]) for r in rows} == {0.0}
    assert len({r["iou"] for r in rows}) == 4
    page = " ".join((out / "report.html").read_text().split())
    assert "The 4 pairs, worst first, by iou (larger is better)" in page
    assert "Pairs ranked by iou" in page
