"""Region values (IoU, Dice, precision, recall) under each published empty rule.

On pairs where both masks hold pixels every implementation returns the same
ratios of pixel counts; they differ only on empty masks and in the float type.
Each function here reads the counts of one
:class:`~maskqa.geometry.cache.PairGeometry` and applies one implementation's
rule, so that a preset reproduces that implementation's values exactly:

================  ===============  ===============  ================  =========
implementation    both empty       reference empty  candidate empty   float
================  ===============  ===============  ================  =========
pycocotools       IoU 0            IoU 0            IoU 0             float64
MedPy             jc 1, dc nan     0 (prec. 0,      0 (prec. nan,     float64
                                   recall nan)      recall 0)
MONAI             iou, dice nan    nan              0                 float32
DeepMind          dice nan         0                0                 float64
seg-metrics       1                0                0                 float64
================  ===============  ===============  ================  =========

The functions return plain ``{name: float}`` dicts; :mod:`maskqa.metrics.presets`
prefixes them with the preset name.
"""

from __future__ import annotations

import math

import numpy as np

from ..geometry.cache import PairGeometry

__all__ = [
    "deepmind_dice",
    "medpy_region",
    "monai_region",
    "pycocotools_region",
    "seg_metrics_region",
]


def _ratio(num: float, den: float, zero: float) -> float:
    """``num / den``, or ``zero`` when the denominator is 0 (0 / 0)."""
    return num / den if den else zero


def _counts(geometry: PairGeometry) -> tuple[int, int, int]:
    n = geometry.counts()
    return n["reference"], n["candidate"], n["intersection"]


def pycocotools_region(geometry: PairGeometry) -> dict[str, float]:
    """pycocotools ``mask.iou(dt, gt, iscrowd=0)`` and ``mask.area``.

    Parameters
    ----------
    geometry : PairGeometry
        The pair: reference = ``gt`` (fine), candidate = ``dt`` (coarse).

    Returns
    -------
    dict of str to float
        ``iou``, ``area_fine`` (reference pixels), ``area_coarse``.

    Notes
    -----
    :math:`\\mathrm{IoU} = |R \\cap C| / |R \\cup C|`; pycocotools returns 0
    before looking at pixels when the bounding boxes do not overlap, which
    includes every pair with an empty mask (both empty: 0).

    References
    ----------
    .. [1] T.-Y. Lin et al., "Microsoft COCO: common objects in context",
       ECCV 2014. doi:10.1007/978-3-319-10602-1_48

    Examples
    --------
    >>> import numpy as np
    >>> pycocotools_region(PairGeometry(np.eye(4), np.eye(4)))["iou"]
    1.0
    >>> pycocotools_region(PairGeometry(np.zeros((4, 4)), np.zeros((4, 4))))["iou"]
    0.0
    """
    ref, cand, inter = _counts(geometry)
    iou = inter / (ref + cand - inter) if inter else 0.0
    return {"iou": iou, "area_fine": float(ref), "area_coarse": float(cand)}


def medpy_region(geometry: PairGeometry) -> dict[str, float]:
    """MedPy ``jc``, ``dc``, ``precision`` and ``recall`` of (result, reference).

    Parameters
    ----------
    geometry : PairGeometry
        The pair: reference (fine) and result = candidate (coarse).

    Returns
    -------
    dict of str to float
        ``jc``, ``dc``, ``precision``, ``recall``.

    Notes
    -----
    :math:`jc = |R \\cap C| / |R \\cup C|`, :math:`dc = 2|R \\cap C| /
    (|R| + |C|)`, precision :math:`|R \\cap C| / |C|`, recall
    :math:`|R \\cap C| / |R|`. MedPy's rules for 0 / 0: ``jc`` 1 (it divides
    Python floats and catches the error), ``dc``, ``precision`` and ``recall``
    nan (numpy division).

    References
    ----------
    .. [1] L. R. Dice, "Measures of the amount of ecologic association between
       species", Ecology 26(3):297-302, 1945. doi:10.2307/1932409

    Examples
    --------
    >>> import numpy as np
    >>> medpy_region(PairGeometry(np.zeros((4, 4)), np.zeros((4, 4))))
    {'jc': 1.0, 'dc': nan, 'precision': nan, 'recall': nan}
    """
    ref, cand, inter = _counts(geometry)
    return {
        "jc": _ratio(inter, ref + cand - inter, 1.0),
        "dc": _ratio(2.0 * inter, ref + cand, math.nan),
        "precision": _ratio(inter, cand, math.nan),
        "recall": _ratio(inter, ref, math.nan),
    }


def monai_region(geometry: PairGeometry) -> dict[str, float]:
    """MONAI ``compute_iou`` and ``compute_dice`` (``ignore_empty=True``).

    Parameters
    ----------
    geometry : PairGeometry
        The pair: ``y`` = reference (fine), ``y_pred`` = candidate (coarse).

    Returns
    -------
    dict of str to float
        ``iou`` and ``dice``, rounded to float32 as MONAI returns them.

    Notes
    -----
    :math:`|R \\cap C| / |R \\cup C|` and :math:`2|R \\cap C| / (|R| + |C|)`;
    nan whenever the reference is empty (``ignore_empty``), 0 when only the
    candidate is. Counts below :math:`2^{24}` are exact in float32, so one
    correctly rounded division equals MONAI's float32 arithmetic.

    References
    ----------
    .. [1] M. J. Cardoso et al., "MONAI: an open-source framework for deep
       learning in healthcare", arXiv:2211.02701, 2022.

    Examples
    --------
    >>> import numpy as np
    >>> monai_region(PairGeometry(np.zeros((4, 4)), np.eye(4)))
    {'iou': nan, 'dice': nan}
    >>> monai_region(PairGeometry(np.eye(3), np.ones((3, 3))))["iou"]
    0.3333333432674408
    """
    ref, cand, inter = _counts(geometry)
    if ref == 0:
        return {"iou": math.nan, "dice": math.nan}
    values = {"iou": inter / (ref + cand - inter), "dice": 2.0 * inter / (ref + cand)}
    return {key: float(np.float32(value)) for key, value in values.items()}


def deepmind_dice(geometry: PairGeometry) -> dict[str, float]:
    """DeepMind surface-distance ``compute_dice_coefficient``.

    Parameters
    ----------
    geometry : PairGeometry
        The pair.

    Returns
    -------
    dict of str to float
        ``dice``: :math:`2|R \\cap C| / (|R| + |C|)`, nan when both are empty
        (GitHub; PyPI 0.1 raises there on NumPy 2).

    Notes
    -----
    Volumetric Dice without tolerance, float64.

    References
    ----------
    .. [1] S. Nikolov et al., "Clinically applicable segmentation of head and
       neck anatomy for radiotherapy", J Med Internet Res 23(7):e26151, 2021.
       doi:10.2196/26151

    Examples
    --------
    >>> import numpy as np
    >>> deepmind_dice(PairGeometry(np.zeros((4, 4)), np.zeros((4, 4))))
    {'dice': nan}
    """
    ref, cand, inter = _counts(geometry)
    return {"dice": _ratio(2.0 * inter, ref + cand, math.nan)}


def seg_metrics_region(geometry: PairGeometry) -> dict[str, float]:
    """seg-metrics ``write_metrics`` ``dice`` and ``jaccard`` of one label.

    Parameters
    ----------
    geometry : PairGeometry
        The pair: ``gdth`` = reference (fine), ``pred`` = candidate (coarse).

    Returns
    -------
    dict of str to float
        ``dice`` and ``jaccard``: 1 when both masks are empty, else the ratios.

    Notes
    -----
    :math:`2|R \\cap C| / (|R| + |C|)` and :math:`|R \\cap C| / |R \\cup C|`.

    References
    ----------
    .. [1] J. Jia, M. Staring, B. C. Stoel, "seg-metrics: a Python package to
       compute segmentation metrics", medRxiv 2024.02.22.24303215, 2024.

    Examples
    --------
    >>> import numpy as np
    >>> seg_metrics_region(PairGeometry(np.zeros((4, 4)), np.zeros((4, 4))))
    {'dice': 1.0, 'jaccard': 1.0}
    """
    ref, cand, inter = _counts(geometry)
    return {
        "dice": _ratio(2.0 * inter, ref + cand, 1.0),
        "jaccard": _ratio(inter, ref + cand - inter, 1.0),
    }
