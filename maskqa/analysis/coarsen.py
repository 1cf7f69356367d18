"""Coarsening simulation: coarse labels made from fine masks by named mechanisms.

Each mechanism imitates one way annotation loses detail, with one parameter (its
*level*) and, where it is random, an explicit seed:

========== ======================= ==============================================
name       level                   what it does
========== ======================= ==============================================
polygon    tolerance in px         exact outline simplified (Douglas-Peucker,
                                   topology kept), rasterised at pixel centres
vertices   vertex budget           the same, to at most ``level`` vertices
dilate     r in px                 over-painting: pixels within r of the mask
erode      r in px                 under-painting: pixels farther than r inside
smooth     sigma in px             Gaussian blur of the mask, kept at >= 0.5
lowres     factor (>= 1)           area-averaged to 1/factor, kept at >= 0.5,
                                   upsampled back by nearest neighbour
drop_small area in px^2            parts and holes smaller than ``level`` left out
jitter     sigma in px             vertices of the 1-px polygon moved by Gaussian
                                   hand noise (seeded)
========== ======================= ==============================================

Steps compose left to right: ``"polygon:3+dilate:2"`` is a polygon at 3 px, then
2 px of over-painting. The annotation cost of a result is its vertex count (clicks):
the vertices of the last polygon step, or of the result's exact outline when no
step draws a polygon.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property

import cv2
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon

from .._validation import as_mask, check_choice, check_positive
from ..errors import InputError
from ..geometry.contours import (
    count_vertices,
    mask_to_polygons,
    polygons_to_mask,
    simplify_polygons,
)

__all__ = [
    "MECHANISMS",
    "JITTER_BASE_TOLERANCE_PX",
    "Coarsened",
    "parse_steps",
    "format_steps",
    "coarsen",
]

MECHANISMS = (
    "polygon",
    "vertices",
    "dilate",
    "erode",
    "smooth",
    "lowres",
    "drop_small",
    "jitter",
)

#: The tolerance of the polygon whose vertices ``jitter`` moves (a careful hand).
JITTER_BASE_TOLERANCE_PX = 1.0


@dataclass(frozen=True)
class Coarsened:
    """A simulated coarse mask and what it cost to draw."""

    mask: np.ndarray
    drawn_vertices: int | None
    steps: tuple[tuple[str, float], ...]
    seed: int | None

    @cached_property
    def vertices(self) -> int:
        """Annotation cost: the drawn polygon's vertices, else the exact outline's.

        Counted on first use (the exact outline of a hair mask takes a while).
        """
        if self.drawn_vertices is not None:
            return self.drawn_vertices
        return count_vertices(mask_to_polygons(self.mask))

    @property
    def spec(self) -> str:
        """The steps as a string, e.g. ``"polygon:3+dilate:2"``."""
        return format_steps(self.steps)


def parse_steps(steps) -> tuple[tuple[str, float], ...]:
    """Read steps from ``"name:level+name:level"`` or a sequence of pairs.

    Parameters
    ----------
    steps : str or sequence of (str, float)
        Mechanisms and levels; a level may be written in any float notation
        (``"dilate:1e+09"``: a ``+`` separates steps only before a name).

    Returns
    -------
    tuple of (str, float)
        The checked steps.

    Raises
    ------
    InputError
        On an unknown mechanism, a level that is not a finite number >= 0, a
        ``lowres`` factor below 1 or a ``vertices`` budget below 3.

    Examples
    --------
    >>> parse_steps("polygon:3+dilate:2")
    (('polygon', 3.0), ('dilate', 2.0))
    >>> parse_steps("dilate:1e+09")
    (('dilate', 1000000000.0),)
    >>> parse_steps([("erode", 1)])
    (('erode', 1.0),)
    >>> parse_steps("")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    maskqa.errors.InputError: ...
    """
    if isinstance(steps, str):
        pairs = []
        for part in _STEP_SPLIT.split(steps):
            name, _, level = part.strip().partition(":")
            if not part.strip():
                continue
            if not level.strip():
                raise InputError(
                    f"Expected `steps` items as name:level, got {part.strip()!r}."
                )
            pairs.append((name.strip(), level.strip()))
        steps = pairs
    steps = list(steps)
    if not steps:
        raise InputError("Expected at least one coarsening step, got none.")
    return tuple(_check_step(name, level) for name, level in steps)


# "+" joins steps only where a mechanism name follows, so 1e+09 stays one level.
_STEP_SPLIT = re.compile(r"\+(?=\s*[A-Za-z_])")

#: The smallest level of mechanisms whose level is not any number >= 0.
_LEAST_LEVEL = {"lowres": (1.0, "a factor >= 1"), "vertices": (3.0, "a budget >= 3")}


def _check_step(name, level) -> tuple[str, float]:
    name = check_choice(name, "mechanism", MECHANISMS)
    level = check_positive(level, "level", allow_zero=True)
    least, what = _LEAST_LEVEL.get(name, (0.0, ""))
    if level < least:
        raise InputError(f"Expected `level` of {name!r} to be {what}, got {level:g}.")
    return name, level


def format_steps(steps) -> str:
    """Steps as ``"name:level+..."``, levels printed with ``%g``.

    Examples
    --------
    >>> format_steps((("polygon", 3.0), ("dilate", 2.0)))
    'polygon:3+dilate:2'
    """
    return "+".join(f"{name}:{level:g}" for name, level in steps)


def coarsen(mask, steps, *, seed: int | None = 0) -> Coarsened:
    """Make a coarse mask from a fine one by named mechanisms.

    Parameters
    ----------
    mask : array_like, shape (H, W)
        The fine mask.
    steps : str or sequence of (str, float)
        ``"polygon:3+dilate:2"`` or ``[("polygon", 3), ("dilate", 2)]``; the
        mechanisms and levels are in the module docstring.
    seed : int, optional
        Seed of the ``numpy.random.Generator`` of random mechanisms (``jitter``);
        the same seed gives the same mask.

    Returns
    -------
    Coarsened
        ``mask`` (bool, same shape), ``vertices`` (annotation cost), the steps and
        the seed.

    Raises
    ------
    InputError
        On a bad mask, an unknown mechanism or a bad level (``lowres`` needs a
        factor >= 1, ``vertices`` a budget >= 3).

    Notes
    -----
    ``dilate`` keeps ``{p : d(p, M) <= r}`` and ``erode`` keeps
    ``{p in M : d(p, not M) > r}`` with Euclidean distances between pixel centres;
    the image border is not an edge for ``erode``. ``smooth`` keeps
    ``G_sigma * M >= 0.5``; a sigma above the image's diagonal acts as the
    diagonal, and one of 16 px or more is blurred on a grid sigma / 8 times
    coarser (area averages in, bilinear out), which moves the boundary by a small
    fraction of a pixel. ``drop_small`` leaves out 8-connected parts of area below
    the level and fills holes (4-connected background parts that do not reach the
    image border) below it. ``lowres`` keeps a low-resolution pixel when at least
    half of its area is foreground, as a label map drawn at 1/factor would.

    References
    ----------
    .. [1] D. H. Douglas and T. K. Peucker, Cartographica 10(2), 1973.
    .. [2] T.-Y. Lin et al., "Microsoft COCO: Common objects in context", ECCV 2014.

    Examples
    --------
    >>> import numpy as np
    >>> fine = np.zeros((20, 20), bool); fine[5:15, 5:15] = True
    >>> result = coarsen(fine, "dilate:1")
    >>> int(result.mask.sum()), result.vertices
    (140, 12)
    >>> bool(coarsen(np.zeros((8, 8), bool), "polygon:2").mask.any())
    False
    """
    mask = as_mask(mask, "mask")
    steps = parse_steps(steps)
    rng = np.random.default_rng(seed)
    vertices = None
    for name, level in steps:
        mask, drawn = _APPLY[name](mask, level, rng)
        if drawn is not None:
            vertices = drawn
    return Coarsened(mask, None if vertices is None else int(vertices), steps, seed)


_OUTLINES: OrderedDict = OrderedDict()


def _outline(mask):
    """The exact outline of a mask, remembered for the last few masks.

    Sweeps and fits simplify one fine mask at many tolerances; tracing and
    repairing a hair mask's outline costs more than simplifying it. Shapely
    geometries are immutable, so sharing them is safe.
    """
    key = (hashlib.sha1(np.packbits(mask).tobytes()).hexdigest(), mask.shape)
    if key in _OUTLINES:
        _OUTLINES.move_to_end(key)
        return _OUTLINES[key]
    outline = mask_to_polygons(mask)
    _OUTLINES[key] = outline
    while len(_OUTLINES) > 8:
        _OUTLINES.popitem(last=False)
    return outline


def _polygon(mask, level, rng):
    geometry = simplify_polygons(_outline(mask), tolerance_px=level)
    return polygons_to_mask(geometry, mask.shape), count_vertices(geometry)


def _vertices(mask, level, rng):
    # The budget was checked by parse_steps.
    geometry = simplify_polygons(_outline(mask), max_vertices=int(level))
    return polygons_to_mask(geometry, mask.shape), count_vertices(geometry)


def _distance_outside(mask):
    if not mask.any():
        return np.full(mask.shape, np.inf, np.float32)
    return cv2.distanceTransform(
        (~mask).view(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE
    )


def _dilate(mask, level, rng):
    return _distance_outside(mask) <= level, None


def _erode(mask, level, rng):
    if mask.all():
        return mask.copy(), None
    inside = cv2.distanceTransform(
        mask.view(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE
    )
    return inside > level, None


def _smooth(mask, level, rng):
    if level == 0:
        return mask.copy(), None
    # At sigma = the diagonal the blur is already nearly flat: larger levels act as
    # the diagonal instead of costing a kernel of 6 sigma per side.
    sigma = min(level, math.hypot(*mask.shape))
    height, width = mask.shape
    values = mask.astype(np.float32)
    # A wide blur varies slowly: computed on a grid `step` times coarser (area
    # averages in, bilinear out), it differs by a small fraction of a pixel.
    step = max(1, int(sigma // _SMOOTH_SAMPLES_PER_SIGMA))
    if step > 1:
        small = (max(1, round(width / step)), max(1, round(height / step)))
        values = cv2.resize(values, small, interpolation=cv2.INTER_AREA)
        sigma *= small[0] / width
    blurred = cv2.GaussianBlur(
        values, (0, 0), sigmaX=sigma, borderType=cv2.BORDER_REPLICATE
    )
    if step > 1:
        blurred = cv2.resize(blurred, (width, height), interpolation=cv2.INTER_LINEAR)
    return blurred >= 0.5, None


#: Grid samples per sigma below which ``smooth`` blurs at full resolution.
_SMOOTH_SAMPLES_PER_SIGMA = 8


def _lowres(mask, level, rng):
    # The factor was checked by parse_steps.
    height, width = mask.shape
    small = (max(1, round(width / level)), max(1, round(height / level)))
    area = cv2.resize(mask.astype(np.float32), small, interpolation=cv2.INTER_AREA)
    coarse = (area >= 0.5).astype(np.uint8)
    return cv2.resize(
        coarse, (width, height), interpolation=cv2.INTER_NEAREST
    ) > 0, None


def _drop_small(mask, level, rng):
    kept = _keep_large(mask, level)
    # Holes: background parts that do not reach the image border (4-connected, the
    # complement of 8-connected parts). The background around the object is never
    # a hole, however small.
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        (~kept).view(np.uint8), 4
    )
    touching = np.zeros(count, bool)
    for side in (labels[0], labels[-1], labels[:, 0], labels[:, -1]):
        touching[side] = True
    small_hole = (stats[:, cv2.CC_STAT_AREA] < level) & ~touching
    small_hole[0] = False
    return kept | small_hole[labels], None


def _keep_large(mask, min_area):
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask.view(np.uint8), 8)
    large = stats[:, cv2.CC_STAT_AREA] >= min_area
    large[0] = False
    return large[labels] if count > 1 else np.zeros_like(mask)


def _jitter(mask, level, rng):
    geometry = simplify_polygons(
        mask_to_polygons(mask), tolerance_px=JITTER_BASE_TOLERANCE_PX
    )
    if geometry.is_empty or level == 0:
        return polygons_to_mask(geometry, mask.shape), count_vertices(geometry)
    polygons = []
    for polygon in geometry.geoms:
        rings = [
            _shake(ring, level, rng) for ring in [polygon.exterior, *polygon.interiors]
        ]
        polygons.append(Polygon(rings[0], rings[1:]))

    # Noise can fold a ring; the fold is repaired, not kept as a bow tie.
    noisy = MultiPolygon(polygons)
    noisy = shapely.make_valid(noisy) if not noisy.is_valid else noisy
    return polygons_to_mask(noisy, mask.shape), count_vertices(geometry)


def _shake(ring, sigma, rng):
    points = np.asarray(ring.coords)[:-1]
    return points + rng.normal(0.0, sigma, points.shape)


_APPLY = {
    "polygon": _polygon,
    "vertices": _vertices,
    "dilate": _dilate,
    "erode": _erode,
    "smooth": _smooth,
    "lowres": _lowres,
    "drop_small": _drop_small,
    "jitter": _jitter,
}
