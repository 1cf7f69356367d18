"""Surface-distance metrics: Hausdorff, HD95, average distance and surface Dice.

Every value is read from the two surfaces of a pair and the distances between
them (:mod:`maskqa.geometry.surfaces`), computed once per pair and convention.
The published implementations disagree on the surface, on the 95th percentile
and on the average, so every key names its definition:

=================  ==========================================================
key                definition
=================  ==========================================================
``hd``             largest distance, both directions
``hd95``           max of the two directed 95th percentiles (DeepMind, MONAI)
``hd95_pooled``    95th percentile of both directions pooled (MedPy)
``assd``           mean of the two directed means (DeepMind)
``assd_pooled``    mean of both directions pooled (MedPy, MONAI)
``nsd@Npx``        surface Dice at tolerance N px (DeepMind, Nikolov 2021)
=================  ==========================================================

With the ``"corner"`` surface, means and percentiles weigh each element by its
contour length (the percentile is the first distance whose cumulative length
fraction reaches it, without interpolation); with ``"pixel"``, each boundary
pixel counts once and percentiles interpolate linearly (``numpy.percentile``).

Presets reproduce published implementations exactly, with their keys and their
empty-mask behaviour: :func:`deepmind_surface_metrics`,
:func:`medpy_surface_metrics`, :func:`monai_surface_metrics`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import check_choice, check_widths
from ..geometry.cache import PairGeometry
from ..geometry.surfaces import (
    BORDERS,
    SURFACES,
    SurfacePair,
    check_spacing,
    pair_surfaces,
)
from ._empty import ON_EMPTY, empty_value

__all__ = [
    "DEFAULT_NSD_TOLERANCES_PX",
    "SURFACE_PRESETS",
    "SurfaceDistances",
    "deepmind_surface_metrics",
    "deepmind_surface_metrics_from_geometry",
    "medpy_surface_metrics",
    "medpy_surface_metrics_from_geometry",
    "monai_surface_metrics",
    "monai_surface_metrics_from_geometry",
    "surface_distances",
    "surface_distances_from_geometry",
]

#: Tolerances (px) of the surface Dice reported by default.
DEFAULT_NSD_TOLERANCES_PX = (1, 2, 3, 5)

#: Resolved parameters of each preset, as the output names them.
SURFACE_PRESETS = {
    "deepmind": {
        "implementation": "google-deepmind/surface-distance@1f805ce (PyPI 0.1)",
        "surface": "corner",
        "border": "include",
        "hd95": "max of directed, first length fraction >= 0.95",
        "assd": "mean of the two directed length-weighted means",
        "nsd": "contour length within tolerance (<=)",
    },
    "medpy": {
        "implementation": "MedPy 0.5.2 medpy.metric.binary",
        "surface": "pixel",
        "border": "include",
        "connectivity": 1,
        "hd95": "numpy.percentile of both directions pooled (linear)",
        "assd": "mean of both directions pooled",
    },
    "monai": {
        "implementation": "MONAI 1.6.1 monai.metrics (float32)",
        "surface": "pixel",
        "border": "include",
        "hd95": "max of directed torch.quantile (linear)",
        "assd": "mean of both directions pooled",
        "nsd": "boundary pixel count within tolerance (<=)",
        "nsd_subvox": "DeepMind's nsd (use_subvoxels=True)",
    },
}

_DISTANCE_FIELDS = (
    "hd",
    "hd95",
    "hd95_pooled",
    "assd",
    "assd_pooled",
    "hd_ref_to_cand",
    "hd_cand_to_ref",
    "hd95_ref_to_cand",
    "hd95_cand_to_ref",
    "asd_ref_to_cand",
    "asd_cand_to_ref",
)


def _tolerance_key(tolerance: float) -> str:
    """``1.0`` -> ``"1"``, ``1.5`` -> ``"1.5"``."""
    return str(int(tolerance)) if float(tolerance).is_integer() else repr(tolerance)


@dataclass(frozen=True)
class SurfaceDistances:
    """Surface-distance metrics of one (reference, candidate) pair.

    Attributes
    ----------
    hd, hd95, hd95_pooled, assd, assd_pooled : float
        Symmetric values (see the module table for their definitions).
    hd_ref_to_cand, hd_cand_to_ref, hd95_ref_to_cand, hd95_cand_to_ref : float
        Directed maxima and 95th percentiles.
    asd_ref_to_cand, asd_cand_to_ref : float
        Directed mean distances.
    nsd : tuple of (float, float)
        ``(tolerance, surface Dice)`` for each tolerance, in the order given.
    surface, border : str
        Surface convention and border policy used.
    spacing : tuple of float or None
        Pixel size the distances are measured in (None: pixels).
    """

    hd: float
    hd95: float
    hd95_pooled: float
    assd: float
    assd_pooled: float
    hd_ref_to_cand: float
    hd_cand_to_ref: float
    hd95_ref_to_cand: float
    hd95_cand_to_ref: float
    asd_ref_to_cand: float
    asd_cand_to_ref: float
    nsd: tuple[tuple[float, float], ...]
    surface: str
    border: str
    spacing: tuple[float, float] | None = None

    def to_dict(self) -> dict[str, float]:
        """Flat ``{key: value}``: the distances, then ``nsd@Npx`` per tolerance."""
        values = {name: getattr(self, name) for name in _DISTANCE_FIELDS}
        for tolerance, value in self.nsd:
            values[f"nsd@{_tolerance_key(tolerance)}px"] = value
        return values

    def params(self) -> dict:
        """The conventions the values were computed with."""
        return {
            "surface": self.surface,
            "border": self.border,
            "spacing": self.spacing,
            "nsd_tolerances_px": tuple(t for t, _ in self.nsd),
        }


# --- readers of a SurfacePair --------------------------------------------------


def _mean(distances: np.ndarray, weights: np.ndarray) -> float:
    """Weighted mean; nan for no element (the caller decides what that means)."""
    total = np.sum(weights)
    return float(np.sum(distances * weights) / total) if total > 0 else math.nan


def _length_percentile(distances, weights, percent: float) -> float:
    """First distance whose cumulative weight fraction reaches ``percent`` / 100.

    Sorting by (distance, weight) and summing in that order reproduces the
    DeepMind implementation's cumulative fractions to the last bit.
    """
    if distances.size == 0:
        return math.inf
    order = np.lexsort((weights, distances))
    sorted_weights = weights[order]
    cumulative = np.cumsum(sorted_weights) / np.sum(sorted_weights)
    index = int(np.searchsorted(cumulative, percent / 100.0))
    return float(distances[order][min(index, distances.size - 1)])


def _linear_percentile(distances, weights, percent: float) -> float:
    """``numpy.percentile`` with linear interpolation; weights are all 1."""
    if distances.size == 0:
        return math.inf
    return float(np.percentile(distances, percent))


def _surface_dice(pair: SurfacePair, tolerance: float) -> float:
    """Weight of both surfaces within ``tolerance`` of the other, over the total."""
    w_ref, w_cand = pair.reference.weights, pair.candidate.weights
    total = np.sum(w_ref) + np.sum(w_cand)
    if total == 0:
        return math.nan
    near = np.sum(w_ref[pair.ref_to_cand <= tolerance])
    near += np.sum(w_cand[pair.cand_to_ref <= tolerance])
    return float(near / total)


def _max(distances: np.ndarray) -> float:
    return float(distances.max()) if distances.size else math.inf


def _read_pair(pair: SurfacePair, percentile, tolerances) -> dict:
    """Every SurfaceDistances value of a pair whose surfaces are both non-empty."""
    d_rc, d_cr = pair.ref_to_cand, pair.cand_to_ref
    w_r, w_c = pair.reference.weights, pair.candidate.weights
    pooled_d, pooled_w = np.concatenate([d_rc, d_cr]), np.concatenate([w_r, w_c])
    values = {
        "hd_ref_to_cand": _max(d_rc),
        "hd_cand_to_ref": _max(d_cr),
        "hd95_ref_to_cand": percentile(d_rc, w_r, 95),
        "hd95_cand_to_ref": percentile(d_cr, w_c, 95),
        "asd_ref_to_cand": _mean(d_rc, w_r),
        "asd_cand_to_ref": _mean(d_cr, w_c),
        "hd95_pooled": percentile(pooled_d, pooled_w, 95),
        "assd_pooled": _mean(pooled_d, pooled_w),
    }
    values["hd"] = max(values["hd_ref_to_cand"], values["hd_cand_to_ref"])
    values["hd95"] = max(values["hd95_ref_to_cand"], values["hd95_cand_to_ref"])
    values["assd"] = (values["asd_ref_to_cand"] + values["asd_cand_to_ref"]) / 2
    values["nsd"] = tuple((t, _surface_dice(pair, t)) for t in tolerances)
    return values


def _empty_surface_values(
    pair: SurfacePair, tolerances, on_empty, regions=(False, False)
) -> dict | None:
    """maskqa's empty table applied to the masks, then to their two surfaces.

    ``regions`` says whether each mask is empty: a mask empty as a region is
    total disagreement even when the other (full, border excluded) has no
    surface either. None when the values must be computed.
    """
    sets = {
        "reference_set_empty": pair.reference.size == 0,
        "candidate_set_empty": pair.candidate.size == 0,
    }
    distance = empty_value("distance", *regions, on_empty, **sets)
    if distance is None:
        return None
    nsd = empty_value("overlap", *regions, on_empty, **sets)
    values = dict.fromkeys(_DISTANCE_FIELDS, distance)
    values["nsd"] = tuple((t, nsd) for t in tolerances)
    return values


# --- maskqa's own function ------------------------------------------------------


def surface_distances(
    reference,
    candidate,
    *,
    surface: str = "corner",
    nsd_tolerances_px=DEFAULT_NSD_TOLERANCES_PX,
    border: str = "exclude",
    spacing=None,
    on_empty: str = "score",
) -> SurfaceDistances:
    """Hausdorff, HD95, average surface distance and surface Dice of a pair.

    Parameters
    ----------
    reference, candidate : array_like
        2-D masks of the same shape (fine, coarse), binarised by maskqa's rule.
    surface : {"corner", "pixel"}
        DeepMind's length-weighted pixel-corner contour, or MedPy/MONAI's
        boundary pixels (4-neighbour rule), see :mod:`maskqa.geometry.surfaces`.
    nsd_tolerances_px : float or sequence of float
        Tolerances of the surface Dice, >= 0, in pixels (in units of
        ``spacing`` when it is given).
    border : {"exclude", "include"}
        Whether mask edges along the image border are surface.
    spacing : float or (float, float), optional
        Pixel size along rows and columns; distances are then in its units.
    on_empty : {"score", "nan"}
        What an empty surface gives: maskqa's table, or nan.

    Returns
    -------
    SurfaceDistances
        Frozen record; ``to_dict()`` gives the flat values.

    Raises
    ------
    InputError
        If a mask or an option is invalid.
    ShapeMismatchError
        If the masks differ in shape.

    Notes
    -----
    With :math:`d(p, B)` the distance from element :math:`p` of surface
    :math:`A` to surface :math:`B` and :math:`w_p` its weight (contour length
    for ``"corner"``, 1 for ``"pixel"``):

    - :math:`\\mathrm{ASD}(A, B) = \\sum_p w_p d(p, B) / \\sum_p w_p`;
      ``assd`` :math:`= (\\mathrm{ASD}(A, B) + \\mathrm{ASD}(B, A)) / 2`
      (DeepMind), ``assd_pooled`` the weighted mean over both surfaces at once
      (MedPy, MONAI). They differ: 0.74 vs 1.00 px on a 1-px dilation.
    - ``hd`` :math:`= \\max(\\max_p d(p, B), \\max_q d(q, A))`; ``hd95`` the max
      of the two directed 95th percentiles (DeepMind, MONAI), ``hd95_pooled``
      the percentile of both directions pooled (MedPy): up to 33 % apart.
    - ``nsd@Npx`` :math:`= (\\sum_{p: d(p,B) \\le \\tau} w_p + \\sum_{q:
      d(q,A) \\le \\tau} w_q) / (\\sum_p w_p + \\sum_q w_q)`.

    Empty cases follow maskqa's table, decided from the masks first: one mask
    empty gives distances inf and surface Dice 0 (also against a full mask
    that, with ``border="exclude"``, has no surface); both empty give
    distances 0 and surface Dice 1. Two non-empty masks without surface (both
    full, border excluded) give 0 and 1; one of them without surface inf and 0.

    References
    ----------
    .. [1] Huttenlocher D. P., Klanderman G. A., Rucklidge W. J. (1993).
       Comparing images using the Hausdorff distance. IEEE TPAMI 15(9):850-863.
       doi:10.1109/34.232073
    .. [2] Nikolov S. et al. (2021). Clinically applicable segmentation of head
       and neck anatomy for radiotherapy. J Med Internet Res 23(7):e26151.
       doi:10.2196/26151

    Examples
    --------
    >>> import numpy as np
    >>> ref = np.zeros((12, 16), bool); ref[3:9, 3:9] = True
    >>> cand = np.roll(ref, 3, axis=1)
    >>> result = surface_distances(ref, cand)
    >>> result.hd, result.to_dict()["nsd@3px"]
    (3.0, 1.0)
    >>> empty = surface_distances(ref, np.zeros_like(ref))
    >>> empty.hd, empty.to_dict()["nsd@1px"]
    (inf, 0.0)
    >>> surface_distances(np.ones((4, 4)), np.zeros((4, 4))).hd95
    inf
    """
    geometry = PairGeometry(reference, candidate, border=border)
    return surface_distances_from_geometry(
        geometry,
        surface=surface,
        nsd_tolerances_px=nsd_tolerances_px,
        spacing=spacing,
        on_empty=on_empty,
    )


def surface_distances_from_geometry(
    geometry: PairGeometry,
    *,
    surface: str = "corner",
    nsd_tolerances_px=DEFAULT_NSD_TOLERANCES_PX,
    border: str | None = None,
    spacing=None,
    on_empty: str = "score",
) -> SurfaceDistances:
    """:func:`surface_distances` read from a pair's cached geometry.

    Parameters
    ----------
    geometry : PairGeometry
        The validated pair; its surfaces are computed once and shared.
    surface, nsd_tolerances_px, spacing, on_empty
        As in :func:`surface_distances`.
    border : {"exclude", "include"}, optional
        ``geometry.border`` by default.

    Returns
    -------
    SurfaceDistances
        As :func:`surface_distances`.

    Raises
    ------
    InputError
        If an option is invalid.

    Notes
    -----
    Formulas and empty-mask rules are those of :func:`surface_distances`.

    Examples
    --------
    >>> import numpy as np
    >>> ref = np.zeros((12, 16), bool); ref[3:9, 3:9] = True
    >>> geometry = PairGeometry(ref, ref)
    >>> surface_distances_from_geometry(geometry, surface="pixel").assd
    0.0
    >>> both_empty = PairGeometry(np.zeros((4, 4)), np.zeros((4, 4)))
    >>> surface_distances_from_geometry(both_empty, on_empty="nan").hd
    nan
    """
    surface = check_choice(surface, "surface", SURFACES)
    border = check_choice(
        geometry.border if border is None else border, "border", BORDERS
    )
    tolerances = check_widths(nsd_tolerances_px, "nsd_tolerances_px", allow_zero=True)
    spacing = check_spacing(spacing)
    check_choice(on_empty, "on_empty", ON_EMPTY)

    pair = pair_surfaces(geometry, surface=surface, border=border, spacing=spacing)
    regions = (geometry.reference_empty, geometry.candidate_empty)
    values = _empty_surface_values(pair, tolerances, on_empty, regions)
    if values is None:
        percentile = _length_percentile if surface == "corner" else _linear_percentile
        values = _read_pair(pair, percentile, tolerances)
    return SurfaceDistances(**values, surface=surface, border=border, spacing=spacing)


# --- presets ------------------------------------------------------------------


def deepmind_surface_metrics(
    reference, candidate, *, nsd_tolerances_px=DEFAULT_NSD_TOLERANCES_PX
) -> dict[str, float]:
    """DeepMind surface-distance's metrics, reproduced exactly.

    Parameters
    ----------
    reference, candidate : array_like
        2-D masks of the same shape: ``mask_gt`` (fine) and ``mask_pred``
        (coarse), binarised by maskqa's rule.
    nsd_tolerances_px : float or sequence of float
        Tolerances of ``compute_surface_dice_at_tolerance``, >= 0.

    Returns
    -------
    dict of str to float
        ``hd`` (``compute_robust_hausdorff(sd, 100)``), ``hd95`` (percent 95),
        ``asd_f2c`` and ``asd_c2f`` (``compute_average_surface_distance``),
        ``assd`` (their plain mean), ``nsd@N`` per tolerance,
        ``n_surfels_fine`` and ``n_surfels_coarse``.

    Raises
    ------
    InputError, ShapeMismatchError
        If the masks are invalid or differ in shape.

    Notes
    -----
    Corner surface, image border counted (zero padding), spacing 1. Directed
    means are length-weighted; the directed 95th percentile is the first
    distance (sorted by distance, then length) whose cumulative length fraction
    reaches 0.95, and ``hd95`` is the larger of the two. Empty masks give what
    the GitHub version (1f805ce) gives: a direction without elements has
    distance inf and mean nan (0 / 0), so an empty mask gives ``hd`` and
    ``hd95`` inf, ``assd`` nan, surface Dice 0 (one empty) or nan (both empty).
    PyPI 0.1 raises on NumPy 2 instead (``np.Inf``).

    References
    ----------
    .. [1] Nikolov S. et al. (2021). Clinically applicable segmentation of head
       and neck anatomy for radiotherapy. J Med Internet Res 23(7):e26151.
       doi:10.2196/26151

    Examples
    --------
    >>> import numpy as np
    >>> ref = np.zeros((12, 16), bool); ref[3:9, 3:9] = True
    >>> deepmind_surface_metrics(ref, np.roll(ref, 3, axis=1))["hd"]
    3.0
    >>> out = deepmind_surface_metrics(ref, np.zeros_like(ref))
    >>> out["hd"], out["assd"], out["nsd@1"]
    (inf, nan, 0.0)
    """
    geometry = PairGeometry(reference, candidate, border="include")
    return deepmind_surface_metrics_from_geometry(
        geometry, nsd_tolerances_px=nsd_tolerances_px
    )


def deepmind_surface_metrics_from_geometry(
    geometry: PairGeometry, *, nsd_tolerances_px=DEFAULT_NSD_TOLERANCES_PX
) -> dict[str, float]:
    """:func:`deepmind_surface_metrics` read from a pair's cached geometry.

    Parameters
    ----------
    geometry : PairGeometry
        The pair; the border is counted whatever ``geometry.border`` says.
    nsd_tolerances_px : float or sequence of float
        Tolerances of the surface Dice, >= 0.

    Returns
    -------
    dict of str to float
        As :func:`deepmind_surface_metrics`.

    Raises
    ------
    InputError
        If a tolerance is invalid.

    Notes
    -----
    See :func:`deepmind_surface_metrics`.

    Examples
    --------
    >>> import numpy as np
    >>> empty = PairGeometry(np.zeros((4, 4)), np.zeros((4, 4)))
    >>> out = deepmind_surface_metrics_from_geometry(empty)
    >>> out["hd95"], out["asd_f2c"], out["nsd@2"]
    (inf, nan, nan)
    """
    tolerances = check_widths(nsd_tolerances_px, "nsd_tolerances_px", allow_zero=True)
    pair = pair_surfaces(geometry, surface="corner", border="include")
    d_f2c, d_c2f = pair.ref_to_cand, pair.cand_to_ref
    w_f, w_c = pair.reference.weights, pair.candidate.weights
    values = {
        "hd": max(_max(d_f2c), _max(d_c2f)),
        "hd95": max(
            _length_percentile(d_f2c, w_f, 95), _length_percentile(d_c2f, w_c, 95)
        ),
        "asd_f2c": _mean(d_f2c, w_f),
        "asd_c2f": _mean(d_c2f, w_c),
    }
    values["assd"] = (values["asd_f2c"] + values["asd_c2f"]) / 2
    for tolerance in tolerances:
        values[f"nsd@{_tolerance_key(tolerance)}"] = _surface_dice(pair, tolerance)
    values["n_surfels_fine"] = float(pair.reference.size)
    values["n_surfels_coarse"] = float(pair.candidate.size)
    return values


def medpy_surface_metrics(
    reference, candidate, *, connectivity: int = 1, on_empty: str = "score"
) -> dict[str, float]:
    """MedPy's ``hd``, ``hd95``, ``asd`` and ``assd``, reproduced exactly.

    Parameters
    ----------
    reference, candidate : array_like
        2-D masks of the same shape: ``reference`` (fine) and ``result``
        (coarse), binarised by maskqa's rule.
    connectivity : {1, 2}
        MedPy's ``connectivity``: 1 (its default) makes a pixel a boundary pixel
        when a 4-neighbour is outside the mask, 2 when an 8-neighbour is.
    on_empty : {"score", "nan"}
        MedPy raises on an empty mask; the preset gives maskqa's table instead
        (distances 0 for both empty, inf for one), or nan.

    Returns
    -------
    dict of str to float
        ``hd``, ``hd95`` (pooled), ``asd_c2f`` (``asd(coarse, fine)``),
        ``asd_f2c``, ``assd`` (pooled mean).

    Raises
    ------
    InputError, ShapeMismatchError
        If the masks or an option are invalid, or the shapes differ.

    Notes
    -----
    Boundary pixels ``mask ^ binary_erosion(mask, structure)`` with the image
    border counted, distances between pixel centres. ``hd95`` is
    ``numpy.percentile`` (linear) of the concatenated distances of both
    directions, and ``assd`` the mean of that concatenation: both pooled, so the
    longer boundary weighs more (loli/medpy issue #138).

    References
    ----------
    .. [1] Huttenlocher D. P., Klanderman G. A., Rucklidge W. J. (1993).
       Comparing images using the Hausdorff distance. IEEE TPAMI 15(9):850-863.
       doi:10.1109/34.232073

    Examples
    --------
    >>> import numpy as np
    >>> ref = np.zeros((12, 16), bool); ref[3:9, 3:9] = True
    >>> medpy_surface_metrics(ref, np.roll(ref, 3, axis=1))["hd"]
    3.0
    >>> medpy_surface_metrics(ref, np.zeros_like(ref))["assd"]
    inf
    """
    geometry = PairGeometry(reference, candidate, border="include")
    return medpy_surface_metrics_from_geometry(
        geometry, connectivity=connectivity, on_empty=on_empty
    )


def medpy_surface_metrics_from_geometry(
    geometry: PairGeometry, *, connectivity: int = 1, on_empty: str = "score"
) -> dict[str, float]:
    """:func:`medpy_surface_metrics` read from a pair's cached geometry.

    Parameters
    ----------
    geometry : PairGeometry
        The pair; the border is counted whatever ``geometry.border`` says.
    connectivity, on_empty
        As in :func:`medpy_surface_metrics`.

    Returns
    -------
    dict of str to float
        As :func:`medpy_surface_metrics`.

    Raises
    ------
    InputError
        If an option is invalid.

    Notes
    -----
    See :func:`medpy_surface_metrics`.

    Examples
    --------
    >>> import numpy as np
    >>> empty = PairGeometry(np.zeros((4, 4)), np.zeros((4, 4)))
    >>> medpy_surface_metrics_from_geometry(empty)["hd95"]
    0.0
    """
    check_choice(on_empty, "on_empty", ON_EMPTY)
    pair = pair_surfaces(
        geometry, surface="pixel", border="include", connectivity=connectivity
    )
    keys = ("hd", "hd95", "asd_c2f", "asd_f2c", "assd")
    empty = empty_value(
        "distance", pair.reference.size == 0, pair.candidate.size == 0, on_empty
    )
    if empty is not None:
        return dict.fromkeys(keys, empty)
    pooled = np.concatenate([pair.cand_to_ref, pair.ref_to_cand])
    return {
        "hd": max(_max(pair.cand_to_ref), _max(pair.ref_to_cand)),
        "hd95": float(np.percentile(pooled, 95)),
        "asd_c2f": float(np.mean(pair.cand_to_ref)),
        "asd_f2c": float(np.mean(pair.ref_to_cand)),
        "assd": float(np.mean(pooled)),
    }


def monai_surface_metrics(
    reference,
    candidate,
    *,
    nsd_tolerances_px=DEFAULT_NSD_TOLERANCES_PX,
    subvoxels: bool = True,
) -> dict[str, float]:
    """MONAI's surface metrics, reproduced to float32.

    Parameters
    ----------
    reference, candidate : array_like
        2-D masks of the same shape: ``y`` (fine) and ``y_pred`` (coarse),
        binarised by maskqa's rule.
    nsd_tolerances_px : float or sequence of float
        ``class_thresholds`` of ``compute_surface_dice``, >= 0.
    subvoxels : bool
        Also give ``nsd_subvox@N`` (``use_subvoxels=True``), which needs the
        pixel-corner contours as well; False skips them.

    Returns
    -------
    dict of str to float
        float32 values: ``hd`` and ``hd95`` (``compute_hausdorff_distance``,
        percentile None / 95), ``hd_directed_c2f`` and ``hd_directed_f2c``
        (``directed=True``), ``asd_c2f``, ``asd_f2c`` (``symmetric=False``),
        ``assd`` (``compute_average_surface_distance(symmetric=True)``),
        ``nsd@N`` (``compute_surface_dice``) and ``nsd_subvox@N``
        (``use_subvoxels=True``) per tolerance.

    Raises
    ------
    InputError, ShapeMismatchError
        If the masks or a tolerance are invalid, or the shapes differ.

    Notes
    -----
    Edges ``binary_erosion(seg) ^ seg`` (4-neighbour rule, image border
    counted), distances between pixel centres in float32. ``hd95`` is the
    larger of the two directed ``torch.quantile(d, 0.95)`` (linear
    interpolation); ``assd`` the mean of both directions pooled; ``nsd`` counts
    edge pixels within the tolerance (``<=``) over all edge pixels, and
    ``nsd_subvox`` is DeepMind's length-weighted surface Dice. Empty masks give
    what MONAI gives: all nan when both are empty; with one empty every
    distance is inf except ``hd95``, nan (the quantile of infinities), and both
    surface Dice are 0.

    References
    ----------
    .. [1] Nikolov S. et al. (2021). Clinically applicable segmentation of head
       and neck anatomy for radiotherapy. J Med Internet Res 23(7):e26151.
       doi:10.2196/26151

    Examples
    --------
    >>> import numpy as np
    >>> ref = np.zeros((12, 16), bool); ref[3:9, 3:9] = True
    >>> monai_surface_metrics(ref, np.roll(ref, 3, axis=1))["hd95"]
    3.0
    >>> out = monai_surface_metrics(ref, np.zeros_like(ref))
    >>> out["hd"], out["hd95"], out["nsd@1"]
    (inf, nan, 0.0)
    """
    geometry = PairGeometry(reference, candidate, border="include")
    return monai_surface_metrics_from_geometry(
        geometry, nsd_tolerances_px=nsd_tolerances_px, subvoxels=subvoxels
    )


def monai_surface_metrics_from_geometry(
    geometry: PairGeometry,
    *,
    nsd_tolerances_px=DEFAULT_NSD_TOLERANCES_PX,
    subvoxels: bool = True,
) -> dict[str, float]:
    """:func:`monai_surface_metrics` read from a pair's cached geometry.

    Parameters
    ----------
    geometry : PairGeometry
        The pair; the border is counted whatever ``geometry.border`` says.
    nsd_tolerances_px : float or sequence of float
        Tolerances of the surface Dice, >= 0.
    subvoxels : bool
        Also give ``nsd_subvox@N`` (needs the corner contours).

    Returns
    -------
    dict of str to float
        As :func:`monai_surface_metrics`.

    Raises
    ------
    InputError
        If a tolerance is invalid.

    Notes
    -----
    See :func:`monai_surface_metrics`.

    Examples
    --------
    >>> import numpy as np
    >>> empty = PairGeometry(np.zeros((4, 4)), np.zeros((4, 4)))
    >>> monai_surface_metrics_from_geometry(empty)["assd"]
    nan
    """
    tolerances = check_widths(nsd_tolerances_px, "nsd_tolerances_px", allow_zero=True)
    pixels = pair_surfaces(geometry, surface="pixel", border="include")
    corners = None
    if subvoxels:
        corners = pair_surfaces(geometry, surface="corner", border="include")
    values = _monai_distances(pixels)
    for tolerance in tolerances:
        key = _tolerance_key(tolerance)
        values[f"nsd@{key}"] = _surface_dice(pixels, tolerance)
        if corners is not None:
            values[f"nsd_subvox@{key}"] = _surface_dice(corners, tolerance)
    return {key: float(np.float32(value)) for key, value in values.items()}


def _monai_distances(pair: SurfacePair) -> dict[str, float]:
    """MONAI's distance values in float64 (cast to float32 by the caller)."""
    keys = ("hd", "hd95", "hd_directed_c2f", "hd_directed_f2c")
    keys += ("asd_c2f", "asd_f2c", "assd")
    ref_empty, cand_empty = pair.reference.size == 0, pair.candidate.size == 0
    if ref_empty and cand_empty:
        return dict.fromkeys(keys, math.nan)
    if ref_empty or cand_empty:
        # MONAI fills the missing direction with inf; its quantile of infinities
        # interpolates inf - inf, which is nan.
        return {**dict.fromkeys(keys, math.inf), "hd95": math.nan}

    d_c2f, d_f2c = pair.cand_to_ref, pair.ref_to_cand
    return {
        "hd": max(_max(d_c2f), _max(d_f2c)),
        "hd95": max(float(np.percentile(d_c2f, 95)), float(np.percentile(d_f2c, 95))),
        "hd_directed_c2f": _max(d_c2f),
        "hd_directed_f2c": _max(d_f2c),
        "asd_c2f": float(np.mean(d_c2f)),
        "asd_f2c": float(np.mean(d_f2c)),
        "assd": float(np.mean(np.concatenate([d_c2f, d_f2c]))),
    }
