"""Disagreement by distance to the reference boundary, and the signed offset."""

from __future__ import annotations

import math

import gallery
import numpy as np
import pytest
from conftest import read_case
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from maskqa.errors import InputError, ShapeMismatchError
from maskqa.metrics.disagreement import bin_labels, disagreement_by_distance


def test_identical_masks_have_no_disagreement_and_zero_offset():
    mask = gallery.disk()
    record = disagreement_by_distance(mask, mask)
    assert sum(record.over_px) == sum(record.under_px) == 0
    assert record.boundary_offset_mean_px == 0.0


def test_square_dilated_by_one_ring():
    # 3x3 square in a 5x5: the 12 edge-adjacent ring pixels are at 1 px, the 4 corners
    # at sqrt(2) (bin 1-2); offset = (12 * 1 + 4 * sqrt 2) / 16.
    fine = np.zeros((9, 9), bool)
    fine[3:6, 3:6] = True
    coarse = np.zeros((9, 9), bool)
    coarse[2:7, 2:7] = True
    values = disagreement_by_distance(fine, coarse).to_dict()
    assert values["over_px_0_1"] == 12 and values["over_px_1_2"] == 4
    assert values["under_px_total"] == 0
    assert values["boundary_offset_mean_px"] == pytest.approx(
        (12 + 4 * math.sqrt(2)) / 16
    )
    assert values["reference_px"] == 9 and values["candidate_px"] == 25


def test_erosion_is_under_painting_with_negative_offset():
    # Reverse roles: the 5x5 fine, the 3x3 coarse. Under-painted ring pixels touch the
    # outside (distance 1, corners too: their 4-neighbour is outside). The candidate's
    # boundary pixels are at inside-distance 2 (edges) or 2 (corners via 4-steps), so
    # offset = 1 - 2 = -1 for the 8 non-corner pixels and 1 - 2 for corners: -1.
    coarse = np.zeros((9, 9), bool)
    coarse[3:6, 3:6] = True
    fine = np.zeros((9, 9), bool)
    fine[2:7, 2:7] = True
    record = disagreement_by_distance(fine, coarse)
    assert record.under_px[0] == 16 and sum(record.over_px) == 0
    assert record.boundary_offset_mean_px == pytest.approx(-1.0)


def test_disk_dilate1_case():
    # The case is a disk vs its dilation by the cross: every added pixel 4-touches the
    # disk, so all over-painting is in the first bin; offset is exactly +1.
    fine, coarse = read_case("disk_dilate1")
    record = disagreement_by_distance(fine, coarse)
    assert record.over_px[0] == coarse.sum() - fine.sum()
    assert sum(record.over_px[1:]) == 0
    assert record.boundary_offset_mean_px == pytest.approx(1.0)


def test_border_rule_changes_under_painting_distance():
    # The fine block touches the left border; the coarse one lost its first column.
    fine = np.zeros((5, 8), bool)
    fine[:, :4] = True
    coarse = fine.copy()
    coarse[:, 0] = False
    excluded = disagreement_by_distance(fine, coarse, border="exclude")
    included = disagreement_by_distance(fine, coarse, border="include")
    # Excluded: column 0 is 4 px from the right edge of the block (column 4 is outside).
    assert excluded.under_px == (0, 0, 0, 5, 0, 0, 0)
    # Included: column 0 touches the image border, which is now boundary.
    assert included.under_px == (5, 0, 0, 0, 0, 0, 0)


def test_empty_masks():
    empty, disk = gallery.empty(), gallery.disk()
    assert disagreement_by_distance(empty, empty).boundary_offset_mean_px == 0.0
    one = disagreement_by_distance(empty, disk)
    assert one.boundary_offset_mean_px == math.inf
    assert one.over_px[-1] == disk.sum()
    other = disagreement_by_distance(disk, empty)
    assert other.boundary_offset_mean_px == -math.inf
    assert sum(other.under_px) == disk.sum()


def test_a_mask_filling_the_image_has_its_edge_beyond_the_picture():
    # Border excluded, a full mask has no boundary: its edge lies beyond the
    # picture, as the surface distances' one-empty case (inf) says. A full
    # candidate is outside the reference edge (+inf), a full reference puts the
    # candidate inside (-inf), and two full masks agree (0).
    disk, full = gallery.disk(), gallery.full()
    record = disagreement_by_distance(disk, full)
    assert record.boundary_offset_mean_px == math.inf
    assert record.candidate_boundary_px == 0
    assert disagreement_by_distance(full, disk).boundary_offset_mean_px == -math.inf
    assert disagreement_by_distance(full, full).boundary_offset_mean_px == 0.0


def test_keys_and_custom_bins():
    assert bin_labels((0, 1, 2, 3, 5, 10, 20))[-1] == "gt20"
    values = disagreement_by_distance(
        gallery.square(), gallery.disk(), bins_px=(0, 1.5)
    ).to_dict()
    assert {"over_px_0_1.5", "over_px_gt1.5", "under_px_0_1.5"} <= set(values)


def test_bad_input_raises():
    with pytest.raises(InputError, match="bins_px"):
        disagreement_by_distance(gallery.disk(), gallery.disk(), bins_px=(1, 2))
    with pytest.raises(InputError, match="border"):
        disagreement_by_distance(gallery.disk(), gallery.disk(), border="maybe")
    with pytest.raises(ShapeMismatchError):
        disagreement_by_distance(gallery.disk(), gallery.disk((10, 10)))


@settings(max_examples=50, deadline=None)
@given(
    arrays(bool, (12, 12)),
    arrays(bool, (12, 12)),
)
def test_counts_add_up_to_the_symmetric_difference(reference, candidate):
    record = disagreement_by_distance(reference, candidate)
    assert sum(record.over_px) == int((candidate & ~reference).sum())
    assert sum(record.under_px) == int((reference & ~candidate).sum())


@settings(max_examples=50, deadline=None)
@given(
    arrays(bool, (10, 13)),
    arrays(bool, (10, 13)),
    st.sampled_from(["exclude", "include"]),
)
def test_window_distances_match_full_image_brute_force(reference, candidate, border):
    # Brute force over the full image: distance from each pixel to every pixel of the
    # other side (the image-border ring counts as outside with border="include").
    from scipy import ndimage

    record = disagreement_by_distance(reference, candidate, border=border)
    over = candidate & ~reference
    if reference.any():
        d_out = ndimage.distance_transform_edt(~reference)
    else:
        d_out = np.full(reference.shape, np.inf)
    if border == "include":
        d_in = ndimage.distance_transform_edt(np.pad(reference, 1))[1:-1, 1:-1]
    elif (~reference).any():
        d_in = ndimage.distance_transform_edt(reference)
    else:
        d_in = np.full(reference.shape, np.inf)
    edges = np.array([1, 2, 3, 5, 10, 20], float)
    expect_over = np.bincount(np.searchsorted(edges, d_out[over]), minlength=7)
    expect_under = np.bincount(
        np.searchsorted(edges, d_in[reference & ~candidate]), minlength=7
    )
    assert record.over_px == tuple(expect_over.tolist())
    assert record.under_px == tuple(expect_under.tolist())


@settings(max_examples=50, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.floats(0.05, 0.6),
)
def test_outside_distance_by_queries_equals_the_distance_transform(seed, density):
    # Random blobs: at every over-painted pixel both paths (nearest-neighbour
    # queries when over-painting is sparse, OpenCV's transform otherwise) give
    # scipy's exact Euclidean distance transform; OpenCV's is float32, so 1e-5.
    from scipy import ndimage

    from maskqa.metrics.disagreement import _distance_outside

    rng = np.random.default_rng(seed)
    reference = rng.random((24, 30)) < density
    candidate = rng.random((24, 30)) < density
    over = candidate & ~reference
    if reference.any():
        exact = ndimage.distance_transform_edt(~reference)
        got = _distance_outside(reference, over)
        np.testing.assert_allclose(got[over], exact[over], rtol=0, atol=1e-5)


def test_offset_of_an_edge_short_of_the_border_is_its_gap():
    # The candidate stops 2 px short of the bottom border, which the reference
    # reaches (the sliver of rows 58..59, columns 30..69, is cut off). Its edge
    # along the sliver (row 57) is 2 px inside the reference's edge beyond the
    # picture, not as far inside as the reference's far side (~28 px); every
    # other candidate edge pixel lies on the reference's edge or within 1 px.
    ref = np.zeros((60, 80), bool)
    ref[30:, 10:70] = True
    cand = ref.copy()
    cand[58:, 30:70] = False
    offset = disagreement_by_distance(ref, cand).boundary_offset_mean_px
    assert -2.0 <= offset < 0.0
