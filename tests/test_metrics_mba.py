"""mBA: CascadePSP's values (peer files) and user radii."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import CASE_NAMES, PEER_REAL, close, load_peer_values, read_case
from PIL import Image

import gallery
from maskqa.errors import InputError
from maskqa.metrics.mba import cascadepsp_radii, mba


@pytest.mark.parametrize("case", CASE_NAMES)
def test_reproduces_cascadepsp_synthetic(case, peer_synthetic):
    fine, coarse = read_case(case)
    result = mba(fine, coarse)
    assert close(result.mba, peer_synthetic[case]["cascadepsp.mBA"], 1e-12)
    assert str(list(result.radius_px)) == peer_synthetic[case]["cascadepsp.radii"]


@pytest.mark.parametrize("name", sorted(load_peer_values(PEER_REAL)))
def test_reproduces_cascadepsp_real(name, real_pairs, peer_real):
    fine = np.asarray(Image.open(real_pairs / f"{name}_fine.png")) > 127
    coarse = np.asarray(Image.open(real_pairs / f"{name}_coarse.png")) > 127
    assert close(mba(fine, coarse).mba, peer_real[name]["cascadepsp.mBA"], 1e-12)


def test_radii_rule():
    # PEERS.md 7: 128 -> all 1; 512 -> [1,1,1,2,2]; 1024 -> [1..5]
    assert cascadepsp_radii((128, 128)) == (1,) * 5
    assert cascadepsp_radii((512, 512)) == (1, 1, 1, 2, 2)
    assert cascadepsp_radii((1024, 1024)) == (1, 2, 3, 4, 5)


def test_user_radius_by_hand():
    # single pixel, r = 1 ellipse = 3 x 3 cross: gradient band = the cross (5 px);
    # an empty candidate agrees on its 4 background pixels.
    ref = gallery.single_pixel()
    result = mba(ref, np.zeros_like(ref), radius_px=1)
    assert result.accuracy == (4 / 5,)
    assert result.to_dict() == {"mba": 0.8, "boundary_accuracy@1px": 0.8}


def test_full_reference_has_no_band():
    assert math.isnan(mba(gallery.full(), gallery.full()).mba)


def test_fractional_radius_is_rejected():
    with pytest.raises(InputError, match="radius_px"):
        mba(gallery.disk(), gallery.disk(), radius_px=1.5)


def test_radius_beyond_the_diagonal_is_the_whole_image():
    # 32 x 40: diagonal 51.2 px. A disk of radius 52 reaches every pixel from
    # every pixel, so the band is the image and the accuracy the pixel
    # accuracy (counted by hand); 1e9 once allocated a 1e9-wide kernel.
    ref, cand = gallery.disk(), gallery.shifted(gallery.disk(), dx=3)
    result = mba(ref, cand, radius_px=(40, 52, 10**9))
    expected = np.count_nonzero(ref == cand) / ref.size
    assert result.accuracy[1] == result.accuracy[2] == expected
    # radius 40 < diagonal: computed with the kernel, and it covers the image too
    assert result.accuracy[0] == expected
    assert result.radius_px == (40, 52, 10**9)
