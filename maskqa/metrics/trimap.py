"""Trimap metrics: agreement inside a band around the reference boundary.

A curve over the band width: foreground IoU, mean of foreground and background
IoU, and pixel accuracy, all restricted to the band. Every width is read from
one distance map to the reference's trimap seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_choice, check_widths
from ..geometry import boundaries as _b
from ..geometry.bands import BAND_METRICS, _width_index
from ..geometry.cache import PairGeometry
from ._empty import ON_EMPTY, empty_value
from .boundary import px_key

__all__ = ["TRIMAP_BANDS", "TrimapCurve", "trimap", "trimap_from_geometry"]

#: Allowed values of ``band``: the band's distance.
TRIMAP_BANDS = BAND_METRICS


@dataclass(frozen=True)
class TrimapCurve:
    """Trimap scores at each band width; ``band_pixels`` counts the band."""

    band_px: tuple[float, ...]
    iou: tuple[float, ...]
    miou: tuple[float, ...]
    accuracy: tuple[float, ...]
    band_pixels: tuple[int, ...]

    def to_dict(self) -> dict[str, float]:
        """``trimap_iou@Npx``, ``trimap_miou@Npx``, ``trimap_accuracy@Npx``."""
        out = {}
        for name, values in (
            ("trimap_iou", self.iou),
            ("trimap_miou", self.miou),
            ("trimap_accuracy", self.accuracy),
        ):
            for width, value in zip(self.band_px, values):
                out[px_key(name, width)] = float(value)
        return out


def trimap(
    reference,
    candidate,
    *,
    band_px=(1, 2, 3, 4, 5, 7, 10, 15, 20, 30, 40),
    band: str = "euclidean",
    border: str = "exclude",
    on_empty: str = "score",
    threshold=None,
) -> TrimapCurve:
    """Foreground IoU, mean IoU and accuracy in bands around the reference edge.

    Parameters
    ----------
    reference : array_like, shape (H, W)
        The fine mask; the band is grown from its edge only.
    candidate : array_like, shape (H, W)
        The coarse mask.
    band_px : float or sequence of float, optional
        Band widths w in pixels, each > 0.
    band : {"euclidean", "chessboard"}, optional
        ``"chessboard"``: DeepLab's dilation by a (2w + 1) square.
    border : {"exclude", "include"}, optional
        ``"include"``: reference pixels on the image border seed the band.
    on_empty : {"score", "nan"}, optional
        Empty rule (empty reference: undefined, nan; empty candidate: scored).
    threshold : float, optional
        Foreground is ``value >= threshold``.

    Returns
    -------
    TrimapCurve
        ``iou``, ``miou``, ``accuracy`` and ``band_pixels`` per width.

    Raises
    ------
    InputError
        On invalid masks, widths or options.
    ShapeMismatchError
        If the masks differ in shape.

    Notes
    -----
    Seed :math:`S` = pixels on either side of the reference edge (a pixel
    whose 4-neighbour is on the other side; 2 px wide). Band
    :math:`T_w = \\{p : d(p, S) \\le w\\}`. With :math:`F` the reference and
    :math:`C` the candidate,

    .. math::

        \\mathrm{IoU}_w = \\frac{|C \\cap F \\cap T_w|}{|(C \\cup F) \\cap T_w|},
        \\quad \\mathrm{mIoU}_w = \\tfrac12\\left(\\mathrm{IoU}_w +
        \\frac{|\\bar C \\cap \\bar F \\cap T_w|}{|(\\bar C \\cup \\bar F)
        \\cap T_w|}\\right),\\quad
        \\mathrm{acc}_w = \\frac{|\\{p \\in T_w : C_p = F_p\\}|}{|T_w|}

    Decisions: the seed takes both sides of the edge (like the ~5 px void band
    of PASCAL VOC that DeepLab grows); scores are per image (DeepLab
    accumulates a confusion matrix over a dataset: that is the aggregator's
    pooled score); ``trimap_iou`` is the foreground IoU, ``trimap_miou`` the
    DeepLab-style mean over foreground and background. With
    ``border="include"`` this reproduces the transcription of DeepLab's
    evaluation recorded in ../shared/refs (``trimap.eu.*`` for
    ``band="euclidean"``, ``trimap.sq.*`` for ``band="chessboard"``). A ratio
    whose denominator is empty (no background in the band) is nan.

    References
    ----------
    .. [1] P. Kohli, L. Ladicky, P. H. S. Torr, "Robust higher order potentials
       for enforcing label consistency", IJCV 82(3), 2009.
       doi:10.1007/s11263-008-0202-0
    .. [2] L.-C. Chen et al., "DeepLab: semantic image segmentation with deep
       convolutional nets, atrous convolution, and fully connected CRFs", IEEE
       TPAMI 40(4), 2018. doi:10.1109/TPAMI.2017.2699184

    Examples
    --------
    >>> import numpy as np
    >>> ref = np.zeros((20, 20), bool); ref[5:15, 5:15] = True
    >>> trimap(ref, ref, band_px=(1, 3)).iou
    (1.0, 1.0)
    >>> trimap(np.zeros((8, 8)), ref[:8, :8], band_px=1).iou
    (nan,)
    """
    geometry = PairGeometry(
        reference,
        candidate,
        border=border,
        threshold=threshold,
        margin_px=max(check_widths(band_px, "band_px")),
    )
    return trimap_from_geometry(geometry, band_px=band_px, band=band, on_empty=on_empty)


def trimap_from_geometry(
    geometry: PairGeometry,
    *,
    band_px=(1, 2, 3, 4, 5, 7, 10, 15, 20, 30, 40),
    band: str = "euclidean",
    on_empty: str = "score",
) -> TrimapCurve:
    """:func:`trimap` on a :class:`~maskqa.geometry.cache.PairGeometry`.

    Parameters
    ----------
    geometry : PairGeometry
        The pair; its ``border`` decides the seed.
    band_px : float or sequence of float, optional
        Band widths in pixels.
    band : {"euclidean", "chessboard"}, optional
        Distance of the band.
    on_empty : {"score", "nan"}, optional
        Empty rule.

    Returns
    -------
    TrimapCurve
        As :func:`trimap`.

    Raises
    ------
    InputError
        On invalid widths or options.

    Examples
    --------
    >>> import numpy as np
    >>> ref = np.zeros((9, 9), bool); ref[3:6, 3:6] = True
    >>> curve = trimap_from_geometry(PairGeometry(ref, np.zeros((9, 9))), band_px=1)
    >>> curve.band_pixels, curve.iou, round(curve.accuracy[0], 4)
    ((37,), (0.0,), 0.7568)
    """
    widths = check_widths(band_px, "band_px")
    check_choice(band, "band", TRIMAP_BANDS)
    check_choice(on_empty, "on_empty", ON_EMPTY)
    # A reference without seed (empty, or full with the border excluded) has
    # no band: undefined.
    fixed = empty_value(
        "band",
        geometry.reference_empty,
        geometry.candidate_empty,
        on_empty,
        reference_set_empty=geometry.boundary_empty("reference"),
        candidate_set_empty=geometry.boundary_empty("candidate"),
    )
    if fixed is not None:
        nan = (fixed,) * len(widths)
        return TrimapCurve(widths, nan, nan, nan, (0,) * len(widths))
    # A band wider than the image diagonal holds every pixel: computed at the
    # cap (exact, and the count table stays small), reported at the width asked.
    capped = [geometry.capped(w) for w in widths]
    table = _cumulative_counts(geometry, band, max(capped))
    rows = [_scores(table, _width_index(w, band)) for w in capped]
    iou, miou, acc, size = zip(*rows)
    return TrimapCurve(widths, iou, miou, acc, size)


def _cumulative_counts(geometry: PairGeometry, band: str, widest: float):
    """Cumulative counts of (reference, candidate) classes by distance key."""

    def compute():
        ref = geometry.crop("reference", widest)
        cand = geometry.crop("candidate", widest)
        seed = _b._inner_boundary(ref, geometry.border) | _b._outer_boundary(ref)
        if band == "euclidean":
            dist = _b._distance_to(seed)
        else:
            dist = _b._chessboard_distance_to(seed)
        # Integer keys over the whole window (squared Euclidean distances are
        # integers); everything beyond the widest band shares the last key.
        limit = _width_index(widest, band)
        dist = np.minimum(dist, np.float32(widest + 1))
        if band == "euclidean":
            dist = dist * dist
        keys = np.rint(np.minimum(dist, np.float32(limit + 1))).astype(np.int32)
        # class code 0..3 = 2 * reference + candidate
        code = ref.view(np.uint8) * np.uint8(2) + cand.view(np.uint8)
        counts = np.bincount((keys * 4 + code).ravel(), minlength=4 * (limit + 2))
        counts = counts[: 4 * (limit + 1)]
        return np.cumsum(counts.reshape(-1, 4), axis=0)

    key = ("trimap", band, geometry.border, geometry.margin_for(widest))
    return geometry.cached(key, compute)


def _scores(table: np.ndarray, index: int):
    row = table[min(index, table.shape[0] - 1)]
    bg_both, cand_only, ref_only, fg_both = (int(x) for x in row)
    size = bg_both + cand_only + ref_only + fg_both
    wrong = cand_only + ref_only
    fg = _ratio(fg_both, fg_both + wrong)
    bg = _ratio(bg_both, bg_both + wrong)
    return fg, (fg + bg) / 2, _ratio(bg_both + fg_both, size), size


def _ratio(num: int, den: int) -> float:
    return num / den if den else float("nan")
