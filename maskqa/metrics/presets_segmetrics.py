"""seg-metrics (Jingnan Jia, PyPI ``seg-metrics`` 1.2.8) surface distances, exactly.

seg-metrics draws its own contours with SimpleITK and measures them against the
other mask's SimpleITK Maurer distance map. This module reproduces that behaviour
with OpenCV (no SimpleITK), including where it is wrong:

- an empty mask gets a distance map of zeros, so every distance to it is 0 (HD 0
  for a pair where one mask is empty);
- a mask with no background pixel gets ITK's "no contour" distance,
  :math:`\\sqrt{\\mathrm{FLT\\_MAX}} \\approx 1.8 \\times 10^{19}`, everywhere.

maskqa's own distance metrics (:mod:`maskqa.metrics.distance`) give inf and 0 in
those cases; use this module only to match numbers computed with seg-metrics.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..geometry.cache import PairGeometry

__all__ = ["NO_CONTOUR_DISTANCE", "seg_metrics_distances"]

#: ITK's distance where a mask has no contour: sqrt of the largest float32.
NO_CONTOUR_DISTANCE = float(np.float32(np.sqrt(np.finfo(np.float32).max)))

_CROSS = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))
_SQUARE = np.ones((3, 3), np.uint8)


def _contour(mask: np.ndarray, fully_connected: bool) -> np.ndarray:
    """LabelContour: mask pixels with a background neighbour inside the image.

    ``fully_connected`` looks at the 8 neighbours, else at the 4 neighbours;
    ``border_value=1`` because pixels outside the image are not background.
    """
    structure = _SQUARE if fully_connected else _CROSS
    # cv2 pads an erosion with the largest value: outside counts as inside.
    eroded = cv2.erode(mask.view(np.uint8), structure).view(bool)
    return mask & ~eroded


def _distance_map(mask: np.ndarray) -> np.ndarray:
    """abs(SignedMaurerDistanceMap): distance to the mask's 8-neighbour contour."""
    if not mask.any():
        # seg-metrics skips ITK for an empty mask and uses the mask itself (zeros)
        return np.zeros(mask.shape, np.float32)
    if mask.all():
        return np.full(mask.shape, NO_CONTOUR_DISTANCE, np.float32)

    # The nearest mask pixel of an outside pixel is always a contour pixel, so one
    # transform to the contour gives both the inside and the outside distances.
    edge = _contour(mask, True)
    free = np.logical_not(edge).view(np.uint8)
    return cv2.distanceTransform(free, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)


def seg_metrics_distances(
    geometry: PairGeometry, *, fully_connected: bool = True
) -> dict[str, float]:
    """seg-metrics ``hd``, ``hd95`` and ``msd`` of one label.

    Parameters
    ----------
    geometry : PairGeometry
        The pair: ``gdth`` = reference (fine), ``pred`` = candidate (coarse).
    fully_connected : bool, optional
        ``fullyConnected`` of seg-metrics (default True): a contour pixel has a
        background pixel among its 8 neighbours (True) or 4 neighbours (False).

    Returns
    -------
    dict of str to float
        ``hd``, ``hd95``, ``msd``.

    Notes
    -----
    With :math:`d_C` the distances of the candidate's contour pixels to the
    reference's Maurer map and :math:`d_R` the converse (float32), pooled
    :math:`D = d_C \\cup d_R`: :math:`\\mathrm{hd} = \\max D`,
    :math:`\\mathrm{hd95}` = ``numpy.percentile(D, 95)`` (linear) and
    :math:`\\mathrm{msd} = \\bar D`; all 0 when no contour pixel exists. The
    image border is never contour. Empty and full masks follow seg-metrics
    (module docstring), which is wrong there.

    References
    ----------
    .. [1] J. Jia, M. Staring, B. C. Stoel, "seg-metrics: a Python package to
       compute segmentation metrics", medRxiv 2024.02.22.24303215, 2024.
    .. [2] C. R. Maurer, R. Qi, V. Raghavan, "A linear time algorithm for
       computing exact Euclidean distance transforms of binary images in
       arbitrary dimensions", IEEE TPAMI 25(2):265-270, 2003.
       doi:10.1109/TPAMI.2003.1177156

    Examples
    --------
    >>> import numpy as np
    >>> ref = np.zeros((12, 12), bool); ref[3:9, 3:9] = True
    >>> seg_metrics_distances(PairGeometry(ref, np.roll(ref, 2, axis=1)))["hd"]
    2.0
    >>> seg_metrics_distances(PairGeometry(ref, np.zeros((12, 12))))["hd"]
    0.0
    """
    ref, cand = geometry.reference, geometry.candidate
    c2f = _distance_map(ref)[_contour(cand, fully_connected)]
    f2c = _distance_map(cand)[_contour(ref, fully_connected)]
    pooled = np.concatenate([c2f, f2c]).astype(np.float64)
    if pooled.size == 0:
        return {"hd": 0.0, "hd95": 0.0, "msd": 0.0}
    return {
        "hd": float(pooled.max()),
        "hd95": float(np.percentile(pooled, 95)),
        "msd": float(np.mean(pooled)),
    }
