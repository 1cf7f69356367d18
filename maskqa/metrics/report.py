"""The default report of a pair: every metric family from one geometry cache.

:func:`compare` builds one :class:`~maskqa.geometry.cache.PairGeometry` and reads
each family from it: region, boundary F / P / R and boundary IoU over the
tolerances, the trimap curve over the band widths, surface distances, mBA and
disagreement by distance (when their modules are installed), or the metrics of
one or more named presets.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .._json import jsonable
from .._validation import check_choice, check_widths
from ..geometry.boundaries import BORDERS
from ..geometry.cache import PairGeometry
from ._empty import ON_EMPTY
from .boundary import boundary_f_from_geometry, boundary_iou_from_geometry
from .mba import cascadepsp_radii, mba_from_geometry
from .presets import PRESETS, run_preset
from .region import region_from_geometry
from .trimap import trimap_from_geometry

__all__ = [
    "DEFAULT_TOLERANCES_PX",
    "DEFAULT_BANDS_PX",
    "Report",
    "compare",
    "compare_geometry",
]

#: Default tolerances (boundary F, boundary IoU widths, surface Dice), pixels.
DEFAULT_TOLERANCES_PX = (1, 2, 3, 5, 10)
#: Default trimap band widths, pixels.
DEFAULT_BANDS_PX = (1, 2, 3, 4, 5, 7, 10, 15, 20, 30, 40)

# Families written by other modules, imported when present.
_OPTIONAL = {
    "distance": "maskqa.metrics.distance",
    "disagreement": "maskqa.metrics.disagreement",
}


@dataclass(frozen=True)
class Report:
    """The metrics of one pair and every convention that produced them.

    Attributes
    ----------
    values : dict of str to float
        Flat metric values, in a fixed order for given parameters.
    params : dict
        Every convention and resolved parameter (JSON-serialisable).
    """

    values: dict[str, float]
    params: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, float]:
        """The flat ``{key: float}`` values (a copy)."""
        return dict(self.values)

    def to_json(self, **kwargs) -> str:
        """Values and parameters as JSON; inf and nan are written as strings."""
        payload = {"values": jsonable(self.values), "params": jsonable(self.params)}
        return json.dumps(payload, **kwargs)

    @classmethod
    def keys_for(cls, **options) -> list[str]:
        """The value keys :func:`compare` returns with these options, in order.

        Lets a batch writer fix its columns before the first pair: ``options``
        are the keyword arguments of :func:`compare`.

        Examples
        --------
        >>> Report.keys_for(preset="davis")
        ['davis.F', 'davis.P', 'davis.R', 'davis.J']
        """
        reference = np.zeros((16, 16), bool)
        reference[4:12, 4:12] = True
        candidate = np.roll(reference, 1, axis=1)
        return list(compare(reference, candidate, **options).values)


def compare(
    reference,
    candidate,
    *,
    preset: str | Sequence[str] | None = None,
    tolerance_px=DEFAULT_TOLERANCES_PX,
    band_px=DEFAULT_BANDS_PX,
    border: str = "exclude",
    on_empty: str = "score",
    threshold: float | None = None,
) -> Report:
    """Compare a fine reference mask with a coarse candidate: the full report.

    Parameters
    ----------
    reference : array_like, shape (H, W)
        The fine mask.
    candidate : array_like, shape (H, W)
        The coarse mask.
    preset : str or sequence of str, optional
        Instead of the default report, the metrics of these named conventions
        (keys of :data:`maskqa.metrics.presets.PRESETS`).
    tolerance_px : float or sequence of float, optional
        Boundary F tolerances, boundary IoU widths and surface Dice
        tolerances, in pixels.
    band_px : float or sequence of float, optional
        Trimap band widths in pixels.
    border : {"exclude", "include"}, optional
        Whether mask edges along the image border are boundary.
    on_empty : {"score", "nan"}, optional
        Empty-mask rule (:mod:`maskqa.metrics._empty`).
    threshold : float, optional
        Foreground is ``value >= threshold``; overrides the binarisation rule.

    Returns
    -------
    Report
        ``values`` (flat dict) and ``params`` (conventions, resolved
        parameters, the families computed).

    Raises
    ------
    InputError
        On invalid masks, widths or options.
    ShapeMismatchError
        If the masks differ in shape.

    Notes
    -----
    Default keys: ``iou``, ``dice``, ``precision``, ``recall``,
    ``area_ratio``; ``boundary_f@Npx``, ``boundary_precision@Npx``,
    ``boundary_recall@Npx``, ``boundary_iou@Npx`` per tolerance;
    ``trimap_iou@Npx``, ``trimap_miou@Npx``, ``trimap_accuracy@Npx`` per band;
    the surface distances (``hd``, ``hd95``, ``hd95_pooled``, ``assd``,
    ``assd_pooled``, ``nsd@Npx``, ...); ``mba`` with CascadePSP's radii; the
    disagreement-by-distance counts. Every family reads the same cached
    boundaries and distance maps, so each is computed once.

    Examples
    --------
    >>> import numpy as np
    >>> ref = np.zeros((32, 32), bool); ref[8:24, 8:24] = True
    >>> report = compare(ref, ref)
    >>> report.values["iou"], report.values["boundary_f@1px"]
    (1.0, 1.0)
    >>> compare(ref, np.zeros((32, 32)), preset="davis").values["davis.F"]
    0.0
    >>> compare(np.zeros((8, 8)), np.zeros((8, 8))).values["trimap_iou@1px"]
    nan
    """
    tolerances = check_widths(tolerance_px, "tolerance_px")
    bands = check_widths(band_px, "band_px")
    check_choice(border, "border", BORDERS)
    check_choice(on_empty, "on_empty", ON_EMPTY)
    shape = np.shape(reference)
    radii = cascadepsp_radii(shape[:2]) if len(shape) >= 2 else (1,)
    geometry = PairGeometry(
        reference,
        candidate,
        border=border,
        threshold=threshold,
        margin_px=max(max(bands), max(radii)),
    )
    return compare_geometry(
        geometry,
        preset=preset,
        tolerance_px=tolerances,
        band_px=bands,
        on_empty=on_empty,
        threshold=threshold,
    )


def compare_geometry(
    geometry: PairGeometry,
    *,
    preset: str | Sequence[str] | None = None,
    tolerance_px=DEFAULT_TOLERANCES_PX,
    band_px=DEFAULT_BANDS_PX,
    on_empty: str = "score",
    threshold: float | None = None,
) -> Report:
    """:func:`compare` on a :class:`~maskqa.geometry.cache.PairGeometry`.

    Parameters
    ----------
    geometry : PairGeometry
        The pair; its ``border`` is used.
    preset, tolerance_px, band_px, on_empty
        As in :func:`compare`.
    threshold : float, optional
        Only recorded in ``params`` (the geometry is already binarised).

    Returns
    -------
    Report
        As :func:`compare`.

    Raises
    ------
    InputError
        On invalid widths, presets or options.

    Examples
    --------
    >>> import numpy as np
    >>> g = PairGeometry(np.eye(8), np.eye(8))
    >>> compare_geometry(g, preset="cascadepsp").params["cascadepsp.radii"]
    [1, 1, 1, 1, 1]
    """
    tolerances = check_widths(tolerance_px, "tolerance_px")
    bands = check_widths(band_px, "band_px")
    params = {
        "orientation": "reference = fine, candidate = coarse",
        "shape": list(geometry.shape),
        "border": geometry.border,
        "on_empty": on_empty,
        "threshold": threshold,
    }
    if preset is not None:
        return _preset_report(geometry, preset, params)
    values: dict[str, float] = {}
    families = []
    options = _Options(tolerances, bands, on_empty)
    for name, read in _FAMILIES:
        family_values, family_params = read(geometry, options)
        if family_values is None:
            continue
        values.update(family_values)
        params.update(family_params)
        families.append(name)
    params["families"] = families
    return Report(values, params)


def _preset_report(geometry, preset, params) -> Report:
    names = [preset] if isinstance(preset, str) else list(preset)
    values: dict[str, float] = {}
    for name in names:
        check_choice(name, "preset", tuple(PRESETS))
        result = run_preset(name, geometry)
        values.update(result.values)
        params.update({k: v for k, v in result.params.items() if k != "preset"})
    params["preset"] = names if len(names) > 1 else names[0]
    return Report(values, params)


@dataclass(frozen=True)
class _Options:
    tolerances: tuple[float, ...]
    bands: tuple[float, ...]
    on_empty: str


def _read_region(g: PairGeometry, o: _Options):
    return region_from_geometry(g, on_empty=o.on_empty).to_dict(), {}


def _read_boundary(g: PairGeometry, o: _Options):
    f = boundary_f_from_geometry(g, tolerance_px=o.tolerances, on_empty=o.on_empty)
    iou = boundary_iou_from_geometry(g, band_px=o.tolerances, on_empty=o.on_empty)
    params = {
        "tolerance_px": list(o.tolerances),
        "boundary": "inner boundary: mask pixels with a 4-neighbour outside",
        "boundary_match": "Euclidean, many-to-one, distance <= tolerance",
        "boundary_iou_band": "inner band, Euclidean width",
    }
    return {**f.to_dict(), **iou.to_dict()}, params


def _read_trimap(g: PairGeometry, o: _Options):
    curve = trimap_from_geometry(
        g, band_px=o.bands, band="euclidean", on_empty=o.on_empty
    )
    params = {
        "band_px": list(o.bands),
        "trimap.band": "euclidean",
        "trimap.seed": "pixels on either side of the reference edge (4-neighbour)",
    }
    return curve.to_dict(), params


def _read_distance(g: PairGeometry, o: _Options):
    module = _optional("distance")
    if module is None:
        return None, None
    result = module.surface_distances_from_geometry(
        g, nsd_tolerances_px=o.tolerances, on_empty=o.on_empty
    )
    params = {"surface": "corner", "nsd_tolerance_px": list(o.tolerances)}
    return result.to_dict(), params


def _read_mba(g: PairGeometry, o: _Options):
    result = mba_from_geometry(g, on_empty=o.on_empty)
    return {"mba": result.mba}, {"mba.radii": list(result.radius_px)}


def _read_disagreement(g: PairGeometry, o: _Options):
    module = _optional("disagreement")
    if module is None:
        return None, None
    result = module.disagreement_from_geometry(g)
    return result.to_dict(), {"disagreement.bins_px": list(result.bins_px)}


# The default report's families, in key order; a reader returns (values, params),
# or (None, None) while the module of a family written elsewhere is missing.
_FAMILIES = (
    ("region", _read_region),
    ("boundary", _read_boundary),
    ("trimap", _read_trimap),
    ("distance", _read_distance),
    ("mba", _read_mba),
    ("disagreement", _read_disagreement),
)


def _optional(family: str):
    """The module of a family written elsewhere, or None while it is missing."""
    try:
        return importlib.import_module(_OPTIONAL[family])
    except ImportError:
        return None
