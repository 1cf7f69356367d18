"""The empty-mask table (maskqa/metrics/_empty.py), checked for every metric.

Four cases per metric: both masks empty, reference only, candidate only,
neither. Expected values come from the table in the module's docstring.
"""

from __future__ import annotations

import math

import pytest

import gallery
from maskqa.errors import InputError
from maskqa.metrics._empty import EMPTY_TABLE, empty_value
from maskqa.metrics.boundary import boundary_f, boundary_iou
from maskqa.metrics.mba import mba
from maskqa.metrics.region import area_ratio, dice, iou, precision, recall
from maskqa.metrics.report import compare
from maskqa.metrics.trimap import trimap

DISK = gallery.disk()
EMPTY = gallery.empty()
CASES = {
    "both": (EMPTY, EMPTY),
    "reference": (EMPTY, DISK),
    "candidate": (DISK, EMPTY),
    "neither": (DISK, gallery.shifted(DISK, dx=2)),
}

# metric name -> (kind in the table, function returning a list of floats)
METRICS = {
    "iou": ("overlap", lambda r, c, **k: [iou(r, c, **k)]),
    "dice": ("overlap", lambda r, c, **k: [dice(r, c, **k)]),
    "precision": ("overlap", lambda r, c, **k: [precision(r, c, **k)]),
    "recall": ("overlap", lambda r, c, **k: [recall(r, c, **k)]),
    "area_ratio": ("ratio", lambda r, c, **k: [area_ratio(r, c, **k)]),
    "boundary_f": ("overlap", lambda r, c, **k: list(boundary_f(r, c, **k).f)),
    "boundary_precision": (
        "overlap",
        lambda r, c, **k: list(boundary_f(r, c, **k).precision),
    ),
    "boundary_recall": (
        "overlap",
        lambda r, c, **k: list(boundary_f(r, c, **k).recall),
    ),
    "boundary_iou": ("overlap", lambda r, c, **k: list(boundary_iou(r, c, **k).iou)),
    "trimap_iou": ("band", lambda r, c, **k: list(trimap(r, c, **k).iou)),
    "trimap_miou": ("band", lambda r, c, **k: list(trimap(r, c, **k).miou)),
    "trimap_accuracy": ("band", lambda r, c, **k: list(trimap(r, c, **k).accuracy)),
    "mba": ("band", lambda r, c, **k: [mba(r, c, **k).mba]),
}


def _same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("metric", list(METRICS))
def test_table_applies(metric, case):
    kind, function = METRICS[metric]
    values = function(*CASES[case])
    expected = EMPTY_TABLE[kind].get(case)
    if expected is None:
        # computed: a band metric with an empty candidate, or no empty side
        assert all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in values)
    else:
        assert all(_same(v, expected) for v in values), values


@pytest.mark.parametrize("case", ["both", "reference", "candidate"])
@pytest.mark.parametrize("metric", list(METRICS))
def test_on_empty_nan_gives_nan(metric, case):
    _, function = METRICS[metric]
    assert all(math.isnan(v) for v in function(*CASES[case], on_empty="nan"))


@pytest.mark.parametrize("metric", list(METRICS))
def test_on_empty_nan_keeps_normal_pairs(metric):
    _, function = METRICS[metric]
    assert all(math.isfinite(v) for v in function(*CASES["neither"], on_empty="nan"))


def test_band_candidate_empty_is_scored_not_undefined():
    # the band exists (reference has an edge); an empty candidate is wrong on
    # the band's foreground half
    values = METRICS["trimap_iou"][1](DISK, EMPTY)
    assert values and all(v == 0.0 for v in values)


@pytest.mark.parametrize("case", list(CASES))
def test_compare_follows_table(case):
    report = compare(*CASES[case])
    expected = EMPTY_TABLE["overlap"].get(case)
    if expected is not None:
        assert report.values["iou"] == expected
        assert report.values["boundary_f@1px"] == expected
    if case in ("both", "reference"):
        assert math.isnan(report.values["trimap_iou@1px"])
        assert math.isnan(report.values["mba"])


def test_helper_rejects_unknown_kind():
    with pytest.raises(InputError, match="kind"):
        empty_value("volume", True, True)


def test_distance_kind_is_never_nan_by_default():
    assert empty_value("distance", True, True) == 0.0
    assert empty_value("distance", True, False) == math.inf
    assert empty_value("distance", False, True) == math.inf
    assert empty_value("distance", False, False) is None
