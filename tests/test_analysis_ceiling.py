"""Ceiling statistics: mean vs pooled, bootstrap coverage, curves, sentences."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maskqa.analysis.ceiling import (
    bootstrap_mean_interval,
    ceiling_analysis,
    ceiling_markdown,
    columns_from_rows,
    disagreement_profile,
    summarise_metric,
    tolerance_at,
    tolerance_curve,
    write_ceiling,
)
from maskqa.errors import InputError


def test_bootstrap_covers_the_true_mean_at_about_the_nominal_rate():
    # Population: Beta(8, 2), true mean 8 / 10 = 0.8 (a skewed score, like IoU).
    # 400 samples of 40 images, a 95 % interval each; the count of hits is
    # Binomial(400, ~0.95), sd ~4.4 hits: [0.90, 0.98] is far outside chance.
    rng = np.random.default_rng(2024)
    hits = 0
    for trial in range(400):
        sample = rng.beta(8, 2, size=40)
        low, high = bootstrap_mean_interval(sample, n_boot=500, seed=trial)
        hits += low <= 0.8 <= high
    assert 0.90 <= hits / 400 <= 0.98


def test_bootstrap_is_reproducible_from_its_seed():
    values = np.linspace(0, 1, 25)
    assert bootstrap_mean_interval(values, seed=3) == bootstrap_mean_interval(
        values, seed=3
    )
    assert bootstrap_mean_interval(values, seed=3) != bootstrap_mean_interval(
        values, seed=4
    )


def test_mean_and_pooled_are_kept_apart():
    # Two images: a small one at IoU 0 and a large one at 1. Per-image mean 0.5; the
    # caller's pooled IoU (sum of intersections over sum of unions, 100 / 110) differs.
    summary = summarise_metric([0.0, 1.0], metric="iou", pooled=100 / 110)
    assert summary.mean == 0.5
    assert summary.pooled == pytest.approx(100 / 110)
    assert summary.to_dict()["mean"] != summary.to_dict()["pooled"]


def test_undefined_are_counted_and_inf_is_kept():
    summary = summarise_metric([1.0, math.nan, 3.0, math.nan], metric="hd95")
    assert (summary.n, summary.n_undefined, summary.mean) == (4, 2, 2.0)
    # One empty candidate (distance inf) makes the mean inf; the median of
    # 1, 2, inf is an observed value, 2.
    with_inf = summarise_metric([1.0, 2.0, math.inf], metric="hd95")
    assert with_inf.mean == math.inf and with_inf.median == 2.0


def test_median_and_fifth_percentile_by_hand():
    # 0.00, 0.01, ..., 1.00: median 0.5, 5th percentile 0.05 (linear interpolation).
    summary = summarise_metric(np.arange(101) / 100, n_boot=10)
    assert summary.median == pytest.approx(0.5)
    assert summary.p05 == pytest.approx(0.05)
    assert summary.p95 == pytest.approx(0.95)


def test_markdown_shows_the_worst_five_percent_of_scores_and_distances():
    # 21 images, iou 0.00..1.00 and hd95 0..20 px: the worst 5 % of IoU are its
    # 5th percentile (0.05), of HD95 its 95th (19 px), by linear interpolation.
    columns = {
        "iou": list(np.linspace(0, 1, 21)),
        "hd95": [float(v) for v in range(21)],
    }
    lines = ceiling_markdown(ceiling_analysis(columns, n_boot=100)).splitlines()
    assert any("| worst 5 % |" in line for line in lines)
    iou = next(line for line in lines if line.startswith("| iou |"))
    hd95 = next(line for line in lines if line.startswith("| hd95 |"))
    assert iou.split(" | ")[4] == "0.050"
    assert float(hd95.split(" | ")[4]) == 19.0


def test_markdown_names_the_worst_image_when_five_percent_is_less_than_one():
    # 4 images: 5 % of them is a fifth of an image, so the column gives the worst
    # image itself: the smallest IoU (0.2) and the largest HD95 (30 px).
    columns = {"iou": [0.9, 0.2, 0.7, 0.5], "hd95": [3.0, 30.0, 1.0, 2.0]}
    text = ceiling_markdown(ceiling_analysis(columns, n_boot=100))
    assert "| worst image |" in text and "5 %" not in text
    iou = next(line for line in text.splitlines() if line.startswith("| iou |"))
    hd95 = next(line for line in text.splitlines() if line.startswith("| hd95 |"))
    assert iou.split(" | ")[4] == "0.200"
    assert float(hd95.split(" | ")[4]) == 30.0


def test_curve_orders_widths_and_tolerance_at_interpolates():
    columns = {
        "boundary_f@5px": [1.0, 1.0],
        "boundary_f@1px": [0.6, 0.8],
        "boundary_f@2px": [0.8, 0.9],
        "iou": [0.9, 0.9],
    }
    curve = tolerance_curve(columns, "boundary_f", n_boot=20)
    assert curve.widths_px == (1.0, 2.0, 5.0)
    # Means 0.7, 0.85, 1.0: F = 0.9 is a third of the way from 2 px (0.85) to 5 px.
    assert tolerance_at(curve, 0.9) == pytest.approx(3.0)
    assert tolerance_at(curve, 0.6) == 1.0
    assert tolerance_at(curve, 1.01) == math.inf
    with pytest.raises(InputError, match="statistic"):
        tolerance_at(curve, 0.9, statistic="nope")


def test_disagreement_profile_pools_counts_and_weights_offsets():
    columns = {
        "over_px_0_1": [10, 0],
        "under_px_0_1": [0, 10],
        "over_px_gt1": [0, 20],
        "under_px_gt1": [0, 0],
        "boundary_offset_mean_px": [2.0, -1.0],
        "candidate_boundary_px": [30, 10],
    }
    profile = disagreement_profile(columns)
    assert profile.over_px == (10.0, 20.0) and profile.under_px == (10.0, 0.0)
    # mean of offsets (2 - 1) / 2; pooled (2 * 30 - 1 * 10) / 40.
    assert profile.offset_mean_px == 0.5
    assert profile.offset_pooled_px == pytest.approx(50 / 40)
    assert profile.to_dict()["over_fraction"] == [0.25, 0.5]


def test_ceiling_analysis_sentences_and_json_shape():
    rng = np.random.default_rng(0)
    columns = {
        "iou": rng.uniform(0.8, 0.95, 12),
        "hd95": rng.uniform(2, 6, 12),
        **{
            f"boundary_f@{w}px": np.clip(rng.uniform(0.3, 0.5, 12) + 0.1 * w, 0, 1)
            for w in (1, 2, 3, 5, 10)
        },
        "over_px_0_1": np.full(12, 5.0),
        "under_px_0_1": np.full(12, 5.0),
    }
    ceiling = ceiling_analysis(columns, pooled={"iou": 0.9}, n_boot=200, seed=7)
    data = ceiling.to_dict()
    assert data["params"]["seed"] == 7 and data["params"]["n_images"] == 12
    assert data["metrics"]["iou"]["pooled"] == 0.9
    assert math.isnan(data["metrics"]["hd95"]["pooled"])
    assert "over_px_0_1" not in data["metrics"]
    assert set(data["tolerance_for_f"]) == {"0.9", "0.95"}
    text = " ".join(ceiling.sentences)
    assert "would reach at most a mean region IoU of" in text
    assert "accurate to about" in text
    assert "50% of the disagreeing pixels are over-painting" in text


def test_columns_from_rows_keeps_numbers_only():
    columns = columns_from_rows([{"name": "a", "iou": "0.5"}, {"name": "b", "iou": 1}])
    assert list(columns) == ["iou"] and columns["iou"].tolist() == [0.5, 1.0]


def test_bad_settings_raise():
    with pytest.raises(InputError, match="confidence"):
        bootstrap_mean_interval([1.0], confidence=1.5)
    with pytest.raises(InputError, match="n_boot"):
        bootstrap_mean_interval([1.0], n_boot=0)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=30), st.integers(0, 2**16))
def test_interval_lies_within_the_data_range(values, seed):
    low, high = bootstrap_mean_interval(values, n_boot=50, seed=seed)
    assert min(values) - 1e-12 <= low <= high <= max(values) + 1e-12


def test_inf_of_one_sign_gives_an_infinite_interval_without_warnings():
    # Two one-empty pairs (hd95 = inf) among six: every resample holding one has
    # mean inf, so the upper end is inf; the lower end is a finite mean.
    values = [1.0, 2.0, 2.0, 3.0, math.inf, math.inf]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        summary = summarise_metric(values, metric="hd95", n_boot=500, seed=2)
    assert summary.mean == math.inf and summary.ci_high == math.inf
    assert 1.0 <= summary.ci_low < 3.0
    assert summary.n_infinite == 2


def test_inf_of_both_signs_has_no_mean_and_says_so():
    # A boundary offset is +inf when only the candidate has a boundary and -inf
    # when only the reference has one: their mean is undefined, not a silent nan.
    values = [0.5, math.inf, -math.inf]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        summary = summarise_metric(values, metric="boundary_offset_mean_px")
        low, high = bootstrap_mean_interval(values)
    assert math.isnan(summary.mean) and summary.n_infinite == 2
    assert math.isnan(low) and math.isnan(high)
    assert summary.median == 0.5  # an observed value, the middle of three


def _below(widths, value=0.5):
    return {f"boundary_f@{w:g}px": np.full(4, value) for w in widths}


def test_tolerance_sentence_says_the_range_measured():
    # Boundary F 0.5 at every tolerance from 1 to 10 px: never 0.9 in that range.
    ceiling = ceiling_analysis(_below((1, 2, 5, 10)), n_boot=100)
    text = " ".join(ceiling.sentences)
    assert "stays below 0.9 up to 10 px" in text
    assert "tolerances measured: 1 to 10 px" in text
    assert "measure wider tolerances to find where it reaches 0.9" in text

    # Already 1.0 at the narrowest tolerance measured (3 px): an upper bound.
    ceiling = ceiling_analysis(_below((3, 20), 1.0), n_boot=100)
    assert "accurate to 3 px or better" in " ".join(ceiling.sentences)


def test_curves_and_sentences_read_whatever_widths_the_columns_hold():
    # 1..20 px as `evaluate --tolerance` writes them, plus a fractional width.
    widths = list(range(1, 21)) + [1.5]
    ceiling = ceiling_analysis(_below(widths, 0.95), n_boot=100)
    assert ceiling.curves["boundary_f"].widths_px == tuple(sorted(map(float, widths)))
    # Without the headline widths (1 and 2 px) the narrowest one gets a sentence.
    ceiling = ceiling_analysis(_below((3, 8), 0.7), n_boot=100)
    assert "mean boundary F at 3 px of 0.700" in " ".join(ceiling.sentences)


def test_an_undefined_interval_is_written_as_such():
    summary = summarise_metric([math.inf, -math.inf], metric="hd95", n_boot=100)
    text = " ".join(
        ceiling_analysis({"hd95": [math.inf, -math.inf, 1.0]}, n_boot=100).sentences
    )
    assert math.isnan(summary.ci_low)
    assert "interval undefined" in text and "nan" not in text


# --- ceiling.md: presets, boundary IoU, runs where nothing was scored ---------------


def _table_metrics(markdown: str) -> list[str]:
    # The table's rows after its header and separator lines.
    rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    return [row.split("|")[1].strip() for row in rows[2:]]


def test_markdown_of_a_preset_tables_its_metrics_region_first():
    # DAVIS columns among 20 others (edge alignment): more than 12 metrics, so only
    # the headline ones are tabled; the preset's are, J (region) first.
    columns = {f"davis.{k}": [0.5, 0.7] for k in ("F", "P", "R", "J")}
    columns.update({f"reference.edge_within@{w}px": [0.5, 0.6] for w in range(20)})
    text = ceiling_markdown(ceiling_analysis(columns, n_boot=100))

    assert _table_metrics(text) == ["davis.J", "davis.F", "davis.P", "davis.R"]
    assert "20 more metrics are in ceiling.json." in text


def test_markdown_tables_boundary_iou_at_the_band_of_its_sentence():
    columns = {f"boundary_iou@{w}px": [0.2, 0.4] for w in (1, 2, 3, 5, 10)}
    columns.update({f"nsd@{w}px": [0.5, 0.5] for w in (1, 2, 3, 5, 10)})
    columns.update({f"trimap_iou@{w}px": [0.5, 0.5] for w in (1, 2, 3, 5, 10)})
    ceiling = ceiling_analysis(columns, n_boot=100)
    text = ceiling_markdown(ceiling)

    # Tabled and said at 2 px, the width of the evaluate summary and the report.
    boundary = [m for m in _table_metrics(text) if m.startswith("boundary_iou")]
    assert boundary == ["boundary_iou@2px"]
    assert "boundary IoU in a 2 px band of 0.300" in text
    assert "boundary IoU at" not in text and "boundary_iou@1px" not in text
    assert ceiling.to_dict()["curves"]["boundary_iou"]["widths_px"] == [1, 2, 3, 5, 10]


def test_a_folder_where_no_pair_was_scored_says_so_in_ceiling_md(tmp_path):
    (tmp_path / "pairs.csv").write_text("name,reference,candidate,height,width\n")
    (tmp_path / "errors.csv").write_text(
        "name,reference,candidate,error\na,ref/a.png,cand/a.png,not an image\n"
    )
    ceiling = write_ceiling(tmp_path, n_boot=100)

    expected = "No pair was scored; see errors.csv (1 pair failed)."
    assert ceiling.sentences == (expected,)
    text = (tmp_path / "ceiling.md").read_text()
    assert text == f"# Accuracy ceiling\n\n{expected}\n"
    assert "|" not in text
