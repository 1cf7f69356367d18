"""The accuracy ceiling of coarse labels, from per-image scores of (fine, coarse) pairs.

A model that reproduced the coarse labels perfectly would score, against the fine
masks, exactly what the coarse labels score: the per-image scores of the pairs are the
ceiling. This module summarises them over a dataset: the mean of per-image scores and
the pooled score (from summed counts) side by side and never confused, the median, the
5th percentile and a seeded bootstrap interval of the mean; curves over the tolerance or
band width; the tolerance at which the labels reach a boundary F of 0.9 and 0.95; where
the disagreement lies; and sentences a person can act on.

Inputs are plain mappings ``{column: per-image values}`` (one float per image, nan
where the metric is undefined); nothing here reads files.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .._json import jsonable
from .._validation import check_positive
from ..errors import InputError

__all__ = [
    "BAND_FAMILIES",
    "CURVE_FAMILIES",
    "HEADLINE_METRICS",
    "Ceiling",
    "Curve",
    "DisagreementProfile",
    "MetricSummary",
    "bootstrap_mean_interval",
    "ceiling_analysis",
    "ceiling_markdown",
    "columns_from_rows",
    "disagreement_profile",
    "is_distance",
    "worst_column",
    "preset_metrics",
    "read_pairs_csv",
    "summarise_metric",
    "table_keys",
    "tolerance_at",
    "tolerance_curve",
    "width_name",
    "write_ceiling",
]

#: Metrics that get a sentence when present, in this order (boundary IoU at the
#: band width of the evaluate summary and the HTML report: 2 px).
HEADLINE_METRICS = (
    "iou",
    "boundary_f@1px",
    "boundary_f@2px",
    "boundary_iou@2px",
    "trimap_iou@5px",
    "nsd@2px",
    "hd95",
)

#: Families that are reported as curves over the tolerance or band width.
CURVE_FAMILIES = ("boundary_f", "boundary_iou", "trimap_iou", "nsd")

#: Families whose width is a band width (pixels either side of, or inside, a
#: boundary) rather than a matching tolerance.
BAND_FAMILIES = ("boundary_iou", "trimap_iou", "trimap_miou", "trimap_accuracy")

#: Metrics where lower is better (distances in pixels), with or without a preset's
#: prefix (``medpy.hd95``).
_DISTANCES = re.compile(
    r"^([a-z0-9-]+\.)?"
    r"(hd|hd95|hd95_pooled|assd|assd_pooled|asd|masd|msd)(\b|_|$)"
)

# A preset's score columns by kind (region, boundary, distance), then a rank within
# the kind; pixel counts (``area_fine``, ``n_surfels_fine``) are not scores.
_PRESET_RANK = {
    **dict.fromkeys(("iou", "J", "jc", "jaccard"), 0),
    **dict.fromkeys(("dice", "dc"), 1),
    "precision": 2,
    "recall": 3,
    "F": 10,
    "P": 11,
    "R": 12,
    "biou": 13,
    "boundary_ap_iou": 14,
    "mBA": 15,
    "nsd": 16,
    "nsd_subvox": 17,
    "hd95": 20,
    "hd": 21,
    "assd": 22,
    "msd": 23,
    "asd_c2f": 24,
    "asd_f2c": 25,
    "hd_directed_c2f": 26,
    "hd_directed_f2c": 27,
}

# Widths are printed as integers or with repr (0.5, 1e-05): accept any float notation.
_AT = re.compile(r"^(?P<family>[^@]+)@(?P<width>[0-9.eE+-]+)px$")


def columns_from_rows(rows: Sequence[Mapping]) -> dict[str, np.ndarray]:
    """Turn rows (one dict per image) into ``{column: float array}``.

    Columns whose values are not numbers (names, paths) are left out; a missing or
    empty value is nan.

    Examples
    --------
    >>> columns_from_rows([{"name": "a", "iou": 0.5}, {"name": "b", "iou": ""}])
    {'iou': array([0.5, nan])}
    >>> columns_from_rows([])
    {}
    """
    columns: dict[str, list[float]] = {}
    keys = list(dict.fromkeys(k for row in rows for k in row))
    for key in keys:
        values = [_as_float(row.get(key, math.nan)) for row in rows]
        if all(v is not None for v in values):
            columns[key] = np.array(values, float)
    return columns


def _as_float(value):
    if value is None or value == "":
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


#: Fewer defined images than this: 5 % of them is less than one, so the worst image
#: is named instead of a percentile.
_FEW = 20


@dataclass(frozen=True)
class MetricSummary:
    """One metric over a dataset; ``mean`` is per-image, ``pooled`` from counts."""

    metric: str
    mean: float
    pooled: float
    median: float
    p05: float
    ci_low: float
    ci_high: float
    n: int
    n_undefined: int
    n_infinite: int
    confidence: float
    n_boot: int
    seed: int
    #: The 95th percentile: a distance's worst 5 % (``p05`` is a score's).
    p95: float = math.nan
    #: The smallest and largest defined values: the worst image of a score and of
    #: a distance.
    minimum: float = math.nan
    maximum: float = math.nan

    def to_dict(self) -> dict:
        """Every field, named as in the dataclass."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def bootstrap_mean_interval(
    values, *, n_boot: int = 2000, confidence: float = 0.95, seed: int = 0
) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean over images.

    Parameters
    ----------
    values : array_like, 1-D
        Per-image values; nan values are left out (they are undefined).
    n_boot : int
        Number of resamples with replacement.
    confidence : float
        In (0, 1); 0.95 gives the 2.5th and 97.5th percentiles of resampled means.
    seed : int
        Seed of the ``numpy.random.Generator`` (the interval is reproducible).

    Returns
    -------
    (float, float)
        ``(low, high)``; ``(nan, nan)`` when no value is defined, or when the values
        hold both inf and -inf (the mean of such a resample is undefined).

    Raises
    ------
    InputError
        If ``n_boot`` < 1 or ``confidence`` is not in (0, 1).

    Notes
    -----
    With ``x_1..x_n`` the defined values and ``m_b`` the mean of the ``b``-th resample,
    the interval is ``(q_{a/2}(m), q_{1-a/2}(m))`` with ``a = 1 - confidence``.
    Infinite values are kept: a resample that holds inf has mean inf, so a dataset
    with a few one-empty pairs (distance inf) gets an interval whose upper end is
    inf. The percentiles of fewer than about 100 resamples are coarse; the command
    line asks for at least 100.

    References
    ----------
    .. [1] B. Efron and R. J. Tibshirani, "An Introduction to the Bootstrap",
       Chapman & Hall, 1993, ch. 13.

    Examples
    --------
    >>> low, high = bootstrap_mean_interval([0.8, 0.9, 1.0, 0.7], seed=1)
    >>> 0.7 <= low <= 0.85 <= high <= 1.0
    True
    >>> bootstrap_mean_interval([float("nan")])
    (nan, nan)
    >>> bootstrap_mean_interval([1.0, 2.0, float("inf")], seed=1)[1]
    inf
    """
    n_boot = int(check_positive(n_boot, "n_boot"))
    alpha = 1.0 - _check_confidence(confidence)
    x = np.asarray(values, float).ravel()
    x = x[~np.isnan(x)]
    if x.size == 0:
        return (math.nan, math.nan)

    if np.isposinf(x).any() and np.isneginf(x).any():
        return (math.nan, math.nan)

    rng = np.random.default_rng(seed)
    means = np.empty(n_boot)
    # Chunks keep memory flat for large datasets.
    chunk = max(1, 2_000_000 // x.size)
    for start in range(0, n_boot, chunk):
        stop = min(n_boot, start + chunk)
        picks = rng.integers(0, x.size, (stop - start, x.size))
        means[start:stop] = _row_means(x[picks])
    low, high = _quantiles(means, (alpha / 2, 1 - alpha / 2))
    return (low, high)


def _row_means(samples: np.ndarray) -> np.ndarray:
    # Infinite values of one sign (distances of one-empty pairs) give an infinite
    # mean, said explicitly rather than through numpy's invalid-value warnings.
    finite = np.isfinite(samples)
    if finite.all():
        return samples.mean(1)
    means = np.where(finite, samples, 0.0).sum(1) / samples.shape[1]
    means[np.isposinf(samples).any(1)] = math.inf
    means[np.isneginf(samples).any(1)] = -math.inf
    return means


def _mean(values: np.ndarray) -> float:
    # Both inf and -inf: the mean is undefined (nan), without numpy's warning.
    high, low = np.isposinf(values).any(), np.isneginf(values).any()
    if high and low:
        return math.nan
    if high or low:
        return math.inf if high else -math.inf
    return float(np.mean(values))


def _check_confidence(confidence) -> float:
    value = check_positive(confidence, "confidence")
    if value >= 1:
        raise InputError(f"Expected `confidence` in (0, 1), got {confidence!r}.")
    return value


def _quantiles(values: np.ndarray, qs) -> tuple[float, ...]:
    # Interpolating between two infinite values gives nan: pick an observed value.
    method = "linear" if np.all(np.isfinite(values)) else "inverted_cdf"
    return tuple(float(v) for v in np.quantile(values, qs, method=method))


def summarise_metric(
    values,
    *,
    metric: str = "",
    pooled: float = math.nan,
    n_boot: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> MetricSummary:
    """Mean, pooled score, median, 5th percentile and bootstrap interval of a metric.

    Parameters
    ----------
    values : array_like, 1-D
        Per-image scores, nan where undefined (left out and counted), inf kept
        (and counted in ``n_infinite``).
    metric : str
        The metric's name, carried into the record.
    pooled : float
        The pooled score of the dataset (from summed counts), computed by whoever
        has the counts; nan when the metric has no pooled form.
    n_boot, confidence, seed
        As in :func:`bootstrap_mean_interval`.

    Returns
    -------
    MetricSummary

    Raises
    ------
    InputError
        On bad ``n_boot`` or ``confidence``.

    Notes
    -----
    ``mean = (1/n) sum_i s_i`` over the ``n`` images where the score is defined;
    the pooled score is a ratio of sums (for IoU ``sum |R & C| / sum |R | C|``), which
    weighs large objects more. They differ and are reported side by side. An
    infinite value makes the mean infinite; values holding both inf and -inf have
    no mean (nan) and no interval, and ``n_infinite`` says why.

    References
    ----------
    .. [1] B. Efron and R. J. Tibshirani, "An Introduction to the Bootstrap", 1993.

    Examples
    --------
    >>> s = summarise_metric([1.0, 0.5, float("nan")], metric="iou", pooled=0.6)
    >>> s.mean, s.pooled, s.n, s.n_undefined
    (0.75, 0.6, 3, 1)
    >>> summarise_metric([], metric="iou").n
    0
    >>> s = summarise_metric([2.0, float("inf")], metric="hd95", n_boot=100)
    >>> s.mean, s.ci_high, s.n_infinite
    (inf, inf, 1)
    """
    x = np.asarray(values, float).ravel()
    defined = x[~np.isnan(x)]
    if defined.size:
        mean = _mean(defined)
        median, p05, p95 = _quantiles(defined, (0.5, 0.05, 0.95))
        minimum, maximum = float(defined.min()), float(defined.max())
    else:
        mean = median = p05 = p95 = minimum = maximum = math.nan
    low, high = bootstrap_mean_interval(
        defined, n_boot=n_boot, confidence=confidence, seed=seed
    )
    return MetricSummary(
        metric=metric,
        mean=mean,
        pooled=float(pooled),
        median=median,
        p05=p05,
        p95=p95,
        minimum=minimum,
        maximum=maximum,
        ci_low=low,
        ci_high=high,
        n=int(x.size),
        n_undefined=int(x.size - defined.size),
        n_infinite=int(np.isinf(defined).sum()),
        confidence=float(confidence),
        n_boot=int(n_boot),
        seed=int(seed),
    )


@dataclass(frozen=True)
class Curve:
    """A metric family over its tolerances or band widths (pixels, increasing)."""

    family: str
    widths_px: tuple[float, ...]
    points: tuple[MetricSummary, ...]

    def statistic(self, name: str = "mean") -> np.ndarray:
        """One field of every point (``mean``, ``pooled``, ``ci_low``, ...)."""
        return np.array([getattr(p, name) for p in self.points], float)

    def to_dict(self) -> dict:
        """``{"family", "widths_px", "points": [MetricSummary.to_dict(), ...]}``."""
        return {
            "family": self.family,
            "widths_px": list(self.widths_px),
            "points": [p.to_dict() for p in self.points],
        }


def _family_columns(columns: Mapping, family: str) -> list[tuple[float, str]]:
    found = []
    for key in columns:
        match = _AT.match(key)
        if match and match["family"] == family:
            found.append((float(match["width"]), key))
    return sorted(found)


def tolerance_curve(
    columns: Mapping[str, Sequence[float]],
    family: str,
    *,
    pooled: Mapping[str, float] | None = None,
    n_boot: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> Curve:
    """Summaries of every ``FAMILY@Npx`` column, in increasing ``N``.

    Parameters
    ----------
    columns : mapping of str to array_like
        Per-image values by column (``boundary_f@1px``, ``boundary_f@2px``, ...).
    family : str
        The metric family, e.g. ``"boundary_f"``, ``"trimap_iou"``, ``"nsd"``.
    pooled : mapping, optional
        Pooled scores by column, where they exist.
    n_boot, confidence, seed
        As in :func:`bootstrap_mean_interval` (the same seed for every point).

    Returns
    -------
    Curve
        Empty (no widths) when no column of the family is present.

    Raises
    ------
    InputError
        On bad ``n_boot`` or ``confidence``.

    Notes
    -----
    Each point is :func:`summarise_metric` of one column, so the interval at each
    width is pointwise, not a simultaneous band.

    References
    ----------
    .. [1] F. Perazzi et al., "A benchmark dataset and evaluation methodology for
       video object segmentation", CVPR 2016 (boundary F at a tolerance).

    Examples
    --------
    >>> curve = tolerance_curve({"boundary_f@2px": [0.9], "boundary_f@1px": [0.5]},
    ...                         "boundary_f")
    >>> curve.widths_px, curve.statistic("mean").tolist()
    ((1.0, 2.0), [0.5, 0.9])
    >>> tolerance_curve({}, "nsd").widths_px
    ()
    """
    pooled = pooled or {}
    found = _family_columns(columns, family)
    points = tuple(
        summarise_metric(
            columns[key],
            metric=key,
            pooled=pooled.get(key, math.nan),
            n_boot=n_boot,
            confidence=confidence,
            seed=seed,
        )
        for _, key in found
    )
    return Curve(family, tuple(w for w, _ in found), points)


def tolerance_at(curve: Curve, target: float, *, statistic: str = "mean") -> float:
    """The smallest tolerance at which a curve reaches ``target``.

    Parameters
    ----------
    curve : Curve
    target : float
        The score to reach (e.g. 0.9 for boundary F).
    statistic : str
        Which point statistic to read: ``"mean"``, ``"pooled"``, ``"median"``...

    Returns
    -------
    float
        Linearly interpolated between the two widths that bracket the first
        crossing; the first width if it is already reached there; inf if the curve
        never reaches it; nan for an empty curve.

    Raises
    ------
    InputError
        If ``statistic`` is not a field of the points.

    Notes
    -----
    With widths ``w_k`` and values ``v_k`` and the first ``k`` with ``v_k >= t``:
    ``w = w_{k-1} + (t - v_{k-1}) (w_k - w_{k-1}) / (v_k - v_{k-1})``.

    References
    ----------
    .. [1] F. Perazzi et al., CVPR 2016.

    Examples
    --------
    >>> curve = tolerance_curve({"f@1px": [0.8], "f@3px": [1.0]}, "f")
    >>> tolerance_at(curve, 0.9), tolerance_at(curve, 0.5), tolerance_at(curve, 1.1)
    (2.0, 1.0, inf)
    >>> tolerance_at(tolerance_curve({}, "f"), 0.9)
    nan
    """
    if statistic not in MetricSummary.__dataclass_fields__:
        raise InputError(
            f"Expected `statistic` to be a MetricSummary field, got {statistic!r}."
        )
    if not curve.points:
        return math.nan
    widths, values = np.asarray(curve.widths_px), curve.statistic(statistic)
    reached = np.flatnonzero(values >= target)
    if reached.size == 0:
        return math.inf
    k = int(reached[0])
    if k == 0:
        return float(widths[0])
    w0, w1, v0, v1 = widths[k - 1], widths[k], values[k - 1], values[k]
    if not np.isfinite(v0):
        return float(w1)
    return float(w0 + (target - v0) * (w1 - w0) / (v1 - v0))


@dataclass(frozen=True)
class DisagreementProfile:
    """Pooled disagreeing pixels by distance bin, split into over and under."""

    bins: tuple[str, ...]
    over_px: tuple[float, ...]
    under_px: tuple[float, ...]
    offset_mean_px: float
    offset_pooled_px: float
    n: int

    @property
    def total_px(self) -> float:
        """All disagreeing pixels of the dataset."""
        return float(sum(self.over_px) + sum(self.under_px))

    def to_dict(self) -> dict:
        """Counts and fractions per bin, and both offsets."""
        total = self.total_px or math.nan
        return {
            "bins": list(self.bins),
            "over_px": list(self.over_px),
            "under_px": list(self.under_px),
            "over_fraction": [v / total for v in self.over_px],
            "under_fraction": [v / total for v in self.under_px],
            "offset_mean_px": self.offset_mean_px,
            "offset_pooled_px": self.offset_pooled_px,
            "n": self.n,
        }


def disagreement_profile(
    columns: Mapping[str, Sequence[float]],
) -> DisagreementProfile | None:
    """Sum the ``over_px_*`` / ``under_px_*`` columns over images.

    Parameters
    ----------
    columns : mapping of str to array_like
        Per-image values, with the keys of ``Disagreement.to_dict()``.

    Returns
    -------
    DisagreementProfile or None
        None when the columns hold no disagreement counts.

    Raises
    ------
    InputError
        Never on mappings; bins are read from the keys.

    Notes
    -----
    Counts pool by summing (nan counts of failed images are left out). The offset
    is given twice: ``offset_mean_px`` is the mean of per-image offsets (finite
    ones), ``offset_pooled_px = sum_i o_i b_i / sum_i b_i`` weighs each image by its
    candidate boundary length ``b_i``.

    References
    ----------
    .. [1] L. Kohli, L. Ladicky and P. H. S. Torr, IJCV 82, 2009.

    Examples
    --------
    >>> p = disagreement_profile({"over_px_0_1": [2, 3], "under_px_0_1": [1, 0],
    ...     "over_px_gt1": [0, 1], "under_px_gt1": [0, 0],
    ...     "boundary_offset_mean_px": [1.0, 3.0], "candidate_boundary_px": [10, 30]})
    >>> p.over_px, p.offset_mean_px, p.offset_pooled_px
    ((5.0, 1.0), 2.0, 2.5)
    >>> disagreement_profile({"iou": [1.0]}) is None
    True
    """
    labels = [k[len("over_px_") :] for k in columns if k.startswith("over_px_")]
    labels = [b for b in labels if b != "total" and f"under_px_{b}" in columns]
    if not labels:
        return None
    over = tuple(float(np.nansum(columns[f"over_px_{b}"])) for b in labels)
    under = tuple(float(np.nansum(columns[f"under_px_{b}"])) for b in labels)

    offsets = np.asarray(columns.get("boundary_offset_mean_px", []), float)
    weights = np.asarray(
        columns.get("candidate_boundary_px", np.ones_like(offsets)), float
    )
    finite = np.isfinite(offsets) & np.isfinite(weights)
    mean = float(offsets[finite].mean()) if finite.any() else math.nan
    total = weights[finite].sum()
    pooled = (
        float((offsets[finite] * weights[finite]).sum() / total) if total else math.nan
    )
    n = len(next(iter(columns.values())))
    return DisagreementProfile(tuple(labels), over, under, mean, pooled, n)


@dataclass(frozen=True)
class Ceiling:
    """The ceiling analysis of a dataset; ``to_dict()`` is what ceiling.json holds."""

    metrics: dict[str, MetricSummary]
    curves: dict[str, Curve]
    tolerance_for_f: dict[float, float]
    disagreement: DisagreementProfile | None
    sentences: tuple[str, ...]
    params: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Plain JSON-ready data (non-finite floats are left as floats)."""
        return {
            "params": dict(self.params),
            "metrics": {k: v.to_dict() for k, v in self.metrics.items()},
            "curves": {k: v.to_dict() for k, v in self.curves.items()},
            "tolerance_for_f": {f"{k:g}": v for k, v in self.tolerance_for_f.items()},
            "disagreement": None
            if self.disagreement is None
            else self.disagreement.to_dict(),
            "sentences": list(self.sentences),
        }


def ceiling_analysis(
    columns: Mapping[str, Sequence[float]],
    *,
    pooled: Mapping[str, float] | None = None,
    n_boot: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
    targets=(0.9, 0.95),
) -> Ceiling:
    """Summaries, curves, tolerance for F, disagreement and sentences of a dataset.

    Parameters
    ----------
    columns : mapping of str to array_like
        Per-image values of every metric (rows turned into columns by
        :func:`columns_from_rows`).
    pooled : mapping, optional
        Pooled scores by metric, where the caller has the counts (e.g. the runner's
        ``summary.json``); metrics without one report nan as pooled.
    n_boot, confidence, seed
        Bootstrap settings (recorded in ``params``).
    targets : sequence of float
        Boundary F values whose tolerance is reported.

    Returns
    -------
    Ceiling

    Raises
    ------
    InputError
        On bad bootstrap settings.

    Notes
    -----
    Every numeric column is summarised (:func:`summarise_metric`); the families in
    ``CURVE_FAMILIES`` become curves; ``tolerance_for_f[t]`` is
    :func:`tolerance_at` of the mean boundary F curve. Without any image (no pair
    was scored) the one sentence says so.

    References
    ----------
    .. [1] B. Efron and R. J. Tibshirani, "An Introduction to the Bootstrap", 1993.

    Examples
    --------
    >>> c = ceiling_analysis({"iou": [0.9, 0.8], "boundary_f@1px": [0.5, 0.7],
    ...                       "boundary_f@4px": [1.0, 1.0]}, n_boot=100)
    >>> round(c.metrics["iou"].mean, 2), round(c.tolerance_for_f[0.9], 2)
    (0.85, 3.25)
    >>> c = ceiling_analysis({"iou": []}, n_boot=10)
    >>> c.metrics["iou"].n, c.sentences
    (0, ('No pair was scored: there is no ceiling to report.',))
    """
    pooled = dict(pooled or {})
    settings = {"n_boot": n_boot, "confidence": confidence, "seed": seed}
    numeric = {k: np.asarray(v, float) for k, v in columns.items()}
    metrics = {
        key: summarise_metric(
            values, metric=key, pooled=pooled.get(key, math.nan), **settings
        )
        for key, values in numeric.items()
        if not _is_count(key)
    }
    curves = {}
    for family in CURVE_FAMILIES:
        curve = tolerance_curve(numeric, family, pooled=pooled, **settings)
        if curve.points:
            curves[family] = curve
    f_curve = curves.get("boundary_f")
    reach = {
        float(t): (tolerance_at(f_curve, t) if f_curve else math.nan) for t in targets
    }
    profile = disagreement_profile(numeric)

    from ._sentences import NO_PAIR, ceiling_sentences

    widths = f_curve.widths_px if f_curve else ()
    sentences = ceiling_sentences(metrics, reach, profile, widths, values=numeric)
    params = dict(settings, targets=list(targets), n_images=_n_images(numeric))
    if not params["n_images"]:
        sentences = [NO_PAIR]
    return Ceiling(metrics, curves, reach, profile, tuple(sentences), params)


def _is_count(key: str) -> bool:
    # Pixel counts and image sizes are inputs of pooled scores, not scores.
    return (
        key
        in ("height", "width", "reference_px", "candidate_px", "candidate_boundary_px")
        or key.startswith(("over_px_", "under_px_"))
        or (key.startswith("n_") and key.endswith("_px"))
    )


def _n_images(columns: Mapping) -> int:
    return max((len(v) for v in columns.values()), default=0)


def is_distance(metric: str) -> bool:
    """Whether lower is better for ``metric`` (a distance in pixels).

    Examples
    --------
    >>> is_distance("hd95"), is_distance("iou")
    (True, False)
    """
    return bool(_DISTANCES.match(metric))


def width_name(family: str) -> str:
    """What the ``N`` of ``FAMILY@Npx`` measures: ``"band width"`` or ``"tolerance"``.

    Boundary IoU and the trimap scores are read in a band of width ``N`` (inside the
    mask edge, or around the reference edge); boundary F and NSD match boundary
    pixels within a tolerance of ``N``.

    Examples
    --------
    >>> width_name("boundary_iou"), width_name("trimap_iou"), width_name("nsd")
    ('band width', 'band width', 'tolerance')
    """
    return "band width" if family in BAND_FAMILIES else "tolerance"


def preset_metrics(keys) -> list[str]:
    """The score columns of a preset among ``keys``, region first, then boundary,
    then distance.

    Parameters
    ----------
    keys : iterable of str
        Column names, e.g. of ``pairs.csv``.

    Returns
    -------
    list of str
        Keys ``PRESET.NAME`` of a preset of :data:`maskqa.metrics.presets.PRESETS`:
        region scores (IoU, Dice, precision, recall), boundary scores (F, P, R,
        boundary IoU, mBA, NSD by tolerance), then distances (HD95, HD, ASSD,
        directed ones); names not in that list follow, in their order. Pixel counts
        (``pycocotools.area_fine``, ``deepmind.n_surfels_fine``) are left out. Empty
        without a preset's column.

    Examples
    --------
    >>> preset_metrics(["davis.F", "davis.P", "davis.R", "davis.J", "iou"])
    ['davis.J', 'davis.F', 'davis.P', 'davis.R']
    >>> preset_metrics(["pycocotools.iou", "pycocotools.area_fine"])
    ['pycocotools.iou']
    >>> preset_metrics(["iou", "reference.alignment_score"])
    []
    """
    from ..metrics.presets import PRESETS

    found = []
    for index, key in enumerate(keys):
        prefix, _, name = key.partition(".")
        if prefix not in PRESETS or not name:
            continue
        if name.startswith(("area_", "n_")):
            continue
        found.append((_PRESET_RANK.get(name.split("@")[0], 30), index, key))
    return [key for _, _, key in sorted(found)]


def table_keys(keys) -> list[str]:
    """The metrics of a summary table, in order: the headline metrics present, then
    a preset's score columns (:func:`preset_metrics`).

    With 12 metrics or fewer, the others follow; with more, they are left to
    ``ceiling.json``, and with no headline metric the first 12 are shown.

    Examples
    --------
    >>> table_keys(["dice", "iou"]), table_keys(["davis.F", "davis.J"])
    (['iou', 'dice'], ['davis.J', 'davis.F'])
    """
    keys = list(keys)
    shown = [k for k in HEADLINE_METRICS if k in keys] + preset_metrics(keys)
    if len(keys) <= 12:
        return shown + [k for k in keys if k not in shown]
    return shown or keys[:12]


def worst_column(metrics: Mapping[str, Mapping]) -> tuple[str, dict[str, float]]:
    """The heading and values of a table's column of the worst images.

    Parameters
    ----------
    metrics : mapping of str to mapping
        :meth:`MetricSummary.to_dict` of each metric of the table, as in
        ``ceiling.json``; missing fields count as nan.

    Returns
    -------
    (str, dict)
        ``"worst 5 %"`` and each metric's 5th percentile (a score) or 95th (a
        distance, whose worst values are the largest); ``"worst image"`` and the
        smallest score or largest distance when every metric has fewer than 20
        defined images, since 5 % of them is less than one image.

    Examples
    --------
    >>> worst_column({"iou": {"n": 4, "n_undefined": 0, "minimum": 0.2}})
    ('worst image', {'iou': 0.2})
    >>> worst_column({"hd95": {"n": 40, "n_undefined": 0, "p95": 19.0}})
    ('worst 5 %', {'hd95': 19.0})
    """

    def defined(entry) -> float:
        return _number(entry.get("n")) - _number(entry.get("n_undefined", 0))

    few = all(defined(entry) < _FEW for entry in metrics.values())
    fields = {True: ("maximum", "minimum"), False: ("p95", "p05")}[few]
    values = {
        key: _number(entry.get(fields[0] if is_distance(key) else fields[1]))
        for key, entry in metrics.items()
    }
    return ("worst image" if few else "worst 5 %"), values


def _number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def ceiling_markdown(ceiling: Ceiling, *, title: str = "Accuracy ceiling") -> str:
    """The sentences and a table of the headline metrics, as Markdown.

    Notes
    -----
    Without any image (no pair was scored) there is no table: the page gives the
    sentences, which say so. The "worst 5 %" column is the 5th percentile of a
    score and the 95th of a distance; when every metric has fewer than 20 defined
    images it is the "worst image" column instead (the smallest score, the largest
    distance), since 5 % of them is less than one image.

    Examples
    --------
    >>> text = ceiling_markdown(ceiling_analysis({"iou": [0.5, 0.7]}, n_boot=10))
    >>> text.splitlines()[0]
    '# Accuracy ceiling'
    >>> "0.600" in text
    True
    >>> ceiling_markdown(ceiling_analysis({}, n_boot=10)).splitlines()[2]
    'No pair was scored: there is no ceiling to report.'
    """
    lines = [f"# {title}", ""]
    p = ceiling.params
    if not p.get("n_images", 1) or not ceiling.metrics:
        return "\n".join(lines + list(ceiling.sentences) + [""])
    lines += [f"- {s}" for s in ceiling.sentences] + [""]
    keys = table_keys(ceiling.metrics)
    header, worst = worst_column({k: ceiling.metrics[k].to_dict() for k in keys})
    lines += [
        f"| metric | mean of images | pooled | median | {header} | interval | n "
        "| undefined |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key in keys:
        s = ceiling.metrics[key]
        cells = [s.mean, s.pooled, s.median, worst[key]]
        shown = " | ".join(_cell(v) for v in cells)
        interval = (
            "undefined"
            if math.isnan(s.ci_low) or math.isnan(s.ci_high)
            else f"{_cell(s.ci_low)}-{_cell(s.ci_high)}"
        )
        lines.append(f"| {key} | {shown} | {interval} | {s.n} | {s.n_undefined} |")
    hidden = len(ceiling.metrics) - len(keys)
    lines += [
        "",
        f"Intervals: {p.get('confidence', 0.95):.0%} percentile bootstrap of the "
        f"mean over images, {p.get('n_boot')} resamples, seed {p.get('seed')}. "
        "The mean of images weighs every image alike; the pooled score sums pixel "
        "counts over the dataset."
        + (f" {hidden} more metrics are in ceiling.json." if hidden else ""),
        "",
    ]
    return "\n".join(lines)


def _cell(value: float) -> str:
    if math.isnan(value):
        return "-"
    return f"{value:.3f}" if math.isfinite(value) else ("inf" if value > 0 else "-inf")


def read_pairs_csv(results_dir) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """Per-image columns of ``pairs.csv`` and the pooled scores of ``summary.json``.

    Parameters
    ----------
    results_dir : path
        A results folder written by ``maskqa evaluate``.

    Returns
    -------
    (dict, dict)
        ``{column: float array}`` (identity columns left out) and
        ``{metric: pooled}`` for the metrics whose pooled score is a number.

    Raises
    ------
    InputError
        If the folder has no ``pairs.csv``.

    Examples
    --------
    >>> read_pairs_csv("/nonexistent")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    maskqa.errors.InputError: ...
    """
    import csv
    import json
    from pathlib import Path

    directory = Path(results_dir)
    pairs = directory / "pairs.csv"
    if not pairs.is_file():
        raise InputError(
            "Expected a results folder with pairs.csv (written by `maskqa evaluate`), "
            "found none.",
            directory,
        )
    with pairs.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    skip = {"name", "reference", "candidate", "image"}
    columns = columns_from_rows(
        [{k: v for k, v in r.items() if k not in skip} for r in rows]
    )
    summary_path = directory / "summary.json"
    pooled = {}
    if summary_path.exists():
        metrics = json.loads(summary_path.read_text()).get("metrics", {})
        for key, entry in metrics.items():
            value = _as_float(entry.get("pooled"))
            if isinstance(value, float) and not math.isnan(value):
                pooled[key] = value
    return columns, pooled


def write_ceiling(
    results_dir, *, n_boot: int = 2000, confidence: float = 0.95, seed: int = 0
) -> Ceiling:
    """Write ``ceiling.json`` and ``ceiling.md`` into a results folder.

    Parameters
    ----------
    results_dir : path
        A results folder (``pairs.csv``, optionally ``summary.json``).
    n_boot, confidence, seed
        Bootstrap settings, recorded in the file.

    Returns
    -------
    Ceiling
        What was written.

    Raises
    ------
    InputError
        If the folder has no ``pairs.csv``.

    Notes
    -----
    ``ceiling.json`` is ``Ceiling.to_dict()`` with non-finite numbers written as the
    strings ``"inf"``, ``"-inf"``, ``"nan"`` (the format is described in
    :mod:`maskqa.cli.ceiling`). Plots are drawn by the command line
    (``maskqa ceiling``), not here: this layer draws nothing. When no pair was
    scored, the one sentence (and ``ceiling.md``) says so and points to
    ``errors.csv`` (or ``unpaired.csv``), with the counts.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "pairs.csv").write_text("name,iou\\na,0.5\\nb,\\n")
    >>> write_ceiling(folder, n_boot=10).metrics["iou"].n_undefined
    1
    """
    import json
    from pathlib import Path

    directory = Path(results_dir)
    columns, pooled = read_pairs_csv(directory)
    ceiling = ceiling_analysis(
        columns, pooled=pooled, n_boot=n_boot, confidence=confidence, seed=seed
    )
    if not ceiling.params["n_images"]:
        sentence = _no_pair_sentence(directory)
        ceiling = dataclasses.replace(ceiling, sentences=(sentence,))
    (directory / "ceiling.json").write_text(
        json.dumps(jsonable(ceiling.to_dict()), indent=1)
    )
    (directory / "ceiling.md").write_text(ceiling_markdown(ceiling))
    return ceiling


def _count_rows(path) -> int:
    import csv

    if not path.is_file():
        return 0
    with path.open(newline="", encoding="utf-8") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def _no_pair_sentence(directory) -> str:
    # Where the user finds why: errors.csv lists the pairs that failed, unpaired.csv
    # the files without a partner.
    from ._sentences import no_pair_sentence

    failed = _count_rows(directory / "errors.csv")
    return no_pair_sentence(failed, _count_rows(directory / "unpaired.csv"))
