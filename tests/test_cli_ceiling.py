"""`maskqa ceiling` and `maskqa coarsen` end to end on small folders."""

from __future__ import annotations

import csv
import json
import warnings

import numpy as np
import pytest
from conftest import read_case
from gallery import square
from PIL import Image
from typer.testing import CliRunner

from maskqa.cli import app
from maskqa.cli.ceiling import write_ceiling



def _write(folder, name, mask):
    folder.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.where(mask, 255, 0).astype(np.uint8)).save(
        folder / f"{name}.png"
    )


@pytest.fixture()
def folders(tmp_path):
    for name in ("disk_dilate1", "blob_rdp", "disk_shift3"):
        fine, coarse = read_case(name)
        _write(tmp_path / "fine", name, fine)
        _write(tmp_path / "coarse", name, coarse)
    return tmp_path


def test_ceiling_writes_json_markdown_and_plots(folders):
    out = folders / "out"
    result = CliRunner().invoke(
        app,
        [
            "ceiling",
            str(folders / "fine"),
            str(folders / "coarse"),
            "--out",
            str(out),
            "--workers",
            "1",
            "--n-boot",
            "200",
            "--seed",
            "11",
            "--fit",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "ceiling.json").read_text())
    assert data["params"]["seed"] == 11 and data["params"]["n_images"] == 3
    iou = data["metrics"]["iou"]
    # Both the per-image mean and the pooled score are there, under their own names.
    assert {"mean", "pooled", "median", "p05", "ci_low", "ci_high"} <= set(iou)
    assert data["curves"]["boundary_f"]["widths_px"][:3] == [1.0, 2.0, 3.0]
    assert data["curves"]["boundary_f"]["widths_px"][-1] == 20.0
    assert set(data["tolerance_for_f"]) == {"0.9", "0.95"}
    assert data["disagreement"]["bins"][-1] == "gt20"
    assert "fit" in data and data["fit"]["sentence"].startswith(
        "These labels behave like"
    )
    text = (out / "ceiling.md").read_text()
    assert "would reach at most" in text
    assert (out / "ceiling_curves.png").exists() and (out / "disagreement.png").exists()


def test_ceiling_of_identical_folders_is_perfect(tmp_path):
    fine, _ = read_case("blob_rdp")
    _write(tmp_path / "a", "x", fine)
    _write(tmp_path / "b", "x", fine)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "ceiling",
            str(tmp_path / "a"),
            str(tmp_path / "b"),
            "--out",
            str(out),
            "--workers",
            "1",
            "--n-boot",
            "100",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "ceiling.json").read_text())
    assert data["metrics"]["iou"]["mean"] == 1.0
    assert data["tolerance_for_f"]["0.9"] == 1.0


def _ceiling(folders, out, *options):
    return CliRunner().invoke(
        app,
        [
            "ceiling",
            str(folders / "fine"),
            str(folders / "coarse"),
            "--out",
            str(out),
            *options,
        ],
    )


@pytest.mark.parametrize(
    "options",
    [
        ["--workers", "0"],
        ["--workers", "-2"],
        ["--n-boot", "0"],
        ["--n-boot", "1"],
        ["--n-boot", "99"],
    ],
)
def test_ceiling_rejects_bad_options_before_scoring(folders, options):
    out = folders / "out"
    result = _ceiling(folders, out, *options)
    assert result.exit_code == 2, result.output
    # Nothing was scored: the results folder was never written.
    assert not (out / "pairs.csv").exists()
    assert options[0] in result.output


def test_ceiling_with_one_empty_pair_reports_inf_without_warnings(folders):
    # The candidate of one pair is empty, the reference of another: their distances
    # are inf (DESIGN.md) and their boundary offsets -inf and +inf.
    fine, _ = read_case("blob_rdp")
    _write(folders / "fine", "empty", fine)
    _write(folders / "coarse", "empty", np.zeros_like(fine))
    _write(folders / "fine", "grown", np.zeros_like(fine))
    _write(folders / "coarse", "grown", fine)
    out = folders / "out"
    result = _ceiling(folders, out, "--workers", "1", "--n-boot", "100")
    assert result.exit_code == 0, result.output

    # The ceiling analysis of that folder again, with warnings as errors.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = write_ceiling(out, n_boot=100)
    assert not any("nan" in s for s in data["sentences"])
    hd95 = json.loads((out / "ceiling.json").read_text())["metrics"]["hd95"]
    assert hd95["mean"] == "inf" and hd95["ci_high"] == "inf"
    assert hd95["n_infinite"] == 2
    offset = json.loads((out / "ceiling.json").read_text())["metrics"][
        "boundary_offset_mean_px"
    ]
    assert offset["mean"] == "nan" and offset["n_infinite"] == 2


def test_disagreement_picture_uses_the_overlay_colours(tmp_path):
    from matplotlib.colors import to_hex

    from maskqa.viz.palette import COLOURS
    from maskqa.viz.sweep import plot_disagreement_profile

    profile = {"bins": ["0_1", "gt1"], "over_px": [3, 1], "under_px": [2, 2]}
    drawn = plot_disagreement_profile(profile)
    assert to_hex(drawn.artists["over"][0].get_facecolor()) == COLOURS["over"]
    assert to_hex(drawn.artists["under"][0].get_facecolor()) == COLOURS["under"]


def test_coarsen_writes_masks_and_a_sweep(tmp_path):
    fine, _ = read_case("blob_rdp")
    _write(tmp_path / "fine", "blob", fine)
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "coarsen",
            str(tmp_path / "fine"),
            "--out",
            str(tmp_path / "c"),
            "--mechanism",
            "polygon",
            "--level",
            "0",
        ],
    )
    assert result.exit_code == 0, result.output
    written = np.asarray(Image.open(tmp_path / "c" / "blob.png")) > 0
    assert np.array_equal(written, fine)  # polygon at 0 px is the exact outline

    result = runner.invoke(
        app,
        [
            "coarsen",
            str(tmp_path / "fine"),
            "--out",
            str(tmp_path / "s"),
            "--mechanism",
            "polygon",
            "--sweep",
            "0,2,4",
        ],
    )
    assert result.exit_code == 0, result.output
    with (tmp_path / "s" / "sweep.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert [r["spec"] for r in rows] == ["polygon:0", "polygon:2", "polygon:4"]
    assert float(rows[0]["vertices"]) > float(rows[2]["vertices"])
    assert (tmp_path / "s" / "sweep_vertices.png").exists()


def test_coarsen_needs_level_or_sweep(tmp_path):
    fine, _ = read_case("blob_rdp")
    _write(tmp_path / "fine", "blob", fine)
    result = CliRunner().invoke(
        app,
        [
            "coarsen",
            str(tmp_path / "fine"),
            "--out",
            str(tmp_path / "c"),
            "--mechanism",
            "dilate",
        ],
    )
    assert result.exit_code == 2


def test_ceiling_on_the_lemur_real_pairs(tmp_path, real_pairs):
    names = sorted(
        p.name[: -len("_fine.png")] for p in real_pairs.glob("lemur*_fine.png")
    )
    assert names
    for name in names:
        for side, folder in (("fine", "f"), ("coarse", "c")):
            mask = np.asarray(Image.open(real_pairs / f"{name}_{side}.png")) > 127
            _write(tmp_path / folder, name, mask)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "ceiling",
            str(tmp_path / "f"),
            str(tmp_path / "c"),
            "--out",
            str(out),
            "--workers",
            "1",
            "--n-boot",
            "200",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "ceiling.json").read_text())
    # Trimap foreground + unknown around the lemur's fur: over-painting only, about
    # 12 px out; F = 0.9 is reached only near 20 px.
    assert data["disagreement"]["under_px"] == [0.0] * 7
    assert 10 < data["disagreement"]["offset_pooled_px"] < 14
    assert 15 < data["tolerance_for_f"]["0.9"] <= 20


def test_ceiling_resumes_a_run_in_its_folder(tmp_path):
    # The message for a folder in use offers --resume: ceiling takes it.
    ref, cand = tmp_path / "ref", tmp_path / "cand"
    for name in ("a", "b"):
        _write(ref, name, square())
        _write(cand, name, square(left=12))
    out = tmp_path / "out"
    args = ["ceiling", str(ref), str(cand), "-o", str(out), "--n-boot", "100"]
    assert CliRunner().invoke(app, args).exit_code == 0
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 2 and "--resume" in again.output
    resumed = CliRunner().invoke(app, [*args, "--resume"])
    assert resumed.exit_code == 0, resumed.output
    assert (out / "ceiling.json").is_file()
