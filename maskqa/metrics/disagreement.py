"""Where two masks disagree: disagreeing pixels by their distance to the reference.

Over-painting is candidate foreground outside the reference (the annotator painted too
much), under-painting is reference foreground the candidate left out. Each disagreeing
pixel is binned by its distance to the reference boundary, and the candidate boundary's
signed mean offset (outside positive) measures a systematic bias of the annotators.
Counts are pixel counts, so a dataset pools them by summing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from scipy.spatial import cKDTree

from .._validation import check_choice, check_pair, check_widths
from ..errors import InputError
from ..geometry.cache import PairGeometry
from ..geometry.surfaces import border_gap_distances

__all__ = [
    "DEFAULT_BINS_PX",
    "Disagreement",
    "disagreement_by_distance",
    "disagreement_from_geometry",
    "bin_labels",
]

#: Bin edges in pixels: bins are (0, 1], (1, 2], ..., (10, 20] and > 20.
DEFAULT_BINS_PX = (0, 1, 2, 3, 5, 10, 20)


def _fmt(value: float) -> str:
    return f"{value:g}"


def bin_labels(bins_px) -> tuple[str, ...]:
    """Key suffixes of the bins: ``0_1``, ``1_2``, ..., ``gt20``.

    Examples
    --------
    >>> bin_labels((0, 1, 2.5))
    ('0_1', '1_2.5', 'gt2.5')
    """
    edges = [_fmt(b) for b in bins_px]
    return tuple(f"{a}_{b}" for a, b in zip(edges, edges[1:])) + (f"gt{edges[-1]}",)


@dataclass(frozen=True)
class Disagreement:
    """Disagreeing pixels by distance to the reference boundary, and the offset.

    Attributes
    ----------
    bins_px : tuple of float
        Bin edges; bin ``i`` holds distances in ``(bins_px[i], bins_px[i + 1]]``,
        the last bin distances above ``bins_px[-1]`` (inf included).
    over_px, under_px : tuple of int
        Over- and under-painted pixels per bin.
    reference_px, candidate_px : int
        Foreground areas, so that region scores can be pooled from the record.
    candidate_boundary_px : int
        Boundary pixels of the candidate (the weights of the offset).
    boundary_offset_mean_px : float
        Signed mean offset of the candidate boundary (outside positive).
    border : str
        ``"exclude"`` or ``"include"``: whether the image border was boundary.
    """

    bins_px: tuple[float, ...]
    over_px: tuple[int, ...]
    under_px: tuple[int, ...]
    reference_px: int
    candidate_px: int
    candidate_boundary_px: int
    boundary_offset_mean_px: float
    border: str

    def to_dict(self) -> dict[str, float]:
        """Flat ``{key: float}``: ``over_px_0_1``, ..., ``boundary_offset_mean_px``."""
        values = {}
        for side, counts in (("over", self.over_px), ("under", self.under_px)):
            for label, count in zip(bin_labels(self.bins_px), counts):
                values[f"{side}_px_{label}"] = float(count)
            values[f"{side}_px_total"] = float(sum(counts))
        values["reference_px"] = float(self.reference_px)
        values["candidate_px"] = float(self.candidate_px)
        values["candidate_boundary_px"] = float(self.candidate_boundary_px)
        values["boundary_offset_mean_px"] = float(self.boundary_offset_mean_px)
        return values


def disagreement_by_distance(
    reference, candidate, *, bins_px=DEFAULT_BINS_PX, border: str = "exclude"
) -> Disagreement:
    """Over- and under-painted pixels binned by distance to the reference boundary.

    Parameters
    ----------
    reference, candidate : array_like, shape (H, W)
        Fine and coarse masks.
    bins_px : sequence of float
        Increasing bin edges in pixels, starting at 0.
    border : {"exclude", "include"}
        Whether mask edges on the image border count as reference boundary (for the
        distance of under-painted pixels and for the candidate boundary).

    Returns
    -------
    Disagreement
        ``to_dict()`` gives flat pixel counts and the offset.

    Raises
    ------
    InputError
        On masks that are not 2-D, of different shapes, or bad ``bins_px``/``border``.

    Notes
    -----
    Distances are Euclidean between pixel centres: an over-painted pixel ``p`` is at
    ``d(p) = min_{q in R} |p - q|`` from the reference ``R``, an under-painted pixel
    at ``min_{q not in R} |p - q|``; a pixel touching the reference edge is at 1 and
    lands in the first bin ``(0, 1]``. The signed offset is the mean over candidate
    boundary pixels ``b`` (candidate pixels with a 4-neighbour outside it) of
    ``d_out(b)`` if ``b`` is outside ``R`` and ``1 - d_in(b)`` inside, so identical
    masks give 0, a dilation by ``r`` px gives about ``+r`` and an erosion ``-r``.
    Empty masks: both empty give 0; an empty reference puts every candidate pixel at
    distance inf (last bin) with offset +inf; an empty candidate gives offset -inf.
    A mask without boundary pixels (the whole image, border excluded) has its edge
    beyond the picture: a candidate without boundary gives +inf (0 if the
    reference has none either), a reference without boundary -inf.

    References
    ----------
    .. [1] L. Kohli, L. Ladicky and P. H. S. Torr, "Robust higher order potentials for
       enforcing label consistency", IJCV 82, 2009 (errors in a band around the
       reference boundary).

    Examples
    --------
    >>> import numpy as np
    >>> fine = np.zeros((9, 9), bool); fine[3:6, 3:6] = True
    >>> coarse = np.zeros((9, 9), bool); coarse[2:7, 2:7] = True
    >>> record = disagreement_by_distance(fine, coarse)
    >>> record.over_px[:2], round(record.boundary_offset_mean_px, 4)
    ((12, 4), 1.1036)
    >>> empty = np.zeros((9, 9), bool)
    >>> disagreement_by_distance(empty, empty).boundary_offset_mean_px
    0.0
    """
    check_choice(border, "border", ("exclude", "include"))
    reference, candidate = check_pair(reference, candidate)
    geometry = PairGeometry(reference, candidate, border=border)
    return disagreement_from_geometry(geometry, bins_px=bins_px)


def disagreement_from_geometry(geometry, *, bins_px=DEFAULT_BINS_PX) -> Disagreement:
    """:func:`disagreement_by_distance` read from a pair's geometry cache.

    Parameters
    ----------
    geometry : PairGeometry
        The validated pair (``reference``, ``candidate``, ``border``, ``cached``).
    bins_px : sequence of float
        Increasing bin edges in pixels, starting at 0.

    Returns
    -------
    Disagreement

    Raises
    ------
    InputError
        If ``bins_px`` is not increasing from 0.

    Notes
    -----
    See :func:`disagreement_by_distance` for the formulas; the two distance maps are
    memoised under ``("disagreement", "distance_outside")`` and
    :meth:`PairGeometry.inside_distance`, on the pair's window (the
    union's bounding box grown by a pixel): every reference pixel is inside it, and
    for a pixel inside it the nearest background pixel is too (clamping a point to
    a box that contains ``p`` brings it no farther from ``p``), so distances are
    exact.

    References
    ----------
    .. [1] L. Kohli, L. Ladicky and P. H. S. Torr, IJCV 82, 2009.

    Examples
    --------
    >>> import numpy as np
    >>> fine = np.zeros((6, 6), bool)
    >>> from maskqa.geometry.cache import PairGeometry
    >>> pair = PairGeometry(fine, fine, border="exclude")
    >>> disagreement_from_geometry(pair).to_dict()["over_px_total"]
    0.0
    """
    bins = _check_bins(bins_px)
    border = geometry.border
    reference, candidate = _window(geometry)
    outside = geometry.cached(
        ("disagreement", "distance_outside"),
        lambda: _distance_outside(reference, candidate & ~reference),
    )
    # The distance from each reference pixel to the outside is the one the inner
    # bands of boundary IoU read: shared, computed once per pair.
    inside = geometry.inside_distance("reference", border=border)

    edges = np.asarray(bins[1:], float)
    over = _histogram(outside[candidate & ~reference], edges)
    under = _histogram(inside[reference & ~candidate], edges)
    boundary = geometry.boundary("candidate")
    if border == "exclude" and hasattr(geometry, "window"):
        # A candidate edge facing a stretch of border that only the reference
        # reaches is that far from the reference edge beyond the picture (the
        # rule of the surface distances, docs/conventions.md).
        inside = _with_gaps(geometry, boundary, inside)
    offset = _offset(
        reference, candidate, boundary, geometry.boundary("reference"), outside, inside
    )
    return Disagreement(
        bins_px=bins,
        over_px=over,
        under_px=under,
        reference_px=int(reference.sum()),
        candidate_px=int(candidate.sum()),
        candidate_boundary_px=int(boundary.sum()),
        boundary_offset_mean_px=offset,
        border=border,
    )


def _window(geometry):
    """The two masks cut to the pair's window (exact: see the Notes above)."""
    if hasattr(geometry, "crop"):
        return geometry.crop("reference"), geometry.crop("candidate")
    return geometry.reference, geometry.candidate


def _check_bins(bins_px) -> tuple[float, ...]:
    bins = check_widths(bins_px, "bins_px", allow_zero=True)
    if bins[0] != 0 or any(b <= a for a, b in zip(bins, bins[1:])) or len(bins) < 2:
        raise InputError(
            f"Expected `bins_px` to increase strictly from 0, got {tuple(bins_px)!r}."
        )
    return bins


def _distance_outside(reference: np.ndarray, over: np.ndarray) -> np.ndarray:
    """Distance to the nearest reference pixel, exact where ``over`` is set.

    Only over-painted pixels are read. When they are few, nearest-neighbour queries
    against the reference's edge pixels (the nearest reference pixel of an outside
    pixel always has a 4-neighbour outside the reference: the step towards the
    outside pixel would be nearer) cost less than a distance transform of the whole
    window; elsewhere the array holds nan.
    """
    n_over = int(np.count_nonzero(over))
    if not reference.any() or n_over * 20 > over.size:
        return _distance_to(reference)
    pad = np.pad(reference, 1)
    interior = pad[:-2, 1:-1] & pad[2:, 1:-1] & pad[1:-1, :-2] & pad[1:-1, 2:]
    edge = np.argwhere(reference & ~interior)
    points = np.argwhere(over)
    distance = np.full(reference.shape, np.nan)
    if n_over:
        squared = _nearest_squared(points, edge)
        distance[over] = np.sqrt(squared)
    return distance


def _nearest_squared(points: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Exact squared distance from each point to the nearest target (integers)."""
    _, index = cKDTree(targets).query(points, k=1)
    delta = points - targets[index]
    return (delta * delta).sum(axis=1).astype(float)


def _distance_to(target: np.ndarray) -> np.ndarray:
    """Distance from every pixel to the nearest pixel of ``target`` (inf if none)."""
    if not target.any():
        return np.full(target.shape, math.inf)
    return _edt(~target)


def _edt(mask: np.ndarray) -> np.ndarray:
    # OpenCV's precise transform is exact and several times faster than scipy's.
    image = np.ascontiguousarray(mask, dtype=np.uint8)
    return cv2.distanceTransform(image, cv2.DIST_L2, cv2.DIST_MASK_PRECISE).astype(
        float
    )


def _histogram(distances: np.ndarray, edges: np.ndarray) -> tuple[int, ...]:
    # side="left" puts a distance equal to an edge in the bin that edge closes.
    index = np.searchsorted(edges, distances, side="left")
    return tuple(int(c) for c in np.bincount(index, minlength=edges.size + 1))


def _with_gaps(geometry, boundary: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """``inside`` at the candidate's boundary pixels, capped by the border rule.

    A boundary pixel across a gap of ``g`` px from the border is at most
    ``g + 1`` from the outside (an edge pixel is at 1): its offset ``1 - d_in``
    is then at most ``g`` px inwards.
    """
    rows, cols = geometry.window()
    points = np.argwhere(boundary)
    gap = border_gap_distances(
        geometry, "candidate", points + (rows.start, cols.start), surface="pixel"
    )
    if not np.isfinite(gap).any():
        return inside
    capped = inside.copy()
    at = tuple(points.T)
    capped[at] = np.minimum(inside[at], gap + 1.0)
    return capped


def _offset(reference, candidate, boundary, reference_boundary, outside, inside):
    if not candidate.any():
        return 0.0 if not reference.any() else -math.inf
    if not reference.any():
        return math.inf
    # Without a boundary (a mask filling the image, border excluded) the edge lies
    # beyond the picture: outside the other mask's edge if it is the candidate's,
    # inside if it is the reference's; two such masks agree.
    if not boundary.any():
        return 0.0 if not reference_boundary.any() else math.inf
    if not reference_boundary.any():
        return -math.inf
    signed = np.where(reference[boundary], 1.0 - inside[boundary], outside[boundary])
    return float(signed.mean())
