"""Presets reproduce every deterministic published value (scripts/parity.py).

Expected values are copied from the peers: tests/data/peer_values_synthetic.json and
tests/data/peer_values_real.json are refs/reference_values.json and
refs/real_pairs_reference.json unchanged (pycocotools 2.0.11, MedPy 0.5.2, MONAI 1.6.1,
DeepMind surface-distance 0.1 and GitHub, DAVIS 2017, davisinteractive 1.0.4,
boundary-iou-api, faster-coco-eval 1.8.0, CascadePSP, seg-metrics 1.2.8).
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from conftest import CASE_NAMES, CASES, PEER_REAL, PEER_SYNTHETIC, ROOT, read_case
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image

from maskqa.geometry.cache import PairGeometry
from maskqa.metrics.presets import (
    PRESETS,
    _matches_by_dilation,
    _matches_by_query,
    run_preset,
)
from maskqa.metrics.presets_parity import (
    UNCOVERED,
    agreement,
    parse_key,
    reproduce,
    resolve,
)
from maskqa.metrics.presets_segmetrics import NO_CONTOUR_DISTANCE

SCRIPT = ROOT / "scripts" / "parity.py"
SYNTHETIC = json.loads(PEER_SYNTHETIC.read_text())
REAL = json.loads(PEER_REAL.read_text())
# A sample of the real pairs (each source and both trimap sides); the script run
# by .ci covers all 22.
REAL_SAMPLE = [
    "gca_donkey_trimap1_outer",
    "gca_plant_trimap2_inner",
    "lemur_trimap_vs_alpha",
    "h36m_1",
]


def _pairs(data):
    return {k: v for k, v in data.items() if not k.startswith("_")}


def _disagreements(peer: dict, fine, coarse) -> list:
    keys = [k for k, v in peer.items() if not str(v).startswith("error:")]
    got = reproduce(PairGeometry(fine, coarse), keys)
    wrong = []
    for key, value in got.items():
        ok, diff = agreement(key, peer[key], value)
        if not ok:
            wrong.append((key, peer[key], value, diff))
    return wrong


@pytest.mark.parametrize("case", CASE_NAMES)
def test_every_covered_key_reproduces_the_synthetic_peers(case):
    fine, coarse = read_case(case)
    assert _disagreements(SYNTHETIC[case], fine, coarse) == []


@pytest.mark.parametrize("name", REAL_SAMPLE)
def test_every_covered_key_reproduces_the_real_peers(name, real_pairs):
    # make_real_pairs.py writes 0/255 PNGs; the peers took value > 127.
    fine = np.asarray(Image.open(real_pairs / f"{name}_fine.png")) > 127
    coarse = np.asarray(Image.open(real_pairs / f"{name}_coarse.png")) > 127
    assert _disagreements(REAL[name], fine, coarse) == []


def test_only_saliency_and_bsds_keys_are_uncovered():
    keys = {k for data in (SYNTHETIC, REAL) for p in _pairs(data).values() for k in p}
    uncovered = {parse_key(k).peer for k in keys if resolve(k) is None}
    assert uncovered == set(UNCOVERED) == {"pysodmetrics", "pyedgeeval"}
    # every covered key yields a value on a real-size pair (none silently dropped)
    fine, coarse = read_case("blob_rdp")
    covered = [k for k in keys if resolve(k) is not None]
    assert set(reproduce(PairGeometry(fine, coarse), covered)) == set(covered)


def test_parse_key_reads_variants_and_tolerances():
    k = parse_key("seg_metrics.hd95.fc0")
    assert (k.peer, k.metric, k.variant, k.at) == ("seg_metrics", "hd95", "fc0", None)
    k = parse_key("trimap.eu.fg_iou@40")
    assert (k.peer, k.metric, k.at) == ("trimap", "eu.fg_iou", 40.0)
    k = parse_key("faster_coco_eval.boundary_iou.mask_api")
    assert (k.metric, k.variant) == ("boundary_iou.mask_api", None)
    k = parse_key("pyedgeeval.bsds_f@davis_px")
    assert (k.metric, k.at) == ("bsds_f@davis_px", None)
    assert resolve("medpy.hd@3px") is None and resolve("davis2017.J@3px") is None


def test_agreement_rules():
    # float32 peers: 1e-6 relative; the others 1e-9 absolute
    assert agreement("monai.hd", 100.0, 100.00005)[0]
    assert not agreement("medpy.hd", 100.0, 100.00005)[0]
    assert not agreement("monai.hd", 0.0, 1e-7)[0]
    assert agreement("davis2017.P", "1 (empty rule)", 1.0) == (True, 0.0)
    assert agreement("sd_github.hd", "inf", float("inf")) == (True, 0.0)
    assert agreement("sd_github.hd", "inf", 3.0) == (False, float("inf"))
    assert agreement("cascadepsp.radii", "[1, 1, 1, 1, 1]", "[1, 1, 1, 1, 1]")[0]


def test_seg_metrics_reproduces_its_wrong_empty_and_full_values():
    fine, coarse = read_case("full_vs_disk")
    values = run_preset("seg-metrics", PairGeometry(fine, coarse)).values
    # the full coarse mask has no contour: ITK's sqrt(FLT_MAX) (refs: 1.8446742974e19)
    assert values["seg-metrics.hd"] == NO_CONTOUR_DISTANCE == 1.8446742974197924e19
    fine, coarse = read_case("empty_coarse")
    values = run_preset("seg-metrics", PairGeometry(fine, coarse)).values
    # an empty mask's distance map is zeros: HD 0 although one mask is empty
    assert values["seg-metrics.hd"] == 0.0
    assert values["seg-metrics.dice"] == 0.0


def test_seg_metrics_contours_skip_the_image_border():
    # A 3 x 4 block in the corner of a 6 x 6 image against a 3 x 5 one. Contours
    # (border not counted, 8-neighbours): reference = row 2 cols 0-3 and col 3 rows
    # 0-1 (6 px), candidate = row 2 cols 0-4 and col 4 rows 0-1 (7 px). Distances:
    # reference (0,3), (1,3) are 1 from the candidate contour at col 4, the rest 0;
    # candidate (0,4), (1,4), (2,4) are 1 from the reference, the rest 0. Pooled:
    # five 1s among 13, so HD 1 and msd 5 / 13.
    ref = np.zeros((6, 6), bool)
    ref[:3, :4] = True
    cand = np.zeros((6, 6), bool)
    cand[:3, :5] = True
    values = run_preset("seg-metrics", PairGeometry(ref, cand)).values
    assert values["seg-metrics.hd"] == 1.0
    assert values["seg-metrics.msd"] == pytest.approx(5 / 13, abs=1e-12)


def test_presets_name_their_resolved_parameters():
    fine, coarse = read_case("nonsquare_300x517")
    geometry = PairGeometry(fine, coarse)
    assert run_preset("pycocotools", geometry).params == {
        "preset": "pycocotools",
        "pycocotools.iscrowd": 0,
    }
    assert run_preset("seg-metrics", geometry).params["seg-metrics.fully_connected"]
    assert run_preset("medpy", geometry).params["medpy.connectivity"] == 1
    assert {"pycocotools", "seg-metrics"} <= set(PRESETS)


masks = arrays(bool, (12, 14), elements=st.booleans())


@settings(max_examples=50, deadline=None)
@given(masks, masks)
def test_region_presets_agree_off_the_empty_cases(ref, cand):
    # All peers compute the same count ratios; they differ only on empty masks.
    geometry = PairGeometry(ref, cand)
    values = {}
    for name in ("pycocotools", "seg-metrics"):
        values.update(run_preset(name, geometry).values)
    inter, union = np.sum(ref & cand), np.sum(ref | cand)
    if inter:
        assert values["pycocotools.iou"] == pytest.approx(inter / union, abs=1e-12)
        assert values["seg-metrics.jaccard"] == values["pycocotools.iou"]
    elif union:
        assert values["pycocotools.iou"] == values["seg-metrics.jaccard"] == 0.0
    else:
        # both empty: pycocotools 0, seg-metrics 1 (PEERS.md sec. 3)
        assert (values["pycocotools.iou"], values["seg-metrics.jaccard"]) == (0.0, 1.0)


def _run(*args):
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_script_passes_and_fails_on_a_doctored_value(tmp_path):
    cases = ("disk_shift3", "tiny")
    refs = {"_about": {"what": "test"}, **{c: SYNTHETIC[c] for c in cases}}
    good = tmp_path / "good.json"
    good.write_text(json.dumps(refs))
    done = _run(good, CASES)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "medpy.hd95.c2" in done.stdout
    # uncovered keys are listed with the reason
    assert "pysodmetrics.mae (2 pairs): salient-object" in done.stdout

    refs["tiny"] = {**refs["tiny"], "medpy.hd": refs["tiny"]["medpy.hd"] + 1e-6}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(refs))
    done = _run(bad, CASES)
    assert done.returncode == 1
    assert "DIFFERS tiny medpy.hd" in done.stdout


def test_script_lists_missing_pairs_and_rejects_bad_usage(tmp_path):
    refs = {"disk_shift3": SYNTHETIC["disk_shift3"], "no_such_pair": {"medpy.hd": 1.0}}
    path = tmp_path / "refs.json"
    path.write_text(json.dumps(refs))
    done = _run(path, CASES)
    assert done.returncode == 0
    assert "no_such_pair" in done.stdout.split("missing from PAIRS_DIR")[1]
    assert _run(path, tmp_path / "nowhere").returncode == 2
    assert _run(tmp_path / "nothing.json", CASES).returncode == 2
    assert _run(path).returncode == 2


@settings(max_examples=50, deadline=None)
@given(masks, masks, st.integers(1, 6))
def test_davis_matchings_agree(ref, cand, radius):
    # The dilation and the bounded k-d query are two exact routes to DAVIS' count
    # of boundary pixels within radius; both must give the same counts as the
    # brute-force pairwise check x^2 + y^2 <= r^2.
    ref_pts, cand_pts = np.argwhere(ref), np.argwhere(cand)
    if not (len(ref_pts) and len(cand_pts)):
        return
    squared = ((ref_pts[:, None, :] - cand_pts[None, :, :]) ** 2).sum(-1)
    expected = (
        int(np.sum(squared.min(1) <= radius**2)),
        int(np.sum(squared.min(0) <= radius**2)),
    )
    assert _matches_by_dilation(ref, cand, radius) == expected
    assert _matches_by_query(ref, cand, radius) == expected
