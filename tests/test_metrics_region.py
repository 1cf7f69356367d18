"""Region metrics: hand-derived values and the peers (pycocotools, MedPy)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import CASE_NAMES, PEER_REAL, load_peer_values, read_case
from hypothesis import given, settings
from hypothesis.extra.numpy import arrays
from PIL import Image

import gallery
from maskqa.errors import InputError, ShapeMismatchError
from maskqa.metrics.region import area_ratio, dice, iou, precision, recall, region

NON_EMPTY = [
    c for c in CASE_NAMES if c not in ("both_empty", "empty_coarse", "empty_fine")
]
masks = arrays(bool, (12, 14))


def test_square_against_shifted_square_by_hand():
    # 12 x 12 square moved 3 px right: intersection 12 * 9 = 108, union 144 + 36 = 180
    ref = gallery.square()
    cand = gallery.shifted(ref, dx=3)
    scores = region(ref, cand)
    assert scores.iou == 108 / 180
    assert scores.dice == 2 * 108 / 288
    assert scores.precision == 108 / 144
    assert scores.recall == 108 / 144
    assert scores.area_ratio == 1.0


def test_hole_filled_by_hand():
    # with_hole: 16 * 16 - 16 = 240 pixels; filled: 256, so every ref pixel is covered
    ref = gallery.with_hole()
    cand = gallery.square(top=8, left=12, side=16)
    assert recall(ref, cand) == 1.0
    assert precision(ref, cand) == 240 / 256
    assert area_ratio(ref, cand) == 256 / 240


@pytest.mark.parametrize("case", NON_EMPTY)
def test_equals_pycocotools_and_medpy_on_synthetic(case, peer_synthetic):
    fine, coarse = read_case(case)
    peer = peer_synthetic[case]
    scores = region(fine, coarse)
    assert abs(scores.iou - peer["pycocotools.iou"]) <= 1e-12
    assert abs(scores.dice - peer["medpy.dc"]) <= 1e-12
    assert abs(scores.precision - peer["medpy.precision"]) <= 1e-12
    assert abs(scores.recall - peer["medpy.recall"]) <= 1e-12
    ratio = peer["pycocotools.area_coarse"] / peer["pycocotools.area_fine"]
    assert abs(scores.area_ratio - ratio) <= 1e-12


@pytest.mark.parametrize("name", sorted(load_peer_values(PEER_REAL)))
def test_equals_pycocotools_and_medpy_on_real(name, real_pairs, peer_real):
    fine = np.asarray(Image.open(real_pairs / f"{name}_fine.png")) > 127
    coarse = np.asarray(Image.open(real_pairs / f"{name}_coarse.png")) > 127
    peer = peer_real[name]
    scores = region(fine, coarse)
    assert abs(scores.iou - peer["pycocotools.iou"]) <= 1e-12
    assert abs(scores.dice - peer["medpy.dc"]) <= 1e-12


def test_binarises_0_255_input():
    ref = gallery.square().astype(np.uint8) * 255
    assert iou(ref, ref) == 1.0


def test_shape_mismatch_is_an_error():
    with pytest.raises(ShapeMismatchError):
        iou(np.zeros((4, 4)), np.zeros((4, 5)))


def test_bad_on_empty_names_choices():
    with pytest.raises(InputError, match="on_empty"):
        dice(np.eye(3), np.eye(3), on_empty="zero")


@settings(max_examples=50, deadline=None)
@given(masks, masks)
def test_iou_dice_symmetric_and_bounded(a, b):
    assert iou(a, b) == iou(b, a)
    assert dice(a, b) == dice(b, a)
    assert 0.0 <= iou(a, b) <= dice(a, b) <= 1.0


@settings(max_examples=50, deadline=None)
@given(masks)
def test_identity_scores_one(a):
    scores = region(a, a)
    assert (scores.iou, scores.dice, scores.precision, scores.recall) == (1.0,) * 4


@settings(max_examples=50, deadline=None)
@given(masks, masks)
def test_precision_recall_swap(a, b):
    # precision of (a, b) is the recall of (b, a) unless an empty case decides
    if a.any() and b.any():
        assert precision(a, b) == recall(b, a)
