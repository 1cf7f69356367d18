"""The align and audit commands: outputs, ranking, files written, exit codes."""

from __future__ import annotations

import csv
import json
import math
import re

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from maskqa.cli import app

runner = CliRunner()
SIZE = 96


def _disk(radius, size=SIZE):
    rows, cols = np.ogrid[:size, :size]
    return (rows - size // 2) ** 2 + (cols - size // 2) ** 2 <= radius**2


def _save(array, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    if array.dtype == bool:
        array = array.astype(np.uint8) * 255
    Image.fromarray(array).save(path)
    return path


@pytest.fixture
def image(tmp_path):
    """A bright disk of radius 24 on grey, with seeded noise, as an RGB PNG."""
    rng = np.random.default_rng(3)
    grey = np.where(_disk(24), 190.0, 70.0) + rng.normal(0, 8, (SIZE, SIZE))
    rgb = np.repeat(np.clip(grey, 0, 255).astype(np.uint8)[..., None], 3, axis=2)
    return _save(rgb, tmp_path / "images" / "disk.png")


def _read_rows(path):
    with path.open() as handle:
        return list(csv.DictReader(handle))


def test_align_json_holds_the_alignment_score(tmp_path, image):
    mask = _save(_disk(24), tmp_path / "mask.png")
    result = runner.invoke(app, ["align", str(image), str(mask), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert 0.8 < data["alignment_score"] <= 1.0
    # The mask follows the disk's edge: the profile peaks within half a pixel of 0.
    assert abs(data["profile_peak_px"]) < 0.5
    assert len(data["profile"]) == 11 and data["params"]["profile_px"] == 5


def test_align_table_names_the_files(tmp_path, image):
    mask = _save(_disk(24), tmp_path / "mask.png")
    result = runner.invoke(app, ["align", str(image), str(mask)])
    assert result.exit_code == 0, result.output
    assert "mask.png" in result.stdout and "alignment_score" in result.stdout


def test_align_size_mismatch_is_one_line_and_exit_2_unless_matched(tmp_path, image):
    half = _disk(12, size=SIZE // 2)
    mask = _save(half, tmp_path / "half.png")
    result = runner.invoke(app, ["align", str(image), str(mask)])
    assert result.exit_code == 2
    assert "--match-size" in result.stderr and "Traceback" not in result.stderr
    # The message names both files, not only the parameters of the metric.
    text = " ".join(result.stderr.split())
    assert "half.png" in text and "disk.png" in text

    matched = runner.invoke(
        app, ["align", str(image), str(mask), "--match-size", "image", "-f", "json"]
    )
    assert matched.exit_code == 0, matched.output
    # Nearest-neighbour upsampling by 2 keeps the boundary within a pixel of the edge.
    assert abs(json.loads(matched.stdout)["profile_peak_px"]) < 1.0


def test_align_scores_label_map_classes(tmp_path, image):
    labels = np.zeros((SIZE, SIZE), np.uint8)
    labels[_disk(24)] = 5
    labels[_disk(10)] = 9
    path = _save(labels, tmp_path / "labels.png")
    result = runner.invoke(
        app, ["align", str(image), str(path), "--per-class", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    classes = {entry["class"]: entry for entry in json.loads(result.stdout)["classes"]}
    # Class 5 is a ring whose outer side lies on the edge; class 9 has no edge at all.
    assert sorted(classes) == [5, 9]
    assert classes[5]["alignment_score"] > classes[9]["alignment_score"]


def test_align_refuses_a_label_map_that_reads_as_an_empty_mask(tmp_path, image):
    # Values 0, 5 and 9: not binary, and all below 128, so the rule for 8-bit values
    # would give an empty mask and nan scores that look like a result.
    labels = np.zeros((SIZE, SIZE), np.uint8)
    labels[_disk(24)] = 5
    labels[_disk(10)] = 9
    path = _save(labels, tmp_path / "labels.png")
    result = runner.invoke(app, ["align", str(image), str(path)])
    assert result.exit_code == 2
    line = " ".join(result.stderr.split())
    assert "labels.png" in line and "looks like a label map" in line
    assert "empty mask" in line and "--class" in line and "--threshold" in line
    # --class scores the disk of value 5.
    chosen = runner.invoke(
        app, ["align", str(image), str(path), "-c", "5", "-f", "json"]
    )
    assert chosen.exit_code == 0, chosen.output


def test_audit_ranks_worst_first_and_records_bad_files(tmp_path, image):
    masks = tmp_path / "masks"
    _save(_disk(24), masks / "disk.png")
    (tmp_path / "images" / "shifted.png").write_bytes(image.read_bytes())
    _save(_disk(28), masks / "shifted.png")
    _save(_disk(20), masks / "orphan.png")
    (tmp_path / "images" / "broken.png").write_bytes(image.read_bytes())
    (masks / "broken.png").write_bytes(b"not a png")
    out = tmp_path / "out"

    result = runner.invoke(
        app,
        ["audit", str(masks), "--images", str(tmp_path / "images"), "--out", str(out)],
    )
    # Two masks failed (no image; unreadable): exit 1, the batch carried on.
    assert result.exit_code == 1, result.output
    rows = _read_rows(out / "alignment.csv")
    assert [r["name"] for r in rows] == ["shifted", "disk"]
    assert float(rows[0]["alignment_score"]) < float(rows[1]["alignment_score"])
    # The 28 px disk lies 4 px outside the 24 px edge: peak near -4.
    assert float(rows[0]["profile_peak_px"]) == pytest.approx(-4, abs=0.5)
    errors = {r["name"]: r["error"] for r in _read_rows(out / "errors.csv")}
    assert sorted(errors) == ["broken", "orphan"]
    assert "no image named orphan" in errors["orphan"]


def test_audit_writes_one_row_per_class_and_puts_missing_classes_last(tmp_path, image):
    labels = np.zeros((SIZE, SIZE), np.uint8)
    labels[_disk(24)] = 1
    _save(labels, tmp_path / "masks" / "disk.png")
    out = tmp_path / "out"
    args = ["audit", str(tmp_path / "masks"), "--images", str(image.parent)]
    result = runner.invoke(app, [*args, "--out", str(out), "-c", "1", "-c", "4"])
    assert result.exit_code == 0, result.output
    rows = _read_rows(out / "alignment.csv")
    assert [r["class"] for r in rows] == ["1", "4"]
    # Class 4 is absent: no boundary, nan, ranked after every scored mask.
    assert math.isnan(float(rows[1]["alignment_score"])) and rows[1]["note"]


def test_audit_celebamask_hq_per_class(tmp_path, shared_data):
    # Research-only data: read in place from ../shared, never copied.
    samples = shared_data / "celebamask-hq-samples" / "MaskGAN_demo" / "samples"
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["audit", str(samples), "--images", str(samples), "--out", str(out),
         "--mask-suffix", ".png", "--image-suffix", ".jpg", "--match-size", "image",
         "-c", "1", "-c", "6", "-c", "7", "-c", "13", "--worst", "0"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = _read_rows(out / "alignment.csv")
    names = sorted({r["name"] for r in rows})
    assert len(rows) == 4 * len(names) and len(names) >= 3
    scores = [float(r["alignment_score"]) for r in rows]
    assert scores == sorted(scores) and all(0 <= s <= 1 for s in scores)


def test_align_help_says_what_each_match_size_choice_does():
    result = runner.invoke(app, ["align", "--help"], env={"COLUMNS": "200"})
    # The help is a box; read its text across the wrapped lines.
    text = " ".join(re.sub("[│╭╮╰╯─]", " ", result.output).split())
    assert "'image' resizes the mask to the image's size" in text
    assert "'mask' resizes the image to the mask's size" in text


def test_align_csv_is_metric_value_rows(tmp_path, image):
    mask = _save(_disk(24), tmp_path / "mask.png")
    as_json = runner.invoke(app, ["align", str(image), str(mask), "-f", "json"])
    result = runner.invoke(app, ["align", str(image), str(mask), "-f", "csv"])

    assert result.exit_code == 0, result.output
    rows = list(csv.reader(result.stdout.splitlines()))
    assert rows[0] == ["metric", "value"]
    # The same values as the JSON output, written exactly.
    values = {key: float(value) for key, value in rows[1:]}
    expected = json.loads(as_json.stdout)
    assert values["alignment_score"] == expected["alignment_score"]
    assert values["edge_within@2px"] == expected["edge_within@2px"]


def test_align_csv_per_class_has_a_class_column(tmp_path, image):
    labels = np.zeros((SIZE, SIZE), np.uint8)
    labels[_disk(24)] = 5
    labels[_disk(10)] = 9
    path = _save(labels, tmp_path / "labels.png")
    result = runner.invoke(
        app, ["align", str(image), str(path), "-c", "5", "-f", "csv"]
    )

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert {r["class"] for r in rows} == {"5"}
    assert "alignment_score" in {r["metric"] for r in rows}


@pytest.fixture
def narrow(monkeypatch):
    """An 80-column terminal."""
    from maskqa.cli import _common

    monkeypatch.setattr(_common.stdout, "_width", 80)
    return 80


def test_align_per_class_table_never_cuts_a_value_at_80_columns(
    tmp_path, image, narrow
):
    labels = np.zeros((SIZE, SIZE), np.uint8)
    for label, radius in enumerate((40, 34, 28, 24, 20, 16, 12, 8, 4), start=1):
        labels[_disk(radius)] = label
    path = _save(labels, tmp_path / "labels.png")
    result = runner.invoke(app, ["align", str(image), str(path), "--per-class"])
    as_json = runner.invoke(
        app, ["align", str(image), str(path), "--per-class", "-f", "json"]
    )

    # Nine classes do not fit in one table at 80 columns: they are split across
    # tables, every value written whole (4 decimals), no line wider than 80.
    assert result.exit_code == 0, result.output
    assert "…" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= narrow
    for entry in json.loads(as_json.stdout)["classes"]:
        assert f"class {entry['class']}" in result.stdout
        assert f"{entry['alignment_score']:.4f}" in result.stdout


def test_audit_table_never_cuts_a_name_at_80_columns(tmp_path, image, narrow):
    name = "p_22fc0a9e4b7d4e2c9f1a0b3c5d7e9f11"
    (tmp_path / "images" / f"{name}.png").write_bytes(image.read_bytes())
    _save(_disk(26), tmp_path / "masks" / f"{name}.png")
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["audit", str(tmp_path / "masks"), "--images", str(tmp_path / "images"),
         "--out", str(out)],
    )  # fmt: skip

    # The name is folded over lines, never cut; numbers are whole; the columns that
    # do not fit are named, and are in the CSV.
    assert result.exit_code == 0, result.output
    assert "…" not in result.stdout
    table = [line for line in result.stdout.splitlines() if line[:1] in "┏┃┡│└"]
    assert table and max(len(line) for line in table) <= narrow
    cells = re.findall(r"│ (\S+)\s+│", result.stdout)
    assert "".join(c for c in cells if c.startswith(("p_", "f1"))) == name
    row = _read_rows(out / "alignment.csv")[0]
    assert f"{float(row['alignment_score']):.4f}" in result.stdout
    assert "Not shown at this terminal width" in result.stdout
