"""Input checks of maskqa._validation: thresholds and the binarisation rule."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import maskqa
from maskqa._validation import as_mask, binarise
from maskqa.errors import InputError

LABELS_8 = np.arange(19, dtype=np.uint8).reshape(1, 19)  # a face-parsing label map


# --- threshold ------------------------------------------------------------------


@pytest.mark.parametrize("threshold", [300, 256, -1, 1e9])
def test_threshold_outside_8_bit_range_is_an_error(threshold):
    # every pixel would fall below 300: a silently empty mask
    with pytest.raises(InputError, match=r"`threshold`.*\[0, 255\]") as info:
        binarise(LABELS_8, threshold=threshold, name="reference", path="a.png")
    assert "a.png" in str(info.value) and "reference" in str(info.value)


@pytest.mark.parametrize("threshold", [math.nan, math.inf, -math.inf, "high"])
def test_threshold_must_be_a_finite_number(threshold):
    with pytest.raises(InputError, match="`threshold`"):
        binarise(np.zeros((2, 2), np.float32), threshold=threshold)


def test_threshold_range_follows_the_dtype():
    # 16 bits reach 65535, signed 8 bits start at -128
    assert binarise(np.array([[0, 60000]], np.uint16), threshold=40000).tolist() == [
        [False, True]
    ]
    assert binarise(np.array([[-5, 5]], np.int8), threshold=-128).all()
    with pytest.raises(InputError, match=r"\[0, 65535\]"):
        binarise(np.zeros((2, 2), np.uint16), threshold=70000)
    with pytest.raises(InputError, match=r"\[-128, 127\]"):
        binarise(np.zeros((2, 2), np.int8), threshold=-129)


def test_threshold_at_the_range_ends_is_allowed():
    # >= 0 takes every pixel, >= 255 only the 255s: both are deliberate choices
    assert binarise(LABELS_8, threshold=0).all()
    assert not binarise(LABELS_8, threshold=255).any()


def test_float_threshold_may_be_negative():
    # logits are negative and positive: a negative threshold is meaningful
    assert binarise(np.array([[-2.0, -0.5]]), threshold=-1.0).tolist() == [
        [False, True]
    ]


def test_compare_rejects_a_threshold_above_8_bits():
    # the reported bug: threshold=300 gave two empty masks and iou 1.0
    ref = np.zeros((8, 8), np.uint8)
    ref[2:6, 2:6] = 200
    with pytest.raises(InputError, match="threshold"):
        maskqa.compare(ref, ref, threshold=300)


@settings(max_examples=50, deadline=None)
@given(st.floats(min_value=0, max_value=255), st.integers(0, 255))
def test_threshold_in_range_is_value_at_least_threshold(threshold, value):
    array = np.full((1, 1), value, np.uint8)
    assert bool(binarise(array, threshold=threshold)[0, 0]) == (value >= threshold)


def test_as_mask_passes_the_threshold_check_on():
    with pytest.raises(InputError, match="candidate"):
        as_mask(LABELS_8, "candidate", threshold=math.nan)


# --- the binarisation rule: the same values give the same mask at every depth ----


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int32, np.int64])
def test_label_map_read_as_mask_warns(dtype):
    # values 0..18 are all below 128: the 8-bit rule gives an empty mask
    with pytest.warns(maskqa.ThresholdWarning, match="label map") as record:
        mask = binarise(LABELS_8.astype(dtype), name="reference", path="face.png")
    assert not mask.any()
    text = str(record[0].message)
    assert "face.png" in text and "0, 1, 2" in text and "19 distinct" in text
    assert "label=" in text and "--label" in text and ">= 128" in text


def test_label_map_giving_a_full_mask_warns():
    # values 128..140 are all at or above 128: a full mask
    labels = np.arange(128, 141, dtype=np.uint8).reshape(1, 13)
    with pytest.warns(maskqa.ThresholdWarning, match="full mask"):
        assert binarise(labels).all()


def test_two_faces_no_longer_score_iou_1_silently():
    # the reported bug: two different label maps both became empty masks
    face_a = np.zeros((8, 8), np.uint8)
    face_a[2:6, 2:6] = 13
    face_b = np.zeros((8, 8), np.uint8)
    face_b[3:7, 1:5] = 17
    with pytest.warns(maskqa.ThresholdWarning, match="label map"):
        maskqa.compare(face_a, face_b)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int32])
def test_8_bit_values_follow_the_8_bit_rule_at_every_depth(dtype):
    # a JPEG-like mask: >= 128 whatever the integer dtype holding it
    soft = np.array([[0, 100, 127, 128, 200, 255]], dtype)
    with pytest.warns(maskqa.ThresholdWarning, match=">= 128"):
        mask = binarise(soft)
    assert mask.tolist() == [[False, False, False, True, True, True]]


@pytest.mark.parametrize("dtype", [np.uint16, np.int32])
def test_16_bit_values_are_thresholded_at_half_range(dtype):
    soft = np.array([[0, 1000, 32767, 32768, 65535]], dtype)
    with pytest.warns(maskqa.ThresholdWarning, match=">= 32768"):
        mask = binarise(soft)
    assert mask.tolist() == [[False, False, False, True, True]]


@pytest.mark.parametrize(
    "values", [(0, 1), (0, 255), (0, 65535), (0, 1_000_000), (1,), (0,)]
)
def test_binary_value_sets_are_non_zero_without_warning(values):
    array = np.array([values], np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert binarise(array).tolist() == [[v != 0 for v in values]]


def test_negative_labels_are_non_zero_with_a_warning():
    with pytest.warns(maskqa.ThresholdWarning, match="!= 0"):
        assert binarise(np.array([[-1, 0, 3]], np.int16)).tolist() == [
            [True, False, True]
        ]


def test_threshold_warning_names_the_command_line_option():
    with pytest.warns(maskqa.ThresholdWarning, match="--threshold"):
        binarise(np.array([[0, 100, 200]], np.uint8))


def test_label_map_warning_lists_at_most_ten_values():
    with pytest.warns(maskqa.ThresholdWarning) as record:
        binarise(LABELS_8)
    listed = str(record[0].message).split("values ")[1].split(", ...")[0]
    assert listed.split(", ") == [str(v) for v in range(10)]


def test_a_path_given_as_a_mask_points_to_read_mask(tmp_path):
    # numpy would make a 0-D string array of it; the error says what to do instead.
    with pytest.raises(InputError, match="got the path 'fine.png'.*maskqa.read_mask"):
        maskqa.compare("fine.png", np.zeros((4, 4), bool))
    with pytest.raises(InputError, match="read_mask"):
        as_mask(tmp_path / "x.png", "candidate")
