"""Bands: pixel sets within a width of a mask's boundary.

- The *inner band* of width d (Boundary IoU): pixels of the mask within
  distance d of the pixels outside it.
- The *trimap band* of width w (Kohli et al., DeepLab's evaluation): pixels
  within distance w of the *trimap seed*, the pixels on either side of the
  mask's edge.

Both come in a Euclidean and a chessboard (square structuring element) flavour.
Counting functions read every width from one distance map by thresholding.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import as_mask, check_choice, check_positive
from . import boundaries as _b

__all__ = ["BAND_METRICS", "inner_band", "trimap_seed", "trimap_band"]

#: Allowed values of every band ``metric`` / ``band`` parameter.
BAND_METRICS = ("euclidean", "chessboard")


def inner_band(mask, width_px: float, *, metric="euclidean", border="exclude"):
    """Pixels of ``mask`` within ``width_px`` of the pixels outside it.

    Parameters
    ----------
    mask : array_like of bool, shape (H, W)
        The mask.
    width_px : float
        Band width d in pixels, > 0.
    metric : {"euclidean", "chessboard"}, optional
        Distance used for the width.
    border : {"exclude", "include"}, optional
        Whether beyond the image border counts as outside the mask.

    Returns
    -------
    numpy.ndarray of bool, shape (H, W)
        The band; d = 1 gives the inner boundary (Euclidean) or the pixels with
        an 8-neighbour outside (chessboard).

    Raises
    ------
    InputError
        On an invalid mask, width or option.

    Notes
    -----
    :math:`B_d(M) = \\{p \\in M : \\min_{q \\notin M} \\lVert p - q \\rVert \\le d\\}`.
    With the chessboard metric and ``border="include"`` this is the band of the
    Boundary IoU API, the mask minus its d-fold erosion by a 3 x 3 square with a
    zero frame.

    References
    ----------
    .. [1] B. Cheng, R. Girshick, P. Dollar, A. C. Berg, A. Kirillov, "Boundary
       IoU: improving object-centric image segmentation evaluation", CVPR 2021.
       doi:10.1109/CVPR46437.2021.01508

    Examples
    --------
    >>> import numpy as np
    >>> m = np.zeros((7, 7), bool); m[1:6, 1:6] = True
    >>> int(inner_band(m, 1).sum()), int(inner_band(m, 2).sum())
    (16, 24)
    >>> int(inner_band(np.zeros((3, 3), bool), 2).sum())
    0
    """
    mask = as_mask(mask, "mask")
    width = check_positive(width_px, "width_px")
    check_choice(metric, "metric", BAND_METRICS)
    if metric == "euclidean":
        dist = _b.distance_inside(mask, border=border)
    else:
        dist = _b.chessboard_distance_inside(mask, border=border)
    return mask & (dist <= np.float32(width))


def trimap_seed(mask, *, border="exclude") -> np.ndarray:
    """Pixels on either side of the edge of ``mask`` (the trimap's seed).

    Parameters
    ----------
    mask : array_like of bool, shape (H, W)
        The reference mask.
    border : {"exclude", "include"}, optional
        ``"include"``: mask pixels on the image border are seeds (the image's
        outside is background).

    Returns
    -------
    numpy.ndarray of bool, shape (H, W)
        Inner boundary plus outer boundary: a 2-pixel-wide curve.

    Raises
    ------
    InputError
        On an invalid mask or option.

    Notes
    -----
    :math:`S(M) = \\{p : \\exists q \\in N_4(p),\\ [p \\in M] \\ne [q \\in M]\\}`.

    Examples
    --------
    >>> import numpy as np
    >>> m = np.zeros((5, 5), bool); m[2, 2] = True
    >>> int(trimap_seed(m).sum())
    5
    >>> int(trimap_seed(np.zeros((3, 3), bool)).sum())
    0
    """
    mask = as_mask(mask, "mask")
    check_choice(border, "border", _b.BORDERS)
    return _b._inner_boundary(mask, border) | _b._outer_boundary(mask)


def trimap_band(mask, width_px: float, *, metric="euclidean", border="exclude"):
    """Pixels within ``width_px`` of the trimap seed of ``mask``.

    Parameters
    ----------
    mask : array_like of bool, shape (H, W)
        The reference mask.
    width_px : float
        Band width w in pixels, > 0.
    metric : {"euclidean", "chessboard"}, optional
        ``"chessboard"`` is DeepLab's dilation by a (2w + 1) square.
    border : {"exclude", "include"}, optional
        See :func:`trimap_seed`.

    Returns
    -------
    numpy.ndarray of bool, shape (H, W)
        The band.

    Raises
    ------
    InputError
        On an invalid mask, width or option.

    Notes
    -----
    :math:`T_w(M) = \\{p : \\min_{s \\in S(M)} \\lVert p - s \\rVert \\le w\\}`.

    References
    ----------
    .. [1] P. Kohli, L. Ladicky, P. H. S. Torr, "Robust higher order potentials
       for enforcing label consistency", IJCV 82(3), 2009.
       doi:10.1007/s11263-008-0202-0

    Examples
    --------
    >>> import numpy as np
    >>> m = np.zeros((5, 5), bool); m[2, 2] = True
    >>> int(trimap_band(m, 1, metric="chessboard").sum())
    21
    >>> int(trimap_band(np.zeros((3, 3), bool), 1).sum())
    0
    """
    width = check_positive(width_px, "width_px")
    check_choice(metric, "metric", BAND_METRICS)
    seed = trimap_seed(mask, border=border)
    if metric == "euclidean":
        return _b._distance_to(seed) <= np.float32(width)
    return _b._chessboard_distance_to(seed) <= np.float32(width)


def _width_index(width_px: float, metric: str) -> int:
    """The largest integer key k with k <= the width, for counting by bincount.

    Euclidean distances are square roots of integers, so a pixel is within w
    when its squared distance k satisfies k <= floor(w^2); chessboard distances
    are integers, within w when k <= floor(w).

    Examples
    --------
    >>> _width_index(1.5, "euclidean"), _width_index(1.5, "chessboard")
    (2, 1)
    """
    value = width_px * width_px if metric == "euclidean" else width_px
    return int(math.floor(value + 1e-9))
