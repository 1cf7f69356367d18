"""Overlays, crops, plots and contact sheets: returned artists and sizes, not pixels.

Where a colour is checked it is because the colour is the contract (which pixel class
gets which palette entry), derived from the gallery masks by hand.
"""

from __future__ import annotations

import subprocess
import sys

import gallery
import numpy as np
import pytest
from conftest import read_case
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from maskqa.errors import InputError
from maskqa.viz.overlay import densest_crops, overlay_figure, overlay_rgb, plot_overlay
from maskqa.viz.palette import COLOURS, to_rgb
from maskqa.viz.plots import (
    curve_families,
    distance_bins,
    plot_curve,
    plot_disagreement_by_distance,
    plot_interval_curve,
    plot_score_distribution,
)
from maskqa.viz.sheet import contact_sheet, lower_is_better, worst_pairs


def test_import_maskqa_does_not_import_matplotlib():
    code = "import sys, maskqa, maskqa.viz; print('matplotlib' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True
    )
    assert result.stdout.strip() == "False", result.stderr


# --- overlay_rgb -------------------------------------------------------------------


def test_overlay_colours_each_pixel_class():
    # Square 8..19 x 10..21 (reference) against the same square moved 2 px right.
    reference = gallery.square()
    candidate = gallery.shifted(reference, dx=2)
    rgb = overlay_rgb(reference, candidate)

    assert rgb.shape == (*reference.shape, 3) and rgb.dtype == np.uint8
    # Far from both masks: the white background, untouched.
    assert rgb[0, 0].tolist() == [255, 255, 255]
    # Inside both, away from the boundaries: agreement tint, a mix of white and
    # the agreement colour.
    assert rgb[14, 16].tolist() != [255, 255, 255]
    # Column 22..23 is candidate only (over-painted), rows 9..18 away from the
    # top and bottom boundaries: orange dominates (red > blue).
    over = rgb[14, 22].astype(int)
    assert over[0] > over[2]
    # Column 10..11 is reference only (under-painted): blue dominates. Column 10 is
    # the reference boundary (black), so look at column 11.
    under = rgb[14, 11].astype(int)
    assert under[2] > under[0]
    # Boundaries one pixel thin: the reference's left edge black, the candidate's
    # right edge (column 23) green.
    assert rgb[14, 10].tolist() == list(to_rgb(COLOURS["reference_boundary"]))
    assert rgb[14, 23].tolist() == list(to_rgb(COLOURS["candidate_boundary"]))


def test_overlay_band_edges_are_drawn_only_when_asked():
    reference = gallery.disk()
    band_colour = list(to_rgb(COLOURS["band"]))
    plain = overlay_rgb(reference, reference)
    banded = overlay_rgb(reference, reference, band_px=3)

    assert not (plain == band_colour).all(axis=2).any()
    assert (banded == band_colour).all(axis=2).sum() > 0


def test_overlay_border_edges_are_not_boundary():
    # A block cut by the top and left borders: no line along the border.
    mask = gallery.touching_border()
    rgb = overlay_rgb(mask, mask)
    black = list(to_rgb(COLOURS["reference_boundary"]))

    assert not (rgb[0, :11] == black).all(axis=1).any()
    assert (rgb[9, :12] == black).all(axis=1).all()


def test_overlay_over_an_image_keeps_its_size_and_greys_it():
    reference, candidate = read_case("nonsquare_300x517")
    image = np.zeros((*reference.shape, 3), np.uint8)
    image[..., 0] = 200  # pure red: must come out grey where nothing is painted
    rgb = overlay_rgb(reference, candidate, image)
    outside = ~(reference | candidate)

    assert rgb.shape == (300, 517, 3)
    assert np.all(rgb[outside][:, 0] == rgb[outside][:, 1])


@pytest.mark.parametrize("bad", [np.zeros((3, 4)), np.zeros((5, 4, 3))])
def test_overlay_rejects_an_image_of_another_size(bad):
    with pytest.raises(InputError, match="`image`"):
        overlay_rgb(np.zeros((4, 5), bool), np.zeros((4, 5), bool), bad)


def test_overlay_rejects_mismatched_masks_and_bad_band():
    with pytest.raises(InputError, match="same shape"):
        overlay_rgb(np.zeros((4, 5), bool), np.zeros((5, 4), bool))
    with pytest.raises(InputError, match="band_px"):
        overlay_rgb(gallery.disk(), gallery.disk(), band_px=0)


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_overlay_of_identical_masks_shows_only_agreement(seed):
    mask = np.random.default_rng(seed).random((12, 15)) < 0.5
    colours = {tuple(c) for c in overlay_rgb(mask, mask).reshape(-1, 3).tolist()}

    # Only background, the agreement fill (the centre of a full 3 x 3 mask, which
    # has no boundary since the image border is not boundary) and the reference
    # boundary, drawn over the identical candidate boundary.
    agreement = tuple(overlay_rgb(np.ones((3, 3), bool), np.ones((3, 3), bool))[1, 1])
    allowed = {(255, 255, 255), agreement, to_rgb(COLOURS["reference_boundary"])}
    assert colours <= allowed


# --- densest_crops -----------------------------------------------------------------


def test_crops_go_where_the_disagreement_is_and_do_not_overlap():
    reference = np.zeros((100, 100), bool)
    candidate = reference.copy()
    candidate[5:10, 5:10] = True  # 25 px
    candidate[60:80, 70:90] = True  # 400 px: the densest
    crops = densest_crops(reference, candidate, size_px=30, k=3)

    assert [c.n_disagree for c in crops] == [400, 25]
    first = crops[0]
    assert first.top <= 60 and first.top + 30 >= 80 and first.left <= 70
    a, b = crops
    assert (
        a.top + a.height <= b.top
        or b.top + b.height <= a.top
        or (a.left + a.width <= b.left or b.left + b.width <= a.left)
    )


def _overlap(a, b) -> bool:
    rows = a.top < b.top + b.height and b.top < a.top + a.height
    return rows and a.left < b.left + b.width and b.left < a.left + a.width


_RECTANGLES = st.lists(
    st.tuples(*[st.integers(0, 59)] * 2, *[st.integers(1, 24)] * 2),
    min_size=1,
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(_RECTANGLES, st.integers(8, 60), st.integers(8, 60), st.integers(1, 40))
def test_crops_never_overlap_and_stay_inside_the_image(rectangles, height, width, size):
    # Blocks of over-painting of every size and place: windows tie, crowd each other
    # and meet the image border, and their centring moves them.
    reference = np.zeros((height, width), bool)
    candidate = reference.copy()
    for top, left, rows, cols in rectangles:
        candidate[top : top + rows, left : left + cols] = True
    crops = densest_crops(reference, candidate, size_px=size, k=5)

    assert len(crops) <= 5 and (len(crops) > 0) == candidate.any()
    for crop in crops:
        assert 0 <= crop.top and crop.top + crop.height <= height
        assert 0 <= crop.left and crop.left + crop.width <= width
        assert crop.height == crop.width == min(size, height, width)
        assert crop.n_disagree == candidate[crop.slices].sum() > 0
    assert not any(_overlap(a, b) for i, a in enumerate(crops) for b in crops[i + 1 :])


def test_crops_of_a_real_pair_do_not_overlap(real_pairs):
    # The pair where a window centred after the exclusion overlapped the next by
    # 12 px (left 350 and 434, 96 px wide).
    from maskqa.io import read_mask

    name = "gca_elephant_trimap1_inner"
    reference = read_mask(real_pairs / f"{name}_fine.png")
    candidate = read_mask(real_pairs / f"{name}_coarse.png")
    crops = densest_crops(reference, candidate, size_px=96, k=3)

    assert len(crops) == 3
    assert not any(_overlap(a, b) for i, a in enumerate(crops) for b in crops[i + 1 :])


def test_crops_of_thick_under_painting_show_a_boundary_not_solid_colour():
    # A 15 px disk against a 60 px one: a 45 px ring of under-painting, where a 24 px
    # window fits whole. Each crop is crossed by a boundary instead: it holds half a
    # window's side of boundary pixels at least, and some pixels that agree.
    from maskqa.viz.overlay import _inner_boundary

    reference = gallery.disk(shape=(160, 160), centre=(80, 80), radius=60.0)
    candidate = gallery.disk(shape=(160, 160), centre=(80, 80), radius=15.0)
    boundary = _inner_boundary(reference) | _inner_boundary(candidate)
    crops = densest_crops(reference, candidate, size_px=24, k=3)

    assert len(crops) == 3
    assert all(boundary[c.slices].sum() >= 12 for c in crops)
    assert all(0 < c.n_disagree < 24 * 24 for c in crops)


def test_crops_of_disagreement_far_from_any_boundary_are_still_found():
    # A full reference against an empty candidate: no boundary at all (the image
    # border is none), so the windows are ranked by disagreement alone.
    crops = densest_crops(gallery.full(), gallery.empty(), size_px=8, k=2)
    assert [c.n_disagree for c in crops] == [64, 64]


def test_crops_of_agreeing_or_empty_masks_are_none():
    assert densest_crops(gallery.empty(), gallery.empty()) == []
    assert densest_crops(gallery.disk(), gallery.disk()) == []


def test_crop_window_is_clipped_to_the_image():
    crops = densest_crops(gallery.empty(), gallery.single_pixel(), size_px=500)
    assert crops[0].height == crops[0].width == 32


@pytest.mark.parametrize("kwargs", [{"size_px": 0}, {"k": 0}, {"k": 1.5}])
def test_crops_reject_bad_sizes(kwargs):
    with pytest.raises(InputError):
        densest_crops(gallery.disk(), gallery.square(), **kwargs)


# --- figures -----------------------------------------------------------------------


def test_overlay_figure_is_at_full_resolution_with_crops_and_legend(tmp_path):
    reference, candidate = read_case("large_512")
    made = overlay_figure(reference, candidate, n_crops=2, crop_size_px=40)
    path = tmp_path / "o.png"
    made.figure.savefig(path, dpi=made.figure.dpi)

    from PIL import Image

    height, width = reference.shape
    assert made.scale == 1 and width >= 480
    # The picture is as wide as the mask; the overlay artist holds every pixel.
    assert Image.open(path).size[0] == width
    assert made.main.artists["image"].get_array().shape == (height, width, 3)
    assert len(made.crops) == len(made.crop_axes) == 2
    assert [a.images[0].get_array().shape[:2] for a in made.crop_axes] == [(40, 40)] * 2
    assert len(made.legend.get_texts()) == 5


def test_overlay_text_and_crops_grow_with_a_wide_picture():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    # 3600 px wide, three times the 1200 px at which text is nominal (8 pt legend,
    # 9 pt title and crop labels): all three times larger; the two crops share the
    # width.
    reference = np.zeros((240, 3600), bool)
    reference[60:180, 200:3400] = True
    candidate = np.zeros_like(reference)
    candidate[50:190, 180:3420] = True
    made = overlay_figure(reference, candidate, n_crops=2, title="wide")
    narrow = overlay_figure(reference[:, :480], candidate[:, :480], n_crops=1)

    assert made.legend.get_texts()[0].get_fontsize() == pytest.approx(24)
    assert made.legend.get_title().get_fontsize() == pytest.approx(27)
    assert made.main.ax.texts[0].get_fontsize() == pytest.approx(27)
    assert made.crop_axes[0].bbox.width == pytest.approx(1800)
    assert narrow.legend.get_texts()[0].get_fontsize() == pytest.approx(8)

    # The larger legend still fits inside the picture, between overlay and crops.
    canvas = FigureCanvasAgg(made.figure)
    canvas.draw()
    legend = made.legend.get_window_extent(canvas.get_renderer())
    assert 0 <= legend.x0 and legend.x1 <= made.figure.bbox.x1
    assert made.crop_axes[0].bbox.y1 <= legend.y0
    assert legend.y1 <= made.main.ax.bbox.y0


@pytest.mark.parametrize("n_crops", [1, 2, 3])
def test_crops_fill_the_width_of_the_figure(n_crops):
    # 680 px wide (the lemur samples), blocks of over-painting far apart: the tiles
    # touch each other and both sides, whatever their number.
    reference = np.zeros((440, 680), bool)
    candidate = reference.copy()
    for left in (20, 300, 560):
        candidate[200:260, left : left + 60] = True
    made = overlay_figure(reference, candidate, n_crops=n_crops)
    boxes = [ax.bbox for ax in made.crop_axes]

    assert len(made.crops) == n_crops
    assert boxes[0].x0 == pytest.approx(0) and boxes[-1].x1 == pytest.approx(680)
    assert all(a.x1 == pytest.approx(b.x0) for a, b in zip(boxes, boxes[1:]))
    assert all(b.y0 == pytest.approx(0) for b in boxes)
    assert all(b.width == pytest.approx(b.height, abs=1) for b in boxes)


@pytest.mark.parametrize(("shape", "crop_size_px"), [((32, 40), 96), ((150, 400), 75)])
def test_no_crops_on_an_image_about_the_crop_size_and_no_row_for_them(
    shape, crop_size_px
):
    # A crop of half the smaller side or more would show the picture again, smaller:
    # none is taken, and the legend ends the figure.
    reference = gallery.disk(shape=shape, centre=(shape[0] // 2, shape[1] // 2))
    candidate = gallery.shifted(reference, dx=3)
    made = overlay_figure(reference, candidate, crop_size_px=crop_size_px)

    assert made.crops == [] and made.crop_axes == []
    legend_ax = made.legend.axes
    assert legend_ax.get_position().y0 == pytest.approx(0)
    assert legend_ax.get_position().y1 == pytest.approx(made.main.ax.get_position().y0)
    # Just below the limit, crops are taken again.
    smaller = overlay_figure(reference, candidate, crop_size_px=min(shape) // 2 - 1)
    assert smaller.crops


def test_overlay_figure_title_is_plain_text():
    made = overlay_figure(gallery.disk(), gallery.square(), title="a $x^2$ name")
    assert made.legend.get_title().get_text() == "a $x^2$ name"
    made.figure.canvas.draw()  # would fail on unbalanced math if it were parsed


def test_plot_overlay_draws_into_a_given_axes():
    ax = Figure().add_subplot()
    drawn = plot_overlay(gallery.disk(), gallery.square(), band_px=2, ax=ax)

    assert drawn.ax is ax
    assert drawn.artists["image"].get_array().shape == (32, 40, 3)
    assert len(drawn.artists["legend"].get_texts()) == 6


# --- plots ---------------------------------------------------------------------------

VALUES = {
    "iou": 0.8,
    "boundary_f@1px": 0.4,
    "boundary_f@5px": 0.95,
    "boundary_f@2px": 0.7,
    "trimap_iou@3px": 0.6,
    "boundary_precision@1px": 0.3,
}


def test_curve_families_parse_widths_without_hard_coding_them():
    families = curve_families(list(VALUES) + ["nsd@0.5px", "odd@px", "x@1pxx"])
    assert families == {
        "boundary_f": [1.0, 2.0, 5.0],
        "trimap_iou": [3.0],
        "boundary_precision": [1.0],
        "nsd": [0.5],
    }


def test_curve_of_a_pair_and_of_a_dataset():
    pair = plot_curve(VALUES, "boundary_f")
    assert pair.artists["line"].get_xdata().tolist() == [1.0, 2.0, 5.0]
    assert pair.artists["line"].get_ydata().tolist() == [0.4, 0.7, 0.95]
    assert "band" not in pair.artists

    # Two pairs: the mean line is the average; the band spans them (quantiles 0, 1).
    other = dict(VALUES, **{"boundary_f@1px": 0.0, "boundary_f@2px": 0.3})
    data = plot_curve([VALUES, other], "boundary_f", interval=(0, 1))
    assert data.artists["line"].get_ydata().tolist() == pytest.approx([0.2, 0.5, 0.95])
    assert data.artists["n_pairs"] == 2
    assert data.artists["band"] is not None


def test_curve_errors():
    with pytest.raises(InputError, match="nsd@Npx"):
        plot_curve(VALUES, "nsd")
    with pytest.raises(InputError, match="interval"):
        plot_curve([VALUES], "boundary_f", interval=(0.9, 0.1))
    with pytest.raises(InputError, match="at least one"):
        plot_curve([], "boundary_f")
    with pytest.raises(InputError, match="lengths"):
        plot_interval_curve([1, 2], [0.1], [0.1], [0.2], name="x")


def test_disagreement_bins_in_distance_order():
    counts = {
        "over_px_gt20": 1,
        "over_px_0_1": 4,
        "under_px_0_1": 2,
        "over_px_2.5_5": 3,
        "over_px_total": 8,
        "iou": 0.5,
    }
    bins = distance_bins(counts)
    assert [b[0] for b in bins] == ["0–1", "2.5–5", ">20"]
    assert [(b[3], b[4]) for b in bins] == [(4, 2), (3, 0), (1, 0)]

    drawn = plot_disagreement_by_distance(counts)
    assert [float(b.get_height()) for b in drawn.artists["over"]] == [4, 3, 1]
    assert [float(b.get_height()) for b in drawn.artists["under"]] == [2, 0, 0]
    with pytest.raises(InputError):
        distance_bins({"iou": 1.0})


def test_score_distribution_counts_what_it_leaves_out():
    drawn = plot_score_distribution(
        [0.1, 0.2, 0.2, np.inf, np.nan, np.nan], metric="hd95", bins=4
    )
    assert (
        drawn.artists["n_finite"],
        drawn.artists["n_inf"],
        drawn.artists["n_nan"],
    ) == (3, 1, 2)
    assert len(drawn.artists["bars"]) == 4
    assert drawn.artists["mean"].get_xdata()[0] == pytest.approx(0.5 / 3)
    assert "1 infinite, 2 undefined" in drawn.ax.get_title()
    # Counts of pairs: the y ticks are whole numbers (at most 2 pairs in a bin).
    ticks = drawn.ax.get_yticks()
    assert np.all(ticks == np.round(ticks))


# --- worst pairs and contact sheets --------------------------------------------------


def test_direction_of_metrics():
    assert lower_is_better("hd95") and lower_is_better("assd")
    assert not lower_is_better("iou") and not lower_is_better("trimap_iou@3px")


def test_worst_pairs_rank_scores_and_distances_and_put_undefined_last():
    rows = [
        {"name": n, "iou": v, "hd95": d}
        for n, v, d in [
            ("a", 0.9, 1.0),
            ("b", float("nan"), 5.0),
            ("c", 0.2, np.inf),
            ("d", 0.5, 2.0),
        ]
    ]
    assert [r["name"] for r in worst_pairs(rows, "iou", 10)] == ["c", "d", "a", "b"]
    assert [r["name"] for r in worst_pairs(rows, "hd95", 2)] == ["c", "b"]
    # Told that smaller is better, the worst IoU is the largest.
    assert [r["name"] for r in worst_pairs(rows, "iou", 1, lower_better=True)] == ["a"]
    with pytest.raises(InputError, match="`metric`"):
        worst_pairs(rows, "dice")


def test_contact_sheet_shows_the_worst_and_says_when_a_pair_cannot_be_read():
    masks = {
        "a": (gallery.disk(), gallery.square()),
        "b": (gallery.disk(), gallery.disk()),
    }
    rows = [
        {"name": "a", "iou": 0.3},
        {"name": "b", "iou": 1.0},
        {"name": "$c", "iou": 0.1},
    ]

    def read(row):
        if row["name"] not in masks:
            raise InputError("no such file")
        return masks[row["name"]]

    sheet = contact_sheet(rows, "iou", k=3, columns=2, read=read)
    assert [r["name"] for r in sheet.artists["rows"]] == ["$c", "a", "b"]
    assert len(sheet.artists["axes"]) == 3 and len(sheet.artists["images"]) == 2
    assert "not drawn: no such file" in sheet.artists["axes"][0].texts[0].get_text()
    assert sheet.artists["axes"][0].get_title().startswith("1. $c")
    # Two columns, two rows of 220 px tiles with 30 px titles, and a legend strip
    # of 3 lines (5 entries, 2 columns of 200 px): 10 + 3 * 16 px.
    width, height = sheet.ax.get_size_inches() * sheet.ax.dpi
    assert (round(width), round(height)) == (440, 2 * (220 + 30) + 58)


@pytest.mark.parametrize("k", [1, 2, 3, 4, 12])
def test_contact_sheet_legend_fits_inside_the_picture_below_the_tiles(k):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    rows = [{"name": f"pair_{i}", "iou": i / 20} for i in range(k)]
    sheet = contact_sheet(rows, "iou", k=k, read=lambda row: (gallery.disk(),) * 2)
    canvas = FigureCanvasAgg(sheet.ax)
    canvas.draw()
    renderer = canvas.get_renderer()

    # Every legend entry is inside the picture (none clipped, whatever k), below the
    # lowest tile; every tile title is inside the picture too.
    legend = sheet.artists["legend"].get_window_extent(renderer)
    picture = sheet.ax.bbox
    assert 0 <= legend.x0 and legend.x1 <= picture.x1 and legend.y0 >= 0
    assert all(
        ax.get_window_extent(renderer).y0 >= legend.y1 for ax in sheet.artists["axes"]
    )
    assert all(
        ax.title.get_window_extent(renderer).y1 <= picture.y1
        for ax in sheet.artists["axes"]
    )
    texts = [t.get_text() for t in sheet.artists["legend"].get_texts()]
    assert "agreement (both masks)" in texts and "candidate boundary" in texts
