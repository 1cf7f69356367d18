"""Surfaces of a mask (corner and pixel conventions) and distances between them."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import CASE_NAMES, read_case
from gallery import disk, empty, full, single_pixel, square, touching_border
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage

from maskqa.errors import InputError
from maskqa.geometry.cache import PairGeometry
from maskqa.geometry.surfaces import (
    contour_length_table,
    directed_surface_distances,
    mask_surface,
    pair_surfaces,
)

DIAGONAL = math.sqrt(2) / 2


# --- hand-derived surfaces -----------------------------------------------------


def test_single_pixel_corner_surface_is_four_diagonal_pieces():
    # Each of the pixel's 4 corners sees one foreground pixel out of 4: a diagonal
    # piece of sqrt(2)/2, so the contour is a diamond of length 2 sqrt(2).
    surface = mask_surface(single_pixel())
    assert surface.size == 4
    assert surface.length == pytest.approx(4 * DIAGONAL, abs=1e-12)
    assert sorted(map(tuple, surface.points)) == [
        (10, 12),
        (10, 13),
        (11, 12),
        (11, 13),
    ]


def test_single_pixel_pixel_surface_is_the_pixel():
    surface = mask_surface(single_pixel(), surface="pixel")
    assert surface.points.tolist() == [[10, 12]]
    assert surface.length == 1.0


def test_square_surfaces_by_hand():
    # 12 x 12 square: 4 * 11 - 0 = 44 perimeter pixels; on the corner grid the
    # 13 x 13 corners of its outline minus the 11 x 11 inside ones = 48 corners:
    # 4 cut diagonally (sqrt(2)/2) and 44 straight pieces of 1.
    mask = square()
    assert mask_surface(mask, surface="pixel").size == 44
    corner = mask_surface(mask)
    assert corner.size == 48
    assert corner.length == pytest.approx(44 + 4 * DIAGONAL, abs=1e-12)


def test_thick_pixel_surface_adds_the_inner_corner_pixels():
    # With 8-neighbours a disk's boundary gains the pixels that only touch the
    # outside diagonally; a square gains none (its corners already count).
    assert mask_surface(square(), surface="pixel", connectivity=2).size == 44
    thin = mask_surface(disk(), surface="pixel").size
    thick = mask_surface(disk(), surface="pixel", connectivity=2).size
    assert thick > thin


def test_border_include_counts_edges_along_the_image_border():
    # Block rows 0..9, columns 0..11: its whole perimeter, 2 * 10 + 2 * 12 - 4 = 40.
    assert mask_surface(touching_border(), surface="pixel", border="include").size == 40


def test_border_exclude_drops_edges_along_the_image_border():
    # Only row 9 (12 pixels) and column 11 (10 pixels, one shared) are boundary.
    assert mask_surface(touching_border(), surface="pixel").size == 21

    # Corner grid: 12 horizontal pieces under row 9 (corners (10, 0..11)), the cut
    # corner (10, 12) and 10 vertical pieces right of column 11 (corners (0..9, 12)).
    corner = mask_surface(touching_border())
    assert corner.size == 23
    assert corner.length == pytest.approx(22 + DIAGONAL, abs=1e-12)


def test_full_mask_has_no_surface_unless_the_border_counts():
    assert mask_surface(full()).size == 0
    assert mask_surface(full(), surface="pixel").size == 0
    # 32 x 40: 2 * 32 + 2 * 40 - 4 boundary pixels; the corner outline is 144
    # straight pieces minus 4 cut corners.
    assert mask_surface(full(), surface="pixel", border="include").size == 140
    included = mask_surface(full(), border="include")
    assert included.length == pytest.approx(140 + 4 * DIAGONAL, abs=1e-12)


def test_empty_mask_has_no_surface():
    for surface in ("corner", "pixel"):
        for border in ("exclude", "include"):
            result = mask_surface(empty(), surface=surface, border=border)
            assert result.size == 0
            assert result.length == 0.0
            assert result.points.shape == (0, 2)


def test_contour_length_table_with_spacing():
    # Rows 2 units, columns 3: a horizontal piece spans a column (3), a vertical
    # one a row (2), a diagonal half the pixel diagonal, 0.5 * sqrt(4 + 9).
    table = contour_length_table((2.0, 3.0))
    assert table[0b0011] == table[0b1100] == 3.0
    assert table[0b0101] == table[0b1010] == 2.0
    assert table[0b0001] == table[0b1110] == 0.5 * math.sqrt(13)
    assert table[0b0110] == table[0b1001] == math.sqrt(13)
    assert table[0] == table[15] == 0.0


# --- agreement with the peers' surfaces ------------------------------------------


@pytest.mark.parametrize("name", CASE_NAMES)
def test_corner_surface_counts_equal_deepmind(name, peer_synthetic):
    fine, coarse = read_case(name)
    values = peer_synthetic[name]
    assert (
        mask_surface(fine, border="include").size == values["sd_github.n_surfels_fine"]
    )
    assert (
        mask_surface(coarse, border="include").size
        == values["sd_github.n_surfels_coarse"]
    )


def _exact_edt_distances(source, target, shape):
    """Distances read from scipy's exact EDT, the way the peers compute them."""
    grid = np.ones(shape, bool)
    grid[tuple(target.points.T)] = False
    return ndimage.distance_transform_edt(grid)[tuple(source.points.T)]


@pytest.mark.parametrize("name", ["strands", "multi_holes", "border_touch", "tiny"])
@pytest.mark.parametrize("surface", ["corner", "pixel"])
def test_distances_equal_an_exact_edt_bit_for_bit(name, surface):
    fine, coarse = read_case(name)
    shape = (fine.shape[0] + 1, fine.shape[1] + 1)
    ref = mask_surface(fine, surface=surface, border="include")
    cand = mask_surface(coarse, surface=surface, border="include")
    got = directed_surface_distances(ref, cand)
    assert np.array_equal(got, _exact_edt_distances(ref, cand, shape))


def test_spacing_scales_distances():
    ref = mask_surface(square())
    cand = mask_surface(np.roll(square(), 3, axis=1))
    plain = directed_surface_distances(ref, cand)
    assert np.array_equal(directed_surface_distances(ref, cand, spacing=2), 2 * plain)
    # Column spacing 0.5: a shift of 3 columns is 1.5 units.
    assert directed_surface_distances(ref, cand, spacing=(1, 0.5)).max() == 1.5


def test_square_shifted_by_three_is_three_away():
    ref, cand = square(), np.roll(square(), 3, axis=1)
    for surface in ("corner", "pixel"):
        d = directed_surface_distances(
            mask_surface(ref, surface=surface), mask_surface(cand, surface=surface)
        )
        assert d.max() == 3.0
        assert d.min() == 0.0


def test_distance_to_an_empty_surface_is_inf():
    d = directed_surface_distances(mask_surface(square()), mask_surface(empty()))
    assert d.shape == (48,)
    assert np.all(np.isinf(d))
    assert (
        directed_surface_distances(mask_surface(empty()), mask_surface(square())).size
        == 0
    )


# --- pair cache -------------------------------------------------------------------


def test_pair_surfaces_are_computed_once_per_key():
    geometry = PairGeometry(square(), disk())
    first = pair_surfaces(geometry, surface="pixel")
    assert pair_surfaces(geometry, surface="pixel", border="exclude") is first
    assert pair_surfaces(geometry, surface="pixel", border="include") is not first
    assert pair_surfaces(geometry, surface="corner") is not first


def test_pair_surfaces_default_border_is_the_geometry_s():
    geometry = PairGeometry(touching_border(), touching_border(), border="include")
    assert pair_surfaces(geometry, surface="pixel").reference.size == 40


def test_pair_surfaces_directions_match_the_surfaces():
    geometry = PairGeometry(square(), disk())
    pair = pair_surfaces(geometry)
    assert pair.ref_to_cand.shape == (pair.reference.size,)
    assert pair.cand_to_ref.shape == (pair.candidate.size,)


# --- input checks -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"surface": "edge"}, "`surface`"),
        ({"border": "crop"}, "`border`"),
        ({"connectivity": 3}, "`connectivity`"),
        ({"spacing": (1, 2, 3)}, "`spacing`"),
        ({"spacing": -1}, "`spacing`"),
    ],
)
def test_invalid_options_raise_with_the_parameter_named(kwargs, words):
    with pytest.raises(InputError, match=words):
        mask_surface(square(), **kwargs)


def test_a_3d_mask_is_refused():
    with pytest.raises(InputError, match="2-D"):
        mask_surface(np.zeros((3, 4, 5), bool))


def test_distances_between_conventions_are_refused():
    with pytest.raises(InputError, match="same surface convention"):
        directed_surface_distances(
            mask_surface(square()), mask_surface(square(), surface="pixel")
        )


# --- properties ---------------------------------------------------------------------

masks = st.lists(st.booleans(), min_size=12 * 14, max_size=12 * 14).map(
    lambda bits: np.array(bits, bool).reshape(12, 14)
)


@settings(max_examples=50, deadline=None)
@given(mask=masks, surface=st.sampled_from(["corner", "pixel"]))
def test_surface_is_translation_invariant_inside_the_canvas(mask, surface):
    canvas = np.zeros((20, 24), bool)
    canvas[2:14, 3:17] = mask
    moved = np.roll(canvas, (4, 5), axis=(0, 1))
    a = mask_surface(canvas, surface=surface)
    b = mask_surface(moved, surface=surface)
    assert np.array_equal(a.points + [4, 5], b.points)
    assert np.array_equal(a.weights, b.weights)


@settings(max_examples=50, deadline=None)
@given(mask=masks)
def test_complement_has_the_same_corner_contour_when_the_border_counts_nowhere(mask):
    # With the border excluded, a mask and its complement share every edge: the
    # corner surfaces are the same corners with the same lengths.
    a = mask_surface(mask)
    b = mask_surface(~mask)
    assert np.array_equal(a.points, b.points)
    assert np.array_equal(a.weights, b.weights)
