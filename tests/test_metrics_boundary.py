"""Boundary F / P / R and boundary IoU: hand values, peers, properties."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import read_case
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import ndimage

import gallery
from maskqa.errors import InputError
from maskqa.metrics.boundary import boundary_f, boundary_iou, px_key

masks = arrays(bool, (12, 14))


def test_shift_by_three_matches_at_three():
    # a square moved 3 px: every boundary pixel of one lies within 3 px of the
    # other (the side columns are 3 apart), so F = 1 at 3 px and < 1 at 2 px.
    ref = gallery.square()
    cand = gallery.shifted(ref, dx=3)
    result = boundary_f(ref, cand, tolerance_px=(2, 3))
    assert result.f[0] < 1.0
    assert result.f[1] == 1.0


def test_single_pixel_line_by_hand():
    # a line of 30 px vs the same line one row down: every pixel is 1 px away
    ref = gallery.line()
    cand = gallery.shifted(ref, dy=1)
    result = boundary_f(ref, cand, tolerance_px=(0.5, 1))
    assert result.precision == (0.0, 1.0)
    assert result.recall == (0.0, 1.0)
    assert result.f == (0.0, 1.0)


def test_equals_brute_force_definition():
    # recall_t = share of reference boundary pixels whose nearest candidate
    # boundary pixel is within t, by brute force over all pixel pairs
    fine, coarse = read_case("tiny")
    ref = fine & ~ndimage.binary_erosion(fine, border_value=1)
    cand = coarse & ~ndimage.binary_erosion(coarse, border_value=1)
    rp, cp = np.argwhere(ref), np.argwhere(cand)
    d = np.sqrt(((rp[:, None, :] - cp[None, :, :]) ** 2).sum(-1))
    result = boundary_f(fine, coarse, tolerance_px=(1, 1.5))
    for i, t in enumerate((1, 1.5)):
        assert result.recall[i] == np.mean(d.min(1) <= t)
        assert result.precision[i] == np.mean(d.min(0) <= t)


def test_blob_does_not_saturate_at_small_tolerance():
    # DESIGN.md: DAVIS F is 1.0 at 12 px on large_1024, 0.45 at 1 px
    fine, coarse = read_case("large_1024")
    result = boundary_f(fine, coarse, tolerance_px=(1, 10))
    assert result.f[0] < 0.7
    assert result.f[1] == 1.0


def test_border_exclude_ignores_image_border():
    # with the border excluded a full mask has no boundary at all
    ref = gallery.touching_border()
    excluded = boundary_f(ref, ref, tolerance_px=1, border="exclude")
    assert excluded.f == (1.0,)
    full = boundary_f(gallery.full(), gallery.disk(), tolerance_px=1)
    assert full.f == (0.0,)  # full mask has no boundary when the border is excluded
    assert boundary_f(gallery.full(), gallery.full(), tolerance_px=1).f == (1.0,)


def test_boundary_iou_band_of_square_by_hand():
    # 12 x 12 square: its nearest outside pixel is always straight across, so
    # the Euclidean width-2 band is the square minus its 2-fold cross erosion
    # (144 - 8 x 8 = 80 px); the IoU of the two explicit bands is the answer
    ref = gallery.square()
    cand = gallery.shifted(ref, dx=1)
    band = lambda m: m & ~ndimage.binary_erosion(m, iterations=2)  # noqa: E731
    expected = (band(ref) & band(cand)).sum() / (band(ref) | band(cand)).sum()
    assert boundary_iou(ref, cand, band_px=2).iou == (expected,)


def test_boundary_iou_thin_object_equals_mask_iou():
    # an object thinner than 2d is all band (Boundary IoU paper, tiny case)
    fine, coarse = read_case("tiny")
    assert boundary_iou(fine, coarse, band_px=5).iou == (4 / 9,)


def test_keys_and_bad_tolerance():
    ref = gallery.disk()
    assert list(boundary_f(ref, ref, tolerance_px=(1, 2.5)).to_dict())[:2] == [
        "boundary_f@1px",
        "boundary_f@2.5px",
    ]
    assert px_key("boundary_iou", 10.0) == "boundary_iou@10px"
    with pytest.raises(InputError, match="tolerance_px"):
        boundary_f(ref, ref, tolerance_px=(1, -1))


@settings(max_examples=50, deadline=None)
@given(masks, masks)
def test_f_and_biou_symmetric(a, b):
    ab, ba = boundary_f(a, b), boundary_f(b, a)
    assert ab.f == ba.f
    assert ab.precision == ba.recall
    assert boundary_iou(a, b).iou == boundary_iou(b, a).iou


@settings(max_examples=50, deadline=None)
@given(masks, masks)
def test_bounded_and_monotone_in_tolerance(a, b):
    result = boundary_f(a, b, tolerance_px=(1, 2, 3, 5))
    for values in (result.precision, result.recall):
        assert all(0.0 <= v <= 1.0 for v in values)
        assert list(values) == sorted(values)
    assert all(0.0 <= v <= 1.0 for v in boundary_iou(a, b).iou)


@settings(max_examples=50, deadline=None)
@given(masks)
def test_identity_is_perfect(a):
    assert boundary_f(a, a).f == (1.0,) * 5
    assert boundary_iou(a, a).iou == (1.0,) * 5


@settings(max_examples=50, deadline=None)
@given(masks, masks, st.integers(0, 6), st.integers(0, 6))
def test_translation_inside_the_canvas(a, b, dy, dx):
    # both masks placed in a larger empty canvas, then moved together: nothing
    # reaches the image border, so no value may change
    def place(m, y, x):
        out = np.zeros((24, 26), bool)
        out[y : y + 12, x : x + 14] = m
        return out

    here = boundary_f(place(a, 3, 3), place(b, 3, 3))
    there = boundary_f(place(a, 3 + dy, 3 + dx), place(b, 3 + dy, 3 + dx))
    assert here == there
    assert boundary_iou(place(a, 3, 3), place(b, 3, 3)) == boundary_iou(
        place(a, 3 + dy, 3 + dx), place(b, 3 + dy, 3 + dx)
    )


def test_tolerance_beyond_the_diagonal_behaves_as_the_diagonal():
    # 32 x 40: diagonal 51.2 px. Every boundary pixel is within it of the other
    # boundary (F = 1), and an inner band that wide is the whole mask (boundary
    # IoU = mask IoU, counted by hand below); the keys keep the width asked.
    ref, cand = gallery.disk(), gallery.shifted(gallery.disk(), dx=3)
    f = boundary_f(ref, cand, tolerance_px=(52, 1e9, 1e12))
    assert f.f == (1.0, 1.0, 1.0) and f.tolerance_px == (52.0, 1e9, 1e12)
    biou = boundary_iou(ref, cand, band_px=(52, 1e9))
    iou = np.count_nonzero(ref & cand) / np.count_nonzero(ref | cand)
    assert biou.iou == (iou, iou)
    assert "boundary_iou@1000000000px" in biou.to_dict()


def _short_of_the_left_border():
    # The reference reaches the left image border; the candidate stops 2 px short
    # of it. Rows 10..49, the reference from column 0, the candidate from column 2.
    ref = np.zeros((60, 80), bool)
    ref[10:50, :40] = True
    cand = np.zeros((60, 80), bool)
    cand[10:50, 2:40] = True
    return ref, cand


def test_an_edge_short_of_the_border_is_matched_to_the_border():
    # With the border excluded the reference has no edge along column 0: the
    # candidate's left edge (column 2) faces the border across a 2 px gap and is
    # matched to it, 2 px away, not to the reference's top or bottom edge (up to
    # 20 px away). Every other candidate edge pixel lies on a reference edge, and
    # reference top / bottom pixels at columns 0 and 1 are 2 and 1 px from (row,
    # 2). So F = 1 at 2 px. At 1 px, of the candidate's left edge (rows 11..48)
    # only rows 11 and 48 are matched (1 px from the reference's top and bottom
    # edges): 36 miss; and the reference's two column-0 pixels miss.
    ref, cand = _short_of_the_left_border()
    result = boundary_f(ref, cand, tolerance_px=(1, 2))
    assert result.f[1] == 1.0
    n_cand = 2 * 38 + 38 + 38  # top, bottom, left (rows 11..48), right
    n_ref = 2 * 40 + 38  # top and bottom (columns 0..39), right; no left edge
    assert result.precision[0] == pytest.approx((n_cand - 36) / n_cand)
    assert result.recall[0] == pytest.approx((n_ref - 2) / n_ref)


def test_an_edge_short_of_the_border_is_the_whole_hausdorff_distance():
    from maskqa.metrics.distance import surface_distances

    ref, cand = _short_of_the_left_border()
    values = surface_distances(ref, cand, surface="pixel").to_dict()
    assert values["hd"] == 2.0
    assert values["hd_ref_to_cand"] == 2.0 and values["hd_cand_to_ref"] == 2.0
    # With the border counted the reference's own left edge is at column 0.
    counted = surface_distances(ref, cand, surface="pixel", border="include")
    assert counted.to_dict()["hd"] == 2.0


def test_an_edge_that_faces_no_border_stretch_is_matched_as_before():
    # The candidate stops short of the border but so does the reference, one
    # column further in: no border stretch is covered by either mask, so the
    # candidate's left edge is matched to the reference's, 1 px away.
    ref = np.zeros((60, 80), bool)
    ref[10:50, 3:40] = True
    cand = np.zeros((60, 80), bool)
    cand[10:50, 4:40] = True
    from maskqa.metrics.distance import surface_distances

    assert surface_distances(ref, cand, surface="pixel").to_dict()["hd"] == 1.0


def test_a_sliver_cut_off_along_the_border_is_as_far_as_it_is_thick():
    # A polygon that leaves the border early cuts a sliver off the reference:
    # here rows 58..59 of columns 30..69 (2 px thick, 40 px long). Every
    # candidate edge pixel next to the sliver is at most 2 px from the border
    # beyond which the reference's edge lies: the sliver's top edge (row 57) is
    # 2 px from the border; the step at column 29 is next to sliver pixels
    # (58, 30) and (59, 30), sqrt(2) and 1 px from their border pixels. The
    # reference's own edge pixels at (58, 69) and (59, 69) are 1 and 2 px from
    # the candidate's (57, 69). So HD = 2 on either surface, not the 19 px to
    # the reference's left edge that the end of the step would otherwise get.
    from maskqa.metrics.distance import surface_distances

    ref = np.zeros((60, 80), bool)
    ref[30:, 10:70] = True
    cand = ref.copy()
    cand[58:, 30:70] = False
    for surface in ("pixel", "corner"):
        values = surface_distances(ref, cand, surface=surface).to_dict()
        assert values["hd"] == 2.0, surface
    assert boundary_f(ref, cand, tolerance_px=2).f == (1.0,)
