"""The batch runner: streamed rows, recorded failures, resume, pooled scores, Dask."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
from gallery import disk, square
from PIL import Image

from maskqa.errors import InputError
from maskqa.runner import evaluate_dirs, read_results


def _write(path, mask):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(mask.astype(np.uint8) * 255).save(path)


@pytest.fixture
def dataset(tmp_path):
    """Three good pairs, one unreadable candidate, one unpaired file on each side."""
    ref, cand = tmp_path / "ref", tmp_path / "cand"
    # a: a 12 x 12 square against itself moved 2 px right: I = 12*10, U = 12*14.
    _write(ref / "a.png", square())
    _write(cand / "a.png", square(left=12))
    # b: identical disks.
    _write(ref / "b.png", disk())
    _write(cand / "b.png", disk())
    # c: a square against an empty mask.
    _write(ref / "c.png", square())
    _write(cand / "c.png", np.zeros_like(square()))
    # bad: the candidate is not an image at all.
    _write(ref / "bad.png", square())
    (cand / "bad.png").write_text("not a png")
    _write(ref / "only_ref.png", square())
    _write(cand / "only_cand.png", square())
    return ref, cand


def test_rows_errors_and_unpaired_are_written(dataset, tmp_path):
    ref, cand = dataset
    out = tmp_path / "out"
    result = evaluate_dirs(ref, cand, out, workers=1)

    assert (result.n_pairs, result.n_scored, result.n_failed) == (4, 3, 1)
    assert result.exit_code == 1
    results = read_results(out)
    assert [row["name"] for row in results.rows] == ["a", "b", "c"]
    assert results.columns[:5] == ("name", "reference", "candidate", "height", "width")
    rows = {row["name"]: row for row in results.rows}
    assert rows["a"]["iou"] == pytest.approx(120 / 168, abs=1e-12)
    assert rows["b"]["iou"] == 1.0
    assert rows["c"]["iou"] == 0.0
    # errors.csv names the file and says what is wrong with it.
    (error,) = results.errors
    assert error["name"] == "bad" and "bad.png" in error["error"]
    sides = sorted(
        (row["side"], row["path"].rsplit("/", 1)[-1]) for row in results.unpaired
    )
    assert sides == [("candidate", "only_cand.png"), ("reference", "only_ref.png")]


def test_summary_has_mean_and_pooled_scores(dataset, tmp_path):
    ref, cand = dataset
    out = tmp_path / "out"
    evaluate_dirs(ref, cand, out, workers=1)
    summary = json.loads((out / "summary.json").read_text())

    iou = summary["metrics"]["iou"]
    # mean of per-pair IoU: (120/168 + 1 + 0) / 3; pooled: summed intersections over
    # summed unions: (120 + |disk| + 0) / (168 + |disk| + 144).
    n_disk = int(disk().sum())
    assert iou["mean"] == pytest.approx((120 / 168 + 1 + 0) / 3, abs=1e-12)
    assert iou["pooled"] == pytest.approx(
        (120 + n_disk) / (168 + n_disk + 144), abs=1e-12
    )
    assert iou["n"] == 3 and iou["n_undefined"] == 0
    assert summary["n_failed"] == 1 and summary["n_unpaired"] == 2
    assert summary["params"], "every convention and parameter is recorded"
    # one empty mask: the distance is infinite, kept in the mean (never dropped).
    assert summary["metrics"]["hd"]["mean"] == "inf"


def test_existing_results_need_resume_or_overwrite(dataset, tmp_path):
    ref, cand = dataset
    out = tmp_path / "out"
    evaluate_dirs(ref, cand, out, workers=1)
    with pytest.raises(InputError, match="--resume"):
        evaluate_dirs(ref, cand, out, workers=1)

    # Resume: drop one row as if the run had been interrupted, then continue it.
    path = out / "pairs.csv"
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows[:-1])
    result = evaluate_dirs(ref, cand, out, workers=1, resume=True)
    # a and b are kept; c and the failing pair are scored (again).
    assert result.n_skipped == 2
    assert [row["name"] for row in read_results(out).rows] == ["a", "b", "c"]

    result = evaluate_dirs(ref, cand, out, workers=1, overwrite=True)
    assert result.n_skipped == 0 and result.n_scored == 3


def _scores(out):
    return {
        row["name"]: {
            k: v for k, v in row.items() if k not in ("reference", "candidate")
        }
        for row in read_results(out).rows
    }


def check_same_rows(a, b):
    assert a.keys() == b.keys()
    for name in a:
        for key, value in a[name].items():
            other = b[name][key]
            if isinstance(value, float) and math.isnan(value):
                assert math.isnan(other), (name, key)
            else:
                assert value == other, (name, key)


def test_process_pool_gives_the_same_rows(dataset, tmp_path):
    ref, cand = dataset
    evaluate_dirs(ref, cand, tmp_path / "one", workers=1)
    evaluate_dirs(ref, cand, tmp_path / "two", workers=2)
    check_same_rows(_scores(tmp_path / "one"), _scores(tmp_path / "two"))


def test_dask_cluster_gives_the_same_rows(dataset, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    ref, cand = dataset
    evaluate_dirs(ref, cand, tmp_path / "local", workers=1)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        result = evaluate_dirs(ref, cand, tmp_path / "dask", scheduler=client)
    assert result.n_failed == 1
    check_same_rows(_scores(tmp_path / "local"), _scores(tmp_path / "dask"))


def test_pooled_boundary_scores_weigh_pairs_by_boundary_length(tmp_path):
    ref, cand = tmp_path / "ref", tmp_path / "cand"
    _write(ref / "b.png", disk())
    _write(cand / "b.png", disk())
    _write(ref / "c.png", square())
    _write(cand / "c.png", np.zeros_like(square()))
    out = tmp_path / "out"
    evaluate_dirs(ref, cand, out, workers=1)
    metrics = json.loads((out / "summary.json").read_text())["metrics"]

    # Inner boundary of the disk: its pixels with a 4-neighbour outside it (the disk
    # does not touch the image border). The 12 x 12 square has 4 * 12 - 4 = 44.
    d = np.pad(disk(), 1)
    inner = d[1:-1, 1:-1] & ~(d[:-2, 1:-1] & d[2:, 1:-1] & d[1:-1, :-2] & d[1:-1, 2:])
    n_disk, n_square = int(inner.sum()), 44
    # Identical disks match every boundary pixel; the empty candidate matches none of
    # the square's and has no boundary pixel to weigh in the precision.
    recall = n_disk / (n_disk + n_square)
    assert metrics["boundary_precision@1px"]["pooled"] == 1.0
    assert metrics["boundary_recall@1px"]["pooled"] == pytest.approx(recall, abs=1e-12)
    f = 2 * recall / (1 + recall)
    assert metrics["boundary_f@1px"]["pooled"] == pytest.approx(f, abs=1e-12)
    # The mean of per-pair F is (1 + 0) / 2: a different number, named differently.
    assert metrics["boundary_f@1px"]["mean"] == 0.5


def test_resume_refuses_other_options(dataset, tmp_path):
    ref, cand = dataset
    out = tmp_path / "out"
    evaluate_dirs(ref, cand, out, workers=1)
    with pytest.raises(InputError, match="tolerance_px"):
        evaluate_dirs(
            ref, cand, out, workers=1, resume=True, compare_kwargs={"tolerance_px": [7]}
        )


def test_resume_refuses_a_run_with_images_continued_without(dataset, tmp_path):
    # The rows would otherwise mix pairs with and without alignment columns.
    ref, cand = dataset
    images = tmp_path / "images"
    images.mkdir()
    _write(images / "a.png", square())
    out = tmp_path / "out"
    evaluate_dirs(ref, cand, out, images_dir=images, workers=1)
    with pytest.raises(InputError, match="images: True then, False now"):
        evaluate_dirs(ref, cand, out, workers=1, resume=True)


def test_resume_rescores_a_row_cut_short(dataset, tmp_path):
    ref, cand = dataset
    out = tmp_path / "out"
    evaluate_dirs(ref, cand, out, workers=1)
    # An interrupted write: the last row stops after a few fields.
    path = out / "pairs.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:-1] + [",".join(lines[-1].split(",")[:4])]) + "\n")
    with pytest.warns(UserWarning, match="incomplete row"):
        assert len(read_results(out).rows) == 2

    result = evaluate_dirs(ref, cand, out, workers=1, resume=True)
    assert result.n_skipped == 2 and result.n_scored == 3
    assert [row["name"] for row in read_results(out).rows] == ["a", "b", "c"]


def test_missing_image_is_listed_and_the_pair_still_scored(tmp_path):
    ref, cand, images = tmp_path / "ref", tmp_path / "cand", tmp_path / "images"
    for name in ("a", "b"):
        _write(ref / f"{name}.png", disk())
        _write(cand / f"{name}.png", disk())
    # Only a has an image: a grey picture of the disk.
    Image.fromarray(disk().astype(np.uint8) * 200).save(
        images.mkdir() or images / "a.png"
    )
    out = tmp_path / "out"
    result = evaluate_dirs(ref, cand, out, images_dir=images, workers=1)

    assert result.n_scored == 2 and result.n_failed == 0
    rows = {row["name"]: row for row in read_results(out).rows}
    assert "reference.alignment_score" in rows["a"]
    assert math.isnan(rows["b"]["reference.alignment_score"])
    (missing,) = read_results(out).unpaired
    assert missing["side"] == "image" and missing["path"] == "b"


def test_folders_with_no_name_in_common_are_an_error(tmp_path):
    _write(tmp_path / "ref" / "a.png", disk())
    _write(tmp_path / "cand" / "b.png", disk())
    with pytest.raises(InputError, match="no file name in common"):
        evaluate_dirs(tmp_path / "ref", tmp_path / "cand", tmp_path / "out")


def test_warnings_are_recorded_once_per_pair(tmp_path):
    ref, cand = tmp_path / "ref", tmp_path / "cand"
    # An 8-bit mask with values other than {0, 255} (a JPEG-like edge): thresholded
    # at 128 with a warning, which lands in warnings.csv with the pair's name.
    soft = disk().astype(np.uint8) * 200
    soft[0, 0] = 17
    ref.mkdir()
    Image.fromarray(soft).save(ref / "a.png")
    _write(cand / "a.png", disk())
    out = tmp_path / "out"
    result = evaluate_dirs(ref, cand, out, workers=1)
    assert result.n_warnings == 1
    text = (out / "warnings.csv").read_text()
    assert text.startswith("name,warning") and 'a,"ThresholdWarning: ' in text
    assert "a.png" in text


def test_the_log_shows_the_first_warning_of_a_kind_and_the_file_all(tmp_path, caplog):
    # Three pairs whose references need a threshold: three ThresholdWarnings, each
    # in warnings.csv; the log gives the first in full, then one line for the rest.
    ref, cand = tmp_path / "ref", tmp_path / "cand"
    soft = disk().astype(np.uint8) * 200
    soft[0, 0] = 17
    ref.mkdir()
    for name in ("a", "b", "c"):
        Image.fromarray(soft).save(ref / f"{name}.png")
        _write(cand / f"{name}.png", disk())
    out = tmp_path / "out"
    with caplog.at_level("WARNING", logger="maskqa.runner"):
        result = evaluate_dirs(ref, cand, out, workers=1)
    assert result.n_warnings == 3
    with (out / "warnings.csv").open() as handle:
        assert sorted(row["name"] for row in csv.DictReader(handle)) == ["a", "b", "c"]
    logged = [r.getMessage() for r in caplog.records]
    assert len(logged) == 2 and "ThresholdWarning: " in logged[0]
    assert logged[1] == "more ThresholdWarnings follow: each is in warnings.csv"


def test_corrupt_summary_is_a_clear_error(dataset, tmp_path):
    ref, cand = dataset
    out = tmp_path / "out"
    evaluate_dirs(ref, cand, out, workers=1)
    (out / "summary.json").write_text("{not json")
    with pytest.raises(InputError, match="summary.json: not valid JSON"):
        read_results(out)


def test_unreachable_scheduler_is_a_clear_error(dataset, tmp_path):
    pytest.importorskip("dask.distributed")
    ref, cand = dataset
    with pytest.raises(InputError, match="Dask scheduler"):
        evaluate_dirs(ref, cand, tmp_path / "out", scheduler="nonsense")


SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples" / "lemur"


def test_evaluate_on_the_bundled_samples_reproduces_pycocotools_iou(
    tmp_path, peer_real
):
    # peer_values_real.json: pycocotools.iou of the lemur pairs (same names).
    evaluate_dirs(SAMPLES / "reference", SAMPLES / "candidate", tmp_path, workers=1)
    rows = read_results(tmp_path).rows
    assert len(rows) == 4
    for row in rows:
        assert row["iou"] == pytest.approx(
            peer_real[row["name"]]["pycocotools.iou"], abs=1e-9
        )


def test_evaluate_on_the_real_pairs_reproduces_pycocotools_iou(
    tmp_path, real_pairs, peer_real
):
    # The 22 pairs of make_real_pairs.py, split into a reference and a candidate folder.
    ref, cand = tmp_path / "ref", tmp_path / "cand"
    ref.mkdir(), cand.mkdir()
    for fine in real_pairs.glob("*_fine.png"):
        name = fine.name[: -len("_fine.png")]
        (ref / f"{name}.png").write_bytes(fine.read_bytes())
        (cand / f"{name}.png").write_bytes(
            (real_pairs / f"{name}_coarse.png").read_bytes()
        )
    result = evaluate_dirs(ref, cand, tmp_path / "out", workers=2)
    assert result.n_scored == 22 and result.n_failed == 0
    for row in read_results(tmp_path / "out").rows:
        assert row["iou"] == pytest.approx(
            peer_real[row["name"]]["pycocotools.iou"], abs=1e-9
        )


def test_parameters_that_differ_between_pairs_are_named_as_varying(tmp_path):
    # Two pairs of different sizes: the shape, and the DAVIS radius that follows
    # from the diagonal (ceil(0.008 x diagonal): 32 x 40 gives 1, 300 x 400 gives
    # 4), differ; the border rule is the run's own.
    ref, cand = tmp_path / "ref", tmp_path / "cand"
    _write(ref / "small.png", square())
    _write(cand / "small.png", square(left=12))
    big = np.zeros((300, 400), bool)
    big[100:200, 100:250] = True
    _write(ref / "big.png", big)
    _write(cand / "big.png", np.roll(big, 3, axis=1))
    out = tmp_path / "out"
    evaluate_dirs(ref, cand, out, workers=1, compare_kwargs={"preset": "davis"})
    params = json.loads((out / "summary.json").read_text())["params"]
    assert params["shape"] == "varies per pair"
    assert params["davis.bound_pix"] == "varies per pair"
    assert params["border"] == "exclude" and params["preset"] == "davis"

    # A resumed run compares the parameters read back from JSON with its own.
    (ref / "big2.png").write_bytes((ref / "big.png").read_bytes())
    (cand / "big2.png").write_bytes((cand / "big.png").read_bytes())
    evaluate_dirs(
        ref, cand, out, workers=1, compare_kwargs={"preset": "davis"}, resume=True
    )
    resumed = json.loads((out / "summary.json").read_text())["params"]
    assert resumed["border"] == "exclude" and resumed["shape"] == "varies per pair"


def test_parameters_of_pairs_of_one_size_are_kept(dataset, tmp_path):
    out = tmp_path / "out"
    evaluate_dirs(*dataset, out, workers=1)
    params = json.loads((out / "summary.json").read_text())["params"]
    assert params["shape"] == [32, 40]
