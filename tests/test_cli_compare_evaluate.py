"""The compare and evaluate commands: output formats, files written, exit codes."""

from __future__ import annotations

import json

import numpy as np
import pytest
from gallery import square
from PIL import Image
from typer.testing import CliRunner

from maskqa.cli import app

runner = CliRunner()


def _write(path, mask):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(mask.astype(np.uint8) * 255).save(path)


@pytest.fixture
def pair(tmp_path):
    _write(tmp_path / "fine.png", square())
    _write(tmp_path / "coarse.png", square(left=12))
    return tmp_path / "fine.png", tmp_path / "coarse.png"


def test_compare_json_is_parseable_and_holds_iou(pair):
    result = runner.invoke(
        app, ["compare", str(pair[0]), str(pair[1]), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # 12 x 12 squares 2 px apart: I = 12 * 10, U = 12 * 14.
    assert data["values"]["iou"] == pytest.approx(120 / 168, abs=1e-12)
    assert data["params"]


def test_compare_csv_has_a_header_and_one_row_per_metric(pair):
    result = runner.invoke(
        app, ["compare", str(pair[0]), str(pair[1]), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "metric,value"
    assert any(line.startswith("iou,") for line in lines)


def test_compare_table_names_both_files(pair):
    result = runner.invoke(app, ["compare", str(pair[0]), str(pair[1])])
    assert result.exit_code == 0, result.output
    assert "fine.png" in result.stdout and "iou" in result.stdout


def test_compare_size_mismatch_is_one_clear_line_and_exit_2(tmp_path, pair):
    _write(tmp_path / "small.png", np.zeros((10, 10), bool))
    result = runner.invoke(app, ["compare", str(pair[0]), str(tmp_path / "small.png")])
    assert result.exit_code == 2
    assert "never resized" in result.stderr and "Traceback" not in result.stderr


def test_compare_missing_file_is_bad_usage(pair, tmp_path):
    result = runner.invoke(app, ["compare", str(pair[0]), str(tmp_path / "nope.png")])
    assert result.exit_code == 2


def test_compare_refuses_label_maps_that_would_score_as_perfect(tmp_path):
    # Two face-parsing-like label maps (values 0..18, all below 128): the rule for
    # 8-bit values reads both as empty, which would score IoU 1.
    labels = np.arange(19, dtype=np.uint8).repeat(4).reshape(4, 19)
    Image.fromarray(labels).save(tmp_path / "a.png")
    Image.fromarray(labels[::-1].copy()).save(tmp_path / "b.png")
    a, b = str(tmp_path / "a.png"), str(tmp_path / "b.png")
    result = runner.invoke(app, ["compare", a, b])
    assert result.exit_code == 2
    line = " ".join(result.stderr.split())
    assert "a.png" in line and "looks like a label map" in line and "--label" in line
    # A label in neither file is refused too; one that occurs is scored.
    absent = runner.invoke(app, ["compare", a, b, "--label", "99"])
    assert absent.exit_code == 2 and "occurs in neither" in absent.stderr
    chosen = runner.invoke(app, ["compare", a, b, "--label", "13", "-f", "json"])
    assert chosen.exit_code == 0, chosen.output


def test_evaluate_writes_the_results_folder_and_exit_codes(tmp_path):
    ref, cand, out = tmp_path / "ref", tmp_path / "cand", tmp_path / "out"
    _write(ref / "a.png", square())
    _write(cand / "a.png", square(left=12))
    args = ["evaluate", str(ref), str(cand), "--out", str(out), "--workers", "1"]

    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    for name in ("pairs.csv", "summary.json", "errors.csv", "unpaired.csv"):
        assert (out / name).is_file(), name
    header = (out / "pairs.csv").read_text().splitlines()[0].split(",")
    assert header[:3] == ["name", "reference", "candidate"] and "iou" in header
    assert "Accuracy ceiling" in result.stdout

    # A broken candidate: the other pairs are scored, the failure recorded, exit 1.
    (ref / "b.png").write_bytes((ref / "a.png").read_bytes())
    (cand / "b.png").write_bytes(b"")
    result = runner.invoke(app, args + ["--overwrite"])
    assert result.exit_code == 1
    assert "b.png" in (out / "errors.csv").read_text()

    # Bad usage: the results folder is taken and neither --resume nor --overwrite.
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "--resume" in result.stderr


def test_every_command_has_help():
    # --help says what the command reads and what it writes.
    for command, reads, writes in (
        ("compare", "Reads", "Writes no file"),
        ("evaluate", "REFERENCE_DIR", "pairs.csv"),
    ):
        result = runner.invoke(app, [command, "--help"], terminal_width=200)
        assert result.exit_code == 0
        assert reads in result.stdout and writes in result.stdout


def test_an_internal_error_is_one_line_and_exit_3(pair, monkeypatch):
    import maskqa.metrics.report

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(maskqa.metrics.report, "compare", broken)
    result = runner.invoke(app, ["compare", str(pair[0]), str(pair[1])])
    assert result.exit_code == 3
    assert "internal error: RuntimeError: boom" in result.stderr
    assert "Traceback" not in result.stderr


def test_evaluate_with_ceiling_prints_the_ceiling_sentences(tmp_path):
    # A 12 px square against itself moved 2 px: IoU 120 / 168 = 0.714 on one
    # image, so the interval is the point itself.
    ref, cand = tmp_path / "ref", tmp_path / "cand"
    for folder, mask in ((ref, square()), (cand, square(left=12))):
        folder.mkdir()
        Image.fromarray(mask.astype(np.uint8) * 255).save(folder / "a.png")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["evaluate", str(ref), str(cand), "-o", str(out), "--ceiling"]
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "would reach at most a mean region IoU of 0.714" in text
    assert (out / "ceiling.md").is_file()
