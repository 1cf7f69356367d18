"""The per-pair geometry cache from which every metric is read.

A :class:`PairGeometry` holds one validated (reference, candidate) pair and
memoises every intermediate (boundaries, distance maps, bands, pixel counts)
under a tuple key, so that each is computed once per pair whichever metric
families ask for it. Modules of other metric families store their own
intermediates through :meth:`PairGeometry.cached`.

Most intermediates live on a *window*: the bounding box of the union of both
masks grown by a margin and clipped to the image. Every boundary pixel lies in
the union's bounding box, so distances between boundary pixels, inner bands and
bands of width ``w`` around a boundary are exact on a window whose margin is at
least ``w`` (plus one pixel for seeds that sit just outside a mask).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from typing import TypeVar

import cv2
import numpy as np

from .._validation import check_choice, check_pair, check_positive
from . import boundaries as _b

__all__ = ["PairGeometry", "SIDES"]

T = TypeVar("T")

#: The two masks of a pair, by the name every ``which`` parameter takes.
SIDES = ("reference", "candidate")


class PairGeometry:
    """One validated (reference, candidate) pair and its cached intermediates.

    Parameters
    ----------
    reference : array_like, shape (H, W)
        The fine mask; binarised by maskqa's rule (see ``threshold``).
    candidate : array_like, shape (H, W)
        The coarse mask, same shape as ``reference``.
    border : {"exclude", "include"}, optional
        Whether mask edges along the image border count as boundary.
    margin_px : float, optional
        Margin of the shared window around the union's bounding box. Requests
        for a wider band than this get their own, wider window; set it to the
        widest band a caller will ask for so that every family shares one.
        Margins beyond the image diagonal act as the diagonal (see
        :meth:`width_cap`).
    threshold : float, optional
        Foreground is ``value >= threshold``; overrides the binarisation rule.

    Attributes
    ----------
    reference, candidate : numpy.ndarray of bool
        The validated masks.
    shape : tuple of int
        (H, W).
    border : str
        The border convention.
    reference_empty, candidate_empty : bool
        Whether each mask has no foreground pixel.
    reference_full, candidate_full : bool
        Whether each mask covers the whole image.

    Raises
    ------
    InputError
        If a mask is not 2-D, ``border`` is not allowed or ``margin_px`` < 0.
    ShapeMismatchError
        If the two masks differ in shape.

    Notes
    -----
    Keys are tuples whose first item names the intermediate; maskqa's own keys
    start with one of ``"bbox"``, ``"window"``, ``"crop"``, ``"boundary"``,
    ``"seg2bmap"``, ``"distance"``, ``"inside"``, ``"counts"``, ``"matched"``,
    ``"trimap"``, ``"mba"``. Other modules should start theirs with their
    module name (``"surfaces"``, ...).

    Examples
    --------
    >>> import numpy as np
    >>> ref = np.zeros((8, 8), bool); ref[2:6, 2:6] = True
    >>> g = PairGeometry(ref, ref)
    >>> g.counts()
    {'reference': 16, 'candidate': 16, 'intersection': 16}
    >>> g.cached(("demo",), lambda: 41 + 1)
    42
    >>> PairGeometry(np.zeros((4, 4)), np.zeros((4, 4))).reference_empty
    True
    """

    def __init__(
        self,
        reference,
        candidate,
        *,
        border: str = "exclude",
        margin_px: float = 0,
        threshold: float | None = None,
    ):
        check_choice(border, "border", _b.BORDERS)
        self.reference, self.candidate = check_pair(
            reference, candidate, threshold=threshold
        )
        self.shape = self.reference.shape
        self.border = border
        self.margin_px = check_positive(margin_px, "margin_px", allow_zero=True)
        self.reference_empty = not self.reference.any()
        self.candidate_empty = not self.candidate.any()
        self.reference_full = bool(self.reference.all())
        self.candidate_full = bool(self.candidate.all())
        self._cache: dict[Hashable, object] = {}

    def __repr__(self) -> str:
        return (
            f"PairGeometry(shape={self.shape}, border={self.border!r}, "
            f"cached={len(self._cache)})"
        )

    def cached(self, key: tuple, compute: Callable[[], T]) -> T:
        """Return the value stored under ``key``, computing it on first use.

        Parameters
        ----------
        key : tuple
            Hashable name of the intermediate and every parameter it depends on.
        compute : callable
            Called without arguments when ``key`` is not stored yet.

        Returns
        -------
        object
            The stored or freshly computed value (never copied: do not mutate).
        """
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def mask(self, which: str) -> np.ndarray:
        """The full ``"reference"`` or ``"candidate"`` mask."""
        check_choice(which, "which", SIDES)
        return self.reference if which == "reference" else self.candidate

    def boundary_empty(self, which: str, border: str | None = None) -> bool:
        """Whether ``which`` has no boundary: empty, or full with the border excluded.

        Every other mask has an inner boundary pixel (the grid is 4-connected),
        so this is decided without computing the boundary.
        """
        check_choice(which, "which", SIDES)
        border = self.border if border is None else check_choice(
            border, "border", _b.BORDERS
        )
        if which == "reference":
            empty, full = self.reference_empty, self.reference_full
        else:
            empty, full = self.candidate_empty, self.candidate_full
        return empty or (full and border == "exclude")

    def diagonal(self) -> float:
        """Length of the image diagonal in pixels, :math:`\\sqrt{H^2 + W^2}`."""
        return math.hypot(*self.shape)

    def counts(self) -> dict[str, int]:
        """Foreground pixel counts: reference, candidate and their intersection."""
        return self.cached(("counts",), self._counts)

    def _counts(self) -> dict[str, int]:
        ref, cand = self.crop("reference"), self.crop("candidate")
        return {
            "reference": int(np.count_nonzero(ref)),
            "candidate": int(np.count_nonzero(cand)),
            "intersection": int(np.count_nonzero(ref & cand)),
        }

    def width_cap(self) -> int:
        """The widest width that matters: ``ceil(diagonal) + 1`` pixels.

        No two pixels of the image are farther apart than the diagonal, so a
        tolerance, band width, radius or margin at or above it covers every
        pixel: metrics compute with ``min(width, width_cap())`` (exact and
        fast) and report the width the caller asked for.
        """
        return math.ceil(self.diagonal()) + 1

    def capped(self, width_px: float) -> float:
        """``width_px`` capped at :meth:`width_cap`, for sizing arrays and windows."""
        return min(float(width_px), float(self.width_cap()))

    def margin_for(self, need_px: float = 0) -> int:
        """The window margin used for a request that needs ``need_px`` around."""
        need = math.ceil(self.capped(need_px))
        margin = math.ceil(self.capped(self.margin_px))
        return int(margin) if need <= margin else need

    def window(self, need_px: float = 0) -> tuple[slice, slice]:
        """Slices of the union's bounding box grown by the margin, in the image.

        One pixel more than the margin is added, so that background pixels next
        to a mask (seeds of the trimap and seg2bmap) are inside the window.
        """
        margin = self.margin_for(need_px) + 1
        return self.cached(("window", margin), lambda: self._window(margin))

    def _window(self, margin: int) -> tuple[slice, slice]:
        union = self.reference | self.candidate
        rows, cols = np.flatnonzero(union.any(1)), np.flatnonzero(union.any(0))
        if rows.size == 0:
            return slice(0, self.shape[0]), slice(0, self.shape[1])
        top, bottom = (
            max(rows[0] - margin, 0),
            min(rows[-1] + 1 + margin, self.shape[0]),
        )
        left, right = (
            max(cols[0] - margin, 0),
            min(cols[-1] + 1 + margin, self.shape[1]),
        )
        return slice(int(top), int(bottom)), slice(int(left), int(right))

    def crop(self, which: str, need_px: float = 0) -> np.ndarray:
        """``which`` mask cut to :meth:`window` (a C-contiguous copy)."""
        key = ("crop", which, self.margin_for(need_px))
        return self.cached(
            key, lambda: np.ascontiguousarray(self.mask(which)[self.window(need_px)])
        )

    def boundary(self, which: str, need_px: float = 0) -> np.ndarray:
        """Inner boundary of ``which`` on the window (border by ``self.border``)."""
        key = ("boundary", which, self.border, self.margin_for(need_px))
        return self.cached(
            key, lambda: _b._inner_boundary(self.crop(which, need_px), self.border)
        )

    def boundary_distance(self, which: str, need_px: float = 0) -> np.ndarray:
        """Euclidean distance to the inner boundary of ``which``, on the window."""
        key = ("distance", "boundary", which, self.border, self.margin_for(need_px))
        return self.cached(key, lambda: _b._distance_to(self.boundary(which, need_px)))

    def seg2bmap(self, which: str, need_px: float = 0) -> np.ndarray:
        """DAVIS / BSDS boundary map of ``which``, on the window.

        Exact on the window: where the window stops short of the image, its last
        row and column are background, as their neighbours beyond it are.
        """
        key = ("seg2bmap", which, self.margin_for(need_px))
        return self.cached(key, lambda: _b._seg2bmap(self.crop(which, need_px)))

    def seg2bmap_distance(self, which: str, need_px: float = 0) -> np.ndarray:
        """Euclidean distance to the seg2bmap boundary of ``which``, on the window."""
        key = ("distance", "seg2bmap", which, self.margin_for(need_px))
        return self.cached(key, lambda: _b._distance_to(self.seg2bmap(which, need_px)))

    def inside_distance(
        self,
        which: str,
        *,
        metric: str = "euclidean",
        border: str | None = None,
        need_px: float = 0,
    ) -> np.ndarray:
        """Distance of each pixel of ``which`` to the nearest pixel outside it.

        ``metric`` is ``"euclidean"`` or ``"chessboard"``; ``border`` defaults to
        ``self.border``. Thresholding at ``d`` gives the inner band of width d.
        """
        check_choice(metric, "metric", ("euclidean", "chessboard"))
        border = (
            self.border
            if border is None
            else check_choice(border, "border", _b.BORDERS)
        )
        key = ("inside", which, metric, border, self.margin_for(need_px))
        return self.cached(key, lambda: self._inside(which, metric, border, need_px))

    def _inside(self, which, metric, border, need_px) -> np.ndarray:
        crop = self.crop(which, need_px)
        if border == "include":
            # A zero frame is the image border made background; where the window
            # stops short of the image its edge is background already, so the
            # frame changes nothing there.
            framed = np.pad(crop, 1, mode="constant", constant_values=False)
            return _inside_cv(framed, metric)[1:-1, 1:-1]
        return _inside_cv(crop, metric)


def _inside_cv(mask: np.ndarray, metric: str) -> np.ndarray:
    image = mask.view(np.uint8)
    if metric == "euclidean":
        return cv2.distanceTransform(image, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    return cv2.distanceTransform(image, cv2.DIST_C, 3)
