"""Boundary pixel sets and exact distance maps of 2-D bool masks.

A *boundary* here is a set of pixels at the edge of a mask. Two definitions are
used across maskqa:

- the *inner boundary*: pixels of the mask with a 4-neighbour outside it (the
  pixels form an 8-connected curve); whether the image border counts as
  "outside" is decided by ``border``;
- the *seg2bmap boundary* of the DAVIS and BSDS benchmarks: pixels that differ
  from their east, south or south-east neighbour, on either side of the edge,
  never along the image border.

Distances are Euclidean and exact (OpenCV's precise distance transform, float32).
"""

from __future__ import annotations

import cv2
import numpy as np

from .._validation import as_mask, check_choice

__all__ = [
    "BORDERS",
    "inner_boundary",
    "outer_boundary",
    "seg2bmap",
    "distance_to",
    "chessboard_distance_to",
    "distance_inside",
    "chessboard_distance_inside",
]

#: The allowed values of every ``border`` parameter.
BORDERS = ("exclude", "include")


def _pad(mask: np.ndarray, border: str) -> np.ndarray:
    # "include": the world outside the image is background, so edges along the
    # image border are mask edges. "exclude": the outside copies the nearest
    # pixel, so no edge can appear there.
    if border == "include":
        return np.pad(mask, 1, mode="constant", constant_values=False)
    return np.pad(mask, 1, mode="edge")


def inner_boundary(mask, *, border: str = "exclude") -> np.ndarray:
    """Pixels of ``mask`` that have a 4-neighbour outside the mask.

    Parameters
    ----------
    mask : array_like of bool, shape (H, W)
        The mask.
    border : {"exclude", "include"}, optional
        Whether mask edges along the image border count as boundary.

    Returns
    -------
    numpy.ndarray of bool, shape (H, W)
        The inner boundary, an 8-connected curve of mask pixels.

    Raises
    ------
    InputError
        If ``mask`` is not a 2-D mask or ``border`` is not an allowed value.

    Notes
    -----
    :math:`B(M) = \\{p \\in M : N_4(p) \\not\\subset M\\}`, with the pixels beyond
    the image border outside :math:`M` when ``border="include"`` and copies of
    their nearest image pixel when ``border="exclude"``.

    Examples
    --------
    >>> import numpy as np
    >>> m = np.zeros((5, 5), bool); m[1:4, 1:4] = True
    >>> int(inner_boundary(m).sum())
    8
    >>> int(inner_boundary(np.ones((3, 3), bool)).sum())
    0
    >>> int(inner_boundary(np.ones((3, 3), bool), border="include").sum())
    8
    >>> int(inner_boundary(np.zeros((3, 3), bool)).sum())
    0
    """
    mask = as_mask(mask, "mask")
    check_choice(border, "border", BORDERS)
    return _inner_boundary(mask, border)


def _inner_boundary(mask: np.ndarray, border: str) -> np.ndarray:
    padded = _pad(mask, border)
    interior = (
        padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:]
    )
    return mask & ~interior


def outer_boundary(mask, *, border: str = "exclude") -> np.ndarray:
    """Background pixels that have a 4-neighbour in ``mask``.

    Parameters
    ----------
    mask : array_like of bool, shape (H, W)
        The mask.
    border : {"exclude", "include"}, optional
        Accepted for symmetry with :func:`inner_boundary`; background pixels
        are always inside the image, so it changes nothing.

    Returns
    -------
    numpy.ndarray of bool, shape (H, W)
        The outer boundary.

    Raises
    ------
    InputError
        If ``mask`` is not a 2-D mask or ``border`` is not an allowed value.

    Notes
    -----
    :math:`B^{out}(M) = \\{p \\notin M : N_4(p) \\cap M \\ne \\emptyset\\}`.

    Examples
    --------
    >>> import numpy as np
    >>> m = np.zeros((5, 5), bool); m[2, 2] = True
    >>> int(outer_boundary(m).sum())
    4
    >>> int(outer_boundary(np.zeros((3, 3), bool)).sum())
    0
    """
    mask = as_mask(mask, "mask")
    check_choice(border, "border", BORDERS)
    return _outer_boundary(mask)


def _outer_boundary(mask: np.ndarray) -> np.ndarray:
    padded = np.pad(mask, 1, mode="constant", constant_values=False)
    touched = (
        padded[:-2, 1:-1] | padded[2:, 1:-1] | padded[1:-1, :-2] | padded[1:-1, 2:]
    )
    return touched & ~mask


def seg2bmap(mask) -> np.ndarray:
    """The boundary map of the BSDS / DAVIS benchmarks (``seg2bmap``).

    Parameters
    ----------
    mask : array_like of bool, shape (H, W)
        The mask.

    Returns
    -------
    numpy.ndarray of bool, shape (H, W)
        Pixels that differ from their east, south or south-east neighbour.

    Raises
    ------
    InputError
        If ``mask`` is not a 2-D mask.

    Notes
    -----
    A pixel :math:`(y, x)` is boundary if
    :math:`m_{y,x} \\ne m_{y,x+1}`, :math:`m_{y,x} \\ne m_{y+1,x}` or
    :math:`m_{y,x} \\ne m_{y+1,x+1}`. In the last row only the east neighbour
    is compared, in the last column only the south one, and the bottom-right
    pixel is never boundary, so edges along the image border never count. The
    boundary lies on the pixel nearer the origin, which can be a background
    pixel.

    References
    ----------
    .. [1] D. Martin, C. Fowlkes, J. Malik, "Learning to detect natural image
       boundaries using local brightness, color, and texture cues", IEEE TPAMI
       26(5), 2004. doi:10.1109/TPAMI.2004.1273918
    .. [2] F. Perazzi et al., "A benchmark dataset and evaluation methodology for
       video object segmentation", CVPR 2016. doi:10.1109/CVPR.2016.85

    Examples
    --------
    >>> import numpy as np
    >>> m = np.zeros((4, 4), bool); m[1:3, 1:3] = True
    >>> seg2bmap(m).astype(int)
    array([[1, 1, 1, 0],
           [1, 0, 1, 0],
           [1, 1, 1, 0],
           [0, 0, 0, 0]])
    >>> int(seg2bmap(np.zeros((2, 2), bool)).sum())
    0
    """
    return _seg2bmap(as_mask(mask, "mask"))


def _seg2bmap(mask: np.ndarray) -> np.ndarray:
    out = np.zeros_like(mask)
    out[:-1, :-1] = (
        (mask[:-1, :-1] != mask[:-1, 1:])
        | (mask[:-1, :-1] != mask[1:, :-1])
        | (mask[:-1, :-1] != mask[1:, 1:])
    )
    out[-1, :-1] = mask[-1, :-1] != mask[-1, 1:]
    out[:-1, -1] = mask[:-1, -1] != mask[1:, -1]
    out[-1, -1] = False
    return out


def _zeros_at(seed: np.ndarray) -> np.ndarray:
    # OpenCV measures the distance to the nearest zero pixel.
    return np.where(seed, np.uint8(0), np.uint8(1))


def distance_to(seed) -> np.ndarray:
    """Exact Euclidean distance of every pixel to the nearest ``seed`` pixel.

    Parameters
    ----------
    seed : array_like of bool, shape (H, W)
        The pixels to measure from; pixels beyond the image are never seeds.

    Returns
    -------
    numpy.ndarray of float32, shape (H, W)
        0 on seed pixels; a large value (above the image diagonal) everywhere
        when ``seed`` is empty.

    Raises
    ------
    InputError
        If ``seed`` is not a 2-D mask.

    Notes
    -----
    :math:`D(p) = \\min_{q \\in S} \\lVert p - q \\rVert_2`, computed by
    OpenCV's exact (Felzenszwalb-Huttenlocher) transform. Values are square
    roots of integers rounded to float32, so compare them with a tolerance
    cast to float32.

    References
    ----------
    .. [1] P. F. Felzenszwalb, D. P. Huttenlocher, "Distance transforms of
       sampled functions", Theory of Computing 8, 2012.
       doi:10.4086/toc.2012.v008a019

    Examples
    --------
    >>> import numpy as np
    >>> s = np.zeros((1, 4), bool); s[0, 0] = True
    >>> distance_to(s).tolist()
    [[0.0, 1.0, 2.0, 3.0]]
    >>> bool(distance_to(np.zeros((2, 2), bool)).min() > 2)
    True
    """
    return _distance_to(as_mask(seed, "seed"))


def _distance_to(seed: np.ndarray) -> np.ndarray:
    return cv2.distanceTransform(_zeros_at(seed), cv2.DIST_L2, cv2.DIST_MASK_PRECISE)


def chessboard_distance_to(seed) -> np.ndarray:
    """Chessboard (L-infinity) distance of every pixel to the nearest seed.

    Parameters
    ----------
    seed : array_like of bool, shape (H, W)
        The pixels to measure from.

    Returns
    -------
    numpy.ndarray of float32, shape (H, W)
        0 on seed pixels; ``{p : D(p) <= w}`` is the dilation of the seed by a
        square of side 2w + 1.

    Raises
    ------
    InputError
        If ``seed`` is not a 2-D mask.

    Notes
    -----
    :math:`D_\\infty(p) = \\min_{q \\in S} \\max(|p_y - q_y|, |p_x - q_x|)`.

    Examples
    --------
    >>> import numpy as np
    >>> s = np.zeros((3, 3), bool); s[0, 0] = True
    >>> chessboard_distance_to(s).astype(int).tolist()
    [[0, 1, 2], [1, 1, 2], [2, 2, 2]]
    >>> bool(chessboard_distance_to(np.zeros((2, 2), bool)).min() > 2)
    True
    """
    return _chessboard_distance_to(as_mask(seed, "seed"))


def _chessboard_distance_to(seed: np.ndarray) -> np.ndarray:
    return cv2.distanceTransform(_zeros_at(seed), cv2.DIST_C, 3)


def distance_inside(mask, *, border: str = "exclude") -> np.ndarray:
    """Euclidean distance of every mask pixel to the nearest pixel outside it.

    Parameters
    ----------
    mask : array_like of bool, shape (H, W)
        The mask.
    border : {"exclude", "include"}, optional
        ``"include"``: beyond the image border is outside the mask.

    Returns
    -------
    numpy.ndarray of float32, shape (H, W)
        0 on background, >= 1 on the mask. ``mask & (D <= d)`` is the inner
        band of Euclidean width ``d``; ``d = 1`` gives the inner boundary.

    Raises
    ------
    InputError
        If ``mask`` is not a 2-D mask or ``border`` is not an allowed value.

    Notes
    -----
    :math:`D(p) = \\min_{q \\notin M} \\lVert p - q \\rVert_2` for
    :math:`p \\in M`.

    Examples
    --------
    >>> import numpy as np
    >>> m = np.zeros((1, 5), bool); m[0, 1:] = True
    >>> distance_inside(m).tolist()
    [[0.0, 1.0, 2.0, 3.0, 4.0]]
    >>> distance_inside(m.T, border="include").ravel().tolist()
    [0.0, 1.0, 1.0, 1.0, 1.0]
    >>> distance_inside(np.zeros((1, 2), bool)).tolist()
    [[0.0, 0.0]]
    """
    mask = as_mask(mask, "mask")
    check_choice(border, "border", BORDERS)
    return _inside(mask, border, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)


def chessboard_distance_inside(mask, *, border: str = "exclude") -> np.ndarray:
    """Chessboard distance of every mask pixel to the nearest pixel outside it.

    Parameters
    ----------
    mask : array_like of bool, shape (H, W)
        The mask.
    border : {"exclude", "include"}, optional
        ``"include"``: beyond the image border is outside the mask.

    Returns
    -------
    numpy.ndarray of float32, shape (H, W)
        0 on background. ``mask & (D <= d)`` is ``mask`` minus its erosion by
        a square of side 2d + 1 (the Boundary IoU API band).

    Raises
    ------
    InputError
        If ``mask`` is not a 2-D mask or ``border`` is not an allowed value.

    Notes
    -----
    :math:`D_\\infty(p) = \\min_{q \\notin M} \\max(|p_y - q_y|, |p_x - q_x|)`.

    Examples
    --------
    >>> import numpy as np
    >>> m = np.ones((5, 5), bool)
    >>> chessboard_distance_inside(m, border="include")[2].tolist()
    [1.0, 2.0, 3.0, 2.0, 1.0]
    >>> chessboard_distance_inside(np.zeros((1, 2), bool)).tolist()
    [[0.0, 0.0]]
    """
    mask = as_mask(mask, "mask")
    check_choice(border, "border", BORDERS)
    return _inside(mask, border, cv2.DIST_C, 3)


def _inside(mask: np.ndarray, border: str, kind: int, size: int) -> np.ndarray:
    # A mask without background has no finite distance to measure; OpenCV would
    # return its "infinity", which is what the empty-band logic expects too.
    if border == "include":
        padded = np.pad(mask, 1, mode="constant", constant_values=False)
        return cv2.distanceTransform(padded.view(np.uint8), kind, size)[1:-1, 1:-1]
    return cv2.distanceTransform(np.ascontiguousarray(mask).view(np.uint8), kind, size)
