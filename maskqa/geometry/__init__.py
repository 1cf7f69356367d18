"""Geometry of masks: boundaries, distance maps, bands, surfaces, contours.

:class:`~maskqa.geometry.cache.PairGeometry` holds one validated (reference,
candidate) pair and caches every intermediate the metrics read from it.
Modules: ``boundaries`` (boundary pixel sets, exact distance maps), ``bands``
(inner and trimap bands), ``cache`` (the per-pair cache), ``surfaces`` (surface
elements of the surface-distance metrics), ``contours``, ``edges``.
"""

from .cache import PairGeometry

__all__ = ["PairGeometry"]
