"""The batch runner on awkward datasets: nothing scored, bad options, label maps,
images of another size, ambiguous names, and the cells of pairs.csv."""

from __future__ import annotations

import csv
import json
import math

import numpy as np
import pytest
from gallery import square
from PIL import Image
from typer.testing import CliRunner

from maskqa.cli import app
from maskqa.errors import InputError
from maskqa.runner import evaluate_dirs, read_results

runner = CliRunner()


def _write(path, mask):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(mask.astype(np.uint8) * 255).save(path)


def _write_raw(path, array):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path)


@pytest.fixture
def junk(tmp_path):
    """One pair whose two files are not images: nothing can be scored."""
    ref, cand = tmp_path / "ref", tmp_path / "cand"
    ref.mkdir(), cand.mkdir()
    (ref / "a.png").write_bytes(b"junk")
    (cand / "a.png").write_bytes(b"junk")
    return ref, cand


def test_a_run_that_scores_nothing_still_writes_its_folder(junk, tmp_path):
    out = tmp_path / "out"
    result = evaluate_dirs(*junk, out, workers=1)
    assert (result.n_scored, result.n_failed, result.exit_code) == (0, 1, 1)
    results = read_results(out)
    assert results.rows == [] and len(results.errors) == 1
    assert json.loads((out / "summary.json").read_text())["n_scored"] == 0


def test_evaluate_and_ceiling_say_nothing_was_scored(junk, tmp_path):
    for command in ("evaluate", "ceiling"):
        out = tmp_path / command
        result = runner.invoke(app, [command, *map(str, junk), "-o", str(out)])
        assert result.exit_code == 1, result.output
        assert "No pair was scored" in result.output
        assert (out / "errors.csv").is_file()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"preset": "nonsense"}, "preset"),
        ({"tolerance_px": (-1.0,)}, "tolerance_px"),
        ({"threshold": math.nan}, "threshold"),
        ({"label": "two"}, "label"),
        ({"match_size": "both"}, "match_size"),
        ({"no_such_option": 1}, "unknown option"),
    ],
)
def test_bad_options_fail_before_anything_is_written(kwargs, message, tmp_path):
    ref, cand = tmp_path / "ref", tmp_path / "cand"
    _write(ref / "a.png", square())
    _write(cand / "a.png", square(left=12))
    out = tmp_path / "out"
    with pytest.raises(InputError, match=message):
        evaluate_dirs(ref, cand, out, workers=1, compare_kwargs=kwargs)
    assert not out.exists()


@pytest.fixture
def evaluate_args(tmp_path):
    """``maskqa evaluate`` of one pair of squares 2 px apart, into tmp/out."""
    ref, cand = tmp_path / "ref", tmp_path / "cand"
    _write(ref / "a.png", square())
    _write(cand / "a.png", square(left=12))
    return ["evaluate", str(ref), str(cand), "-o", str(tmp_path / "out")]


def test_workers_beyond_four_per_cpu_are_bad_usage(evaluate_args, tmp_path):
    # 100000 local processes would exhaust the machine's memory before scoring.
    result = runner.invoke(app, [*evaluate_args, "--workers", "100000"])
    assert result.exit_code == 2 and "--workers" in result.output
    assert "at most" in result.output and not (tmp_path / "out").exists()


def test_an_interrupted_evaluate_says_how_to_continue(evaluate_args, monkeypatch):
    import maskqa.runner

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(maskqa.runner, "evaluate_pairs", interrupted)
    result = runner.invoke(app, evaluate_args)
    # 130 = 128 + SIGINT; one line, no traceback.
    assert result.exit_code == 130
    assert "interrupted: rerun with --resume" in result.output
    assert "Traceback" not in result.output


def test_evaluate_with_a_bad_preset_is_bad_usage(evaluate_args, tmp_path):
    args = [*evaluate_args, "--preset", "nonsense"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "preset" in result.output
    assert not (tmp_path / "out").exists()
    # --debug shows the traceback but keeps the exit code.
    assert runner.invoke(app, [*args, "--debug"]).exit_code == 2


def test_unreachable_scheduler_writes_nothing(tmp_path):
    pytest.importorskip("dask.distributed")
    ref, cand = tmp_path / "ref", tmp_path / "cand"
    _write(ref / "a.png", square())
    _write(cand / "a.png", square())
    out = tmp_path / "out"
    with pytest.raises(InputError, match="Dask scheduler"):
        evaluate_dirs(ref, cand, out, scheduler="nonsense")
    assert not out.exists()


@pytest.fixture
def label_maps(tmp_path):
    """Label maps with classes 1 and 2: 8-bit values the rule reads as empty."""
    ref, cand = tmp_path / "ref", tmp_path / "cand"
    fine = np.zeros((32, 40), np.uint8)
    fine[2:12, 2:12] = 1  # class 1: 10 x 10
    fine[20:30, 20:30] = 2  # class 2: 10 x 10
    coarse = fine.copy()
    coarse[20:30, 30:35] = 2  # class 2 over-painted by 10 x 5 on the right
    _write_raw(ref / "m.png", fine)
    _write_raw(cand / "m.png", coarse)
    return ref, cand


def test_label_maps_without_label_fail_instead_of_scoring_empty_masks(
    label_maps, tmp_path
):
    result = evaluate_dirs(*label_maps, tmp_path / "out", workers=1)
    assert (result.n_scored, result.n_failed) == (0, 1)
    (error,) = read_results(tmp_path / "out").errors
    assert "m.png" in error["error"] and "label map" in error["error"]
    assert "--label" in error["error"]


def test_label_selects_a_class_in_every_pair(label_maps, tmp_path):
    out = tmp_path / "out"
    result = evaluate_dirs(*label_maps, out, workers=1, compare_kwargs={"label": 2})
    assert result.n_scored == 1
    (row,) = read_results(out).rows
    # class 2: I = 100, U = 100 + 50.
    assert row["iou"] == pytest.approx(100 / 150, abs=1e-12)
    assert json.loads((out / "summary.json").read_text())["params"]["label"] == 2


def test_evaluate_and_ceiling_take_label(label_maps, tmp_path):
    for command in ("evaluate", "ceiling"):
        out = tmp_path / command
        result = runner.invoke(
            app, [command, *map(str, label_maps), "-o", str(out), "--label", "1"]
        )
        assert result.exit_code == 0, result.output
        (row,) = read_results(out).rows
        assert row["iou"] == 1.0  # class 1 is the same in both maps


@pytest.fixture
def with_images(tmp_path):
    ref, cand, images = tmp_path / "ref", tmp_path / "cand", tmp_path / "images"
    for name in ("big", "junk"):
        _write(ref / f"{name}.png", square())
        _write(cand / f"{name}.png", square(left=12))
    # twice the masks' size, a bright square where the reference is
    picture = np.zeros((64, 80), np.uint8)
    picture[16:40, 20:44] = 200
    _write_raw(images / "big.png", picture)
    (images / "junk.png").write_bytes(b"junk")
    return ref, cand, images


def test_images_that_cannot_be_used_leave_alignment_empty_with_a_warning(
    with_images, tmp_path
):
    ref, cand, images = with_images
    out = tmp_path / "out"
    result = evaluate_dirs(ref, cand, out, images_dir=images, workers=1)
    # The masks are scored; only the alignment columns are empty.
    assert (result.n_scored, result.n_failed) == (2, 0)
    rows = {row["name"]: row for row in read_results(out).rows}
    for row in rows.values():
        assert row["iou"] == pytest.approx(120 / 168, abs=1e-12)
        assert math.isnan(row["reference.edge_distance_mean"])
    with (out / "warnings.csv").open() as handle:
        warned = {row["name"]: row["warning"] for row in csv.DictReader(handle)}
    assert "64x80" in warned["big"] and "--match-size" in warned["big"]
    assert "junk.png" in warned["junk"] and "cannot read" in warned["junk"]


@pytest.mark.parametrize("match", ["mask", "image"])
def test_match_size_scores_alignment_against_an_image_of_another_size(
    with_images, tmp_path, match
):
    ref, cand, images = with_images
    out = tmp_path / "out"
    evaluate_dirs(
        ref,
        cand,
        out,
        images_dir=images,
        workers=1,
        compare_kwargs={"match_size": match},
    )
    rows = {row["name"]: row for row in read_results(out).rows}
    # The image's square is the reference square at twice the size, so the
    # reference boundary lies on its edges: a finite, small edge distance.
    assert rows["big"]["reference.edge_distance_mean"] <= 2.0
    assert math.isnan(rows["junk"]["reference.edge_distance_mean"])


def test_a_profile_without_peak_is_recorded_for_the_mask_it_concerns(tmp_path):
    # A bright square with seeded noise; the reference follows its edge, the
    # candidate lies 10 px outside it, beyond the 5 px profile: no peak for the
    # candidate only, and the warning names that mask and where to look further.
    ref, cand, images = tmp_path / "ref", tmp_path / "cand", tmp_path / "images"
    picture = np.random.default_rng(0).normal(60, 6, (80, 80))
    picture[20:60, 20:60] += 120
    _write_raw(images / "a.png", np.clip(picture, 0, 255).astype(np.uint8))
    reference = np.zeros((80, 80), bool)
    reference[20:60, 20:60] = True
    candidate = np.zeros((80, 80), bool)
    candidate[10:70, 10:70] = True
    _write(ref / "a.png", reference)
    _write(cand / "a.png", candidate)
    out = tmp_path / "out"
    evaluate_dirs(ref, cand, out, images_dir=images, workers=1)
    row = read_results(out).rows[0]
    assert row["reference.profile_peak_px"] == pytest.approx(0.0, abs=0.5)
    assert math.isnan(row["candidate.profile_peak_px"])
    with (out / "warnings.csv").open() as handle:
        (warned,) = [r["warning"] for r in csv.DictReader(handle)]
    assert warned.startswith("ProfilePeakWarning: candidate mask: no profile peak")
    assert "candidate.profile_peak_px" in warned and "--profile-px" in warned


def test_match_size_needs_images(tmp_path):
    ref, cand = tmp_path / "ref", tmp_path / "cand"
    _write(ref / "a.png", square())
    _write(cand / "a.png", square())
    result = runner.invoke(
        app,
        [
            "evaluate",
            str(ref),
            str(cand),
            "-o",
            str(tmp_path / "o"),
            "--match-size",
            "mask",
        ],
    )
    assert result.exit_code == 2 and "--images" in result.output


def test_the_partner_of_an_ambiguous_name_is_listed_as_unpaired(tmp_path):
    ref, cand = tmp_path / "ref", tmp_path / "cand"
    _write(ref / "a.png", square())
    _write(cand / "a.png", square())
    _write(cand / "a.bmp", square())
    _write(ref / "b.png", square())
    _write(cand / "b.png", square())
    out = tmp_path / "out"
    evaluate_dirs(ref, cand, out, workers=1)
    listed = {
        (row["side"], row["path"].rsplit("/", 1)[-1])
        for row in read_results(out).unpaired
    }
    assert listed == {
        ("candidate", "a.png"),
        ("candidate", "a.bmp"),
        ("reference", "a.png"),
    }


def test_pairs_csv_keeps_integers_and_empty_image_cells(tmp_path):
    ref, cand, images = tmp_path / "ref", tmp_path / "cand", tmp_path / "images"
    for name in ("a", "b"):
        _write(ref / f"{name}.png", square())
        _write(cand / f"{name}.png", square(left=12))
    _write(images / "a.png", square())  # b has no image
    out = tmp_path / "out"
    evaluate_dirs(ref, cand, out, images_dir=images, workers=1)
    with (out / "pairs.csv").open() as handle:
        rows = {row["name"]: row for row in csv.DictReader(handle)}
    assert (rows["a"]["height"], rows["a"]["n_reference_px"]) == ("32", "144")
    assert rows["b"]["image"] == ""
    parsed = {row["name"]: row for row in read_results(out).rows}
    assert parsed["a"]["n_intersection_px"] == 120
    assert isinstance(parsed["a"]["n_intersection_px"], int)
    assert parsed["b"]["image"] == ""
