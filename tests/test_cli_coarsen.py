"""`maskqa coarsen`: option parsing, listing, bad files, overwriting, progress."""

from __future__ import annotations

import csv
import warnings

import numpy as np
import pytest
from conftest import read_case
from PIL import Image
from typer.testing import CliRunner

import maskqa.cli.coarsen as coarsen_cli
from maskqa.cli import app


def _save(path, mask):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.where(mask, 255, 0).astype(np.uint8)).save(path)


def _coarsen(fine_dir, out, *options):
    return CliRunner().invoke(
        app, ["coarsen", str(fine_dir), "--out", str(out), *options]
    )


def _errors(out):
    with (out / "errors.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture()
def fine_dir(tmp_path):
    fine, _ = read_case("blob_rdp")
    _save(tmp_path / "fine" / "blob.png", fine)
    return tmp_path / "fine"


@pytest.mark.parametrize(
    ("options", "shown"),
    [
        (["--sweep", "1,x,3"], ["--sweep", "'x'", "item 2"]),
        (["--sweep", ""], ["--sweep", "''"]),
        (["--sweep", " , "], ["--sweep"]),
        (["--sweep", "1,,3"], ["--sweep", "item 2"]),
        (["--sweep", "1,-2"], ["--sweep", "'-2'", ">= 0"]),
        (["--level", "1e999"], ["--level", "'inf'"]),
        (["--level", "2", "--then", "dilate:1e+x"], ["--then", "'dilate:1e+x'"]),
        (["--sweep", "1", "--then", "dilate:2"], ["--then", "--sweep"]),
    ],
)
def test_bad_levels_are_one_line_usage_errors(fine_dir, tmp_path, options, shown):
    result = _coarsen(fine_dir, tmp_path / "out", "--mechanism", "dilate", *options)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert all(text in result.output for text in shown), result.output
    assert not (tmp_path / "out" / "blob.png").exists()


def test_mechanism_level_range_is_a_usage_error(fine_dir, tmp_path):
    # lowres needs a factor >= 1: refused before any mask is read.
    result = _coarsen(
        fine_dir, tmp_path / "o", "--mechanism", "lowres", "--sweep", "2,0.5"
    )
    assert result.exit_code == 2
    assert "--sweep" in result.output and "'0.5'" in result.output


def test_levels_in_exponent_notation_are_read(fine_dir, tmp_path):
    # 1e9 px of dilation paints every pixel; the steps print as dilate:1e+09.
    result = _coarsen(
        fine_dir, tmp_path / "o", "--mechanism", "dilate", "--level", "1e9"
    )
    assert result.exit_code == 0, result.output
    assert "dilate:1e+09" in result.output
    assert (np.asarray(Image.open(tmp_path / "o" / "blob.png")) == 255).all()

    result = _coarsen(
        fine_dir, tmp_path / "s", "--mechanism", "dilate", "--sweep", "0,1E0,2.5e+0"
    )
    assert result.exit_code == 0, result.output
    with (tmp_path / "s" / "sweep.csv").open() as handle:
        levels = [float(row["level"]) for row in csv.DictReader(handle)]
    assert levels == [0.0, 1.0, 2.5]


def test_duplicate_names_are_errors_and_never_share_an_output(fine_dir, tmp_path):
    # a.png and a.jpg would both become a.png: neither is written, both are listed.
    fine, _ = read_case("disk_dilate1")
    _save(fine_dir / "a.png", fine)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _save(fine_dir / "a.jpg", ~fine)
    out = tmp_path / "out"
    result = _coarsen(fine_dir, out, "--mechanism", "dilate", "--level", "1")
    assert result.exit_code == 1, result.output
    assert "wrote 1 coarse mask " in result.output
    assert sorted(p.name for p in out.iterdir()) == ["blob.png", "errors.csv"]
    rows = _errors(out)
    assert sorted(r["path"].rsplit("/", 1)[-1] for r in rows) == ["a.jpg", "a.png"]
    assert all(r["name"] == "a" and "rename one" in r["error"] for r in rows)


def test_bad_files_are_recorded_and_the_others_written(fine_dir, tmp_path):
    (fine_dir / "empty.png").write_bytes(b"")
    (fine_dir / "broken.png").write_bytes(b"not a png at all")
    (fine_dir / "x.png").mkdir()  # a folder with a mask's name is no mask
    fine, _ = read_case("disk_dilate1")
    _save(fine_dir / "sub" / "disk.png", fine)
    out = tmp_path / "out"
    result = _coarsen(fine_dir, out, "--mechanism", "erode", "--level", "1")
    assert result.exit_code == 1, result.output
    assert (out / "blob.png").exists() and (out / "sub" / "disk.png").exists()
    rows = {r["name"]: r for r in _errors(out)}
    assert sorted(rows) == ["broken", "empty"]
    assert "empty" in rows["empty"]["error"]
    assert rows["broken"]["path"].endswith("broken.png")
    assert "errors.csv" in result.output


def test_label_maps_fail_without_label_and_are_coarsened_with_it(tmp_path):
    # A face-parsing-like map: values 0, 1 and 13, all below 128, so the rule for
    # 8-bit values would coarsen an empty mask. It is recorded as failed instead.
    labels = np.zeros((40, 40), np.uint8)
    labels[5:35, 5:35] = 1
    labels[10:20, 10:30] = 13
    (tmp_path / "fine").mkdir()
    Image.fromarray(labels).save(tmp_path / "fine" / "face.png")
    out = tmp_path / "out"
    result = _coarsen(tmp_path / "fine", out, "--mechanism", "dilate", "--level", "1")
    assert result.exit_code == 1 and not (out / "face.png").exists()
    (row,) = _errors(out)
    assert "looks like a label map" in row["error"] and "--label" in row["error"]
    # --label 13 coarsens the 10 x 20 block: dilated by 1 px, 12 x 22 less corners.
    result = _coarsen(
        tmp_path / "fine", out, "--mechanism", "dilate", "--level", "1",
        "--label", "13", "--overwrite",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    coarse = np.asarray(Image.open(out / "face.png")) > 0
    assert coarse.sum() == 12 * 22 - 4


def test_an_existing_output_is_kept_without_overwrite(fine_dir, tmp_path):
    out = tmp_path / "out"
    assert (
        _coarsen(fine_dir, out, "--mechanism", "dilate", "--level", "0").exit_code == 0
    )
    first = (out / "blob.png").read_bytes()

    result = _coarsen(fine_dir, out, "--mechanism", "dilate", "--level", "5")
    assert result.exit_code == 2
    assert "--overwrite" in result.output
    assert (out / "blob.png").read_bytes() == first

    result = _coarsen(
        fine_dir, out, "--mechanism", "dilate", "--level", "5", "--overwrite"
    )
    assert result.exit_code == 0, result.output
    assert (out / "blob.png").read_bytes() != first
    assert _errors(out) == []


def test_out_may_not_be_the_fine_folder(fine_dir):
    before = (fine_dir / "blob.png").read_bytes()
    result = _coarsen(
        fine_dir, fine_dir, "--mechanism", "dilate", "--level", "2", "--overwrite"
    )
    assert result.exit_code == 2 and "--out" in result.output
    assert (fine_dir / "blob.png").read_bytes() == before


def test_a_sweep_carries_on_past_bad_files(fine_dir, tmp_path):
    (fine_dir / "empty.png").write_bytes(b"")
    out = tmp_path / "out"
    result = _coarsen(fine_dir, out, "--mechanism", "polygon", "--sweep", "0,4")
    assert result.exit_code == 1, result.output
    assert (out / "sweep.csv").exists()
    assert [r["name"] for r in _errors(out)] == ["empty"]


def test_folders_show_progress_per_file(fine_dir, tmp_path, monkeypatch):
    fine, _ = read_case("disk_dilate1")
    _save(fine_dir / "disk.png", fine)
    calls = []

    import contextlib

    @contextlib.contextmanager
    def recorder(description, total):
        calls.append((description, total))
        yield lambda label="": calls.append(label)

    monkeypatch.setattr(coarsen_cli, "progress_bar", recorder)
    result = _coarsen(fine_dir, tmp_path / "o", "--mechanism", "dilate", "--level", "1")
    assert result.exit_code == 0, result.output
    assert calls == [("coarsening", 2), "blob", "disk"]


def test_a_sweep_prints_its_table(fine_dir, tmp_path):
    # Level 0 leaves the masks as they are: IoU and boundary F 1.
    options = ("--mechanism", "dilate", "--sweep", "0,2")
    result = _coarsen(fine_dir, tmp_path / "s", *options)
    assert result.exit_code == 0, result.output
    assert "dilate sweep: means over the masks" in result.output
    lines = result.output.splitlines()
    zero = next(line for line in lines if line.startswith("│     0"))
    assert zero.count("1.0000") == 4  # iou and boundary F at 1, 2 and 5 px
