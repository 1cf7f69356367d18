"""Trimap curve: the refs' transcription of DeepLab's evaluation, and hand values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import CASE_NAMES, PEER_REAL, close, load_peer_values, read_case
from hypothesis import given, settings
from hypothesis.extra.numpy import arrays
from PIL import Image

import gallery
from maskqa.errors import InputError
from maskqa.metrics.trimap import trimap

WIDTHS = (1, 2, 3, 5, 10, 20, 40)  # the widths recorded in the refs


def _check_peer_values(peer, fine, coarse):
    wrong = []
    for band, tag in (("euclidean", "eu"), ("chessboard", "sq")):
        # The refs' seed counts mask pixels on the image border: border="include".
        curve = trimap(fine, coarse, band_px=WIDTHS, band=band, border="include")
        for i, width in enumerate(WIDTHS):
            for name, values in (
                ("fg_iou", curve.iou),
                ("miou", curve.miou),
                ("acc", curve.accuracy),
                ("band_px", curve.band_pixels),
            ):
                expected = peer[f"trimap.{tag}.{name}@{width}"]
                if not close(float(values[i]), float(expected), 1e-12):
                    wrong.append((tag, name, width, expected, values[i]))
    assert not wrong


@pytest.mark.parametrize("case", CASE_NAMES)
def test_reproduces_refs_trimap_synthetic(case, peer_synthetic):
    fine, coarse = read_case(case)
    _check_peer_values(peer_synthetic[case], fine, coarse)


@pytest.mark.parametrize("name", sorted(load_peer_values(PEER_REAL)))
def test_reproduces_refs_trimap_real(name, real_pairs, peer_real):
    fine = np.asarray(Image.open(real_pairs / f"{name}_fine.png")) > 127
    coarse = np.asarray(Image.open(real_pairs / f"{name}_coarse.png")) > 127
    _check_peer_values(peer_real[name], fine, coarse)


def test_single_pixel_band_by_hand():
    # seed = the pixel + its 4 neighbours (5 px); chessboard w=1 adds the 3 x 3
    # around each: a plus of 5 grows to a 5 x 5 square minus its 4 corners = 21.
    ref = gallery.single_pixel()
    curve = trimap(ref, ref, band_px=1, band="chessboard")
    assert curve.band_pixels == (21,)
    assert curve.iou == (1.0,) and curve.accuracy == (1.0,)


def test_empty_candidate_is_scored():
    # candidate empty: fg IoU 0; accuracy = background share of the band
    ref = gallery.single_pixel()
    curve = trimap(ref, np.zeros_like(ref), band_px=1, band="chessboard")
    assert curve.iou == (0.0,)
    assert curve.accuracy == (20 / 21,)
    assert curve.miou == ((0.0 + 20 / 21) / 2,)


def test_border_exclude_drops_border_seed():
    # touching_border: the block's top and left edges are the image border
    ref = gallery.touching_border()
    included = trimap(ref, ref, band_px=1, border="include").band_pixels[0]
    excluded = trimap(ref, ref, band_px=1, border="exclude").band_pixels[0]
    assert excluded < included


def test_full_reference_without_border_has_no_band():
    curve = trimap(gallery.full(), gallery.full(), band_px=(1, 2))
    assert all(math.isnan(v) for v in curve.iou) and curve.band_pixels == (0, 0)


def test_keys():
    ref = gallery.disk()
    assert list(trimap(ref, ref, band_px=(1, 2.5)).to_dict()) == [
        "trimap_iou@1px",
        "trimap_iou@2.5px",
        "trimap_miou@1px",
        "trimap_miou@2.5px",
        "trimap_accuracy@1px",
        "trimap_accuracy@2.5px",
    ]


def test_bad_band_names_choices():
    with pytest.raises(InputError, match="'euclidean', 'chessboard'"):
        trimap(gallery.disk(), gallery.disk(), band="square")


masks = arrays(bool, (12, 14))


@settings(max_examples=50, deadline=None)
@given(masks, masks)
def test_bounds_and_identity(a, b):
    curve = trimap(a, b, band_px=(1, 3))
    for v in curve.iou + curve.miou + curve.accuracy:
        assert math.isnan(v) or 0.0 <= v <= 1.0
    same = trimap(a, a, band_px=(1, 3))
    if a.any() and not a.all():
        assert same.iou == (1.0, 1.0) and same.accuracy == (1.0, 1.0)
    # the band only grows with the width
    assert curve.band_pixels[0] <= curve.band_pixels[1]


def test_band_wider_than_the_diagonal_is_the_whole_image():
    # 32 x 40: diagonal 51.2 px, so a 52 px band already holds every pixel; 1e9
    # must give the same values (once it allocated a 1e18-entry count table).
    # Hand-derived: a band holding the whole image scores the plain IoU and
    # the pixel accuracy of the two masks.
    ref, cand = gallery.disk(), gallery.shifted(gallery.disk(), dx=3)
    curve = trimap(ref, cand, band_px=(52, 1e9))
    assert curve.iou[0] == curve.iou[1] and curve.accuracy[0] == curve.accuracy[1]
    inter, union = np.count_nonzero(ref & cand), np.count_nonzero(ref | cand)
    assert curve.iou[1] == inter / union
    assert curve.accuracy[1] == np.count_nonzero(ref == cand) / ref.size
    assert curve.band_pixels[1] == ref.size
    assert "trimap_iou@1000000000px" in curve.to_dict()
