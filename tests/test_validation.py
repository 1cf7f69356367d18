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
