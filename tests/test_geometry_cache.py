"""PairGeometry: validation, memoisation, exactness of the window, boundaries."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pytest
from conftest import read_case
from hypothesis import given, settings
from hypothesis.extra.numpy import arrays
from scipy import ndimage

import gallery
from maskqa.errors import InputError, ShapeMismatchError
from maskqa.geometry.bands import inner_band, trimap_band, trimap_seed
from maskqa.geometry.boundaries import (
    distance_to,
    inner_boundary,
    outer_boundary,
    seg2bmap,
)
from maskqa.geometry.cache import PairGeometry
from maskqa.metrics.boundary import boundary_f_from_geometry, boundary_iou_from_geometry
from maskqa.metrics.trimap import trimap_from_geometry

masks = arrays(bool, (12, 14))


def test_keeps_pair_and_flags():
    ref, cand = gallery.disk(), gallery.empty()
    g = PairGeometry(ref.astype(np.uint8) * 255, cand)
    assert g.reference.dtype == bool and g.shape == (32, 40)
    assert not g.reference_empty and g.candidate_empty
    assert g.border == "exclude"


def test_validates_once():
    with pytest.raises(ShapeMismatchError):
        PairGeometry(np.zeros((3, 3)), np.zeros((3, 4)))
    with pytest.raises(InputError, match="border"):
        PairGeometry(np.zeros((3, 3)), np.zeros((3, 3)), border="crop")


def test_cached_computes_once():
    g = PairGeometry(gallery.disk(), gallery.disk())
    calls = []
    for _ in range(3):
        g.cached(("test", 1), lambda: calls.append(1) or len(calls))
    assert calls == [1]
    assert g.boundary("reference") is g.boundary("reference")


def test_inner_boundary_matches_scipy_erosion():
    # pixels of the mask with a 4-neighbour outside = mask minus its erosion by
    # the cross; border_value decides whether outside the image is background
    for name, make in gallery.GALLERY.items():
        m = make()
        inc = m & ~ndimage.binary_erosion(m, border_value=0)
        exc = m & ~ndimage.binary_erosion(m, border_value=1)
        assert np.array_equal(inner_boundary(m, border="include"), inc), name
        assert np.array_equal(inner_boundary(m, border="exclude"), exc), name


def test_outer_boundary_and_seed():
    m = gallery.single_pixel()
    assert outer_boundary(m).sum() == 4
    assert trimap_seed(m).sum() == 5


def test_seg2bmap_never_marks_image_border_edges():
    assert seg2bmap(gallery.full()).sum() == 0
    # touching_border: rows 0..9, cols 0..11. Boundary = column 11 (east
    # neighbour differs, 10 px) plus row 9 (south differs, 12 px), sharing
    # (9, 11): 21 px; none along row 0 or column 0 but where those two meet them
    b = seg2bmap(gallery.touching_border())
    assert b.sum() == 21
    assert b[:10, 11].all() and b[9, :12].all()


def test_distance_to_is_exact_euclidean():
    rng = np.random.default_rng(0)
    seed = rng.random((40, 50)) < 0.01
    expected = ndimage.distance_transform_edt(~seed)
    assert np.abs(distance_to(seed) - expected).max() < 1e-5


def test_bands_by_hand():
    m = gallery.square()  # 12 x 12
    assert inner_band(m, 1).sum() == 44  # 144 - 10 x 10
    assert inner_band(m, 1, metric="chessboard").sum() == 44
    # seed = inner ring + outer 4-ring (no corners); its 3 x 3 dilation covers
    # the 16 x 16 box but its 4 corners, minus the 8 x 8 core
    assert trimap_band(m, 1, metric="chessboard").sum() == 16 * 16 - 4 - 8 * 8


@pytest.mark.parametrize("case", ["border_touch", "strands", "multi_holes", "tiny"])
@pytest.mark.parametrize("border", ["exclude", "include"])
def test_window_gives_the_full_image_answer(case, border):
    # a margin wide enough must not change any value: compare a tight window
    # against a window as large as the image
    fine, coarse = read_case(case)
    tight = PairGeometry(fine, coarse, border=border, margin_px=0)
    whole = PairGeometry(fine, coarse, border=border, margin_px=10_000)
    widths = (1, 2, 5, 20)
    assert boundary_f_from_geometry(tight, tolerance_px=widths) == (
        boundary_f_from_geometry(whole, tolerance_px=widths)
    )
    assert boundary_iou_from_geometry(tight, band_px=widths) == (
        boundary_iou_from_geometry(whole, band_px=widths)
    )
    for band in ("euclidean", "chessboard"):
        np.testing.assert_equal(
            asdict(trimap_from_geometry(tight, band_px=widths, band=band)),
            asdict(trimap_from_geometry(whole, band_px=widths, band=band)),
        )


@settings(max_examples=50, deadline=None)
@given(masks, masks)
def test_window_exact_on_random_pairs(a, b):
    tight = PairGeometry(a, b, margin_px=0)
    whole = PairGeometry(a, b, margin_px=100)
    assert tight.counts() == whole.counts()
    # assert_equal treats nan as equal to nan (empty reference: undefined)
    np.testing.assert_equal(
        asdict(trimap_from_geometry(tight, band_px=(1, 3))),
        asdict(trimap_from_geometry(whole, band_px=(1, 3))),
    )


def test_width_cap_and_huge_margins():
    # 32 x 40: ceil(hypot(32, 40)) + 1 = ceil(51.22) + 1 = 53
    g = PairGeometry(gallery.disk(), gallery.disk(), margin_px=1e9)
    assert g.width_cap() == 53
    assert g.capped(1e9) == 53.0 and g.capped(2.5) == 2.5
    assert g.margin_for(1e12) == 53
    # a margin beyond the image is the whole image
    assert g.window(1e9) == (slice(0, 32), slice(0, 40))
    assert g.crop("reference", 1e9).shape == (32, 40)
