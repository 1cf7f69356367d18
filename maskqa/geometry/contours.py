"""Contours as shapely polygons, their simplification, and their rasterisation.

Coordinates are those of the image plane with pixels as unit squares: ``x`` is the
column, ``y`` the row, and pixel ``(row, col)`` is the square
``[col, col + 1] x [row, row + 1]`` with its centre at ``(col + 0.5, row + 0.5)``.
A mask's exact outline therefore runs along pixel edges, with vertices on integer
corners.

Rasterisation convention (one for the whole package): a pixel is foreground when its
centre lies inside the geometry, as pycocotools intends for COCO polygons. Centres
exactly on an edge are decided by a half-open rule (on each row a span between
crossings ``x_a < x_b`` takes the centres in ``(x_a, x_b]``; a row is crossed by edges
spanning ``[y_min, y_max)``), so two polygons sharing an edge never both take a
pixel. With this convention the outline of a mask rasterises back to the very same
mask: :func:`mask_to_polygons` followed by :func:`polygons_to_mask` is the identity on
every mask (checked on every real sample of the test data and on random masks).

pycocotools' own rasteriser (``frPyObjects`` then ``decode``, same coordinates) is
close to this convention but not identical: on the real coarse masks of the project's
test data, polygons simplified at 2 px, it differs on 0.06 % of the foreground pixels,
all next to an edge.

Pixels that touch only at a corner are separate polygons (8-connected foreground
would make a ring that touches itself, which is invalid geometry; it is repaired by
``shapely.make_valid``, which splits it at the pinch).
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon

from .._validation import as_mask, check_positive
from ..errors import InputError

__all__ = [
    "mask_to_polygons",
    "polygons_to_mask",
    "simplify_polygons",
    "count_vertices",
]


def mask_to_polygons(mask) -> MultiPolygon:
    """The exact outline of a mask as a valid shapely MultiPolygon.

    Parameters
    ----------
    mask : array_like, shape (H, W)
        The mask (binarised by maskqa's rule).

    Returns
    -------
    shapely.geometry.MultiPolygon
        One polygon per connected part, holes kept as interior rings, vertices on
        pixel corners (collinear points removed). Empty for an empty mask.

    Raises
    ------
    InputError
        If ``mask`` is not a 2-D mask.

    Notes
    -----
    The mask is upsampled by 2 so that OpenCV's border following (which walks
    through pixel centres) visits both sides of every pixel edge; upsampled index
    ``u`` then maps to the corner ``(u + 1) // 2``, for outer and hole rings alike.
    Image-border edges are part of the outline (they close the polygon).

    References
    ----------
    .. [1] S. Suzuki and K. Abe, "Topological structural analysis of digitized binary
       images by border following", CVGIP 30(1), 1985.

    Examples
    --------
    >>> import numpy as np
    >>> mask = np.zeros((4, 5), bool)
    >>> mask[1:3, 1:4] = True
    >>> geometry = mask_to_polygons(mask)
    >>> geometry.area, count_vertices(geometry)
    (6.0, 4)
    >>> mask_to_polygons(np.zeros((4, 5), bool)).is_empty
    True
    """
    mask = as_mask(mask, "mask")
    if not mask.any():
        return MultiPolygon()

    big = np.ascontiguousarray(mask.repeat(2, 0).repeat(2, 1), dtype=np.uint8)
    contours, hierarchy = cv2.findContours(big, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    rings = [(c.reshape(-1, 2) + 1) // 2 for c in contours]
    parents = hierarchy.reshape(-1, 4)[:, 3]

    polygons = []
    for index, ring in enumerate(rings):
        if parents[index] != -1:
            continue
        holes = [rings[j] for j in np.flatnonzero(parents == index)]
        polygons.append(_valid_polygon(ring, holes))
    parts = [part for polygon in polygons for part in _as_multipolygon(polygon).geoms]

    # Duplicate corners (from the index mapping) and collinear points go; the
    # outline is unchanged.
    return _simplify(MultiPolygon(parts), 0.0)


def _valid_polygon(ring, holes):
    polygon = Polygon(ring, [h for h in holes if len(h) >= 3])
    if not polygon.is_valid:
        # Rings pinched at a corner (diagonal pixels) are split into parts here.
        polygon = shapely.make_valid(polygon)
    return polygon


def _as_multipolygon(geometry) -> MultiPolygon:
    """Keep the polygonal parts of a geometry, as a MultiPolygon."""
    if geometry is None or geometry.is_empty:
        return MultiPolygon()
    if isinstance(geometry, Polygon):
        return MultiPolygon([geometry])
    if isinstance(geometry, MultiPolygon):
        return geometry
    parts = [g for g in getattr(geometry, "geoms", []) if not g.is_empty]
    polygons = []
    for part in parts:
        if isinstance(part, (Polygon, MultiPolygon)):
            polygons.extend(_as_multipolygon(part).geoms)
    return MultiPolygon(polygons)


def polygons_to_mask(geometry, shape) -> np.ndarray:
    """Rasterise polygons: a pixel is foreground when its centre is inside.

    Parameters
    ----------
    geometry : shapely Polygon, MultiPolygon or GeometryCollection
        In pixel coordinates (x = column, y = row, pixel corners on integers).
        Non-polygonal parts are ignored; parts may lie partly outside the image.
    shape : tuple of int
        ``(height, width)`` of the mask to make.

    Returns
    -------
    numpy.ndarray of bool, shape (H, W)

    Raises
    ------
    InputError
        If ``shape`` is not two positive integers.

    Notes
    -----
    Each polygon is filled by the even-odd rule over its own rings, on scanlines
    through pixel centres ``y = row + 0.5``; a crossing at ``x`` starts or stops the
    span at column ``floor(x + 0.5)``. Polygons are united (an overlap of two
    polygons stays foreground). The half-open tie rule is in the module docstring.

    References
    ----------
    .. [1] T.-Y. Lin et al., "Microsoft COCO: Common objects in context", ECCV 2014
       (polygon annotations rasterised at pixel centres).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> polygons_to_mask(box(1, 1, 3, 2), (3, 4)).astype(int)
    array([[0, 0, 0, 0],
           [0, 1, 1, 0],
           [0, 0, 0, 0]])
    >>> bool(polygons_to_mask(MultiPolygon(), (2, 2)).any())
    False
    """
    height, width = _check_shape(shape)
    rows, starts, ends = _spans(_as_multipolygon(geometry), height)
    if rows.size == 0:
        return np.zeros((height, width), bool)

    # Spans become +1/-1 steps along each row; a pixel is in when it is in any span.
    steps = np.zeros((height, width + 1), np.int32)
    starts = np.clip(starts, 0, width)
    ends = np.clip(ends, 0, width)
    keep = ends > starts
    np.add.at(steps, (rows[keep], starts[keep]), 1)
    np.add.at(steps, (rows[keep], ends[keep]), -1)
    return np.cumsum(steps, axis=1)[:, :width] > 0


def _check_shape(shape):
    try:
        height, width = (int(s) for s in shape)
    except (TypeError, ValueError):
        raise InputError(
            f"Expected `shape` to be (height, width), got {shape!r}."
        ) from None
    if height <= 0 or width <= 0:
        raise InputError(f"Expected `shape` to hold two positive sizes, got {shape!r}.")
    return height, width


def _spans(geometry: MultiPolygon, height: int):
    """Scanline spans (row, first column, end column) of every polygon."""
    all_rows, all_x, all_ids = [], [], []
    for index, polygon in enumerate(geometry.geoms):
        for ring in [polygon.exterior, *polygon.interiors]:
            rows, xs = _crossings(np.asarray(ring.coords), height)
            all_rows.append(rows)
            all_x.append(xs)
            all_ids.append(np.full(rows.size, index))
    if not all_rows:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    rows, xs, ids = (np.concatenate(a) for a in (all_rows, all_x, all_ids))

    # Sorted by polygon, row, then x, crossings alternate entering and leaving.
    order = np.lexsort((xs, rows, ids))
    rows, columns = rows[order], np.floor(xs[order] + 0.5).astype(np.int64)
    return rows[0::2], columns[0::2], columns[1::2]


def _crossings(coords: np.ndarray, height: int):
    """Rows crossed by each edge of a closed ring and the x of each crossing."""
    x0, y0 = coords[:-1, 0], coords[:-1, 1]
    x1, y1 = coords[1:, 0], coords[1:, 1]
    low, high = np.minimum(y0, y1), np.maximum(y0, y1)

    # Row r is crossed when its centre r + 0.5 lies in [low, high).
    first = np.clip(np.ceil(low - 0.5), 0, height).astype(np.int64)
    stop = np.clip(np.ceil(high - 0.5), 0, height).astype(np.int64)
    counts = np.maximum(stop - first, 0)
    edge = np.repeat(np.arange(x0.size), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    rows = first[edge] + offsets

    y = rows + 0.5
    t = (y - y0[edge]) / (y1[edge] - y0[edge])
    xs = x0[edge] + t * (x1[edge] - x0[edge])
    return rows, xs


def simplify_polygons(
    geometry, *, tolerance_px: float | None = None, max_vertices: int | None = None
) -> MultiPolygon:
    """Simplify polygons at a tolerance, or to a budget of vertices.

    Parameters
    ----------
    geometry : shapely Polygon or MultiPolygon
        In pixel coordinates.
    tolerance_px : float, optional
        Douglas-Peucker tolerance in pixels (0 keeps the outline, minus collinear
        points).
    max_vertices : int, optional
        The largest number of vertices (all rings together) to keep; the smallest
        tolerance that meets it is found by bisection. Give exactly one of the two.

    Returns
    -------
    shapely.geometry.MultiPolygon
        Valid; topology preserved (no part vanishes, no ring crosses another).

    Raises
    ------
    InputError
        If neither or both of ``tolerance_px`` and ``max_vertices`` are given, or a
        value is negative.

    Notes
    -----
    Douglas-Peucker keeps a vertex when it lies farther than the tolerance from the
    chord of the span it belongs to. With topology preserved, every ring keeps at
    least 3 vertices, so a budget below ``3 * rings`` cannot be met: the result is
    then the most simplified outline (its vertex count says so).

    References
    ----------
    .. [1] D. H. Douglas and T. K. Peucker, "Algorithms for the reduction of the
       number of points required to represent a digitized line or its caricature",
       Cartographica 10(2), 1973.

    Examples
    --------
    >>> import numpy as np
    >>> rows, cols = np.ogrid[:64, :64]
    >>> disk = (rows - 31.5) ** 2 + (cols - 31.5) ** 2 <= 25**2
    >>> outline = mask_to_polygons(disk)
    >>> count_vertices(simplify_polygons(outline, max_vertices=12)) <= 12
    True
    >>> simplify_polygons(MultiPolygon(), tolerance_px=2).is_empty
    True
    """
    if (tolerance_px is None) == (max_vertices is None):
        raise InputError(
            "Expected exactly one of `tolerance_px` and `max_vertices`, got "
            f"tolerance_px={tolerance_px!r}, max_vertices={max_vertices!r}."
        )
    geometry = _as_multipolygon(geometry)
    if tolerance_px is not None:
        return _simplify(
            geometry, check_positive(tolerance_px, "tolerance_px", allow_zero=True)
        )

    budget = int(check_positive(max_vertices, "max_vertices"))
    low, high = 0.0, max(1.0, math.hypot(*_extent(geometry)))
    if count_vertices(_simplify(geometry, 0.0)) <= budget:
        return _simplify(geometry, 0.0)
    coarsest = _simplify(geometry, high)
    if count_vertices(coarsest) > budget:
        return coarsest

    # The vertex count falls (not strictly) as the tolerance grows: bisect on it,
    # to a hundredth of a pixel.
    while high - low > 0.01:
        middle = 0.5 * (low + high)
        if count_vertices(_simplify(geometry, middle)) <= budget:
            high = middle
        else:
            low = middle
    return _simplify(geometry, high)


def _extent(geometry):
    if geometry.is_empty:
        return (0.0, 0.0)
    x0, y0, x1, y1 = geometry.bounds
    return (x1 - x0, y1 - y0)


def _simplify(geometry: MultiPolygon, tolerance: float) -> MultiPolygon:
    simplified = shapely.simplify(geometry, tolerance, preserve_topology=True)
    if not simplified.is_valid:
        simplified = shapely.make_valid(simplified)
    return _as_multipolygon(simplified)


def count_vertices(geometry) -> int:
    """The number of distinct vertices (clicks to draw it) of all rings.

    Parameters
    ----------
    geometry : shapely Polygon or MultiPolygon

    Returns
    -------
    int
        Each ring counts its vertices once (the closing point repeats the first).

    Raises
    ------
    InputError
        Never for polygonal input; other geometry types count their polygonal parts.

    Notes
    -----
    The annotation cost of a polygon guideline: ``sum over rings (len(coords) - 1)``.

    References
    ----------
    .. [1] A. Bearman et al., "What's the point: semantic segmentation with point
       supervision", ECCV 2016 (annotation cost measured in clicks).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> count_vertices(box(0, 0, 2, 2))
    4
    >>> count_vertices(MultiPolygon())
    0
    """
    total = 0
    for polygon in _as_multipolygon(geometry).geoms:
        for ring in [polygon.exterior, *polygon.interiors]:
            total += max(len(ring.coords) - 1, 0)
    return total
