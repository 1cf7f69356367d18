"""Surface distances: maskqa's own metrics and the DeepMind, MedPy, MONAI presets."""

from __future__ import annotations

import dataclasses
import functools
import math

import numpy as np
import pytest
from conftest import CASE_NAMES, PEER_REAL, PEER_SYNTHETIC, load_peer_values, read_case
from gallery import disk, empty, full, square
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from scipy import ndimage

from maskqa.errors import InputError, ShapeMismatchError
from maskqa.geometry.cache import PairGeometry
from maskqa.metrics.distance import (
    SurfaceDistances,
    deepmind_surface_metrics,
    deepmind_surface_metrics_from_geometry,
    medpy_surface_metrics,
    medpy_surface_metrics_from_geometry,
    monai_surface_metrics,
    monai_surface_metrics_from_geometry,
    surface_distances,
    surface_distances_from_geometry,
)

SYNTHETIC = load_peer_values(PEER_SYNTHETIC)
REAL = load_peer_values(PEER_REAL)
NSD = ("nsd@1", "nsd@2", "nsd@3", "nsd@5")

# (peer prefix, our key) -> the peer's key; values copied from the peers' own runs
# (tests/data/peer_values_*.json: DeepMind surface-distance GitHub 1f805ce and PyPI
# 0.1, MedPy 0.5.2, MONAI 1.6.1).
DEEPMIND_KEYS = {
    "hd": "hd",
    "hd95": "hd95",
    "asd_f2c": "asd_f2c",
    "asd_c2f": "asd_c2f",
    "assd": "assd_mean_of_2",
    "n_surfels_fine": "n_surfels_fine",
    "n_surfels_coarse": "n_surfels_coarse",
    **{k: k for k in NSD},
}
MEDPY_KEYS = {k: k for k in ("hd", "hd95", "asd_c2f", "asd_f2c", "assd")}
MEDPY_C2_KEYS = {"hd": "hd.c2", "hd95": "hd95.c2", "assd": "assd.c2"}
MONAI_KEYS = {
    **{k: k for k in ("hd", "hd95", "hd_directed_c2f", "asd_c2f", "assd")},
    **{k: k for k in NSD},
    **{k.replace("nsd", "nsd_subvox"): k.replace("nsd", "nsd_subvox") for k in NSD},
}


def same(got: float, want: float, *, rel: float = 0.0, tol: float = 1e-9) -> bool:
    """Equal as metric values: nan == nan, inf == inf, else within tolerance."""
    if math.isnan(want):
        return math.isnan(got)
    if math.isinf(want):
        return got == want
    return abs(got - want) <= max(tol, rel * abs(want))


@functools.cache
def _preset(case: str, preset: str) -> dict:
    fine, coarse = read_case(case)
    if preset == "deepmind":
        return deepmind_surface_metrics(fine, coarse)
    if preset == "medpy":
        return medpy_surface_metrics(fine, coarse)
    if preset == "medpy_c2":
        return medpy_surface_metrics(fine, coarse, connectivity=2)
    return monai_surface_metrics(fine, coarse)


def _peer_params():
    """(case, preset, our key, peer key, rel) for every numeric peer value."""
    plan = [
        ("deepmind", "sd_github", DEEPMIND_KEYS, 0.0),
        ("deepmind", "surface_distance", DEEPMIND_KEYS, 0.0),
        ("medpy", "medpy", MEDPY_KEYS, 0.0),
        ("medpy_c2", "medpy", MEDPY_C2_KEYS, 0.0),
        ("monai", "monai", MONAI_KEYS, 1e-6),
    ]
    params = []
    for case in CASE_NAMES:
        for preset, prefix, keys, rel in plan:
            for ours, theirs in keys.items():
                value = SYNTHETIC[case].get(f"{prefix}.{theirs}")
                # A string is an exception the peer raised: no value to match.
                if value is not None and not isinstance(value, str):
                    params.append(
                        pytest.param(
                            case,
                            preset,
                            ours,
                            float(value),
                            rel,
                            id=f"{case}-{prefix}.{theirs}",
                        )
                    )
    return params


@pytest.mark.parametrize(("case", "preset", "key", "want", "rel"), _peer_params())
def test_presets_reproduce_the_peers(case, preset, key, want, rel):
    assert same(_preset(case, preset)[key], want, rel=rel)


@pytest.mark.parametrize("name", sorted(REAL))
def test_presets_reproduce_the_peers_on_real_pairs(name, real_pairs):
    fine = np.asarray(Image.open(real_pairs / f"{name}_fine.png")) > 0
    coarse = np.asarray(Image.open(real_pairs / f"{name}_coarse.png")) > 0
    peer = REAL[name]
    checks = [
        (deepmind_surface_metrics(fine, coarse), "sd_github", DEEPMIND_KEYS, 0.0),
        (medpy_surface_metrics(fine, coarse), "medpy", MEDPY_KEYS, 0.0),
        (monai_surface_metrics(fine, coarse), "monai", MONAI_KEYS, 1e-6),
    ]
    for values, prefix, keys, rel in checks:
        for ours, theirs in keys.items():
            want = float(peer[f"{prefix}.{theirs}"])
            assert same(values[ours], want, rel=rel), (prefix, theirs)


# --- maskqa's own function against the same peers ---------------------------------


@pytest.mark.parametrize("case", [c for c in CASE_NAMES if "empty" not in c])
def test_corner_surface_with_the_border_is_deepmind(case):
    fine, coarse = read_case(case)
    ours = surface_distances(fine, coarse, border="include").to_dict()
    peer = SYNTHETIC[case]
    pairs = {
        "hd": "hd",
        "hd95": "hd95",
        "asd_ref_to_cand": "asd_f2c",
        "asd_cand_to_ref": "asd_c2f",
        "assd": "assd_mean_of_2",
        **{f"{k}px": k for k in NSD},
    }
    for key, theirs in pairs.items():
        assert same(ours[key], peer[f"sd_github.{theirs}"]), key


@pytest.mark.parametrize("case", [c for c in CASE_NAMES if "empty" not in c])
def test_pixel_surface_with_the_border_is_medpy_and_monai(case):
    fine, coarse = read_case(case)
    ours = surface_distances(fine, coarse, surface="pixel", border="include").to_dict()
    peer = SYNTHETIC[case]
    medpy = {
        "hd": "hd",
        "hd95_pooled": "hd95",
        "assd_pooled": "assd",
        "asd_cand_to_ref": "asd_c2f",
        "asd_ref_to_cand": "asd_f2c",
    }
    for key, theirs in medpy.items():
        assert same(ours[key], peer[f"medpy.{theirs}"]), key
    monai = {"hd95": "hd95", **{f"{k}px": k for k in NSD}}
    for key, theirs in monai.items():
        assert same(ours[key], peer[f"monai.{theirs}"], rel=1e-6), key


# --- hand-derived values ---------------------------------------------------------


def test_square_shifted_by_three_has_hd_three_everywhere():
    # Every element of one outline is at most 3 px from the other (move it back by
    # 3 px) and the far side's middle is exactly 3 px from any element of the other.
    ref, cand = square(), np.roll(square(), 3, axis=1)
    for surface in ("corner", "pixel"):
        assert surface_distances(ref, cand, surface=surface).hd == 3.0
    assert deepmind_surface_metrics(ref, cand)["hd"] == 3.0
    assert medpy_surface_metrics(ref, cand)["hd"] == 3.0
    assert monai_surface_metrics(ref, cand)["hd"] == 3.0


def test_one_pixel_dilation_of_a_disk_is_one_pixel_away():
    # The dilation's boundary pixels lie outside the disk and the disk's inside
    # it, so no two coincide: every distance is >= 1. Each boundary pixel of the
    # dilation was added next to a disk pixel that has an outside 4-neighbour (a
    # boundary pixel), and each disk boundary pixel has its outside 4-neighbour on
    # the dilation's boundary (a disk has no one-pixel gaps): every distance is 1.
    ref = disk(radius=10)
    cand = ndimage.binary_dilation(ref)
    result = surface_distances(ref, cand, surface="pixel")
    assert result.hd == 1.0
    assert result.assd_pooled == 1.0
    assert result.assd == 1.0
    assert result.to_dict()["nsd@1px"] == 1.0


def test_nested_squares_by_hand():
    # Inner square rows/cols 8..19 x 10..21, outer 6..21 x 8..23: 2 px apart.
    # Inner -> outer: 44 boundary pixels, each 2 px from the outer side facing it.
    # Outer -> inner: 60 pixels; per corner one at sqrt(8) (the diagonal to the
    # inner corner), two at sqrt(5), the other 48 at 2.
    inner = square()
    outer = square(top=6, left=8, side=16)
    r = surface_distances(inner, outer, surface="pixel")
    outer_mean = (4 * math.sqrt(8) + 8 * math.sqrt(5) + 48 * 2) / 60
    assert r.asd_ref_to_cand == 2.0
    assert r.asd_cand_to_ref == pytest.approx(outer_mean, abs=1e-12)
    assert r.assd == pytest.approx((2 + outer_mean) / 2, abs=1e-12)
    assert r.assd_pooled == pytest.approx((44 * 2 + 60 * outer_mean) / 104, abs=1e-12)
    assert r.hd == math.sqrt(8)
    # Directed, outer: sorted indices 56..59 are sqrt(8), and 0.95 * 59 = 56.05.
    assert r.hd95 == pytest.approx(math.sqrt(8), abs=1e-12)
    # Pooled: 92 twos, 8 sqrt(5), 4 sqrt(8); 0.95 * 103 = 97.85 falls in the sqrt(5).
    assert r.hd95_pooled == pytest.approx(math.sqrt(5), abs=1e-12)
    # Within 2 px: everything except the 12 corner pixels of the outer square.
    assert r.to_dict()["nsd@2px"] == pytest.approx(92 / 104, abs=1e-12)


def test_spacing_scales_distances_and_tolerances():
    ref, cand = disk(), np.roll(disk(), (1, 2), axis=(0, 1))
    plain = surface_distances(ref, cand, nsd_tolerances_px=(1,))
    scaled = surface_distances(ref, cand, nsd_tolerances_px=(2,), spacing=2.0)
    assert scaled.hd == 2 * plain.hd
    assert scaled.assd == pytest.approx(2 * plain.assd, rel=1e-12)
    assert scaled.nsd[0][1] == pytest.approx(plain.nsd[0][1], rel=1e-12)
    assert scaled.params()["spacing"] == (2.0, 2.0)


# --- empty masks ---------------------------------------------------------------------

EMPTY_CASES = {
    # name: (reference, candidate, distance value, surface Dice value)
    "both_empty": (empty(), empty(), 0.0, 1.0),
    "reference_empty": (empty(), disk(), math.inf, 0.0),
    "candidate_empty": (disk(), empty(), math.inf, 0.0),
    # With the border excluded a full mask has no surface: the table applies to it.
    "both_full": (full(), full(), 0.0, 1.0),
    "full_reference": (full(), disk(), math.inf, 0.0),
}


@pytest.mark.parametrize("case", sorted(EMPTY_CASES))
@pytest.mark.parametrize("surface", ["corner", "pixel"])
def test_empty_surfaces_follow_the_table(case, surface):
    ref, cand, distance, nsd = EMPTY_CASES[case]
    values = surface_distances(ref, cand, surface=surface).to_dict()
    assert len(values) == 15
    for key, value in values.items():
        want = nsd if key.startswith("nsd@") else distance
        assert same(value, want), key


@pytest.mark.parametrize("case", sorted(EMPTY_CASES))
def test_on_empty_nan_gives_nan_everywhere(case):
    ref, cand, _, _ = EMPTY_CASES[case]
    values = surface_distances(ref, cand, on_empty="nan").to_dict()
    assert all(math.isnan(v) for v in values.values())


@pytest.mark.parametrize(
    ("ref", "cand", "want"),
    [
        (empty(), empty(), 0.0),
        (empty(), disk(), math.inf),
        (disk(), empty(), math.inf),
    ],
)
def test_medpy_preset_follows_the_table_where_medpy_raises(ref, cand, want):
    values = medpy_surface_metrics(ref, cand)
    assert set(values) == set(MEDPY_KEYS)
    assert all(same(v, want) for v in values.values())
    assert all(
        math.isnan(v) for v in medpy_surface_metrics(ref, cand, on_empty="nan").values()
    )


def test_full_masks_are_scored_when_the_border_counts():
    # Two full masks have the same outline along the image border.
    values = surface_distances(full(), full(), border="include").to_dict()
    assert values["hd"] == 0.0
    assert values["nsd@1px"] == 1.0


# --- records, keys, cache, input checks ---------------------------------------------


def test_record_is_frozen_and_keys_name_the_tolerance():
    result = surface_distances(square(), disk(), nsd_tolerances_px=(0, 1.5, 2))
    assert isinstance(result, SurfaceDistances)
    assert list(result.to_dict())[-3:] == ["nsd@0px", "nsd@1.5px", "nsd@2px"]
    assert result.params() == {
        "surface": "corner",
        "border": "exclude",
        "spacing": None,
        "nsd_tolerances_px": (0.0, 1.5, 2.0),
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.hd = 0.0


def test_from_geometry_variants_share_one_cache():
    geometry = PairGeometry(square(), disk(), border="include")
    own = surface_distances_from_geometry(geometry)
    assert own.border == "include"
    size = len(geometry._cache)
    deepmind_surface_metrics_from_geometry(geometry)
    # The DeepMind preset reads the corner surfaces the own function computed.
    assert len(geometry._cache) == size
    medpy_surface_metrics_from_geometry(geometry)
    monai = monai_surface_metrics_from_geometry(geometry)
    assert monai["hd"] == pytest.approx(own.hd, rel=1e-6)


def test_presets_count_the_border_whatever_the_geometry_says():
    geometry = PairGeometry(full(), disk())
    want = deepmind_surface_metrics(full(), disk())["hd"]
    assert deepmind_surface_metrics_from_geometry(geometry)["hd"] == want
    assert math.isfinite(medpy_surface_metrics_from_geometry(geometry)["hd"])


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"surface": "contour"}, "`surface`"),
        ({"border": "none"}, "`border`"),
        ({"on_empty": "zero"}, "`on_empty`"),
        ({"nsd_tolerances_px": (1, -2)}, "`nsd_tolerances_px`"),
        ({"nsd_tolerances_px": ()}, "`nsd_tolerances_px`"),
        ({"spacing": (1, 0)}, "`spacing`"),
    ],
)
def test_invalid_options_raise_with_the_parameter_named(kwargs, words):
    with pytest.raises(InputError, match=words):
        surface_distances(square(), disk(), **kwargs)


def test_masks_of_different_shapes_are_refused():
    with pytest.raises(ShapeMismatchError):
        surface_distances(square(), np.zeros((8, 8), bool))
    with pytest.raises(InputError, match="`connectivity`"):
        medpy_surface_metrics(square(), disk(), connectivity=4)


# --- properties -------------------------------------------------------------------

masks = st.lists(st.booleans(), min_size=10 * 12, max_size=10 * 12).map(
    lambda bits: np.array(bits, bool).reshape(10, 12)
)
surfaces = st.sampled_from(["corner", "pixel"])
borders = st.sampled_from(["exclude", "include"])


@settings(max_examples=50, deadline=None)
@given(a=masks, b=masks, surface=surfaces, border=borders)
def test_symmetric_values_do_not_depend_on_the_order(a, b, surface, border):
    ab = surface_distances(a, b, surface=surface, border=border)
    ba = surface_distances(b, a, surface=surface, border=border)
    for key in ("hd", "hd95", "hd95_pooled", "assd"):
        assert same(getattr(ab, key), getattr(ba, key), tol=0), key
    assert same(ab.assd_pooled, ba.assd_pooled, tol=1e-12)
    for (_, x), (_, y) in zip(ab.nsd, ba.nsd):
        assert same(x, y, tol=1e-12)
    assert same(ab.asd_ref_to_cand, ba.asd_cand_to_ref, tol=0)


@settings(max_examples=50, deadline=None)
@given(a=masks, surface=surfaces, border=borders)
def test_a_mask_against_itself_is_zero_away_and_nsd_one(a, surface, border):
    values = surface_distances(a, a, surface=surface, border=border).to_dict()
    for key, value in values.items():
        assert value == (1.0 if key.startswith("nsd@") else 0.0), key


@settings(max_examples=50, deadline=None)
@given(a=masks, b=masks, surface=surfaces)
def test_nsd_grows_with_the_tolerance(a, b, surface):
    tolerances = (0, 0.5, 1, 1.5, 2, 3, 5, 8, 20)
    result = surface_distances(a, b, surface=surface, nsd_tolerances_px=tolerances)
    values = [v for _, v in result.nsd]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert values == sorted(values)
    assert result.hd95 <= result.hd
    assert result.hd95_pooled <= result.hd


def test_monai_without_subvoxels_gives_the_same_values_less_nsd_subvox():
    from maskqa.metrics.distance import monai_surface_metrics

    fine, coarse = disk(), square()
    every = monai_surface_metrics(fine, coarse)
    short = monai_surface_metrics(fine, coarse, subvoxels=False)
    assert {k: v for k, v in every.items() if not k.startswith("nsd_subvox")} == short
    assert any(k.startswith("nsd_subvox") for k in every)
