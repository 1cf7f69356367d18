"""Contours <-> polygons: exact round trip, rasterisation convention, simplification."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import CASE_NAMES, read_case
from gallery import GALLERY
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image
from shapely.geometry import MultiPolygon, Polygon, box

from maskqa.errors import InputError
from maskqa.geometry.contours import (
    count_vertices,
    mask_to_polygons,
    polygons_to_mask,
    simplify_polygons,
)


@pytest.mark.parametrize("name", sorted(GALLERY))
def test_round_trip_gallery(name):
    mask = GALLERY[name]()
    geometry = mask_to_polygons(mask)
    assert geometry.is_valid
    assert np.array_equal(polygons_to_mask(geometry, mask.shape), mask)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_round_trip_synthetic_cases(name):
    for mask in read_case(name):
        assert np.array_equal(
            polygons_to_mask(mask_to_polygons(mask), mask.shape), mask
        )


def test_round_trip_real_pairs(real_pairs):
    # Every real sample (fine and coarse of the 22 pairs), when they exist beside us.
    files = sorted(real_pairs.glob("*.png"))
    assert len(files) == 44
    for path in files:
        mask = np.asarray(Image.open(path)) > 127
        geometry = mask_to_polygons(mask)
        assert geometry.is_valid, path.name
        assert np.array_equal(polygons_to_mask(geometry, mask.shape), mask), path.name


@settings(max_examples=50, deadline=None)
@given(arrays(bool, st.tuples(st.integers(1, 14), st.integers(1, 14))))
def test_round_trip_property(mask):
    assert np.array_equal(polygons_to_mask(mask_to_polygons(mask), mask.shape), mask)


def test_outline_area_and_vertices_by_hand():
    # A 2 x 3 block is one rectangle of area 6 with 4 corners; a hole of 1 px adds a
    # ring of 4 vertices and takes 1 from the area.
    mask = np.zeros((6, 7), bool)
    mask[1:5, 1:6] = True
    mask[2, 3] = False
    geometry = mask_to_polygons(mask)
    assert geometry.area == 20 - 1
    assert count_vertices(geometry) == 8
    assert len(geometry.geoms) == 1 and len(geometry.geoms[0].interiors) == 1


def test_diagonal_pixels_are_two_valid_parts():
    mask = np.zeros((3, 3), bool)
    mask[0, 0] = mask[1, 1] = True
    geometry = mask_to_polygons(mask)
    assert geometry.is_valid and geometry.area == 2
    assert np.array_equal(polygons_to_mask(geometry, mask.shape), mask)


def test_pixel_centre_convention():
    # The triangle (0,0)-(4,0)-(0,4) holds the centres (c+.5, r+.5) with c + r + 1 < 4,
    # i.e. c + r <= 2. Centres exactly on the hypotenuse (c + r = 3) lie on the
    # right-hand end of their row's span, which the half-open rule (x_a, x_b] keeps.
    triangle = Polygon([(0, 0), (4, 0), (0, 4)])
    mask = polygons_to_mask(triangle, (4, 4))
    rows, cols = np.indices((4, 4))
    assert np.array_equal(mask, rows + cols <= 3)
    # Shifted by a quarter pixel no centre is on an edge: strictly c + r <= 2 remain.
    shifted = Polygon([(0, 0), (3.75, 0), (0, 3.75)])
    assert np.array_equal(polygons_to_mask(shifted, (4, 4)), rows + cols <= 2)


def test_shared_edge_never_gives_a_pixel_twice():
    left, right = box(0, 0, 2.5, 3), box(2.5, 0, 5, 3)
    a, b = polygons_to_mask(left, (3, 5)), polygons_to_mask(right, (3, 5))
    assert not (a & b).any() and (a | b).all()


def test_geometry_outside_the_image_is_clipped():
    mask = polygons_to_mask(box(-5, -5, 2, 2), (4, 4))
    assert mask.sum() == 4 and mask[:2, :2].all()


def test_simplify_zero_keeps_the_mask_and_budget_is_met():
    fine, _ = read_case("blob_rdp")
    outline = mask_to_polygons(fine)
    same = simplify_polygons(outline, tolerance_px=0)
    assert np.array_equal(polygons_to_mask(same, fine.shape), fine)
    for budget in (8, 20, 60):
        assert count_vertices(simplify_polygons(outline, max_vertices=budget)) <= budget


def test_simplify_vertices_fall_with_tolerance():
    fine, _ = read_case("multi_holes")
    outline = mask_to_polygons(fine)
    counts = [
        count_vertices(simplify_polygons(outline, tolerance_px=t)) for t in (0, 1, 3)
    ]
    assert counts[0] > counts[1] > counts[2] > 0


def test_bad_arguments_raise():
    with pytest.raises(InputError, match="exactly one"):
        simplify_polygons(MultiPolygon())
    with pytest.raises(InputError, match="tolerance_px"):
        simplify_polygons(MultiPolygon(), tolerance_px=-1)
    with pytest.raises(InputError, match="shape"):
        polygons_to_mask(MultiPolygon(), (0, 3))
    with pytest.raises(InputError, match="2-D"):
        mask_to_polygons(np.zeros(4, bool))
