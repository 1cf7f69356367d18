"""Boundary metrics as curves over a tolerance in pixels: boundary F and IoU.

Both read every tolerance from one distance map per mask: the boundary F from
the distance to each mask's inner boundary, the boundary IoU from the distance
of each mask pixel to the outside of the mask.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from .._validation import check_choice, check_widths
from ..geometry.bands import BAND_METRICS, _width_index
from ..geometry.cache import PairGeometry
from ..geometry.surfaces import border_gap_distances
from ._empty import ON_EMPTY, empty_value

__all__ = [
    "px_key",
    "BoundaryF",
    "BoundaryIoU",
    "boundary_f",
    "boundary_f_from_geometry",
    "boundary_iou",
    "boundary_iou_from_geometry",
    "band_iou",
]


def px_key(name: str, value: float) -> str:
    """The key of a value at a tolerance or width: ``NAME@Npx``.

    Parameters
    ----------
    name : str
        Metric name.
    value : float
        Tolerance or width in pixels.

    Returns
    -------
    str
        ``N`` printed as an integer when integral, else with ``repr``.

    Examples
    --------
    >>> px_key("boundary_f", 2.0), px_key("nsd", 1.5)
    ('boundary_f@2px', 'nsd@1.5px')
    """
    value = float(value)
    text = str(int(value)) if value.is_integer() else repr(value)
    return f"{name}@{text}px"


@dataclass(frozen=True)
class BoundaryF:
    """Boundary precision, recall and F at each tolerance (pixels)."""

    tolerance_px: tuple[float, ...]
    f: tuple[float, ...]
    precision: tuple[float, ...]
    recall: tuple[float, ...]

    def to_dict(self) -> dict[str, float]:
        """``boundary_f@Npx``, ``boundary_precision@Npx``, ``boundary_recall@Npx``."""
        out = {}
        for name, values in (
            ("boundary_f", self.f),
            ("boundary_precision", self.precision),
            ("boundary_recall", self.recall),
        ):
            for tol, value in zip(self.tolerance_px, values):
                out[px_key(name, tol)] = float(value)
        return out


@dataclass(frozen=True)
class BoundaryIoU:
    """Boundary IoU at each band width (pixels)."""

    band_px: tuple[float, ...]
    iou: tuple[float, ...]

    def to_dict(self) -> dict[str, float]:
        """``boundary_iou@Npx`` for each width."""
        return {
            px_key("boundary_iou", w): float(v) for w, v in zip(self.band_px, self.iou)
        }


def boundary_f(
    reference,
    candidate,
    *,
    tolerance_px=(1, 2, 3, 5, 10),
    border: str = "exclude",
    on_empty: str = "score",
    threshold=None,
) -> BoundaryF:
    """Boundary precision, recall and F-measure at tolerances in pixels.

    Parameters
    ----------
    reference : array_like, shape (H, W)
        The fine mask.
    candidate : array_like, shape (H, W)
        The coarse mask.
    tolerance_px : float or sequence of float, optional
        Match distances in pixels, each > 0.
    border : {"exclude", "include"}, optional
        Whether mask edges along the image border are boundary.
    on_empty : {"score", "nan"}, optional
        Empty rule, applied to the boundary pixel sets.
    threshold : float, optional
        Foreground is ``value >= threshold``.

    Returns
    -------
    BoundaryF
        Per-tolerance ``f``, ``precision``, ``recall``.

    Raises
    ------
    InputError
        On invalid masks, tolerances or options.
    ShapeMismatchError
        If the masks differ in shape.

    Notes
    -----
    With :math:`B_R, B_C` the inner boundaries (mask pixels with a 4-neighbour
    outside) and :math:`d(p, B)` the Euclidean distance to a set,

    .. math::

        P_t = \\frac{|\\{p \\in B_C : d(p, B_R) \\le t\\}|}{|B_C|},\\quad
        R_t = \\frac{|\\{p \\in B_R : d(p, B_C) \\le t\\}|}{|B_R|},\\quad
        F_t = \\frac{2 P_t R_t}{P_t + R_t}

    (0 when :math:`P_t + R_t = 0`). Matching is many-to-one, as in DAVIS; F is
    symmetric in its two arguments. Empty cases follow
    :mod:`maskqa.metrics._empty`: one mask empty gives 0 whatever the
    boundaries; two non-empty masks without boundary (both full, border
    excluded) give 1, one without boundary 0.

    References
    ----------
    .. [1] D. Martin, C. Fowlkes, J. Malik, "Learning to detect natural image
       boundaries using local brightness, color, and texture cues", IEEE TPAMI
       26(5), 2004. doi:10.1109/TPAMI.2004.1273918
    .. [2] F. Perazzi et al., "A benchmark dataset and evaluation methodology
       for video object segmentation", CVPR 2016. doi:10.1109/CVPR.2016.85

    Examples
    --------
    >>> import numpy as np
    >>> ref = np.zeros((20, 20), bool); ref[5:15, 5:15] = True
    >>> cand = np.zeros((20, 20), bool); cand[5:15, 7:17] = True
    >>> r = boundary_f(ref, cand, tolerance_px=(1, 2))
    >>> [round(x, 3) for x in r.f]
    [0.556, 1.0]
    >>> boundary_f(np.zeros((4, 4)), np.zeros((4, 4)), tolerance_px=1).f
    (1.0,)
    >>> boundary_f(np.ones((4, 4)), np.zeros((4, 4)), tolerance_px=1).f
    (0.0,)
    """
    geometry = PairGeometry(reference, candidate, border=border, threshold=threshold)
    return boundary_f_from_geometry(
        geometry, tolerance_px=tolerance_px, on_empty=on_empty
    )


def boundary_f_from_geometry(
    geometry: PairGeometry, *, tolerance_px=(1, 2, 3, 5, 10), on_empty="score"
) -> BoundaryF:
    """:func:`boundary_f` on a :class:`~maskqa.geometry.cache.PairGeometry`.

    Parameters
    ----------
    geometry : PairGeometry
        The pair; its ``border`` decides the boundaries.
    tolerance_px : float or sequence of float, optional
        Match distances in pixels.
    on_empty : {"score", "nan"}, optional
        Empty rule.

    Returns
    -------
    BoundaryF
        As :func:`boundary_f`.

    Raises
    ------
    InputError
        On invalid tolerances or options.

    Examples
    --------
    >>> import numpy as np
    >>> g = PairGeometry(np.ones((4, 4)), np.ones((4, 4)))
    >>> boundary_f_from_geometry(g, tolerance_px=2).f  # full: no boundary on either
    (1.0,)
    >>> g = PairGeometry(np.ones((4, 4)), np.zeros((4, 4)))
    >>> boundary_f_from_geometry(g, tolerance_px=2).f  # one mask empty
    (0.0,)
    """
    tolerances = check_widths(tolerance_px, "tolerance_px")
    check_choice(on_empty, "on_empty", ON_EMPTY)
    ref_to_cand, cand_to_ref = _matched_distances(geometry, "boundary")
    regions = (geometry.reference_empty, geometry.candidate_empty)
    # Beyond the diagonal every boundary pixel matches: the cap keeps the
    # squared limits small integers; the curve keeps the tolerances asked for.
    capped = tuple(geometry.capped(t) for t in tolerances)
    curve = _f_curve(ref_to_cand, cand_to_ref, capped, on_empty, regions)
    return BoundaryF(tolerances, curve.f, curve.precision, curve.recall)


def _matched_distances(geometry: PairGeometry, kind: str):
    """Sorted squared distances of each side's boundary pixels to the other side.

    ``kind`` is ``"boundary"`` (inner boundaries) or ``"seg2bmap"``. Squared
    distances between pixel centres are integers, so thresholds are exact.
    """

    def compute():
        if kind == "seg2bmap":
            ref_pts = np.argwhere(geometry.seg2bmap("reference"))
            cand_pts = np.argwhere(geometry.seg2bmap("candidate"))
            ref_sq = _nearest_sq(ref_pts, cand_pts)
            return np.sort(ref_sq), np.sort(_nearest_sq(cand_pts, ref_pts))
        ref_pts = np.argwhere(geometry.boundary("reference"))
        cand_pts = np.argwhere(geometry.boundary("candidate"))
        ref_sq, cand_sq = _nearest_sq(ref_pts, cand_pts), _nearest_sq(cand_pts, ref_pts)
        if geometry.border == "exclude" and ref_pts.size and cand_pts.size:
            # An edge facing a border stretch only the other mask reaches is
            # matched to that border (docs/conventions.md).
            ref_sq = np.minimum(ref_sq, _gap_sq(geometry, "reference", ref_pts))
            cand_sq = np.minimum(cand_sq, _gap_sq(geometry, "candidate", cand_pts))
        return np.sort(ref_sq), np.sort(cand_sq)

    key = ("matched", kind, geometry.border, geometry.margin_for(0))
    return geometry.cached(key, compute)


def _gap_sq(geometry: PairGeometry, which: str, points: np.ndarray) -> np.ndarray:
    """Squared distance of window ``points`` to the border across a gap."""
    rows, cols = geometry.window()
    image_points = points + np.array([rows.start, cols.start])
    gap = border_gap_distances(geometry, which, image_points, surface="pixel")
    # Pixel distances to a side are whole numbers: their squares are exact.
    squared = np.full(gap.shape, np.iinfo(np.int64).max)
    finite = np.isfinite(gap)
    squared[finite] = gap[finite].astype(np.int64) ** 2
    return squared


def _nearest_sq(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    # A k-d tree over the few boundary pixels is far cheaper than a distance
    # transform over the whole window; only the boundary pixels are asked.
    if source.shape[0] == 0:
        return np.zeros(0, np.int64)
    if target.shape[0] == 0:
        return np.full(source.shape[0], np.iinfo(np.int64).max)
    _, index = cKDTree(target).query(source)
    offset = source - target[index]
    return np.einsum("ij,ij->i", offset, offset)


def _f_curve(
    ref_to_cand, cand_to_ref, tolerances, on_empty, regions=(False, False)
) -> BoundaryF:
    # ``regions``: whether each mask is empty; the masks decide before the
    # boundary sets (a full mask has no boundary with the border excluded).
    n_ref, n_cand = ref_to_cand.size, cand_to_ref.size
    fixed = empty_value(
        "overlap",
        *regions,
        on_empty,
        reference_set_empty=n_ref == 0,
        candidate_set_empty=n_cand == 0,
    )
    if fixed is not None:
        same = (fixed,) * len(tolerances)
        return BoundaryF(tolerances, same, same, same)
    f, p, r = [], [], []
    for tol in tolerances:
        limit = _width_index(tol, "euclidean")
        recall = np.searchsorted(ref_to_cand, limit, side="right") / n_ref
        precision = np.searchsorted(cand_to_ref, limit, side="right") / n_cand
        total = precision + recall
        f.append(float(2 * precision * recall / total) if total > 0 else 0.0)
        p.append(float(precision))
        r.append(float(recall))
    return BoundaryF(tolerances, tuple(f), tuple(p), tuple(r))


def boundary_iou(
    reference,
    candidate,
    *,
    band_px=(1, 2, 3, 5, 10),
    border: str = "exclude",
    on_empty: str = "score",
    threshold=None,
) -> BoundaryIoU:
    """Boundary IoU: IoU of the two masks' inner bands, at widths in pixels.

    Parameters
    ----------
    reference : array_like, shape (H, W)
        The fine mask.
    candidate : array_like, shape (H, W)
        The coarse mask.
    band_px : float or sequence of float, optional
        Euclidean band widths d in pixels, each > 0.
    border : {"exclude", "include"}, optional
        Whether the image border is an edge the band grows from.
    on_empty : {"score", "nan"}, optional
        Empty rule (both masks or both bands empty: 1, one empty: 0).
    threshold : float, optional
        Foreground is ``value >= threshold``.

    Returns
    -------
    BoundaryIoU
        ``iou`` at each width.

    Raises
    ------
    InputError
        On invalid masks, widths or options.
    ShapeMismatchError
        If the masks differ in shape.

    Notes
    -----
    With :math:`M_d = \\{p \\in M : \\min_{q \\notin M}\\lVert p-q \\rVert_2
    \\le d\\}` the inner band of width d,

    .. math:: \\mathrm{BIoU}_d = \\frac{|R_d \\cap C_d|}{|R_d \\cup C_d|}

    The paper's definition (Euclidean distance); the API's chessboard band at a
    diagonal fraction is the ``boundary-iou-api`` preset. An object thinner
    than 2d is all band, and the boundary IoU equals the mask IoU.

    References
    ----------
    .. [1] B. Cheng, R. Girshick, P. Dollar, A. C. Berg, A. Kirillov, "Boundary
       IoU: improving object-centric image segmentation evaluation", CVPR 2021.
       doi:10.1109/CVPR46437.2021.01508

    Examples
    --------
    >>> import numpy as np
    >>> ref = np.zeros((20, 20), bool); ref[5:15, 5:15] = True
    >>> boundary_iou(ref, ref, band_px=2).iou
    (1.0,)
    >>> boundary_iou(ref, np.zeros((20, 20)), band_px=2).iou
    (0.0,)
    """
    geometry = PairGeometry(reference, candidate, border=border, threshold=threshold)
    return boundary_iou_from_geometry(geometry, band_px=band_px, on_empty=on_empty)


def boundary_iou_from_geometry(
    geometry: PairGeometry, *, band_px=(1, 2, 3, 5, 10), on_empty="score"
) -> BoundaryIoU:
    """:func:`boundary_iou` on a :class:`~maskqa.geometry.cache.PairGeometry`.

    Parameters
    ----------
    geometry : PairGeometry
        The pair; its ``border`` decides where bands grow from.
    band_px : float or sequence of float, optional
        Band widths in pixels.
    on_empty : {"score", "nan"}, optional
        Empty rule.

    Returns
    -------
    BoundaryIoU
        As :func:`boundary_iou`.

    Raises
    ------
    InputError
        On invalid widths or options.

    Examples
    --------
    >>> import numpy as np
    >>> g = PairGeometry(np.zeros((3, 3)), np.zeros((3, 3)))
    >>> boundary_iou_from_geometry(g, band_px=1).iou
    (1.0,)
    """
    widths = check_widths(band_px, "band_px")
    check_choice(on_empty, "on_empty", ON_EMPTY)
    values = band_iou(geometry, widths, metric="euclidean", on_empty=on_empty)
    return BoundaryIoU(widths, values)


def band_iou(
    geometry: PairGeometry,
    widths,
    *,
    metric: str = "euclidean",
    border: str | None = None,
    on_empty: str = "score",
) -> tuple[float, ...]:
    """IoU of the two inner bands at each width, from one distance map per mask.

    Parameters
    ----------
    geometry : PairGeometry
        The pair.
    widths : sequence of float
        Band widths in pixels.
    metric : {"euclidean", "chessboard"}, optional
        Distance of the band.
    border : {"exclude", "include"}, optional
        Defaults to the geometry's.
    on_empty : {"score", "nan"}, optional
        Empty rule, applied to the masks and then to the two bands.

    Returns
    -------
    tuple of float
        One IoU per width.

    Raises
    ------
    InputError
        On invalid widths or options.

    Notes
    -----
    See :func:`boundary_iou`; ``metric="chessboard", border="include"`` is the
    band of the Boundary IoU API.

    Examples
    --------
    >>> import numpy as np
    >>> m = np.zeros((9, 9), bool); m[2:7, 2:7] = True
    >>> band_iou(PairGeometry(m, m), (1, 2))
    (1.0, 1.0)
    >>> band_iou(PairGeometry(m, np.zeros((9, 9))), (1,))
    (0.0,)
    """
    widths = check_widths(widths, "widths")
    check_choice(metric, "metric", BAND_METRICS)
    fixed = empty_value(
        "overlap", geometry.reference_empty, geometry.candidate_empty, on_empty
    )
    if fixed is not None:
        return (fixed,) * len(widths)
    ref = geometry.inside_distance("reference", metric=metric, border=border)
    cand = geometry.inside_distance("candidate", metric=metric, border=border)
    # Beyond the diagonal a band holds the whole mask: capped, same values.
    widths = tuple(geometry.capped(w) for w in widths)
    widest = np.float32(max(widths))
    # Only pixels in one of the widest bands matter; distance 0 is background.
    near = np.flatnonzero(
        ((ref > 0) & (ref <= widest)) | ((cand > 0) & (cand <= widest))
    )
    ref, cand = ref.ravel()[near], cand.ravel()[near]
    out = []
    for width in widths:
        limit = np.float32(width)
        in_ref = (ref > 0) & (ref <= limit)
        in_cand = (cand > 0) & (cand <= limit)
        union = np.count_nonzero(in_ref | in_cand)
        inter = np.count_nonzero(in_ref & in_cand)
        both = empty_value(
            "overlap",
            geometry.reference_empty,
            geometry.candidate_empty,
            on_empty,
            reference_set_empty=not in_ref.any(),
            candidate_set_empty=not in_cand.any(),
        )
        out.append(float(both) if both is not None else float(inter / union))
    return tuple(out)
