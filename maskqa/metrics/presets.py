"""Named conventions of published implementations, reproduced exactly.

Each :class:`Preset` computes, from one :class:`~maskqa.geometry.cache.PairGeometry`,
the metrics of one published implementation with its own boundary, tolerance,
image-border and empty-mask rules. Keys are prefixed by the preset name
(``davis.F``, ``boundary-iou-api.biou``, ``cascadepsp.mBA``, ``deepmind.hd95``)
and the resolved parameters are returned beside them (``davis.bound_pix``).

===================  ==========================================================
preset               resolves to
===================  ==========================================================
``davis``            DAVIS 2017 ``db_eval_boundary`` / ``db_eval_iou``: seg2bmap
                     boundaries, disk dilation of ``ceil(0.008 * diagonal)`` px,
                     image border never boundary; F, P, R and J
``boundary-iou-api`` bowenc0221/boundary-iou-api: inner band of chessboard
                     width ``round(0.02 * diagonal)`` (at least 1; 3 x 3 erosion
                     with a zero frame, image border counted); IoU of the bands
                     with pycocotools' rule (0 when a band is empty)
``cascadepsp``       CascadePSP ``compute_boundary_acc``: mBA over 5 radii from
                     (H + W) / 300
``deepmind``         google-deepmind/surface-distance (corner surface with
                     lengths): HD, HD95, directed ASD, ASSD, NSD, Dice
``medpy``            MedPy ``hd``, ``hd95``, ``assd`` (pixel surface, pooled),
                     ``jc``, ``dc``, ``precision``, ``recall``
``monai``            MONAI surface distances and NSD (float32), ``compute_iou``,
                     ``compute_dice``
``pycocotools``      pycocotools ``mask.iou`` (0 when a mask is empty), ``area``
``seg-metrics``      seg-metrics ``write_metrics``: its own contours and Maurer
                     distances, including its wrong empty / full-mask values
===================  ==========================================================
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np
from scipy.spatial import cKDTree

from .._validation import check_choice, check_positive
from ..errors import InputError
from ..geometry.cache import PairGeometry
from .boundary import band_iou
from .mba import mba_from_geometry
from .presets_region import (
    deepmind_dice,
    medpy_region,
    monai_region,
    pycocotools_region,
    seg_metrics_region,
)
from .presets_segmetrics import seg_metrics_distances

__all__ = [
    "PRESETS",
    "Preset",
    "PresetResult",
    "boundary_iou_api",
    "boundary_iou_api_from_geometry",
    "cascadepsp",
    "cascadepsp_from_geometry",
    "davis",
    "davis_boundary_sizes",
    "davis_from_geometry",
    "pycocotools_from_geometry",
    "run_preset",
    "seg_metrics_from_geometry",
]


@dataclass(frozen=True)
class PresetResult:
    """Values (prefixed by the preset name) and the parameters they resolved."""

    values: dict[str, float]
    params: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, float]:
        """The flat ``{key: float}`` values."""
        return dict(self.values)


@dataclass(frozen=True)
class Preset:
    """One published implementation's convention.

    Attributes
    ----------
    name : str
        Registry key and key prefix.
    description : str
        What it reproduces (repository / package and function).
    compute : callable
        ``compute(geometry) -> PresetResult``.
    """

    name: str
    description: str
    compute: Callable[[PairGeometry], PresetResult]


def _prefixed(name: str, values: dict, params: dict | None = None) -> PresetResult:
    return PresetResult(
        {f"{name}.{k}": float(v) for k, v in values.items()},
        {f"{name}.{k}": v for k, v in (params or {}).items()},
    )


def _davis_bound_px(geometry: PairGeometry, bound_px) -> int:
    if bound_px is None:
        return int(math.ceil(0.008 * float(np.linalg.norm(geometry.shape))))
    value = check_positive(bound_px, "bound_px")
    if not value.is_integer():
        raise InputError(f"Expected `bound_px` to be whole pixels, got {bound_px!r}.")
    return int(value)


def davis(reference, candidate, *, bound_px=None, threshold=None) -> PresetResult:
    """DAVIS 2017 boundary F (with P and R) and region J, exactly.

    Parameters
    ----------
    reference : array_like, shape (H, W)
        The annotation (fine mask).
    candidate : array_like, shape (H, W)
        The segmentation (coarse mask).
    bound_px : int, optional
        Tolerance in pixels; None resolves DAVIS' default
        ``ceil(0.008 * diagonal)``.
    threshold : float, optional
        Foreground is ``value >= threshold``.

    Returns
    -------
    PresetResult
        ``davis.F``, ``davis.P``, ``davis.R``, ``davis.J``; params
        ``davis.bound_pix``.

    Raises
    ------
    InputError, ShapeMismatchError
        On invalid masks or a tolerance that is not whole pixels.

    Notes
    -----
    Boundaries by ``seg2bmap`` (pixels differing from their E, S or SE
    neighbour; never along the image border). A boundary pixel matches when a
    boundary pixel of the other mask lies within the disk of radius
    ``bound_pix`` (:math:`x^2 + y^2 \\le r^2`):
    :math:`P = |B_C \\cap (B_R \\oplus D)| / |B_C|`,
    :math:`R = |B_R \\cap (B_C \\oplus D)| / |B_R|`, :math:`F = 2PR / (P + R)`.
    Empty boundaries: both empty P = R = F = 1; candidate empty P = R = 0;
    reference empty P = 0, R = 1 (the values recorded for davis2017 in
    ../shared/refs); F = 0 whenever one is empty. J: both empty 1, else IoU.

    References
    ----------
    .. [1] J. Pont-Tuset et al., "The 2017 DAVIS challenge on video object
       segmentation", arXiv:1704.00675, 2017.

    Examples
    --------
    >>> import numpy as np
    >>> ref = np.zeros((20, 20), bool); ref[5:15, 5:15] = True
    >>> davis(ref, np.roll(ref, 1, axis=1)).values["davis.F"]
    1.0
    >>> davis(np.zeros((4, 4)), np.zeros((4, 4))).values["davis.J"]
    1.0
    """
    geometry = PairGeometry(reference, candidate, threshold=threshold)
    return davis_from_geometry(geometry, bound_px=bound_px)


def davis_from_geometry(geometry: PairGeometry, *, bound_px=None) -> PresetResult:
    """:func:`davis` on a :class:`~maskqa.geometry.cache.PairGeometry`.

    Parameters
    ----------
    geometry : PairGeometry
        The pair (its ``border`` is not used: seg2bmap ignores the border).
    bound_px : int, optional
        Tolerance in pixels, default ``ceil(0.008 * diagonal)``.

    Returns
    -------
    PresetResult
        As :func:`davis`.

    Raises
    ------
    InputError
        On a tolerance that is not whole pixels.

    Examples
    --------
    >>> import numpy as np
    >>> g = PairGeometry(np.ones((8, 8)), np.ones((8, 8)))
    >>> davis_from_geometry(g).params
    {'davis.bound_pix': 1}
    """
    radius = _davis_bound_px(geometry, bound_px)
    n_ref, n_cand, hit_ref, hit_cand = _davis_matches(geometry, radius)
    if n_ref and n_cand:
        # the same operations as maskqa.metrics.boundary's F curve: equal values
        r, p = hit_ref / n_ref, hit_cand / n_cand
        total = p + r
        f = float(2 * p * r / total) if total > 0 else 0.0
    else:
        p = 1.0 if not (n_ref or n_cand) else 0.0
        r = 1.0 if not n_ref else 0.0
        f = 1.0 if not (n_ref or n_cand) else 0.0
    n = geometry.counts()
    union = n["reference"] + n["candidate"] - n["intersection"]
    j = n["intersection"] / union if union else 1.0
    return _prefixed("davis", {"F": f, "P": p, "R": r, "J": j}, {"bound_pix": radius})


# Seconds per pixel and kernel element of a dilation, per boundary pixel of a
# k-d tree query (measured on the large_512 / large_1024 pairs, one thread): the
# cheaper of the two exact matchings is used.
_DILATE_COST = 2e-11
_QUERY_COST = 8e-7


def _davis_matches(geometry: PairGeometry, radius: int) -> tuple[int, int, int, int]:
    """Boundary pixels of each side and those within ``radius`` of the other.

    Exact either way: a pixel matches when :math:`dx^2 + dy^2 \\le r^2`.
    """

    def compute():
        ref_b, cand_b = geometry.seg2bmap("reference"), geometry.seg2bmap("candidate")
        n_ref, n_cand = int(np.count_nonzero(ref_b)), int(np.count_nonzero(cand_b))
        if not (n_ref and n_cand):
            return n_ref, n_cand, 0, 0
        side = 2 * radius + 1
        if ref_b.size * side * side * _DILATE_COST < (n_ref + n_cand) * _QUERY_COST:
            return (n_ref, n_cand, *_matches_by_dilation(ref_b, cand_b, radius))
        return (n_ref, n_cand, *_matches_by_query(ref_b, cand_b, radius))

    return geometry.cached(("davis-matches", radius, geometry.margin_for(0)), compute)


def _matches_by_dilation(ref_b, cand_b, radius: int) -> tuple[int, int]:
    # DAVIS' own operation: dilation by the disk x^2 + y^2 <= r^2 (cv2 pads
    # with nothing, and the window's rim is background anyway).
    y, x = np.ogrid[-radius : radius + 1, -radius : radius + 1]
    disk = (x * x + y * y <= radius * radius).astype(np.uint8)
    near_cand = cv2.dilate(cand_b.view(np.uint8), disk).view(bool)
    near_ref = cv2.dilate(ref_b.view(np.uint8), disk).view(bool)
    return (
        int(np.count_nonzero(ref_b & near_cand)),
        int(np.count_nonzero(cand_b & near_ref)),
    )


def _matches_by_query(ref_b, cand_b, radius: int) -> tuple[int, int]:
    ref_pts, cand_pts = np.argwhere(ref_b), np.argwhere(cand_b)
    return (
        _within(ref_pts, cand_pts, radius),
        _within(cand_pts, ref_pts, radius),
    )


def _within(source: np.ndarray, target: np.ndarray, radius: int) -> int:
    # The bound prunes the search; offsets are rechecked in integers.
    _, index = cKDTree(target).query(source, distance_upper_bound=radius + 0.5)
    found = index < target.shape[0]
    offset = source[found] - target[index[found]]
    return int(np.count_nonzero(np.einsum("ij,ij->i", offset, offset) <= radius**2))


def davis_boundary_sizes(geometry: PairGeometry) -> dict[str, int]:
    """Pixels of the DAVIS ``seg2bmap`` boundary of each mask.

    Parameters
    ----------
    geometry : PairGeometry
        The pair.

    Returns
    -------
    dict of str to int
        ``n_boundary_fine`` (reference) and ``n_boundary_coarse`` (candidate),
        as davisinteractive's ``_seg2bmap(mask).sum()``.

    Notes
    -----
    A pixel is on the boundary when it differs from its E, S or SE neighbour
    (the image border never is).

    Examples
    --------
    >>> import numpy as np
    >>> ref = np.zeros((8, 8), bool); ref[2:6, 2:6] = True
    >>> davis_boundary_sizes(PairGeometry(ref, np.zeros((8, 8))))
    {'n_boundary_fine': 16, 'n_boundary_coarse': 0}
    """
    return {
        "n_boundary_fine": int(np.count_nonzero(geometry.seg2bmap("reference"))),
        "n_boundary_coarse": int(np.count_nonzero(geometry.seg2bmap("candidate"))),
    }


def _biou_dilation_px(geometry: PairGeometry, dilation_px) -> int:
    if dilation_px is None:
        # Python's round: half to even, as the API does.
        return max(1, int(round(0.02 * math.hypot(*geometry.shape))))
    value = check_positive(dilation_px, "dilation_px")
    if not value.is_integer():
        raise InputError(
            f"Expected `dilation_px` to be whole pixels, got {dilation_px!r}."
        )
    return int(value)


def boundary_iou_api(
    reference, candidate, *, dilation_px=None, threshold=None
) -> PresetResult:
    """Boundary IoU as bowenc0221/boundary-iou-api computes it, exactly.

    Parameters
    ----------
    reference : array_like, shape (H, W)
        The ground truth (fine mask).
    candidate : array_like, shape (H, W)
        The prediction (coarse mask).
    dilation_px : int, optional
        Band width d; None resolves ``round(0.02 * diagonal)`` (at least 1).
    threshold : float, optional
        Foreground is ``value >= threshold``.

    Returns
    -------
    PresetResult
        ``boundary-iou-api.biou`` and ``boundary-iou-api.boundary_ap_iou``
        (min of mask IoU and boundary IoU, as the API's COCOeval); params
        ``boundary-iou-api.dilation_px``.

    Raises
    ------
    InputError, ShapeMismatchError
        On invalid masks or a width that is not whole pixels.

    Notes
    -----
    Band :math:`M_d = M \\setminus (M \\ominus S_3^{\\,d})`, the mask minus
    its d-fold erosion by a 3 x 3 square after a 1-pixel zero frame (so the
    image border counts): the pixels of M within chessboard distance d of the
    outside. :math:`\\mathrm{BIoU} = |R_d \\cap C_d| / |R_d \\cup C_d|`, computed
    like pycocotools' ``maskUtils.iou``: 0 when either band is empty (both
    empty included). Equals ``faster_coco_eval`` ``rleToBoundary``.

    References
    ----------
    .. [1] B. Cheng, R. Girshick, P. Dollar, A. C. Berg, A. Kirillov, "Boundary
       IoU: improving object-centric image segmentation evaluation", CVPR 2021.
       doi:10.1109/CVPR46437.2021.01508

    Examples
    --------
    >>> import numpy as np
    >>> ref = np.zeros((20, 20), bool); ref[5:15, 5:15] = True
    >>> boundary_iou_api(ref, ref).values["boundary-iou-api.biou"]
    1.0
    >>> boundary_iou_api(np.zeros((4, 4)), np.zeros((4, 4))).values
    {'boundary-iou-api.biou': 0.0, 'boundary-iou-api.boundary_ap_iou': 0.0}
    """
    geometry = PairGeometry(reference, candidate, threshold=threshold)
    return boundary_iou_api_from_geometry(geometry, dilation_px=dilation_px)


def boundary_iou_api_from_geometry(
    geometry: PairGeometry, *, dilation_px=None, empty_rule: str = "pycocotools"
) -> PresetResult:
    """:func:`boundary_iou_api` on a :class:`~maskqa.geometry.cache.PairGeometry`.

    Parameters
    ----------
    geometry : PairGeometry
        The pair (the image border is counted whatever its ``border``).
    dilation_px : int, optional
        Band width, default ``round(0.02 * diagonal)``.
    empty_rule : {"pycocotools", "numpy"}, optional
        ``"pycocotools"`` (the API's ``maskUtils.iou``): 0 when a band is
        empty; ``"numpy"`` (the API's ``boundary_iou`` helper on arrays): nan
        when both bands are empty, 0 when one is.

    Returns
    -------
    PresetResult
        As :func:`boundary_iou_api`; params also
        ``boundary-iou-api.empty_rule``.

    Raises
    ------
    InputError
        On a width that is not whole pixels.

    Examples
    --------
    >>> import numpy as np
    >>> g = PairGeometry(np.ones((8, 8)), np.zeros((8, 8)))
    >>> boundary_iou_api_from_geometry(g).params
    {'boundary-iou-api.dilation_px': 1}
    """
    width = _biou_dilation_px(geometry, dilation_px)
    check_choice(empty_rule, "empty_rule", ("pycocotools", "numpy"))
    (biou,) = band_iou(geometry, (width,), metric="chessboard", border="include")
    if geometry.reference_empty and geometry.candidate_empty and empty_rule == "numpy":
        biou = math.nan
    elif geometry.reference_empty or geometry.candidate_empty:
        biou = 0.0
    n = geometry.counts()
    union = n["reference"] + n["candidate"] - n["intersection"]
    mask_iou = n["intersection"] / union if n["intersection"] else 0.0
    values = {"biou": biou, "boundary_ap_iou": min(mask_iou, biou)}
    params = {"dilation_px": width}
    if empty_rule != "pycocotools":
        params["empty_rule"] = empty_rule
    return _prefixed("boundary-iou-api", values, params)


def cascadepsp(reference, candidate, *, threshold=None) -> PresetResult:
    """CascadePSP's mean boundary accuracy with its own radii, exactly.

    Parameters
    ----------
    reference : array_like, shape (H, W)
        The ground truth (fine mask).
    candidate : array_like, shape (H, W)
        The segmentation (coarse mask).
    threshold : float, optional
        Foreground is ``value >= threshold``.

    Returns
    -------
    PresetResult
        ``cascadepsp.mBA``; params ``cascadepsp.radii``.

    Raises
    ------
    InputError, ShapeMismatchError
        On invalid masks.

    Notes
    -----
    See :func:`maskqa.metrics.mba.mba`; an empty or full reference gives nan
    (CascadePSP's 0 / 0).

    References
    ----------
    .. [1] H. K. Cheng, J. Chung, Y.-W. Tai, C.-K. Tang, "CascadePSP: toward
       class-agnostic and very high-resolution segmentation via global and local
       refinement", CVPR 2020. doi:10.1109/CVPR42600.2020.00829

    Examples
    --------
    >>> import numpy as np
    >>> ref = np.zeros((9, 9), bool); ref[3:6, 3:6] = True
    >>> cascadepsp(ref, ref).values
    {'cascadepsp.mBA': 1.0}
    >>> cascadepsp(np.zeros((9, 9)), ref).values
    {'cascadepsp.mBA': nan}
    """
    return cascadepsp_from_geometry(
        PairGeometry(reference, candidate, threshold=threshold)
    )


def cascadepsp_from_geometry(geometry: PairGeometry) -> PresetResult:
    """:func:`cascadepsp` on a :class:`~maskqa.geometry.cache.PairGeometry`.

    Parameters
    ----------
    geometry : PairGeometry
        The pair.

    Returns
    -------
    PresetResult
        As :func:`cascadepsp`.

    Examples
    --------
    >>> import numpy as np
    >>> cascadepsp_from_geometry(PairGeometry(np.eye(4), np.eye(4))).params
    {'cascadepsp.radii': [1, 1, 1, 1, 1]}
    """
    result = mba_from_geometry(geometry, radius_px=None, on_empty="score")
    return _prefixed(
        "cascadepsp", {"mBA": result.mba}, {"radii": list(result.radius_px)}
    )


def _surface_preset(name, function, description, region=None, **options) -> Preset:
    """A preset of a :mod:`maskqa.metrics.distance` function and a region rule."""

    def compute(geometry: PairGeometry) -> PresetResult:
        # imported here: distance is the heaviest metrics module
        module = importlib.import_module("maskqa.metrics.distance")
        values = getattr(module, function)(geometry, **options)
        if region is not None:
            values = {**region(geometry), **values}
        params = {"function": f"maskqa.metrics.distance.{function}", **options}
        return _prefixed(name, values, params)

    return Preset(name, description, compute)


def pycocotools_from_geometry(geometry: PairGeometry) -> PresetResult:
    """pycocotools ``mask.iou`` (``iscrowd=0``) and ``mask.area`` of a pair.

    Parameters
    ----------
    geometry : PairGeometry
        The pair: reference = ``gt``, candidate = ``dt``.

    Returns
    -------
    PresetResult
        ``pycocotools.iou`` (0 when either mask is empty),
        ``pycocotools.area_fine``, ``pycocotools.area_coarse``; params
        ``pycocotools.iscrowd`` (0).

    Notes
    -----
    See :func:`maskqa.metrics.presets_region.pycocotools_region`.

    Examples
    --------
    >>> import numpy as np
    >>> g = PairGeometry(np.eye(4), np.zeros((4, 4)))
    >>> pycocotools_from_geometry(g).values["pycocotools.iou"]
    0.0
    """
    return _prefixed("pycocotools", pycocotools_region(geometry), {"iscrowd": 0})


def seg_metrics_from_geometry(
    geometry: PairGeometry, *, fully_connected: bool = True
) -> PresetResult:
    """seg-metrics 1.2.8 ``dice``, ``jaccard``, ``hd``, ``hd95``, ``msd`` of a pair.

    Parameters
    ----------
    geometry : PairGeometry
        The pair: ``gdth`` = reference, ``pred`` = candidate.
    fully_connected : bool, optional
        seg-metrics' ``fullyConnected`` (its default True).

    Returns
    -------
    PresetResult
        Values prefixed ``seg-metrics.``; params
        ``seg-metrics.fully_connected`` and ``seg-metrics.spacing``.

    Notes
    -----
    See :func:`maskqa.metrics.presets_segmetrics.seg_metrics_distances`: HD 0
    when one mask is empty and about 1.8e19 when one covers the image, as
    seg-metrics returns (both wrong).

    Examples
    --------
    >>> import numpy as np
    >>> g = PairGeometry(np.zeros((4, 4)), np.zeros((4, 4)))
    >>> seg_metrics_from_geometry(g).values["seg-metrics.dice"]
    1.0
    """
    if not isinstance(fully_connected, (bool, np.bool_)):
        raise InputError(
            f"Expected `fully_connected` to be True or False, got {fully_connected!r}."
        )
    values = seg_metrics_region(geometry)
    values.update(seg_metrics_distances(geometry, fully_connected=fully_connected))
    params = {"fully_connected": bool(fully_connected), "spacing": (1.0, 1.0)}
    return _prefixed("seg-metrics", values, params)


PRESETS: dict[str, Preset] = {
    "davis": Preset(
        "davis",
        "davis2017-evaluation db_eval_boundary (F, P, R) and db_eval_iou (J)",
        davis_from_geometry,
    ),
    "boundary-iou-api": Preset(
        "boundary-iou-api",
        "bowenc0221/boundary-iou-api mask_to_boundary + pycocotools iou",
        boundary_iou_api_from_geometry,
    ),
    "cascadepsp": Preset(
        "cascadepsp",
        "hkchengrex/CascadePSP util/compute_boundary_acc.py (mBA)",
        cascadepsp_from_geometry,
    ),
    "deepmind": _surface_preset(
        "deepmind",
        "deepmind_surface_metrics_from_geometry",
        "google-deepmind/surface-distance (HD, HD95, ASSD, surface Dice, Dice)",
        region=deepmind_dice,
    ),
    "medpy": _surface_preset(
        "medpy",
        "medpy_surface_metrics_from_geometry",
        "MedPy 0.5.2 hd, hd95, assd, asd, jc, dc, precision, recall",
        region=medpy_region,
        connectivity=1,
    ),
    "monai": _surface_preset(
        "monai",
        "monai_surface_metrics_from_geometry",
        "MONAI 1.6.1 surface distances, surface Dice, compute_iou, compute_dice",
        region=monai_region,
    ),
    "pycocotools": Preset(
        "pycocotools",
        "pycocotools 2.0.11 mask.iou (iscrowd=0) and mask.area",
        pycocotools_from_geometry,
    ),
    "seg-metrics": Preset(
        "seg-metrics",
        "seg-metrics 1.2.8 write_metrics (fullyConnected=True)",
        seg_metrics_from_geometry,
    ),
}


def run_preset(name: str, geometry: PairGeometry) -> PresetResult:
    """Compute preset ``name`` on a pair.

    Parameters
    ----------
    name : str
        A key of :data:`PRESETS`.
    geometry : PairGeometry
        The pair.

    Returns
    -------
    PresetResult
        The preset's prefixed values and resolved parameters, with
        ``preset`` naming it.

    Raises
    ------
    InputError
        If ``name`` is not a registered preset.

    Examples
    --------
    >>> import numpy as np
    >>> run_preset("cascadepsp", PairGeometry(np.zeros((4, 4)), np.eye(4))).values
    {'cascadepsp.mBA': nan}
    """
    check_choice(name, "preset", tuple(PRESETS))
    result = PRESETS[name].compute(geometry)
    return PresetResult(result.values, {"preset": name, **result.params})
