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

from .errors import InputError, LabelMapWarning, ShapeMismatchError, ThresholdWarning

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


#: Integer value sets read as binary masks: the non-zero pixels, no warning.
_BINARY_SETS = ({0, 1}, {0, 255}, {0, 65535})

#: How many distinct values a label-map warning lists.
_SHOWN_VALUES = 10


def binarise(
    array: np.ndarray,
    *,
    threshold: float | None = None,
    name: str = "mask",
    path: str | Path | None = None,
) -> np.ndarray:
    """Turn a 2-D array into a boolean mask by maskqa's binarisation rule.

    Parameters
    ----------
    array : numpy.ndarray
        A bool, integer or float array.
    threshold : float, optional
        Overrides the rule: foreground is ``array >= threshold``. Must be finite,
        and for an integer array within the range of its dtype.
    name : str, optional
        The parameter's name, for messages.
    path : str or Path, optional
        The file the array came from, for messages.

    Returns
    -------
    numpy.ndarray of bool
        The mask.

    Raises
    ------
    InputError
        If ``threshold`` is not a finite number or lies outside an integer
        dtype's range, if a float array holds nan or inf, or if the dtype is
        neither bool, integer nor float.

    Warns
    -----
    ThresholdWarning
        When the rule had to choose a threshold; when it turns an integer array
        holding several values into an empty or full mask (a label map read as
        a mask), the warning lists the values and says to pass ``label=``.

    Notes
    -----
    The rule depends on the values, never on the dtype, so the same values
    give the same mask at every bit depth:

    - bool: as is;
    - integers holding only {0, 1}, {0, 255} or {0, 65535}: the non-zero pixels;
    - other integers all within 0..255 (8-bit values): ``value >= 128``;
    - other integers all within 0..65535 (16-bit values): ``value >= 32768``;
    - other integers (negative, or above 65535): ``value != 0``;
    - floats: {0, 1} as is, otherwise ``value >= 0.5``.

    Every rule but the first two warns (ThresholdWarning) and names itself.

    Examples
    --------
    >>> import numpy as np
    >>> binarise(np.array([[0, 255], [255, 0]], np.uint8)).tolist()
    [[False, True], [True, False]]
    >>> binarise(np.array([[0, 300]], np.uint16), threshold=100).tolist()
    [[False, True]]
    >>> binarise(np.zeros((2, 2), np.uint8)).any()  # an empty mask
    np.False_
    """
    array = np.asarray(array)
    if threshold is not None:
        threshold = _check_threshold(threshold, array, name, path)
        return array >= threshold
    if array.dtype == bool:
        return array
    if array.dtype.kind in "iu":
        return _binarise_integers(array, name, path)
    if array.dtype.kind == "f":
        if not np.all(np.isfinite(array)):
            raise InputError(
                f"Expected `{name}` to hold finite values, got nan or inf.", path
            )
        if set(np.unique(array).tolist()) <= {0.0, 1.0}:
            return array != 0
        _warn_threshold(name, path, "float values", ">= 0.5")
        return array >= 0.5
    raise InputError(
        f"Expected `{name}` to be a bool, integer or float array, "
        f"got dtype {array.dtype}.",
        path,
    )


def _check_threshold(threshold, array: np.ndarray, name: str, path) -> float:
    """``threshold`` as a float: finite, and in an integer dtype's range."""
    try:
        value = float(threshold)
    except (TypeError, ValueError):
        raise InputError(
            f"Expected `threshold` for `{name}` to be a number, got {threshold!r}.",
            path,
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


def _binarise_integers(array: np.ndarray, name: str, path) -> np.ndarray:
    values = _integer_values(array)
    if any(values <= binary for binary in _BINARY_SETS):
        return array != 0
    low, high = min(values), max(values)
    if low >= 0 and high <= 255:
        what, rule = "8-bit values other than {0, 1} or {0, 255}", ">= 128"
        mask = array >= 128
    elif low >= 0 and high <= 65535:
        what, rule = "16-bit values other than {0, 65535}", ">= 32768"
        mask = array >= 32768
    else:
        what, rule, mask = f"{array.dtype} values", "!= 0", array != 0
        if len(values) == 2 and low == 0:
            # 0 and one other value: a binary mask at any bit depth
            return mask
    if not mask.any() or mask.all():
        outcome = "full" if mask.any() else "empty"
        depth = what.split(" values")[0]
        _warn_label_map(name, path, sorted(values), f"{depth} values ({rule})", outcome)
    else:
        _warn_threshold(name, path, what, rule, stacklevel=5)
    return mask


def _integer_values(array: np.ndarray) -> set[int]:
    """The distinct values of an integer array (one histogram pass up to 16 bits)."""
    if array.dtype in (np.uint8, np.uint16):
        return set(np.flatnonzero(np.bincount(array.ravel())).tolist())
    return set(np.unique(array).tolist())


def _warn_threshold(name, path, what, rule, stacklevel=4):
    where = f"{path}: " if path is not None else ""
    warnings.warn(
        f"{where}`{name}` holds {what}; foreground taken as value {rule}. "
        "Pass threshold= (--threshold on the command line) to choose.",
        ThresholdWarning,
        stacklevel=stacklevel,
    )


def _warn_label_map(name, path, values, rule, outcome):
    where = f"{path}: " if path is not None else ""
    shown = ", ".join(str(v) for v in values[:_SHOWN_VALUES])
    more = f", ... ({len(values)} distinct)" if len(values) > _SHOWN_VALUES else ""
    finding = (
        f"{where}`{name}` looks like a label map: it holds the values {shown}{more}, "
        f"and the rule for {rule} gives an {outcome} mask."
    )
    advice = (
        " Pass label= (--label on the command line; --class for align and audit) "
        "to select a class, or threshold= (--threshold) to choose the foreground."
    )
    warnings.warn(LabelMapWarning(finding + advice, finding), stacklevel=5)


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
    if isinstance(mask, (str, Path)):
        raise InputError(
            f"Expected `{name}` to be an array, got the path {str(mask)!r}: read "
            "files with maskqa.read_mask first.",
            path,
        )
    try:
        array = np.asarray(mask)
    except Exception as exc:  # pragma: no cover - numpy raises many types
        kind = type(mask).__name__
        message = f"Expected `{name}` to be an array, got {kind}."
        raise InputError(message, path) from exc
    if array.dtype == object:
        raise InputError(
            f"Expected `{name}` to be a numeric array, got dtype object.", path
        )
    if array.ndim != 2:
        raise InputError(
            f"Expected `{name}` to be a 2-D array (height, width), "
            f"got shape {array.shape}.",
            path,
        )
    if 0 in array.shape:
        raise InputError(
            f"Expected `{name}` to have pixels, got shape {array.shape}.", path
        )
    mask = binarise(array, threshold=threshold, name=name, path=path)
    return np.ascontiguousarray(mask)


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
            f"{reference.shape} and {candidate.shape}; "
            "masks are never resized silently."
        )
    return reference, candidate
