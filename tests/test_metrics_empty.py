"""The empty-mask table (maskqa/metrics/_empty.py), checked for every metric.

Four cases per metric: both masks empty, reference only, candidate only,
neither. Expected values come from the table in the module's docstring.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import gallery
from maskqa.errors import InputError
from maskqa.metrics._empty import EMPTY_TABLE, empty_value
from maskqa.metrics.boundary import boundary_f, boundary_iou
from maskqa.metrics.distance import surface_distances
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


# --- the masks decide before the boundaries (full masks, both borders) ----------

FULL = gallery.full()
NO_BORDER = {"iou", "dice", "precision", "recall", "area_ratio", "mba"}

# metric name -> (kind, function) for the surface distances
SURFACE = {
    "hd": ("distance", lambda r, c, **k: [surface_distances(r, c, **k).hd]),
    "hd95": ("distance", lambda r, c, **k: [surface_distances(r, c, **k).hd95]),
    "assd": ("distance", lambda r, c, **k: [surface_distances(r, c, **k).assd]),
    "nsd": (
        "overlap",
        lambda r, c, **k: [
            v for key, v in surface_distances(r, c, **k).to_dict().items()
            if key.startswith("nsd@")
        ],
    ),
}
ALL_METRICS = {**METRICS, **SURFACE}

# (reference, candidate, border) -> the case the table applies, None: computed.
# With border="exclude" a full mask has no boundary: the masks decide first
# (full vs empty is total disagreement), then the boundaries (full vs full is
# perfect, full vs partial is the full side's one-empty case).
FULL_CASES = {
    "full_vs_empty-exclude": (FULL, EMPTY, "exclude", "candidate"),
    "full_vs_empty-include": (FULL, EMPTY, "include", "candidate"),
    "empty_vs_full-exclude": (EMPTY, FULL, "exclude", "reference"),
    "empty_vs_full-include": (EMPTY, FULL, "include", "reference"),
    "full_vs_full-exclude": (FULL, FULL, "exclude", "both"),
    "full_vs_full-include": (FULL, FULL, "include", None),
    "full_vs_partial-exclude": (FULL, DISK, "exclude", "reference"),
    "full_vs_partial-include": (FULL, DISK, "include", None),
    "partial_vs_full-exclude": (DISK, FULL, "exclude", "candidate"),
    "partial_vs_full-include": (DISK, FULL, "include", None),
}
REGION_CASE = {"full_vs_empty": "candidate", "empty_vs_full": "reference"}


def _kwargs(metric, border):
    return {} if metric in NO_BORDER else {"border": border}


@pytest.mark.parametrize("name", list(FULL_CASES))
@pytest.mark.parametrize("metric", list(ALL_METRICS))
def test_full_masks_follow_table(metric, name):
    reference, candidate, border, case = FULL_CASES[name]
    kind, function = ALL_METRICS[metric]
    values = function(reference, candidate, **_kwargs(metric, border))
    if kind in ("overlap", "ratio") and metric in NO_BORDER:
        # region metrics never look at boundaries: full vs full / partial are
        # computed pixel counts
        case = REGION_CASE.get(name.split("-")[0])
    expected = None if case is None else EMPTY_TABLE[kind].get(case)
    if expected is not None:
        assert all(_same(v, expected) for v in values), values
    elif kind == "band":
        # computed; a band with no background or no seed pixel gives nan (0 / 0)
        assert all(math.isnan(v) or 0.0 <= v <= 1.0 for v in values), values
    else:
        assert all(math.isfinite(v) and v >= 0.0 for v in values), values


@pytest.mark.parametrize("border", ["exclude", "include"])
def test_full_vs_empty_is_total_disagreement_in_compare(border):
    # the reported bug: ones vs zeros scored boundary F 1 and distances 0
    for shape in ((32, 40), (1, 1)):
        report = compare(np.ones(shape), np.zeros(shape), border=border)
        values = report.values
        assert values["boundary_f@1px"] == 0.0
        assert values["nsd@2px"] == 0.0
        assert values["boundary_iou@1px"] == 0.0
        assert all(values[k] == math.inf for k in ("hd", "hd95", "assd"))


def test_full_vs_full_excluded_border_is_perfect():
    values = compare(FULL, FULL).values
    assert values["boundary_f@1px"] == 1.0 and values["nsd@1px"] == 1.0
    assert values["hd"] == 0.0 and values["assd"] == 0.0
    # no band around a reference without boundary: undefined
    assert math.isnan(values["trimap_iou@1px"]) and math.isnan(values["mba"])


def test_helper_decides_from_masks_first():
    both_sets = {"reference_set_empty": True, "candidate_set_empty": True}
    assert empty_value("overlap", False, True, **both_sets) == 0.0
    assert empty_value("overlap", True, False, **both_sets) == 0.0
    assert empty_value("overlap", False, False, **both_sets) == 1.0
    one_set = {"reference_set_empty": False, "candidate_set_empty": True}
    assert empty_value("distance", False, False, **one_set) == math.inf
