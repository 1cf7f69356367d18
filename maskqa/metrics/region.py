"""Region metrics: IoU, Dice, precision, recall and the area ratio.

All count pixels of the two masks; none uses a tolerance. On non-empty pairs
they equal pycocotools ``mask.iou`` and MedPy / MONAI ``dc``, ``precision``,
``recall`` to the last digit; on empty masks they follow maskqa's table
(:mod:`maskqa.metrics._empty`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from .._validation import check_choice, check_pair
from ..geometry.cache import PairGeometry
from ._empty import ON_EMPTY, empty_value

__all__ = [
    "RegionScores",
    "region",
    "region_from_geometry",
    "iou",
    "dice",
    "precision",
    "recall",
    "area_ratio",
]


@dataclass(frozen=True)
class RegionScores:
    """Region scores of one pair (see :func:`region` for the formulas)."""

    iou: float
    dice: float
    precision: float
    recall: float
    area_ratio: float

    def to_dict(self) -> dict[str, float]:
        """The scores as a flat ``{name: float}`` dict."""
        return {k: float(v) for k, v in asdict(self).items()}


def region(reference, candidate, *, on_empty: str = "score", threshold=None):
    """IoU, Dice, precision, recall and area ratio of a pair of masks.

    Parameters
    ----------
    reference : array_like, shape (H, W)
        The fine mask R.
    candidate : array_like, shape (H, W)
        The coarse mask C.
    on_empty : {"score", "nan"}, optional
        Empty-mask rule: maskqa's table, or nan for every empty case.
    threshold : float, optional
        Foreground is ``value >= threshold``; overrides the binarisation rule.

    Returns
    -------
    RegionScores
        ``iou``, ``dice``, ``precision``, ``recall``, ``area_ratio``.

    Raises
    ------
    InputError
        If a mask is not 2-D or ``on_empty`` is not allowed.
    ShapeMismatchError
        If the masks differ in shape.

    Notes
    -----
    .. math::

        \\mathrm{IoU} = \\frac{|R \\cap C|}{|R \\cup C|},\\quad
        \\mathrm{Dice} = \\frac{2|R \\cap C|}{|R| + |C|},\\quad
        P = \\frac{|R \\cap C|}{|C|},\\quad R_{ec} = \\frac{|R \\cap C|}{|R|},
        \\quad \\mathrm{area\\_ratio} = \\frac{|C|}{|R|}

    Both empty: 1 for all five; one empty: 0 for the overlap scores, and the
    area ratio is inf (reference empty) or 0 (candidate empty).

    References
    ----------
    .. [1] P. Jaccard, "The distribution of the flora in the alpine zone",
       New Phytologist 11(2), 1912. doi:10.1111/j.1469-8137.1912.tb05611.x
    .. [2] L. R. Dice, "Measures of the amount of ecologic association between
       species", Ecology 26(3), 1945. doi:10.2307/1932409

    Examples
    --------
    >>> import numpy as np
    >>> ref = np.zeros((4, 4), bool); ref[:2] = True
    >>> cand = np.zeros((4, 4), bool); cand[:3] = True
    >>> region(ref, cand).to_dict()
    {'iou': 0.6666666666666666, 'dice': 0.8, 'precision': 0.6666666666666666, \
'recall': 1.0, 'area_ratio': 1.5}
    >>> region(np.zeros((4, 4)), np.zeros((4, 4))).iou
    1.0
    """
    return region_from_geometry(
        PairGeometry(reference, candidate, threshold=threshold), on_empty=on_empty
    )


def region_from_geometry(geometry: PairGeometry, *, on_empty: str = "score"):
    """:func:`region` on a :class:`~maskqa.geometry.cache.PairGeometry`.

    Parameters
    ----------
    geometry : PairGeometry
        The validated pair and its cache.
    on_empty : {"score", "nan"}, optional
        Empty-mask rule.

    Returns
    -------
    RegionScores
        As :func:`region`.

    Raises
    ------
    InputError
        If ``on_empty`` is not allowed.

    Examples
    --------
    >>> import numpy as np
    >>> g = PairGeometry(np.eye(3), np.zeros((3, 3)))
    >>> region_from_geometry(g).to_dict()
    {'iou': 0.0, 'dice': 0.0, 'precision': 0.0, 'recall': 0.0, 'area_ratio': 0.0}
    """
    check_choice(on_empty, "on_empty", ON_EMPTY)
    empties = (geometry.reference_empty, geometry.candidate_empty)
    overlap = empty_value("overlap", *empties, on_empty)
    if overlap is not None:
        ratio = empty_value("ratio", *empties, on_empty)
        return RegionScores(overlap, overlap, overlap, overlap, ratio)
    n = geometry.counts()
    inter, ref, cand = n["intersection"], n["reference"], n["candidate"]
    return RegionScores(
        iou=inter / (ref + cand - inter),
        dice=2.0 * inter / (ref + cand),
        precision=inter / cand,
        recall=inter / ref,
        area_ratio=cand / ref,
    )


def _one(name: str, reference, candidate, on_empty, threshold) -> float:
    # One score from arrays: count on the validated full masks directly, without
    # the pair cache's window (its setup costs more than the counting here).
    check_choice(on_empty, "on_empty", ON_EMPTY)
    ref, cand = check_pair(reference, candidate, threshold=threshold)
    n_ref, n_cand = int(np.count_nonzero(ref)), int(np.count_nonzero(cand))
    kind = "ratio" if name == "area_ratio" else "overlap"
    fixed = empty_value(kind, n_ref == 0, n_cand == 0, on_empty)
    if fixed is not None:
        return fixed
    if name == "area_ratio":
        return n_cand / n_ref
    inter = int(np.count_nonzero(np.logical_and(ref, cand)))
    return {
        "iou": lambda: inter / (n_ref + n_cand - inter),
        "dice": lambda: 2.0 * inter / (n_ref + n_cand),
        "precision": lambda: inter / n_cand,
        "recall": lambda: inter / n_ref,
    }[name]()


def iou(reference, candidate, *, on_empty: str = "score", threshold=None) -> float:
    """Intersection over union (Jaccard index) of two masks.

    Parameters
    ----------
    reference, candidate : array_like, shape (H, W)
        Fine and coarse mask.
    on_empty : {"score", "nan"}, optional
        Empty-mask rule (both empty: 1, one empty: 0).
    threshold : float, optional
        Foreground is ``value >= threshold``.

    Returns
    -------
    float
        :math:`|R \\cap C| / |R \\cup C|` in [0, 1].

    Raises
    ------
    InputError, ShapeMismatchError
        On invalid masks or options.

    Notes
    -----
    Equals pycocotools ``mask.iou(..., iscrowd=0)`` on non-empty pairs
    (pycocotools gives 0 when both are empty, maskqa 1).

    References
    ----------
    .. [1] P. Jaccard, New Phytologist 11(2), 1912.
       doi:10.1111/j.1469-8137.1912.tb05611.x

    Examples
    --------
    >>> import numpy as np
    >>> a = np.array([[1, 1, 0]]); b = np.array([[0, 1, 1]])
    >>> iou(a, b)
    0.3333333333333333
    >>> iou(np.zeros((2, 2)), np.ones((2, 2)))
    0.0
    """
    return _one("iou", reference, candidate, on_empty, threshold)


def dice(reference, candidate, *, on_empty: str = "score", threshold=None) -> float:
    """Dice coefficient (F1 of the pixels) of two masks.

    Parameters
    ----------
    reference, candidate : array_like, shape (H, W)
        Fine and coarse mask.
    on_empty : {"score", "nan"}, optional
        Empty-mask rule (both empty: 1, one empty: 0).
    threshold : float, optional
        Foreground is ``value >= threshold``.

    Returns
    -------
    float
        :math:`2|R \\cap C| / (|R| + |C|)` in [0, 1].

    Raises
    ------
    InputError, ShapeMismatchError
        On invalid masks or options.

    Notes
    -----
    Equals MedPy ``dc`` and MONAI ``compute_dice`` on non-empty pairs.

    References
    ----------
    .. [1] L. R. Dice, Ecology 26(3), 1945. doi:10.2307/1932409

    Examples
    --------
    >>> import numpy as np
    >>> dice(np.array([[1, 1, 0]]), np.array([[0, 1, 1]]))
    0.5
    >>> dice(np.zeros((2, 2)), np.zeros((2, 2)))
    1.0
    """
    return _one("dice", reference, candidate, on_empty, threshold)


def precision(
    reference, candidate, *, on_empty: str = "score", threshold=None
) -> float:
    """Fraction of the candidate's pixels that lie in the reference.

    Parameters
    ----------
    reference, candidate : array_like, shape (H, W)
        Fine and coarse mask.
    on_empty : {"score", "nan"}, optional
        Empty-mask rule (both empty: 1, one empty: 0).
    threshold : float, optional
        Foreground is ``value >= threshold``.

    Returns
    -------
    float
        :math:`|R \\cap C| / |C|` in [0, 1].

    Raises
    ------
    InputError, ShapeMismatchError
        On invalid masks or options.

    Notes
    -----
    Equals MedPy ``precision(result=C, reference=R)`` on non-empty pairs.

    References
    ----------
    .. [1] C. J. van Rijsbergen, *Information Retrieval*, 2nd ed.,
       Butterworths, 1979.

    Examples
    --------
    >>> import numpy as np
    >>> precision(np.array([[1, 0, 0]]), np.array([[1, 1, 0]]))
    0.5
    >>> precision(np.ones((2, 2)), np.zeros((2, 2)))
    0.0
    """
    return _one("precision", reference, candidate, on_empty, threshold)


def recall(reference, candidate, *, on_empty: str = "score", threshold=None) -> float:
    """Fraction of the reference's pixels that the candidate covers.

    Parameters
    ----------
    reference, candidate : array_like, shape (H, W)
        Fine and coarse mask.
    on_empty : {"score", "nan"}, optional
        Empty-mask rule (both empty: 1, one empty: 0).
    threshold : float, optional
        Foreground is ``value >= threshold``.

    Returns
    -------
    float
        :math:`|R \\cap C| / |R|` in [0, 1].

    Raises
    ------
    InputError, ShapeMismatchError
        On invalid masks or options.

    Notes
    -----
    Equals MedPy ``recall(result=C, reference=R)`` on non-empty pairs.

    References
    ----------
    .. [1] C. J. van Rijsbergen, *Information Retrieval*, 2nd ed.,
       Butterworths, 1979.

    Examples
    --------
    >>> import numpy as np
    >>> recall(np.array([[1, 1, 0]]), np.array([[1, 0, 0]]))
    0.5
    >>> recall(np.zeros((2, 2)), np.ones((2, 2)))
    0.0
    """
    return _one("recall", reference, candidate, on_empty, threshold)


def area_ratio(
    reference, candidate, *, on_empty: str = "score", threshold=None
) -> float:
    """Candidate area over reference area: above 1 when the candidate is larger.

    Parameters
    ----------
    reference, candidate : array_like, shape (H, W)
        Fine and coarse mask.
    on_empty : {"score", "nan"}, optional
        Empty-mask rule (both empty: 1, reference empty: inf, candidate
        empty: 0).
    threshold : float, optional
        Foreground is ``value >= threshold``.

    Returns
    -------
    float
        :math:`|C| / |R|` in [0, inf].

    Raises
    ------
    InputError, ShapeMismatchError
        On invalid masks or options.

    Notes
    -----
    Coarse outlines of fine structures are usually larger than the reference
    (ratio > 1); a ratio below 1 means the annotator cut into the object.

    References
    ----------
    .. [1] A. A. Taha, A. Hanbury, "Metrics for evaluating 3D medical image
       segmentation: analysis, selection, and tool", BMC Medical Imaging 15,
       2015 (volumetric similarity). doi:10.1186/s12880-015-0068-x

    Examples
    --------
    >>> import numpy as np
    >>> area_ratio(np.array([[1, 0, 0]]), np.array([[1, 1, 0]]))
    2.0
    >>> area_ratio(np.zeros((2, 2)), np.ones((2, 2)))
    inf
    """
    return _one("area_ratio", reference, candidate, on_empty, threshold)
