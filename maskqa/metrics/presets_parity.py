"""Which preset reproduces each published metric, and whether a value agrees.

Reference files (``refs/reference_values.json`` and files of the same layout)
key the published values ``PEER.METRIC``, with an optional variant (``.c2``:
MedPy connectivity 2; ``.fc0``: seg-metrics ``fullyConnected=False``) and an
optional ``@N`` or ``@Npx`` tolerance or width. :func:`resolve` maps such a key
to the maskqa preset (and option) that computes it; :func:`reproduce` computes
every covered key of one pair from one :class:`~maskqa.geometry.cache.PairGeometry`
and :func:`agreement` applies the parity rule: 1e-9 absolute, or 1e-6 relative
for the float32 peers (MONAI, seg-metrics). Non-finite values must match
exactly (nan with nan, inf with inf).

Peers not covered, with the reason, are in :data:`UNCOVERED`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..geometry.cache import PairGeometry
from . import presets
from .distance import (
    deepmind_surface_metrics_from_geometry,
    medpy_surface_metrics_from_geometry,
    monai_surface_metrics_from_geometry,
)
from .presets_region import deepmind_dice, monai_region
from .trimap import trimap_from_geometry

__all__ = [
    "ABSOLUTE_TOLERANCE",
    "FLOAT32_PEERS",
    "RELATIVE_TOLERANCE_FLOAT32",
    "UNCOVERED",
    "PeerKey",
    "agreement",
    "parse_key",
    "reproduce",
    "resolve",
]

ABSOLUTE_TOLERANCE = 1e-9
RELATIVE_TOLERANCE_FLOAT32 = 1e-6
#: Peers that compute in float32: compared to 1e-6 relative.
FLOAT32_PEERS = frozenset({"monai", "seg_metrics"})
#: Peer prefixes no preset reproduces, and why.
UNCOVERED = {
    "pysodmetrics": "salient-object metrics (S-, E-, weighted F-measure, MAE, HCE) "
    "on saliency maps: outside maskqa's scope",
    "pyedgeeval": "BSDS one-to-one matching (correspondPixels) seeds its outlier "
    "graph from the clock: not deterministic, F varies by up to 0.012",
}


@dataclass(frozen=True)
class PeerKey:
    """A parsed reference key: ``peer.metric[.variant][@at]``."""

    key: str
    peer: str
    metric: str
    variant: str | None
    at: float | None


_VARIANTS = {"c2", "fc0"}


def parse_key(key: str) -> PeerKey:
    """Split ``PEER.METRIC[.VARIANT][@N[px]]`` into its parts.

    Parameters
    ----------
    key : str
        A reference key, e.g. ``"medpy.hd95.c2"`` or ``"davis2017.F@3px"``.

    Returns
    -------
    PeerKey
        ``at`` is None without an ``@`` part; a non-numeric one stays in
        ``metric`` (``pyedgeeval.bsds_f@davis_px``).

    Examples
    --------
    >>> parse_key("davis2017.F@3px")
    PeerKey(key='davis2017.F@3px', peer='davis2017', metric='F', variant=None, at=3.0)
    >>> parse_key("medpy.hd.c2").variant
    'c2'
    """
    peer, _, rest = key.partition(".")
    at = None
    if "@" in rest:
        head, _, text = rest.rpartition("@")
        try:
            at = float(text.removesuffix("px"))
            rest = head
        except ValueError:
            # not a width: keep it in the metric name, which no reader knows
            at = None
    variant = None
    head, _, tail = rest.rpartition(".")
    if head and tail in _VARIANTS:
        rest, variant = head, tail
    return PeerKey(key, peer, rest, variant, at)


class _Pair:
    """One pair's geometries and a memo of every preset call made on it."""

    def __init__(self, geometry: PairGeometry, trimap_widths: dict[str, tuple]):
        self.geometry = geometry
        self.trimap_widths = trimap_widths
        self._memo: dict = {}
        self._included: PairGeometry | None = None

    def call(self, function: Callable, **options):
        key = (function, tuple(sorted(options.items())))
        if key not in self._memo:
            self._memo[key] = function(self._geometry_for(function), **options)
        return self._memo[key]

    def _geometry_for(self, function):
        if function is not trimap_from_geometry:
            return self.geometry
        # The trimap keys of the refs count the image border (border="include").
        if self._included is None:
            g = self.geometry
            self._included = PairGeometry(g.reference, g.candidate, border="include")
        return self._included


def _values(result) -> dict:
    if isinstance(result, presets.PresetResult):
        return {**result.values, **result.params}
    return result


def _from(function, key, **options) -> Callable:
    return lambda pair, k: _values(pair.call(function, **options))[key]


def _at_option(function, key, option, fixed=None) -> Callable:
    """A value at the key's ``@N``, passed to ``function`` as ``option``."""

    def read(pair: _Pair, k: PeerKey):
        if k.at is None:
            return None
        options = {option: (k.at,) if option.endswith("tolerances_px") else k.at}
        options.update(fixed or {})
        result = _values(pair.call(function, **options))
        return result[key.format(n=_n(k.at))]

    return read


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _trimap(band: str, field: str) -> Callable:
    def read(pair: _Pair, k: PeerKey):
        widths = pair.trimap_widths.get(band, ())
        if k.at is None or k.at not in widths:
            return None
        curve = pair.call(trimap_from_geometry, band_px=widths, band=band)
        return getattr(curve, field)[widths.index(k.at)]

    return read


def _bound(function, **options) -> Callable:
    return lambda geometry, **more: function(geometry, **options, **more)


_DAVIS = presets.davis_from_geometry
_BIOU = presets.boundary_iou_api_from_geometry
_BIOU_NUMPY = _bound(_BIOU, empty_rule="numpy")
_DEEPMIND = deepmind_surface_metrics_from_geometry
_MONAI = monai_surface_metrics_from_geometry
_MEDPY = presets.PRESETS["medpy"].compute
_SEG = presets.seg_metrics_from_geometry
_COCO = presets.pycocotools_from_geometry
_DAVIS_SIZES = presets.davis_boundary_sizes
_DEEPMIND_DICE = deepmind_dice


def _deepmind_table() -> dict:
    table = {
        "hd": _from(_DEEPMIND, "hd"),
        "hd95": _from(_DEEPMIND, "hd95"),
        "asd_c2f": _from(_DEEPMIND, "asd_c2f"),
        "asd_f2c": _from(_DEEPMIND, "asd_f2c"),
        "assd_mean_of_2": _from(_DEEPMIND, "assd"),
        "n_surfels_fine": _from(_DEEPMIND, "n_surfels_fine"),
        "n_surfels_coarse": _from(_DEEPMIND, "n_surfels_coarse"),
        "dice": _from(_DEEPMIND_DICE, "dice"),
        "nsd": _at_option(_DEEPMIND, "nsd@{n}", "nsd_tolerances_px"),
    }
    return table


def _medpy_c2(key: str) -> Callable:
    c2 = _bound(medpy_surface_metrics_from_geometry, connectivity=2)
    return _from(c2, key)


#: (peer, metric, variant) -> reader(pair, PeerKey) of the maskqa value.
_TABLE: dict[tuple[str, str, str | None], Callable] = {
    ("pycocotools", "iou", None): _from(_COCO, "pycocotools.iou"),
    ("pycocotools", "area_fine", None): _from(_COCO, "pycocotools.area_fine"),
    ("pycocotools", "area_coarse", None): _from(_COCO, "pycocotools.area_coarse"),
    ("faster_coco_eval", "mask_iou", None): _from(_COCO, "pycocotools.iou"),
    ("faster_coco_eval", "boundary_iou.mask_api", None): _from(
        _BIOU, "boundary-iou-api.biou"
    ),
    ("faster_coco_eval", "boundary_iou.opencv", None): _from(
        _BIOU, "boundary-iou-api.biou"
    ),
    ("biou_api", "biou", None): lambda pair, k: (
        _from(_BIOU_NUMPY, "boundary-iou-api.biou")(pair, k)
        if k.at is None
        else _at_option(_BIOU_NUMPY, "boundary-iou-api.biou", "dilation_px")(pair, k)
    ),
    ("biou_api", "biou_rle", None): _from(_BIOU, "boundary-iou-api.biou"),
    ("biou_api", "boundary_ap_iou", None): _from(
        _BIOU, "boundary-iou-api.boundary_ap_iou"
    ),
    ("biou_api", "dilation_px", None): _from(_BIOU, "boundary-iou-api.dilation_px"),
    ("cascadepsp", "mBA", None): _from(
        presets.cascadepsp_from_geometry, "cascadepsp.mBA"
    ),
    ("cascadepsp", "radii", None): lambda pair, k: str(
        _values(pair.call(presets.cascadepsp_from_geometry))["cascadepsp.radii"]
    ),
    ("davis2017", "F", None): lambda pair, k: (
        _from(_DAVIS, "davis.F")(pair, k)
        if k.at is None
        else _at_option(_DAVIS, "davis.F", "bound_px")(pair, k)
    ),
    ("davis2017", "P", None): _from(_DAVIS, "davis.P"),
    ("davis2017", "R", None): _from(_DAVIS, "davis.R"),
    ("davis2017", "J", None): _from(_DAVIS, "davis.J"),
    ("davis2017", "bound_pix", None): _from(_DAVIS, "davis.bound_pix"),
    ("davisinteractive", "f_measure", None): _from(_DAVIS, "davis.F"),
    ("davisinteractive", "jaccard", None): _from(_DAVIS, "davis.J"),
    ("davisinteractive", "n_boundary_fine", None): _from(
        _DAVIS_SIZES, "n_boundary_fine"
    ),
    ("davisinteractive", "n_boundary_coarse", None): _from(
        _DAVIS_SIZES, "n_boundary_coarse"
    ),
    ("monai", "nsd", None): _at_option(_MONAI, "nsd@{n}", "nsd_tolerances_px"),
    ("monai", "nsd_subvox", None): _at_option(
        _MONAI, "nsd_subvox@{n}", "nsd_tolerances_px"
    ),
}
for _key in ("jc", "dc", "precision", "recall", "hd", "hd95"):
    _TABLE[("medpy", _key, None)] = _from(_MEDPY, f"medpy.{_key}")
for _key in ("asd_c2f", "asd_f2c", "assd"):
    _TABLE[("medpy", _key, None)] = _from(_MEDPY, f"medpy.{_key}")
for _key in ("hd", "hd95", "assd", "asd_c2f", "asd_f2c"):
    _TABLE[("medpy", _key, "c2")] = _medpy_c2(_key)
for _key in ("iou", "dice"):
    _TABLE[("monai", _key, None)] = _from(monai_region, _key)
for _key in ("hd", "hd95", "hd_directed_c2f", "hd_directed_f2c", "asd_c2f"):
    _TABLE[("monai", _key, None)] = _from(_MONAI, _key)
for _key in ("asd_f2c", "assd"):
    _TABLE[("monai", _key, None)] = _from(_MONAI, _key)
for _peer in ("surface_distance", "sd_github"):
    for _key, _reader in _deepmind_table().items():
        _TABLE[(_peer, _key, None)] = _reader
for _key in ("dice", "jaccard", "hd", "hd95", "msd"):
    _TABLE[("seg_metrics", _key, None)] = _from(_SEG, f"seg-metrics.{_key}")
    _TABLE[("seg_metrics", _key, "fc0")] = _from(
        _bound(_SEG, fully_connected=False), f"seg-metrics.{_key}"
    )
for _band, _name in (("eu", "euclidean"), ("sq", "chessboard")):
    for _key, _field in (
        ("acc", "accuracy"),
        ("band_px", "band_pixels"),
        ("fg_iou", "iou"),
        ("miou", "miou"),
    ):
        _TABLE[("trimap", f"{_band}.{_key}", None)] = _trimap(_name, _field)


#: The (peer, metric) pairs whose readers take the key's ``@N``.
_AT_AWARE = {
    ("davis2017", "F"),
    ("biou_api", "biou"),
    ("monai", "nsd"),
    ("monai", "nsd_subvox"),
    ("surface_distance", "nsd"),
    ("sd_github", "nsd"),
} | {
    ("trimap", f"{b}.{m}")
    for b in ("eu", "sq")
    for m in ("acc", "band_px", "fg_iou", "miou")
}


def resolve(key: str) -> Callable | None:
    """The reader of a reference key, or None when no preset covers it.

    Parameters
    ----------
    key : str
        A reference key.

    Returns
    -------
    callable or None
        Used by :func:`reproduce`.

    Examples
    --------
    >>> resolve("medpy.hd95.c2") is not None, resolve("pysodmetrics.mae")
    (True, None)
    >>> resolve("medpy.hd@3px") is None  # MedPy's HD has no tolerance
    True
    """
    k = parse_key(key)
    if k.at is not None and (k.peer, k.metric) not in _AT_AWARE:
        # a width on a metric that has none: not what any preset computes
        return None
    return _TABLE.get((k.peer, k.metric, k.variant))


def reproduce(geometry: PairGeometry, keys: Iterable[str]) -> dict[str, object]:
    """Compute every covered reference key of one pair.

    Parameters
    ----------
    geometry : PairGeometry
        The pair: reference = fine, candidate = coarse.
    keys : iterable of str
        Reference keys; uncovered ones (and ``@`` parts that are not numbers)
        are left out of the result.

    Returns
    -------
    dict of str to object
        ``{key: value}``; values are floats, or a text where the peer wrote
        one (``cascadepsp.radii``).

    Examples
    --------
    >>> import numpy as np
    >>> g = PairGeometry(np.zeros((4, 4)), np.zeros((4, 4)))
    >>> reproduce(g, ["pycocotools.iou", "medpy.jc", "pysodmetrics.mae"])
    {'pycocotools.iou': 0.0, 'medpy.jc': 1.0}
    """
    keys = list(keys)
    widths: dict[str, list] = {}
    for key in keys:
        k = parse_key(key)
        if k.peer == "trimap" and k.at is not None:
            band = "euclidean" if k.metric.startswith("eu.") else "chessboard"
            widths.setdefault(band, set()).add(k.at)
    pair = _Pair(geometry, {b: tuple(sorted(w)) for b, w in widths.items()})
    out = {}
    for key in keys:
        reader = resolve(key)
        value = None if reader is None else reader(pair, parse_key(key))
        if value is not None:
            out[key] = value if isinstance(value, str) else float(value)
    return out


def agreement(key: str, expected, got) -> tuple[bool, float]:
    """Whether ``got`` reproduces the published ``expected`` value.

    Parameters
    ----------
    key : str
        The reference key (its peer decides the rule).
    expected : float, int or str
        The published value: a number, ``"nan"`` / ``"inf"``, a text such as
        ``"1 (empty rule)"`` (its leading number), or a text to match as is.
    got : float or str
        maskqa's value.

    Returns
    -------
    (bool, float)
        Agreement, and the absolute difference (0 for matching non-finite
        values or texts, inf for a mismatch of those).

    Notes
    -----
    Rule: :math:`|g - e| \\le 10^{-9}`, or :math:`|g - e| \\le 10^{-6} |e|`
    for the float32 peers.

    Examples
    --------
    >>> agreement("medpy.dc", "nan", float("nan"))
    (True, 0.0)
    >>> agreement("monai.iou", 0.8806666731834412, 0.8806666666666667)[0]
    True
    """
    expected = _number(expected)
    if isinstance(expected, str) or isinstance(got, str):
        same = str(expected) == str(got)
        return same, 0.0 if same else math.inf
    expected, got = float(expected), float(got)
    if not (math.isfinite(expected) and math.isfinite(got)):
        same = (math.isnan(expected) and math.isnan(got)) or expected == got
        return same, 0.0 if same else math.inf
    diff = abs(got - expected)
    if parse_key(key).peer in FLOAT32_PEERS:
        return diff <= RELATIVE_TOLERANCE_FLOAT32 * abs(expected), diff
    return diff <= ABSOLUTE_TOLERANCE, diff


def _number(value):
    """Decode the refs' encodings of numbers written as text."""
    if not isinstance(value, str):
        return value
    head = value.split(" ", 1)[0]
    if value in ("nan", "inf", "-inf") or value.endswith("(empty rule)"):
        return float(head)
    return value
