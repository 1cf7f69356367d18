"""compare() and Report: keys, parameters, JSON, non-saturation on coarse pairs."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from conftest import read_case
from PIL import Image

import gallery
from maskqa.errors import InputError
from maskqa.metrics.report import Report, compare


def test_default_families_and_key_order():
    report = compare(gallery.disk(), gallery.shifted(gallery.disk(), dx=1))
    keys = list(report.values)
    assert keys[:5] == ["iou", "dice", "precision", "recall", "area_ratio"]
    for name in ("boundary_f", "boundary_precision", "boundary_recall", "boundary_iou"):
        assert [k for k in keys if k.startswith(name + "@")] == [
            f"{name}@{n}px" for n in (1, 2, 3, 5, 10)
        ]
    widths = (1, 2, 3, 4, 5, 7, 10, 15, 20, 30, 40)
    assert [k for k in keys if k.startswith("trimap_iou@")] == [
        f"trimap_iou@{n}px" for n in widths
    ]
    assert "mba" in keys
    assert {"region", "boundary", "trimap", "mba"} <= set(report.params["families"])
    assert all(isinstance(v, float) for v in report.values.values())


def test_params_name_every_convention():
    fine, coarse = read_case("large_512")
    report = compare(fine, coarse, border="include", tolerance_px=(1, 4))
    params = report.params
    assert params["border"] == "include" and params["on_empty"] == "score"
    assert params["tolerance_px"] == [1.0, 4.0]
    assert params["trimap.band"] == "euclidean"
    assert params["mba.radii"] == [1, 1, 1, 2, 2]  # CascadePSP rule for 512 x 512
    assert params["shape"] == [512, 512]


def test_keys_for_matches_compare():
    options = dict(tolerance_px=(1, 2.5), band_px=(3,))
    fine, coarse = read_case("blob_rdp")
    assert Report.keys_for(**options) == list(compare(fine, coarse, **options).values)


def test_to_json_writes_non_finite_as_strings():
    report = compare(gallery.empty(), gallery.disk())
    payload = json.loads(report.to_json())
    assert payload["values"]["iou"] == 0.0
    assert payload["values"]["trimap_iou@1px"] == "nan"
    assert payload["params"]["border"] == "exclude"
    assert report.to_dict() == report.values and report.to_dict() is not report.values


def test_frozen():
    report = compare(gallery.disk(), gallery.disk())
    with pytest.raises(AttributeError):
        report.values = {}


def test_values_equal_the_single_family_functions():
    from maskqa.metrics.boundary import boundary_f, boundary_iou
    from maskqa.metrics.trimap import trimap

    fine, coarse = read_case("strands")
    report = compare(fine, coarse)
    expected = {
        **boundary_f(fine, coarse).to_dict(),
        **boundary_iou(fine, coarse).to_dict(),
        **trimap(fine, coarse).to_dict(),
    }
    for key, value in expected.items():
        assert report.values[key] == value, key


def test_blob_polygon_does_not_saturate():
    # DESIGN.md: on large_1024 the DAVIS F is 1.0 at its 12 px default; maskqa's
    # curve must show the error at small tolerances
    fine, coarse = read_case("large_1024")
    values = compare(fine, coarse).values
    assert values["iou"] > 0.98
    assert values["boundary_f@1px"] < 0.6
    assert values["trimap_iou@1px"] < 0.6
    assert values["boundary_f@10px"] == 1.0


def test_lemur_trimap_pair_is_far_below_one(real_pairs):
    # the lemur pair is the coarse-annotation case of data/samples: a trimap
    # outline against the alpha matte; region IoU is high, boundaries are not
    fine = np.asarray(Image.open(real_pairs / "lemur_trimap_vs_alpha_fine.png")) > 127
    coarse = (
        np.asarray(Image.open(real_pairs / "lemur_trimap_vs_alpha_coarse.png")) > 127
    )
    values = compare(fine, coarse).values
    assert values["iou"] > 0.85
    for n in (1, 2, 3):
        assert values[f"boundary_f@{n}px"] < 0.1
        assert values[f"boundary_iou@{n}px"] < 0.1
    assert values["trimap_iou@1px"] < 0.6


def test_invalid_options_are_errors():
    with pytest.raises(InputError, match="band_px"):
        compare(gallery.disk(), gallery.disk(), band_px=())
    with pytest.raises(InputError, match="border"):
        compare(gallery.disk(), gallery.disk(), border="none")


def test_threshold_is_applied_and_recorded():
    soft = gallery.disk().astype(float) * 0.7
    report = compare(soft, soft, threshold=0.6)
    assert report.values["iou"] == 1.0 and report.params["threshold"] == 0.6
    assert not math.isnan(report.values["boundary_f@1px"])
