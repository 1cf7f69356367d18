"""Coarsening mechanisms, sweeps and fits: reproducible, monotone where they must be."""

from __future__ import annotations

import json

import gallery
import numpy as np
import pytest
from conftest import ROOT, read_case
from PIL import Image

from maskqa.analysis.coarsen import coarsen, format_steps, parse_steps
from maskqa.analysis.simulate import (
    ceiling_scores,
    fit_mechanism,
    guideline_sentence,
    sweep,
)
from maskqa.errors import InputError



def _samples():
    """Fine masks: synthetic cases, plus the bundled lemur when it is there."""
    fines = [read_case(name)[0] for name in ("blob_rdp", "multi_holes", "strands")]
    for path in sorted((ROOT / "data" / "samples").rglob("masks/*.png"))[:1]:
        fines.append(np.asarray(Image.open(path).convert("L")) > 127)
    return fines


def test_polygon_zero_is_the_identity():
    for fine in _samples():
        assert np.array_equal(coarsen(fine, "polygon:0").mask, fine)


def test_more_simplification_never_raises_mean_boundary_f_at_1px():
    levels = [0, 1, 2, 4, 8]
    table = sweep(_samples(), "polygon", levels).table(n_boot=10)
    f1 = [row["boundary_f@1px"] for row in table]
    vertices = [row["vertices"] for row in table]
    assert f1[0] == 1.0
    assert all(b <= a + 1e-12 for a, b in zip(f1, f1[1:])), f1
    assert all(b <= a for a, b in zip(vertices, vertices[1:])), vertices


def test_painting_moves_the_offset_by_its_radius():
    # A square dilated by r (Euclidean) has its straight edges r px out; erosion in.
    fine = gallery.square((60, 60), top=15, left=15, side=30)
    out = ceiling_scores(fine, coarsen(fine, "dilate:3").mask)
    inside = ceiling_scores(fine, coarsen(fine, "erode:3").mask)
    assert 2.5 < out["boundary_offset_mean_px"] <= 3.0 + 1e-9
    assert -3.0 - 1e-9 <= inside["boundary_offset_mean_px"] < -2.5
    assert out["over_share"] == 1.0 and inside["over_share"] == 0.0


def test_lowres_factor_one_and_smooth_zero_are_identities():
    fine = read_case("multi_holes")[0]
    assert np.array_equal(coarsen(fine, "lowres:1").mask, fine)
    assert np.array_equal(coarsen(fine, "smooth:0").mask, fine)


def test_lowres_keeps_half_covered_blocks():
    # Factor 2 on a 4 x 4 image: the 2 x 2 block with 3 foreground pixels is kept
    # whole, the one with 1 pixel is dropped (area >= 0.5 rule).
    fine = np.zeros((4, 4), bool)
    fine[0, 0] = fine[0, 1] = fine[1, 0] = True
    fine[3, 3] = True
    expected = np.zeros((4, 4), bool)
    expected[:2, :2] = True
    assert np.array_equal(coarsen(fine, "lowres:2").mask, expected)


def test_drop_small_removes_parts_and_fills_holes():
    fine = gallery.with_hole()  # 16 x 16 square, 4 x 4 hole (16 px)
    fine[0, 0] = True  # a 1-px speck
    result = coarsen(fine, "drop_small:20").mask
    assert not result[0, 0]
    assert result[14:18, 18:22].all()


def test_drop_small_never_fills_the_background_around_the_object():
    # A level above every area drops the object; the background around it reaches
    # the border, so it is no hole: the result is empty, not a full mask.
    fine = gallery.with_hole()
    assert not coarsen(fine, "drop_small:1e12").mask.any()
    # A notch of background cut into the image's edge is not a hole either.
    notched = np.ones((10, 10), bool)
    notched[0, 4:6] = False
    assert np.array_equal(coarsen(notched, "drop_small:5").mask, notched)


def test_smooth_beyond_the_diagonal_acts_as_the_diagonal():
    # A kernel of 6e9 px per side would exhaust memory; the level is capped.
    fine = gallery.with_hole()
    diagonal = float(np.hypot(*fine.shape))
    huge = coarsen(fine, "smooth:1e9").mask
    assert np.array_equal(huge, coarsen(fine, f"smooth:{diagonal}").mask)


def test_jitter_is_reproducible_from_its_seed():
    fine = read_case("blob_rdp")[0]
    a = coarsen(fine, "jitter:2", seed=5).mask
    b = coarsen(fine, "jitter:2", seed=5).mask
    c = coarsen(fine, "jitter:2", seed=6).mask
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_vertex_budget_is_met():
    fine = read_case("blob_rdp")[0]
    assert coarsen(fine, "vertices:10").vertices <= 10


def test_empty_fine_mask_stays_empty_everywhere():
    empty = gallery.empty()
    for spec in (
        "polygon:2",
        "dilate:2",
        "erode:1",
        "smooth:2",
        "lowres:2",
        "drop_small:5",
        "jitter:1",
        "vertices:8",
    ):
        assert not coarsen(empty, spec).mask.any(), spec


def test_bad_steps_raise():
    with pytest.raises(InputError, match="mechanism"):
        parse_steps("paint:2")
    with pytest.raises(InputError, match="name:level"):
        parse_steps("polygon")
    with pytest.raises(InputError, match="lowres"):
        coarsen(gallery.disk(), "lowres:0.5")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dilate:1e+09", (("dilate", 1e9),)),
        ("dilate:1E+2+smooth:2.5e-1", (("dilate", 100.0), ("smooth", 0.25))),
        ("polygon:.5 + dilate:2", (("polygon", 0.5), ("dilate", 2.0))),
    ],
)
def test_levels_in_any_float_notation(text, expected):
    # "+" inside 1e+09 is an exponent sign, not a step separator.
    assert parse_steps(text) == expected
    # format_steps prints 1e9 as 1e+09: what it prints reads back the same.
    assert parse_steps(format_steps(expected)) == expected


def test_mechanism_levels_are_checked_when_the_steps_are_read():
    # Before any mask is coarsened, so a batch fails once, not once per mask.
    with pytest.raises(InputError, match="lowres"):
        parse_steps("lowres:0.5")
    with pytest.raises(InputError, match="budget >= 3"):
        parse_steps("polygon:1+vertices:2")
    with pytest.raises(InputError, match="finite"):
        parse_steps([("dilate", float("inf"))])


def test_fit_recovers_a_known_mechanism():
    # Coarse labels made by polygon:3 + dilate:2 from the synthetic fine masks: the
    # fit over a grid that holds it must find it with no error.
    fines = [read_case(name)[0] for name in ("blob_rdp", "multi_holes")]
    pairs = [(f, coarsen(f, "polygon:3+dilate:2").mask) for f in fines]
    grid = [
        "polygon:1+dilate:2",
        "polygon:3+dilate:2",
        "polygon:3+dilate:5",
        "dilate:2",
    ]
    fit = fit_mechanism(pairs, candidates=grid)
    assert fit.best == "polygon:3+dilate:2" and fit.error == 0.0
    assert (
        "polygons simplified at about 3 px plus 2 px of over-painting" in fit.sentence()
    )


def test_guideline_sentence_names_the_largest_level():
    fine = read_case("blob_rdp")[0]
    result = sweep([fine], "polygon", [0, 1, 2, 4, 8])
    rows = result.table(n_boot=1)
    ok = [r["level"] for r in rows if r["boundary_f@2px"] >= 0.9]
    sentence = guideline_sentence(result, "boundary_f@2px", 0.9)
    assert sentence.startswith(f"At most {max(ok):g} px of polygon simplification")


def test_fit_runs_on_real_pairs(real_pairs):
    names = [
        n
        for n in json.loads((real_pairs / "pairs.json").read_text())
        if n.startswith("lemur")
    ][:1]
    pairs = [
        tuple(
            np.asarray(Image.open(real_pairs / f"{n}_{s}.png")) > 127
            for s in ("fine", "coarse")
        )
        for n in names
    ]
    grid = ["erode:5", "dilate:8", "dilate:12", "dilate:16", "polygon:3+dilate:12"]
    fit = fit_mechanism(pairs, candidates=grid)
    # The lemur's coarse label is trimap foreground + unknown: over-painting only.
    assert fit.target["over_share"] == 1.0
    assert "dilate" in fit.best and fit.error < 0.15


def test_monotone_on_the_real_fine_masks(real_pairs):
    # The mean over images is monotone; a single image may gain a little between two
    # close levels (Douglas-Peucker results are not nested), so only the mean is held.
    files = sorted(real_pairs.glob("*_fine.png"))
    assert len(files) == 22
    unique = {}
    for path in files:
        mask = np.asarray(Image.open(path)) > 127
        unique.setdefault(mask.tobytes(), mask)
    table = sweep(list(unique.values()), "polygon", [0, 1, 3, 8]).table(n_boot=1)
    f1 = [row["boundary_f@1px"] for row in table]
    assert all(b <= a + 1e-12 for a, b in zip(f1, f1[1:])), f1


def test_a_mixed_folder_gets_a_poor_fit_warning_sentence():
    # Half the labels dilated by 4 px, half eroded by 4 px: means of opposite errors
    # that no single grid entry reproduces (over_share alone is off by 0.5).
    fine = read_case("blob_rdp")[0]
    pairs = [
        (fine, coarsen(fine, "dilate:4").mask),
        (fine, coarsen(fine, "erode:4").mask),
    ]
    fit = fit_mechanism(pairs, candidates=["dilate:4", "erode:4"])
    assert fit.error > 0.1
    assert "No mechanism of the grid explains them well" in fit.sentence()


def test_a_vertex_budget_guideline_is_a_least_budget():
    # More vertices is finer: the guideline names the smallest budget that keeps
    # the target, and says what was drawn.
    fine = np.zeros((60, 60), bool)
    yy, xx = np.mgrid[:60, :60]
    fine[(yy - 30) ** 2 + (xx - 30) ** 2 <= 20**2] = True
    result = sweep([fine], "vertices", [4, 8, 64])
    rows = result.table(n_boot=1)
    ok = [r["level"] for r in rows if r["iou"] >= 0.95]
    sentence = guideline_sentence(result, "iou", 0.95)
    assert ok and sentence.startswith(
        f"At least a budget of {min(ok):g} polygon vertices per mask keeps"
    )


def test_guidelines_say_what_a_level_means():
    fine = np.zeros((40, 40), bool)
    fine[10:30, 10:30] = True
    sentence = guideline_sentence(sweep([fine], "erode", [0, 1, 2]), "iou", 0.5)
    assert sentence.startswith("At most 2 px of under-painting (erosion) keeps")
    assert "vertices" not in sentence
