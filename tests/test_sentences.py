"""The sentences of the ceiling analysis: what they say, once, with real counts."""

from __future__ import annotations

import numpy as np
import pytest

from maskqa.analysis._sentences import (
    ceiling_sentences,
    headline_keys,
    metric_label,
    no_pair_sentence,
)
from maskqa.analysis.ceiling import ceiling_analysis, summarise_metric

INF = float("inf")


def _reach_sentence(reach, widths=(1.0, 2.0, 5.0, 10.0)) -> str:
    (sentence,) = ceiling_sentences({}, reach, None, widths)
    return sentence


def test_a_lower_target_missed_is_said_once_without_the_higher_one():
    # Neither 0.9 nor 0.95 is reached up to 10 px: missing 0.9 implies missing 0.95.
    sentence = _reach_sentence({0.9: INF, 0.95: INF})

    assert sentence == (
        "These labels are not accurate to 10 px: the mean boundary F stays below "
        "0.9 up to 10 px (tolerances measured: 1 to 10 px); measure wider "
        "tolerances to find where it reaches 0.9."
    )
    assert "0.95" not in sentence and sentence.count("stays below") == 1


def test_a_lower_target_reached_and_a_higher_one_missed_are_both_said():
    sentence = _reach_sentence({0.9: 4.0, 0.95: INF})

    assert "reaches 0.9 at 4.0 px and stays below 0.95 up to 10 px" in sentence
    assert sentence.endswith("find where it reaches 0.95.")


def test_targets_reached_at_the_narrowest_tolerance_are_said_once():
    # Reaching 0.95 at 1 px, the narrowest width measured, implies reaching 0.9.
    sentence = _reach_sentence({0.9: 1.0, 0.95: 1.0})

    assert sentence == (
        "These labels are accurate to 1 px or better: the mean boundary F reaches "
        "0.95 already at 1 px, the narrowest tolerance measured (tolerances "
        "measured: 1 to 10 px)."
    )

    # 0.9 at the narrowest, 0.95 later: both facts, the apposition closed by a comma.
    sentence = _reach_sentence({0.9: 1.0, 0.95: 3.5})
    assert (
        "reaches 0.9 already at 1 px, the narrowest tolerance measured, and reaches "
        "0.95 at 3.5 px" in sentence
    )


def test_with_few_images_the_worst_one_is_named_not_a_percentile():
    # Four images: 5 % of them is a fifth of an image; the worst one scores 0.6.
    values = [0.9, 0.8, 0.6, 0.7]
    summary = summarise_metric(values, metric="iou", n_boot=100)
    (sentence,) = ceiling_sentences({"iou": summary}, {}, None, values={"iou": values})

    assert "4 images; the worst image scores 0.600)" in sentence
    assert "5 %" not in sentence and "worst 5" not in sentence


def test_with_many_images_the_worst_five_percent_are_counted():
    # 40 images scoring 0.01, 0.02, ..., 0.40: 5 % is 2 images, the 2nd worst 0.02.
    values = [i / 100 for i in range(40, 0, -1)]
    summary = summarise_metric(values, metric="iou", n_boot=100)
    (sentence,) = ceiling_sentences({"iou": summary}, {}, None, values={"iou": values})

    assert "the 2 worst images (5 %) score 0.020 or less" in sentence


def test_the_worst_image_leaves_undefined_values_out():
    # nan is undefined, not the worst: of 0.5, 0.3 and nan the worst is 0.3.
    ceiling = ceiling_analysis({"iou": [0.5, np.nan, 0.3]}, n_boot=100)

    assert "3 images, 1 undefined; the worst image scores 0.300" in ceiling.sentences[0]


def test_band_widths_read_as_bands_and_tolerances_as_distances():
    assert metric_label("boundary_iou@2px") == "boundary IoU in a 2 px band"
    assert metric_label("trimap_iou@5px") == "trimap IoU in a 5 px band"
    assert metric_label("boundary_f@1px") == "boundary F at 1 px"
    assert metric_label("nsd@2px") == "normalised surface Dice at 2 px"
    assert metric_label("deepmind.nsd@1") == "deepmind.nsd@1"


def test_boundary_iou_gets_its_sentence_at_the_2_px_band_of_the_summaries():
    # Measured at 1, 2 and 5 px (1 px narrowest): the sentence reads the 2 px band,
    # the width the evaluate summary and the HTML report show.
    columns = {
        "boundary_iou@1px": [0.1, 0.3],
        "boundary_iou@2px": [0.4, 0.6],
        "boundary_iou@5px": [0.8, 1.0],
    }
    ceiling = ceiling_analysis(columns, n_boot=100)

    assert headline_keys(columns) == ["boundary_iou@2px"]
    (sentence,) = ceiling.sentences
    assert "a mean boundary IoU in a 2 px band of 0.500" in sentence
    assert ceiling.curves["boundary_iou"].widths_px == (1.0, 2.0, 5.0)


def test_a_preset_gets_one_sentence_per_kind_of_metric():
    # DAVIS: J (region) and F (boundary); P and R are parts of F, not headlines.
    columns = {
        "davis.F": [0.2, 0.4],
        "davis.P": [0.3, 0.5],
        "davis.R": [0.1, 0.3],
        "davis.J": [0.8, 0.9],
        "medpy.hd95": [2.0, 4.0],
    }
    sentences = ceiling_analysis(columns, n_boot=100).sentences

    assert len(sentences) == 3
    assert "a mean davis.J of 0.850" in sentences[0]
    assert "a mean davis.F of 0.300" in sentences[1]
    # A preset's distance reads as a distance: 3.0 px on average.
    assert "stay on average 3.0 px (medpy.hd95)" in sentences[2]


@pytest.mark.parametrize(
    ("failed", "unpaired", "expected"),
    [
        (1, 0, "No pair was scored; see errors.csv (1 pair failed)."),
        (2, 1, "No pair was scored; see errors.csv (2 pairs failed, 1 file unpaired)."),
        (0, 3, "No pair was scored; see unpaired.csv (3 files unpaired)."),
    ],
)
def test_no_pair_sentence_points_to_the_file_that_says_why(failed, unpaired, expected):
    assert no_pair_sentence(failed, unpaired) == expected


def test_an_analysis_without_images_says_no_pair_was_scored():
    ceiling = ceiling_analysis({}, n_boot=100)

    assert ceiling.sentences == ("No pair was scored: there is no ceiling to report.",)


def test_one_worst_image_in_five_percent_is_named_in_the_singular():
    # 22 images: 5 % is round(1.1) = 1 image, the worst, scoring 0.01.
    values = [0.01] + [0.5 + i / 100 for i in range(21)]
    summary = summarise_metric(values, metric="iou", n_boot=100)
    (sentence,) = ceiling_sentences({"iou": summary}, {}, None, values={"iou": values})

    assert "the worst image (5 %) scores 0.010" in sentence
    assert "1 worst images" not in sentence and "or less" not in sentence


def test_the_offset_is_given_over_all_boundary_pixels_and_per_image():
    from maskqa.analysis.ceiling import disagreement_profile

    # Two images: +1 px on a 10 px boundary, -3 px on a 30 px one. Over all 40
    # boundary pixels (10 - 90) / 40 = -2 px; the mean of the images is -1 px.
    profile = disagreement_profile(
        {
            "over_px_0_1": [5, 0],
            "under_px_0_1": [0, 5],
            "boundary_offset_mean_px": [1.0, -3.0],
            "candidate_boundary_px": [10, 30],
        }
    )
    (sentence,) = ceiling_sentences({}, {}, profile)
    assert "2.00 px inside the fine one over all its pixels" in sentence
    assert "1.00 px inside it in the mean of the images" in sentence
