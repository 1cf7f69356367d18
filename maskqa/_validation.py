"""The one home of input checks.

Every public function validates its arguments through these helpers, so that the
messages read the same everywhere: what was expected, what was got, which
parameter (and which file, when there is one).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from .errors import InputError, ShapeMismatchError, ThresholdWarning

__all__ = [
    "as_mask",
    "binarise",
    "check_pair",
    "check_choice",
    "check_widths",
    "check_positive",
]


def check_choice(value, name: str, allowed: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``allowed``, else raise an InputError."""
    allowed = tuple(allowed)
    if value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise InputError(f"Expected `{name}` to be one of {choices}, got {value!r}.")
    return value


def check_positive(value, name: str, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a float if it is finite and > 0 (or >= 0)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"Expected `{name}` to be a number, got {value!r}.") from None
    low_ok = number >= 0 if allow_zero else number > 0
    if not (math.isfinite(number) and low_ok):
        bound = ">= 0" if allow_zero else "> 0"
        raise InputError(f"Expected `{name}` to be finite and {bound}, got {value!r}.")
    return number


def check_widths(values, name: str, *, allow_zero: bool = False) -> tuple[float, ...]:
    """Return a tolerance or band width (or a sequence of them) as a float tuple.

    A single number gives a 1-tuple. Values must be finite and positive (or
    non-negative with ``allow_zero``); duplicates are kept in the given order.
    """
    if np.isscalar(values):
        values = [values]
    values = list(values)
    if not values:
        raise InputError(f"Expected `{name}` to hold at least one value, got none.")
    return tuple(check_positive(v, name, allow_zero=allow_zero) for v in values)


def binarise(
    array: np.ndarray,
    *,
    threshold: float | None = None,
    name: str = "mask",
    path: str | Path | None = None,
) -> np.ndarray:
    """Turn a 2-D array into a boolean mask by maskqa's binarisation rule.

    bool arrays are kept; integer arrays holding only {0, 1} or {0, 255} take
    the non-zero pixels; other 8-bit arrays are thresholded at 128, other
    integer arrays are non-zero, floats at 0.5, with a ThresholdWarning naming
    the guess. ``threshold`` overrides the rule: foreground is ``array >= threshold``;
    it must be finite, and for an integer array within the range of its dtype
    (else InputError).
    """
    array = np.asarray(array)
    if threshold is not None:
        threshold = _check_threshold(threshold, array, name, path)
        return array >= threshold
    if array.dtype == bool:
        return array
    if array.dtype.kind in "iu":
        values = _integer_values(array)
        if values <= {0, 1} or values <= {0, 255}:
            return array != 0
        if array.dtype == np.uint8:
            _warn_threshold(name, path, "8-bit values other than {0, 255}", ">= 128")
            return array >= 128
        if len(values) <= 2 and min(values) >= 0:
            return array != 0
        _warn_threshold(name, path, f"{array.dtype} values", "!= 0")
        return array != 0
    if array.dtype.kind == "f":
        if not np.all(np.isfinite(array)):
            raise InputError(f"Expected `{name}` to hold finite values, got nan or inf.", path)
        if set(np.unique(array).tolist()) <= {0.0, 1.0}:
            return array != 0
        _warn_threshold(name, path, "float values", ">= 0.5")
        return array >= 0.5
    raise InputError(
        f"Expected `{name}` to be a bool, integer or float array, got dtype {array.dtype}.",
        path,
    )


def _check_threshold(threshold, array: np.ndarray, name: str, path) -> float:
    """``threshold`` as a float: finite, and in an integer dtype's range."""
    try:
        value = float(threshold)
    except (TypeError, ValueError):
        raise InputError(
            f"Expected `threshold` for `{name}` to be a number, got {threshold!r}.", path
        ) from None
    if not math.isfinite(value):
        raise InputError(
            f"Expected `threshold` for `{name}` to be finite, got {threshold!r}.", path
        )
    if array.dtype.kind in "iu":
        # Outside the dtype's range every pixel falls on one side: the mask
        # would be silently empty or full.
        info = np.iinfo(array.dtype)
        if not info.min <= value <= info.max:
            raise InputError(
                f"Expected `threshold` for `{name}` ({array.dtype}) to lie in "
                f"[{info.min}, {info.max}], got {threshold!r}.",
                path,
            )
    return value


def _integer_values(array: np.ndarray) -> set[int]:
    """The distinct values of an integer array (one histogram pass for 8 bits)."""
    if array.dtype == np.uint8:
        return set(np.flatnonzero(np.bincount(array.ravel(), minlength=256)).tolist())
    return set(np.unique(array).tolist())


def _warn_threshold(name, path, what, rule):
    where = f"{path}: " if path is not None else ""
    warnings.warn(
        f"{where}`{name}` holds {what}; foreground taken as value {rule}. "
        "Pass threshold= to choose.",
        ThresholdWarning,
        stacklevel=4,
    )


def as_mask(
    mask,
    name: str = "mask",
    *,
    threshold: float | None = None,
    path: str | Path | None = None,
) -> np.ndarray:
    """Validate a 2-D mask and return it as a C-contiguous bool array.

    Raises
    ------
    InputError
        If ``mask`` is not array-like, not 2-D, or has a zero-sized side.
    """
    try:
        array = np.asarray(mask)
    except Exception as exc:  # pragma: no cover - numpy raises many types
        kind = type(mask).__name__
        raise InputError(f"Expected `{name}` to be an array, got {kind}.", path) from exc
    if array.dtype == object:
        raise InputError(f"Expected `{name}` to be a numeric array, got dtype object.", path)
    if array.ndim != 2:
        raise InputError(
            f"Expected `{name}` to be a 2-D array (height, width), got shape {array.shape}.",
            path,
        )
    if 0 in array.shape:
        raise InputError(f"Expected `{name}` to have pixels, got shape {array.shape}.", path)
    return np.ascontiguousarray(binarise(array, threshold=threshold, name=name, path=path))


def check_pair(reference, candidate, *, threshold: float | None = None):
    """Validate a (reference, candidate) pair of masks of the same shape.

    Returns both as bool arrays. Raises ShapeMismatchError when the shapes
    differ: masks are never resized silently.
    """
    reference = as_mask(reference, "reference", threshold=threshold)
    candidate = as_mask(candidate, "candidate", threshold=threshold)
    if reference.shape != candidate.shape:
        raise ShapeMismatchError(
            "Expected `reference` and `candidate` to have the same shape, got "
            f"{reference.shape} and {candidate.shape}; masks are never resized silently."
        )
    return reference, candidate
