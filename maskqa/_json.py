"""JSON for maskqa's outputs: inf and nan as the strings "inf" / "nan".

JSON has no non-finite numbers; maskqa writes them as strings (as the published
reference values do) so every file stays valid JSON.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

__all__ = ["jsonable"]


def jsonable(value):
    """``value`` with non-finite floats as strings and numpy scalars as Python ones.

    Examples
    --------
    >>> jsonable({"hd": float("inf"), "n": np.int64(3), "v": [float("nan"), 0.5]})
    {'hd': 'inf', 'n': 3, 'v': ['nan', 0.5]}
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value
