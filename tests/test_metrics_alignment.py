"""Edge alignment of a mask against its image: edges, boundaries, profile, score."""

from __future__ import annotations

import itertools
import json
import math
import warnings

import gallery
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from PIL import Image

from maskqa.errors import InputError, ShapeMismatchError
from maskqa.geometry.edges import boundary_samples, image_edges, mask_boundary
from maskqa.metrics.alignment import (
    WITHIN_PX,
    ProfilePeakWarning,
    alignment,
    alignment_from_edges,
    alignment_per_class,
    match_size,
)

SIZE = 128
CENTRE = 64
RADIUS = 30


def _disk(radius, size=SIZE, centre=CENTRE):
    rows, cols = np.ogrid[:size, :size]
    return (rows - centre) ** 2 + (cols - centre) ** 2 <= radius**2


def _noisy(clean, seed=0, sigma=10.0):
    rng = np.random.default_rng(seed)
    return np.clip(clean + rng.normal(0.0, sigma, clean.shape), 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def disk_image():
    """A bright disk of radius 30 on a dark background, with Gaussian noise."""
    return _noisy(np.where(_disk(RADIUS), 180.0, 60.0))


@pytest.fixture(scope="module")
def step_image():
    """A vertical step edge between columns 49 and 50 (crack at 49.5), with noise."""
    clean = np.zeros((100, 100))
    clean[:, 50:] = 200.0
    return _noisy(clean, seed=1)


# --- the acceptance criterion: a boundary moved by k px moves the peak by k ---------


@pytest.mark.parametrize("k", [-4, -3, -2, -1, 0, 1, 2, 3, 4])
def test_profile_peak_follows_a_disk_grown_or_shrunk_by_k(disk_image, k):
    # Radius 30 + k moves every boundary point k px outward along its normal, so
    # the image edge lies k px inward of the mask: expected peak -k.
    result = alignment(disk_image, _disk(RADIUS + k))
    assert result.profile_peak_px == pytest.approx(-k, abs=0.5)


@pytest.mark.parametrize("k", [-4, -2, 0, 1, 3])
def test_profile_peak_follows_a_half_plane_shifted_by_k(step_image, k):
    # The mask holds columns < 50 + k: its crack is at 49.5 + k, the edge at 49.5,
    # so along the outward normal (+col) the edge lies at -k.
    mask = np.zeros((100, 100), bool)
    mask[:, : 50 + k] = True
    assert alignment(step_image, mask).profile_peak_px == pytest.approx(-k, abs=0.5)


@pytest.mark.parametrize(("profile_px", "k"), [(3, -2), (3, 2), (8, -7), (8, 7)])
def test_profile_peak_follows_shifts_one_px_short_of_the_profile_end(
    disk_image, profile_px, k
):
    # As above, with the edge 1 px inside the end of the profile (|k| = profile_px - 1).
    result = alignment(disk_image, _disk(RADIUS + k), profile_px=profile_px)
    assert result.profile_peak_px == pytest.approx(-k, abs=0.5)


@pytest.mark.parametrize("k", [-15, -9, -6, 6, 9, 15])
def test_an_edge_beyond_the_profile_gives_nan_and_a_warning(disk_image, k):
    # The edge lies |k| > 5 px from the boundary: the 5 px profile sees only the
    # gradient's tail or noise, which would give a clamped or random peak.
    with pytest.warns(ProfilePeakWarning, match="within ±5 px.*--profile-px"):
        result = alignment(disk_image, _disk(RADIUS + k))
    assert math.isnan(result.profile_peak_px)
    assert math.isnan(result.profile_sharpness)
    assert result.note.startswith("no profile peak within ±5 px")
    # A profile long enough to reach the edge finds it, with the right sign.
    longer = alignment(disk_image, _disk(RADIUS + k), profile_px=abs(k) + 3)
    assert longer.profile_peak_px == pytest.approx(-k, abs=0.5) and not longer.note


def test_a_peak_out_of_reach_earns_no_profile_term(step_image):
    # The edge lies 3 px inside the mask. Closeness E and direction N do not depend
    # on profile_px, so the score at 8 px exceeds the score at 2 px (no peak, P = 0)
    # by exactly P / 3 = s exp(-t*^2 / 2) / 3 of the 8 px profile.
    mask = np.zeros((100, 100), bool)
    mask[:, :53] = True
    with pytest.warns(ProfilePeakWarning):
        short = alignment(step_image, mask, profile_px=2)
    long = alignment(step_image, mask, profile_px=8)
    assert math.isnan(short.profile_peak_px) and long.profile_peak_px < -2.5
    term = long.profile_sharpness * math.exp(-0.5 * long.profile_peak_px**2)
    assert long.alignment_score - short.alignment_score == pytest.approx(term / 3)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    profile_px=st.integers(2, 8),
    shift=st.integers(-30, 30),
    kind=st.sampled_from(["step", "disk"]),
)
def test_the_peak_is_the_signed_shift_or_nan_never_the_wrong_sign(
    seed, profile_px, shift, kind
):
    # A mask moved `shift` px outward of a known edge: the edge lies at -shift.
    if kind == "step":
        clean = np.zeros((100, 100))
        clean[:, 50:] = 200.0
        mask = np.zeros((100, 100), bool)
        mask[:, : 50 + shift] = True
    else:
        clean = np.where(_disk(RADIUS), 180.0, 60.0)
        mask = _disk(RADIUS + max(shift, -20))
        shift = max(shift, -20)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProfilePeakWarning)
        peak = alignment(_noisy(clean, seed), mask, profile_px=profile_px)
    peak = peak.profile_peak_px
    if abs(shift) < profile_px:
        assert peak == pytest.approx(-shift, abs=0.5)
    elif abs(shift) > profile_px:
        assert math.isnan(peak)
    else:
        # The edge on the last sample: no interior maximum, or one beside it.
        assert math.isnan(peak) or peak * shift < 0


def test_score_falls_monotonically_as_the_boundary_moves_away(disk_image, step_image):
    edges = image_edges(disk_image)
    for sign in (1, -1):
        scores = [
            alignment_from_edges(edges, _disk(RADIUS + sign * k)).alignment_score
            for k in range(5)
        ]
        assert all(a > b for a, b in itertools.pairwise(scores)), scores

    edges = image_edges(step_image)
    scores = []
    for k in range(5):
        mask = np.zeros((100, 100), bool)
        mask[:, : 50 + k] = True
        scores.append(alignment_from_edges(edges, mask).alignment_score)
    assert all(a > b for a, b in itertools.pairwise(scores)), scores


def test_a_mask_on_the_edge_scores_high_and_lies_within_one_px(disk_image):
    result = alignment(disk_image, _disk(RADIUS))
    assert result.alignment_score > 0.9
    assert result.edge_within[1] > 0.95
    # Boundary normals of a disk are radial, as is the image gradient.
    assert result.normal_agreement > 0.98


# --- empty, full, degenerate inputs ---------------------------------------------------


@pytest.mark.parametrize("name", ["empty", "full"])
def test_a_mask_without_boundary_is_nan_with_a_note(name):
    mask = gallery.GALLERY[name]()
    image = _noisy(np.full(mask.shape, 100.0))
    result = alignment(image, mask)
    assert result.boundary_px == 0
    assert result.note == "no boundary: the mask is empty or full"
    values = result.to_dict()
    assert all(math.isnan(v) for k, v in values.items() if k != "boundary_px")


def test_an_image_without_edges_scores_zero_at_infinite_distance():
    # A flat profile (all zero) has no peak either.
    with pytest.warns(ProfilePeakWarning):
        result = alignment(np.zeros(gallery.SHAPE, np.uint8), gallery.square())
    assert math.isnan(result.profile_peak_px)
    assert result.alignment_score == 0.0
    assert math.isinf(result.edge_distance_mean)
    assert all(share == 0.0 for share in result.edge_within.values())


def test_a_one_pixel_line_has_boundary_but_no_normals(disk_image):
    line = gallery.line(disk_image.shape)
    samples = boundary_samples(line)
    # Every pixel of a 1-px line has a 4-neighbour outside: 30 boundary pixels.
    assert len(samples) == 30
    with warnings.catch_warnings():
        # The few pixels that do get a normal make a profile without a clear peak.
        warnings.simplefilter("ignore", ProfilePeakWarning)
        result = alignment(disk_image, line)
    assert result.boundary_px == 30 and math.isfinite(result.edge_distance_mean)


# --- boundaries and normals -----------------------------------------------------------


def test_boundary_of_a_square_is_its_outer_ring():
    # A 12 x 12 square: 4 * 12 - 4 = 44 pixels with a 4-neighbour outside.
    assert int(mask_boundary(gallery.square()).sum()) == 44


def test_boundary_on_the_image_border_is_skipped_unless_included():
    mask = gallery.touching_border()  # rows 0..9, cols 0..11
    # Excluded: row 9, cols 1..11 (11 px) and col 11, rows 1..9 (9 px), sharing (9, 11).
    assert int(mask_boundary(mask).sum()) == 11 + 9 - 1
    # Included: the whole ring of the 10 x 12 block, 2 * 10 + 2 * 12 - 4 = 40 px.
    assert int(mask_boundary(mask, border="include").sum()) == 40


def test_normals_of_a_disk_point_outward():
    samples = boundary_samples(gallery.disk())
    radial = np.stack([samples.rows - 16.0, samples.cols - 20.0], axis=1)
    radial /= np.linalg.norm(radial, axis=1, keepdims=True)
    cosines = np.sum(radial * samples.normals, axis=1)
    assert samples.has_normal.all() and cosines.min() > 0.9


def test_canny_edges_of_a_step_lie_on_it(step_image):
    edges = image_edges(step_image)
    cols = np.nonzero(edges.edges[5:-5])[1]
    assert set(cols.tolist()) <= {49, 50}
    low, high = edges.thresholds
    assert low == pytest.approx(high / 2)


# --- images: colour, grey, dtypes, sizes ---------------------------------------------


def test_colour_with_equal_channels_scores_as_grey(disk_image):
    colour = np.repeat(disk_image[..., None], 3, axis=2)
    grey = alignment(disk_image, _disk(RADIUS + 1)).to_dict()
    rgb = alignment(colour, _disk(RADIUS + 1)).to_dict()
    assert rgb == pytest.approx(grey, abs=1e-4)


def test_float_image_in_unit_range_scores_as_uint8():
    # 0.0 / 1.0 floats are 0 / 255 grey levels exactly.
    image = np.where(_disk(RADIUS), 1.0, 0.0)
    as_bytes = (image * 255).astype(np.uint8)
    floats = alignment(image, _disk(RADIUS)).to_dict()
    assert floats == pytest.approx(
        alignment(as_bytes, _disk(RADIUS)).to_dict(), abs=1e-4
    )


@pytest.mark.parametrize(
    "image",
    [np.zeros((4, 4, 2)), np.zeros((2, 4, 4, 3)), np.zeros((4, 4), np.int64)],
)
def test_bad_images_raise_input_error(image):
    with pytest.raises(InputError, match="`image`"):
        alignment(image, np.zeros((4, 4), bool))


def test_sizes_that_differ_raise_and_name_the_option():
    with pytest.raises(ShapeMismatchError, match="match-size"):
        alignment(np.zeros((64, 64), np.uint8), np.zeros((32, 32), bool))


def test_match_image_upsamples_the_mask_in_2x2_blocks():
    labels = np.arange(4, dtype=np.uint8).reshape(2, 2)
    _, big = match_size(np.zeros((4, 4, 3), np.uint8), labels, "image")
    # Output pixel i reads input floor((i + 0.5) / 2): rows/cols 0,1 -> 0 and 2,3 -> 1.
    assert big.tolist() == [[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 3, 3], [2, 2, 3, 3]]


def test_match_mask_averages_the_image_down():
    image = np.array([[0, 255, 10, 10], [255, 0, 10, 10]], np.uint8)
    small, _ = match_size(image, np.zeros((1, 2), bool), "mask")
    # Area averaging of the two 2 x 2 blocks: (0 + 255 + 255 + 0) / 4 and 10.
    assert small.tolist() == [[128, 10]]


def test_match_refuses_other_aspect_ratios_and_unknown_choices():
    with pytest.raises(ShapeMismatchError, match="aspect"):
        match_size(np.zeros((64, 64)), np.zeros((32, 40), bool), "image")
    with pytest.raises(InputError, match="`how`"):
        match_size(np.zeros((4, 4)), np.zeros((4, 4), bool), "nearest")


@pytest.mark.parametrize("bad", [0, -1, 2.5, "x"])
def test_profile_px_must_be_a_positive_whole_number(bad):
    with pytest.raises(InputError, match="profile_px"):
        alignment(np.zeros((8, 8)), gallery.square((8, 8), 2, 2, 4), profile_px=bad)


def test_border_choice_is_checked():
    with pytest.raises(InputError, match="`border`"):
        alignment(np.zeros((8, 8)), np.zeros((8, 8), bool), border="crop")


# --- record and label maps ------------------------------------------------------------


def test_to_dict_is_flat_floats_with_the_documented_keys(disk_image):
    values = alignment(disk_image, _disk(RADIUS)).to_dict()
    expected = {
        "alignment_score",
        "edge_distance_mean",
        "edge_distance_median",
        "edge_distance_p90",
        "profile_peak_px",
        "profile_sharpness",
        "normal_agreement",
        "boundary_px",
        *(f"edge_within@{px}px" for px in WITHIN_PX),
    }
    assert set(values) == expected
    assert all(isinstance(v, float) for v in values.values())


def test_per_class_scores_each_label_from_one_set_of_edges(step_image):
    labels = np.ones((100, 100), np.uint8)
    labels[:, 50:] = 2
    labels[:, 53:] = 3  # class 2 is a 3-px strip whose right side has no edge
    scores = alignment_per_class(step_image, labels)
    assert sorted(scores) == [1, 2, 3]
    # Class 1 ends at the edge (peak 0); class 3 starts 3 px right of it, so the edge
    # lies 3 px outward of class 3's crack at column 52.5: peak +3.
    assert scores[1].profile_peak_px == pytest.approx(0.0, abs=0.5)
    assert scores[3].profile_peak_px == pytest.approx(3.0, abs=0.5)
    assert scores[1].alignment_score > scores[3].alignment_score


def test_per_class_warns_once_naming_the_classes_without_a_peak(step_image):
    labels = np.ones((100, 100), np.uint8)
    labels[:, 50:] = 2
    labels[20:40, 75:95] = 3  # a square 25 px right of the edge, on noise only
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scores = alignment_per_class(step_image, labels)
    texts = [str(w.message) for w in caught if w.category is ProfilePeakWarning]
    assert len(texts) == 1 and "of class 3 has no peak" in texts[0]
    assert scores[1].profile_peak_px == pytest.approx(0.0, abs=0.5)
    assert math.isnan(scores[3].profile_peak_px)


def test_a_profile_longer_than_a_quarter_of_the_image_is_an_input_error(step_image):
    # 100 x 100 px: 25 px reach is the most; 1000 px would read the replicated
    # border and report a peak that measures nothing.
    mask = np.zeros((100, 100), bool)
    mask[:, :50] = True
    assert alignment(step_image, mask, profile_px=25).profile_peak_px == (
        pytest.approx(0.0, abs=0.5)
    )
    with pytest.raises(InputError, match="at most 25 px.*got 1000"):
        alignment(step_image, mask, profile_px=1000)


def test_per_class_rejects_float_label_maps():
    with pytest.raises(InputError, match="label map"):
        alignment_per_class(np.zeros((4, 4)), np.zeros((4, 4), float))


@settings(max_examples=50, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    top=st.integers(0, 20),
    left=st.integers(0, 20),
    height=st.integers(1, 20),
    width=st.integers(1, 20),
)
@example(seed=0, top=1, left=1, height=1, width=1)  # one pixel: no normal, no profile
def test_values_stay_in_their_ranges(seed, top, left, height, width):
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 256, (40, 40), dtype=np.uint8)
    mask = np.zeros((40, 40), bool)
    mask[top : top + height, left : left + width] = True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProfilePeakWarning)
        result = alignment(image, mask)
    if result.boundary_px == 0:
        return
    shares = [result.edge_within[px] for px in WITHIN_PX]
    assert 0.0 <= result.alignment_score <= 1.0
    assert shares == sorted(shares) and 0.0 <= shares[0] and shares[-1] <= 1.0
    assert result.edge_distance_median <= result.edge_distance_p90
    if math.isnan(result.normal_agreement):
        # A single pixel or a 1-px line has no normal: no profile, no agreement.
        assert min(height, width) == 1 and math.isnan(result.profile_peak_px)
    else:
        assert 0.0 <= result.normal_agreement <= 1.0 + 1e-9
    if math.isnan(result.profile_peak_px):
        # No peak stands out of the noise: nan, never a clamped +-5.
        assert math.isnan(result.profile_sharpness)
        return
    assert 0.0 <= result.profile_sharpness <= 1.0
    assert -5.0 < result.profile_peak_px < 5.0


# --- real data: fine masks follow the image better than coarse ones ------------------


def _real_pair(name, real_pairs, data):
    rgb = np.asarray(Image.open(_image_of(name, data)).convert("RGB"))
    fine = np.asarray(Image.open(real_pairs / f"{name}_fine.png")) > 0
    coarse = np.asarray(Image.open(real_pairs / f"{name}_coarse.png")) > 0
    return rgb, fine, coarse


def _image_of(name, data):
    if name.startswith("gca_"):
        return (
            data
            / "gca-matting-alphamatting/demo/input_lowres"
            / f"{name.split('_')[1]}.png"
        )
    if name.startswith("lemur"):
        return data / "pymatting-lemur/data/lemur/lemur.png"
    frame = name.split("_")[1]
    return data / "cascadepsp-refinement/docs/images/H36M" / f"test_im{frame}.jpg"


def test_fine_masks_align_better_than_coarse_on_real_pairs(real_pairs, shared_data):
    names = json.loads((real_pairs / "pairs.json").read_text())
    wins = 0
    for name in names:
        rgb, fine, coarse = _real_pair(name, real_pairs, shared_data)
        edges = image_edges(rgb)
        fine_score = alignment_from_edges(edges, fine).alignment_score
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ProfilePeakWarning)
            wins += fine_score > alignment_from_edges(edges, coarse).alignment_score
    # The criterion: the fine mask wins in at least 90 % of the pairs.
    assert len(names) == 22 and wins >= 0.9 * len(names)


@pytest.mark.parametrize("profile_px", [5, 15])
def test_real_coarse_peaks_have_the_sign_of_their_offset_or_are_nan(
    real_pairs, shared_data, profile_px
):
    # Each coarse mask of these pairs lies (almost) wholly outside its fine mask
    # (trimap foreground + unknown, CascadePSP's input) or inside it (definite
    # foreground): the image edge is inward of a larger mask, a negative peak, and
    # outward of a smaller one. The trimaps lie 5 to 30 px off the fine outline.
    names = json.loads((real_pairs / "pairs.json").read_text())
    found = 0
    for name in names:
        rgb, fine, coarse = _real_pair(name, real_pairs, shared_data)
        edges = image_edges(rgb)
        fine_peak = alignment_from_edges(edges, fine, profile_px=profile_px)
        assert fine_peak.profile_peak_px == pytest.approx(0.0, abs=1.0), name
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ProfilePeakWarning)
            result = alignment_from_edges(edges, coarse, profile_px=profile_px)
        peak = result.profile_peak_px
        if not math.isnan(peak):
            found += 1
            assert np.sign(peak) == -np.sign(coarse.sum() - fine.sum()), name
            assert abs(peak) < profile_px - 0.5, name
    # Some coarse masks lie within reach of the longer profile: not all are nan.
    assert found >= (2 if profile_px == 5 else 10)
