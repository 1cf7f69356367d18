"""Plots of metric values: curves over a tolerance, disagreement by distance, scores.

Every function takes ``ax=None`` (a new figure is made when None), draws, and returns a
:class:`~maskqa.viz.overlay.Drawn` naming what it drew. Nothing here computes a metric:
curves are read from the ``NAME@Npx`` keys of a report's values, whatever widths the
report holds.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Mapping

import numpy as np

from .._validation import check_positive
from ..errors import InputError
from .overlay import Drawn
from .palette import COLOURS

__all__ = [
    "curve_families",
    "curve_points",
    "distance_bins",
    "plot_curve",
    "plot_disagreement_by_distance",
    "plot_interval_curve",
    "plot_score_distribution",
]

_AT = re.compile(r"^(?P<name>[^@]+)@(?P<width>[0-9.eE+-]+)px$")
_BIN = re.compile(
    r"^(?P<side>over|under)_px_(?:(?P<low>[0-9.p]+)_(?P<high>[0-9.p]+)|gt(?P<gt>[0-9.p]+))$"
)


def _ax_or_new(ax):
    if ax is None:
        from matplotlib.figure import Figure

        ax = Figure(figsize=(5, 3.4), layout="constrained").add_subplot()
    return ax


def curve_families(keys) -> dict[str, list[float]]:
    """Group ``NAME@Npx`` keys by name, with their widths in increasing order.

    Parameters
    ----------
    keys : iterable of str
        Metric keys, e.g. the columns of ``pairs.csv`` or a report's ``values``.

    Returns
    -------
    dict
        ``{name: [width, ...]}`` for every name that has at least one width.

    Raises
    ------
    Nothing
        Keys that are not ``NAME@Npx`` are skipped.

    Notes
    -----
    The key convention is the one of ``docs/architecture.md``: ``NAME@Npx`` with ``N``
    the tolerance or band width in pixels.

    Examples
    --------
    >>> curve_families(["iou", "boundary_f@2px", "boundary_f@1px", "nsd@0.5px"])
    {'boundary_f': [1.0, 2.0], 'nsd': [0.5]}
    >>> curve_families([])
    {}
    """
    families: dict[str, list[float]] = {}
    for key in keys:
        match = _AT.match(str(key))
        if match is None:
            continue
        try:
            width = float(match["width"])
        except ValueError:
            continue
        families.setdefault(match["name"], []).append(width)
    return {name: sorted(set(widths)) for name, widths in families.items()}


def curve_points(values: Mapping, name: str) -> tuple[np.ndarray, np.ndarray]:
    """The (width, value) points of one ``NAME@Npx`` family in a flat dict.

    Parameters
    ----------
    values : mapping
        Flat ``{key: value}``, e.g. ``Report.values`` or one row of ``pairs.csv``.
    name : str
        The family, e.g. ``"boundary_f"`` or ``"trimap_iou"``.

    Returns
    -------
    widths, scores : numpy.ndarray
        Widths in pixels, increasing, and the value at each.

    Raises
    ------
    InputError
        If ``values`` holds no key of that family.

    Notes
    -----
    Only keys of exactly ``name@Npx`` belong to the family, so ``boundary_f`` does not
    take ``boundary_f_precision@1px``.

    Examples
    --------
    >>> values = {"boundary_f@2px": 0.9, "boundary_f@1px": 0.5, "iou": 0.8}
    >>> curve_points(values, "boundary_f")
    (array([1., 2.]), array([0.5, 0.9]))
    """
    points = []
    for key, value in values.items():
        match = _AT.match(str(key))
        if match is not None and match["name"] == name:
            points.append((float(match["width"]), float(value)))
    if not points:
        raise InputError(
            f"Expected `values` to hold keys '{name}@Npx', got none among "
            f"{sorted(map(str, values))[:8]}."
        )
    points.sort()
    return np.array([p[0] for p in points]), np.array([p[1] for p in points])


def plot_curve(data, name: str, *, ax=None, interval=(0.1, 0.9), label=None) -> Drawn:
    """Plot one ``NAME@Npx`` family against its width: of a pair, or of a dataset.

    Parameters
    ----------
    data : mapping or sequence of mappings
        One pair's flat values (a line), or one flat dict per pair (the mean line and
        the band between the ``interval`` quantiles of the per-pair values).
    name : str
        The family: ``"boundary_f"`` (boundary F against tolerance), ``"trimap_iou"``
        and ``"boundary_iou"`` (against band width), ``"nsd"``, ...
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made when None.
    interval : (float, float), default (0.1, 0.9)
        Quantiles of the per-pair values that bound the band of a dataset.
    label : str, optional
        Legend label of the line; defaults to the family name.

    Returns
    -------
    Drawn
        ``"line"`` (Line2D) and, for a dataset, ``"band"`` (PolyCollection) and
        ``"n_pairs"``.

    Raises
    ------
    InputError
        If no value of the family is found or ``interval`` is not two increasing
        quantiles in [0, 1].

    Notes
    -----
    The dataset line is the mean of per-pair values at each width, nan values left
    out; the band is where the middle ``interval`` of pairs lie, a spread of the pairs
    and not a confidence interval of the mean (for that, draw the ceiling analysis's
    interval with :func:`plot_interval_curve`).

    References
    ----------
    .. [1] D. R. Martin, C. C. Fowlkes and J. Malik, "Learning to detect natural
       image boundaries using local brightness, color, and texture cues", IEEE
       TPAMI 26(5), 2004 (boundary F at a tolerance).
    .. [2] P. Kohli, L. Ladicky and P. H. S. Torr, "Robust higher order potentials
       for enforcing label consistency", IJCV 82, 2009 (trimap IoU by band width).

    Examples
    --------
    >>> drawn = plot_curve({"boundary_f@1px": 0.5, "boundary_f@2px": 0.9}, "boundary_f")
    >>> drawn.artists["line"].get_xdata().tolist()
    [1.0, 2.0]
    >>> rows = [{"trimap_iou@1px": 0.0, "trimap_iou@3px": 0.5},
    ...         {"trimap_iou@1px": 1.0, "trimap_iou@3px": 1.0}]
    >>> plot_curve(rows, "trimap_iou").artists["line"].get_ydata().tolist()
    [0.5, 0.75]
    """
    label = label or name
    if isinstance(data, Mapping):
        widths, scores = curve_points(data, name)
        ax = _ax_or_new(ax)
        (line,) = ax.plot(
            widths, scores, marker="o", color=COLOURS["under"], label=label
        )
        _finish_curve(ax, name, scores)
        return Drawn(ax, {"line": line, "legend": ax.legend(fontsize="small")})

    low, high = _check_interval(interval)
    curves = [curve_points(row, name) for row in data]
    if not curves:
        raise InputError(
            "Expected `data` to hold at least one pair's values, got none."
        )
    table = np.array([scores for _, scores in curves], float)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        # A width where every pair is undefined gives nan: drawn as a gap.
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(table, axis=0)
        band = np.nanquantile(table, [low, high], axis=0)
    drawn = plot_interval_curve(
        curves[0][0],
        mean,
        band[0],
        band[1],
        name=name,
        ax=ax,
        label=f"{label} (mean of {len(curves)} pairs)",
        band_label="min–max of pairs"
        if (low, high) == (0.0, 1.0)
        else f"{low:.0%}–{high:.0%} of pairs",
    )
    drawn.artists["n_pairs"] = len(curves)
    return drawn


def plot_interval_curve(
    widths, mean, low, high, *, name, ax=None, label=None, band_label="interval"
) -> Drawn:
    """Plot a curve over widths with a shaded interval: a dataset's mean and its band.

    Parameters
    ----------
    widths : array_like
        Tolerances or band widths in pixels, increasing.
    mean, low, high : array_like
        The line and the lower and upper edges of the band at each width (e.g. the
        bootstrap interval of the mean from ``ceiling.json``).
    name : str
        The family, for the axis labels.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made when None.
    label, band_label : str, optional
        Legend labels of the line and of the band.

    Returns
    -------
    Drawn
        ``"line"`` (Line2D), ``"band"`` (PolyCollection) and ``"legend"``.

    Raises
    ------
    InputError
        If the four arrays differ in length or are empty.

    Notes
    -----
    nan values are drawn as gaps, not as zeros.

    Examples
    --------
    >>> drawn = plot_interval_curve([1, 2], [0.5, 0.8], [0.4, 0.7], [0.6, 0.9],
    ...                             name="boundary_f")
    >>> drawn.artists["line"].get_ydata().tolist()
    [0.5, 0.8]
    """
    arrays = [np.asarray(a, float).ravel() for a in (widths, mean, low, high)]
    if len({a.size for a in arrays}) != 1 or arrays[0].size == 0:
        raise InputError(
            "Expected `widths`, `mean`, `low` and `high` of one non-zero length, got "
            f"lengths {[a.size for a in arrays]}."
        )
    widths, mean, low, high = arrays
    ax = _ax_or_new(ax)
    band = ax.fill_between(
        widths, low, high, color=COLOURS["agreement"], alpha=0.6, label=band_label
    )
    (line,) = ax.plot(
        widths, mean, marker="o", color=COLOURS["under"], label=label or name
    )
    _finish_curve(ax, name, np.concatenate([mean, low, high]))
    return Drawn(
        ax,
        {
            "line": line,
            "band": band,
            "legend": ax.legend(fontsize="small", loc="best"),
        },
    )


def _finish_curve(ax, name, values):
    # Boundary IoU and the trimap families are read in a band of the width; the
    # others match boundary pixels within a tolerance.
    from ..analysis.ceiling import width_name

    ax.set_xlabel(f"{width_name(name)} (px)")
    ax.set_ylabel(name)
    finite = values[np.isfinite(values)]
    # Scores in [0, 1] share one scale across plots so that curves compare by eye.
    if finite.size and finite.min() >= 0 and finite.max() <= 1:
        ax.set_ylim(-0.02, 1.02)
    ax.grid(True, alpha=0.3)


def _check_interval(interval):
    try:
        low, high = (float(v) for v in interval)
    except (TypeError, ValueError):
        raise InputError(
            f"Expected `interval` to be two quantiles, got {interval!r}."
        ) from None
    if not 0.0 <= low < high <= 1.0:
        raise InputError(
            "Expected `interval` to be two increasing quantiles in [0, 1], got "
            f"{interval!r}."
        )
    return low, high


def _number(text: str) -> float:
    # Widths may be written 0p5 in keys meant to be column names.
    return float(text.replace("p", "."))


def distance_bins(counts: Mapping) -> list[tuple[str, float, float, float, float]]:
    """Read disagreement-by-distance counts into bins ordered by distance.

    Parameters
    ----------
    counts : mapping
        Flat ``{key: count}`` with keys ``over_px_A_B``, ``under_px_A_B`` (pixels at a
        distance in [A, B) from the reference boundary) and ``over_px_gtN``,
        ``under_px_gtN`` (beyond N); other keys are skipped.

    Returns
    -------
    list of (label, low, high, over, under)
        One tuple per bin in increasing distance; ``high`` is inf for the last bin.

    Raises
    ------
    InputError
        If ``counts`` holds no such key.

    Notes
    -----
    A bin missing on one side counts 0 on that side.

    Examples
    --------
    >>> distance_bins({"over_px_0_1": 4, "under_px_0_1": 2, "over_px_gt20": 1})
    [('0–1', 0.0, 1.0, 4.0, 2.0), ('>20', 20.0, inf, 1.0, 0.0)]
    """
    bins: dict[tuple[float, float], dict] = {}
    for key, value in counts.items():
        match = _BIN.match(str(key))
        if match is None:
            continue
        if match["gt"] is not None:
            low, high = _number(match["gt"]), math.inf
        else:
            low, high = _number(match["low"]), _number(match["high"])
        entry = bins.setdefault((low, high), {"over": 0.0, "under": 0.0})
        entry[match["side"]] += float(value)
    if not bins:
        raise InputError(
            "Expected `counts` to hold keys 'over_px_A_B' / 'under_px_A_B', got none."
        )
    return [
        (
            f">{low:g}" if math.isinf(high) else f"{low:g}–{high:g}",
            low,
            high,
            v["over"],
            v["under"],
        )
        for (low, high), v in sorted(bins.items())
    ]


def plot_disagreement_by_distance(counts: Mapping, *, ax=None, title=None) -> Drawn:
    """Bar chart of over- and under-painted pixels by distance to the boundary.

    Parameters
    ----------
    counts : mapping
        Counts by bin as read by :func:`distance_bins` (one pair's, or summed over a
        dataset).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made when None.
    title : str, optional
        Axes title.

    Returns
    -------
    Drawn
        ``"over"`` and ``"under"`` (BarContainer, one bar per bin) and ``"legend"``.

    Raises
    ------
    InputError
        If ``counts`` holds no bin.

    Notes
    -----
    Disagreement of a coarse outline lies in the first bins (a few pixels too generous
    all around); disagreement far from the boundary is a missed or an extra part.

    Examples
    --------
    >>> drawn = plot_disagreement_by_distance({"over_px_0_1": 4, "under_px_0_1": 0})
    >>> [float(bar.get_height()) for bar in drawn.artists["over"]]
    [4.0]
    """
    bins = distance_bins(counts)
    ax = _ax_or_new(ax)
    x = np.arange(len(bins))
    width = 0.4
    artists = {
        "over": ax.bar(
            x - width / 2,
            [b[3] for b in bins],
            width,
            color=COLOURS["over"],
            label="over-painted (candidate only)",
        ),
        "under": ax.bar(
            x + width / 2,
            [b[4] for b in bins],
            width,
            color=COLOURS["under"],
            label="under-painted (reference only)",
        ),
    }
    ax.set_xticks(x, [b[0] for b in bins], rotation=45, fontsize="small")
    ax.set_xlabel("distance to the reference boundary (px)")
    ax.set_ylabel("pixels")
    if title:
        ax.set_title(title)
    artists["legend"] = ax.legend(fontsize="small")
    return Drawn(ax, artists)


def plot_score_distribution(scores, *, metric: str, ax=None, bins=20) -> Drawn:
    """Histogram of per-pair scores of one metric, with the mean marked.

    Parameters
    ----------
    scores : array_like of float
        One value per pair; nan (undefined) and infinite values are counted and
        named in the title, not drawn.
    metric : str
        The metric's name, for the axis label.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made when None.
    bins : int, default 20
        Number of histogram bins.

    Returns
    -------
    Drawn
        ``"bars"`` (the histogram's patches), ``"mean"`` (Line2D, absent when no value
        is finite) and ``"n_finite"``, ``"n_inf"``, ``"n_nan"``.

    Raises
    ------
    InputError
        If ``bins`` is not positive.

    Notes
    -----
    The mean drawn is that of the finite values; the title says how many values were
    left out, so that nothing is dropped silently.

    Examples
    --------
    >>> scores = [0.2, 0.4, float("inf"), float("nan")]
    >>> drawn = plot_score_distribution(scores, metric="hd95")
    >>> drawn.artists["n_finite"], drawn.artists["n_inf"], drawn.artists["n_nan"]
    (2, 1, 1)
    >>> plot_score_distribution([], metric="iou").artists["n_finite"]
    0
    """
    bins = int(check_positive(bins, "bins"))
    values = np.asarray(scores, float).ravel()
    finite = values[np.isfinite(values)]
    ax = _ax_or_new(ax)
    _, _, patches = ax.hist(finite, bins=bins, color=COLOURS["under"], alpha=0.8)
    artists = {
        "bars": patches,
        "n_finite": int(finite.size),
        "n_inf": int(np.isinf(values).sum()),
        "n_nan": int(np.isnan(values).sum()),
    }
    if finite.size:
        artists["mean"] = ax.axvline(
            finite.mean(),
            color=COLOURS["over"],
            lw=2,
            label=f"mean {finite.mean():.4g}",
        )
        ax.legend(fontsize="small")
    ax.set_xlabel(metric)
    ax.set_ylabel("pairs")
    # Pairs are counted: whole-number ticks only.
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(
        f"{finite.size} pairs drawn; {artists['n_inf']} infinite, "
        f"{artists['n_nan']} undefined left out",
        fontsize="small",
    )
    return Drawn(ax, artists)
