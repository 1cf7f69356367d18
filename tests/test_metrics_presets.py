"""Presets reproduce the published implementations' values (peer files) to 1e-9."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import CASE_NAMES, close, load_peer_values, PEER_REAL, read_case
from PIL import Image

from maskqa.errors import InputError
from maskqa.geometry.cache import PairGeometry
from maskqa.metrics.presets import (
    PRESETS,
    boundary_iou_api,
    cascadepsp,
    davis,
    run_preset,
)
from maskqa.metrics.report import compare

REAL_NAMES = sorted(load_peer_values(PEER_REAL))


def _expected_pairs(peer, fine, coarse):
    """(peer key, peer value, maskqa value) for every preset value of one pair."""
    out = []
    d = davis(fine, coarse)
    # davis2017-evaluation db_eval_boundary / db_eval_iou
    for key in "FPRJ":
        out.append(
            (f"davis2017.{key}", peer[f"davis2017.{key}"], d.values[f"davis.{key}"])
        )
    out.append(
        (
            "davis2017.bound_pix",
            peer["davis2017.bound_pix"],
            d.params["davis.bound_pix"],
        )
    )
    for px in (1, 2, 3, 5):
        got = davis(fine, coarse, bound_px=px).values["davis.F"]
        out.append((f"davis2017.F@{px}px", peer[f"davis2017.F@{px}px"], got))
    # davisinteractive is bit-identical to davis2017 (PEERS.md 4.1)
    out.append(
        (
            "davisinteractive.f_measure",
            peer["davisinteractive.f_measure"],
            d.values["davis.F"],
        )
    )
    # boundary-iou-api: pycocotools empty rule (biou_rle); faster-coco-eval backends
    b = boundary_iou_api(fine, coarse)
    biou = b.values["boundary-iou-api.biou"]
    for key in (
        "biou_api.biou_rle",
        "faster_coco_eval.boundary_iou.opencv",
        "faster_coco_eval.boundary_iou.mask_api",
    ):
        out.append((key, peer[key], biou))
    out.append(
        (
            "biou_api.boundary_ap_iou",
            peer["biou_api.boundary_ap_iou"],
            b.values["boundary-iou-api.boundary_ap_iou"],
        )
    )
    out.append(
        (
            "biou_api.dilation_px",
            peer["biou_api.dilation_px"],
            b.params["boundary-iou-api.dilation_px"],
        )
    )
    for px in (1, 2, 3, 5):
        # biou_api.biou@Npx is the numpy IoU of the API's bands: nan when both are
        # empty, where the API's own (pycocotools) rule gives 0.
        expected = peer[f"biou_api.biou@{px}px"]
        if isinstance(expected, float) and math.isnan(expected):
            expected = 0.0
        got = boundary_iou_api(fine, coarse, dilation_px=px).values[
            "boundary-iou-api.biou"
        ]
        out.append((f"biou_api.biou@{px}px", expected, got))
    # CascadePSP compute_boundary_acc
    c = cascadepsp(fine, coarse)
    out.append(("cascadepsp.mBA", peer["cascadepsp.mBA"], c.values["cascadepsp.mBA"]))
    out.append(
        (
            "cascadepsp.radii",
            peer["cascadepsp.radii"],
            str(c.params["cascadepsp.radii"]),
        )
    )
    return out


def _check_peer_values(peer, fine, coarse):
    wrong = []
    for key, expected, got in _expected_pairs(peer, fine, coarse):
        if isinstance(expected, str) and expected.endswith("(empty rule)"):
            # the harness wrote DAVIS' hard-coded empty-boundary value as text
            expected = float(expected.split()[0])
        if isinstance(expected, str):
            if expected != got:
                wrong.append((key, expected, got))
        elif not close(float(got), float(expected), 1e-9):
            wrong.append((key, expected, got))
    assert not wrong


@pytest.mark.parametrize("case", CASE_NAMES)
def test_presets_reproduce_synthetic_peers(case, peer_synthetic):
    fine, coarse = read_case(case)
    _check_peer_values(peer_synthetic[case], fine, coarse)


@pytest.mark.parametrize("name", REAL_NAMES)
def test_presets_reproduce_real_peers(name, real_pairs, peer_real):
    # make_real_pairs.py writes 0/255 PNGs; the peers took value > 127.
    fine = np.asarray(Image.open(real_pairs / f"{name}_fine.png")) > 127
    coarse = np.asarray(Image.open(real_pairs / f"{name}_coarse.png")) > 127
    _check_peer_values(peer_real[name], fine, coarse)


def test_davis_both_empty_is_perfect():
    # DAVIS: both boundaries empty -> F = P = R = 1, J = 1 (davis2017 empty rule).
    empty = np.zeros((16, 16), bool)
    assert davis(empty, empty).values == {
        "davis.F": 1.0,
        "davis.P": 1.0,
        "davis.R": 1.0,
        "davis.J": 1.0,
    }


def test_davis_resolves_tolerance_from_diagonal():
    # ceil(0.008 * hypot(300, 517)) = ceil(4.78) = 5 (PEERS.md 4.1)
    fine, coarse = read_case("nonsquare_300x517")
    assert davis(fine, coarse).params == {"davis.bound_pix": 5}


def test_davis_rejects_fractional_pixels():
    with pytest.raises(InputError, match="bound_px"):
        davis(np.eye(4), np.eye(4), bound_px=1.5)


def test_compare_with_preset_prefixes_and_names_it():
    fine, coarse = read_case("blob_rdp")
    report = compare(fine, coarse, preset=["davis", "boundary-iou-api", "cascadepsp"])
    assert report.params["preset"] == ["davis", "boundary-iou-api", "cascadepsp"]
    assert report.params["davis.bound_pix"] == 3
    assert report.params["boundary-iou-api.dilation_px"] == 7
    assert set(report.values) == {
        "davis.F",
        "davis.P",
        "davis.R",
        "davis.J",
        "boundary-iou-api.biou",
        "boundary-iou-api.boundary_ap_iou",
        "cascadepsp.mBA",
    }


def test_unknown_preset_lists_the_choices():
    with pytest.raises(InputError, match="'davis'"):
        compare(np.eye(4), np.eye(4), preset="davos")


@pytest.mark.parametrize("name", ["deepmind", "medpy", "monai"])
def test_surface_presets_are_prefixed(name, peer_synthetic):
    pytest.importorskip("maskqa.metrics.distance")
    fine, coarse = read_case("disk_shift3")
    result = run_preset(name, PairGeometry(fine, coarse))
    assert result.params["preset"] == name
    assert all(key.startswith(f"{name}.") for key in result.values)
    # every library gives HD = 3 on a disk moved 3 px (cases.json)
    assert result.values[f"{name}.hd"] == pytest.approx(3.0, abs=1e-6)


def test_registry_names():
    assert set(PRESETS) == {
        "davis",
        "boundary-iou-api",
        "cascadepsp",
        "deepmind",
        "medpy",
        "pycocotools",
        "seg-metrics",
        "monai",
    }
