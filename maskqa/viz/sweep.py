"""Plots of coarsening sweeps and of ceiling curves (drawn from tables, no metric).

Every function takes ``ax=None`` (a new figure when None), draws, and returns a
:class:`~maskqa.viz.overlay.Drawn`; :func:`save_figure` writes a figure to a file.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from .._validation import check_choice
from ..errors import InputError
from .overlay import Drawn
from .palette import COLOURS

__all__ = [
    "plot_sweep",
    "plot_ceiling_curves",
    "plot_disagreement_profile",
    "save_figure",
]


def _ax_or_new(ax, size=(5.5, 3.6)):
    if ax is None:
        from matplotlib.figure import Figure

        ax = Figure(figsize=size, layout="constrained").add_subplot()
    return ax


def _number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def plot_sweep(
    table: Sequence[Mapping],
    metrics: Sequence[str],
    *,
    x: str = "level",
    ax=None,
    title: str | None = None,
) -> Drawn:
    """Ceiling metrics of a sweep against its level or its vertex count.

    Parameters
    ----------
    table : sequence of mapping
        Rows of ``Sweep.table()`` (``level``, ``vertices``, metrics and their
        ``_ci_low`` / ``_ci_high``).
    metrics : sequence of str
        The columns to draw, one line each, with their interval when present.
    x : {"level", "vertices"}
        The horizontal axis: the mechanism's level, or the annotation cost.
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    Drawn
        ``artists`` holds one Line2D per metric, by name.

    Raises
    ------
    InputError
        If ``x`` is not allowed or ``table`` is empty.

    Examples
    --------
    >>> rows = [{"level": 0, "vertices": 40, "iou": 1.0},
    ...         {"level": 2, "vertices": 12, "iou": 0.9}]
    >>> drawn = plot_sweep(rows, ["iou"], x="vertices")
    >>> drawn.artists["iou"].get_xdata().tolist()
    [40.0, 12.0]
    >>> plot_sweep([], ["iou"])  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    maskqa.errors.InputError: ...
    """
    check_choice(x, "x", ("level", "vertices"))
    if not table:
        raise InputError("Expected a sweep table with at least one row, got none.")
    ax = _ax_or_new(ax)
    xs = np.array([_number(row.get(x)) for row in table])
    artists = {}
    for metric in metrics:
        ys = np.array([_number(row.get(metric)) for row in table])
        (line,) = ax.plot(xs, ys, marker="o", label=metric)
        low = np.array([_number(row.get(f"{metric}_ci_low")) for row in table])
        high = np.array([_number(row.get(f"{metric}_ci_high")) for row in table])
        if np.isfinite(low).any():
            ax.fill_between(xs, low, high, alpha=0.2, color=line.get_color())
        artists[metric] = line
    ax.set_xlabel("vertices per image (clicks)" if x == "vertices" else "level")
    ax.set_ylabel("score against the fine masks")
    if x == "vertices":
        ax.set_xscale("log")
    ax.set_title(title or "Coarsening sweep")
    artists["legend"] = ax.legend(fontsize="small")
    return Drawn(ax, artists)


def plot_ceiling_curves(ceiling: Mapping, *, ax=None, statistic: str = "mean") -> Drawn:
    """Every curve of a ``ceiling.json`` (boundary F, trimap IoU, NSD) with intervals.

    Parameters
    ----------
    ceiling : mapping
        ``Ceiling.to_dict()`` or the parsed ``ceiling.json``.
    ax : matplotlib.axes.Axes, optional
    statistic : {"mean", "median", "pooled"}
        The line drawn; the band is the bootstrap interval of the mean.

    Returns
    -------
    Drawn
        One Line2D per family, by name, and the 0.9 / 0.95 reference lines.

    Raises
    ------
    InputError
        If ``statistic`` is not allowed.

    Examples
    --------
    >>> point = {"mean": 0.5, "ci_low": 0.4, "ci_high": 0.6}
    >>> curves = {"boundary_f": {"widths_px": [1, 2], "points": [point, point]}}
    >>> sorted(plot_ceiling_curves({"curves": curves}).artists)
    ['boundary_f', 'legend']
    >>> sorted(plot_ceiling_curves({"curves": {}}).artists)
    []
    """
    check_choice(statistic, "statistic", ("mean", "median", "pooled"))
    ax = _ax_or_new(ax)
    artists = {}
    for family, curve in ceiling.get("curves", {}).items():
        widths = np.array([_number(w) for w in curve["widths_px"]])
        points = curve["points"]
        ys = np.array([_number(p.get(statistic)) for p in points])
        (line,) = ax.plot(widths, ys, marker="o", label=f"{family} ({statistic})")
        low = np.array([_number(p.get("ci_low")) for p in points])
        high = np.array([_number(p.get("ci_high")) for p in points])
        ax.fill_between(widths, low, high, alpha=0.2, color=line.get_color())
        artists[family] = line
    if artists:
        for level in (0.9, 0.95):
            ax.axhline(level, color="grey", lw=0.6, ls=":")
        ax.set_xlabel("tolerance / band width (px)")
        ax.set_ylabel("score of the labels against the fine masks")
        ax.set_ylim(0, 1.02)
        ax.set_title("Accuracy ceiling over the tolerance")
        artists["legend"] = ax.legend(fontsize="small")
    return Drawn(ax, artists)


def plot_disagreement_profile(profile: Mapping, *, ax=None) -> Drawn:
    """Over- and under-painted pixels per distance bin, stacked bars.

    Parameters
    ----------
    profile : mapping
        ``DisagreementProfile.to_dict()`` (``bins``, ``over_px``, ``under_px``).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    Drawn
        ``"over"`` and ``"under"`` bar containers, in the colours of
        :data:`maskqa.viz.palette.COLOURS` (over-painting orange, under-painting
        blue, as in the overlays).

    Raises
    ------
    InputError
        If the bins and counts differ in length.

    Examples
    --------
    >>> drawn = plot_disagreement_profile({"bins": ["0_1", "gt1"], "over_px": [3, 1],
    ...                                    "under_px": [0, 2]})
    >>> len(drawn.artists["over"])
    2
    >>> len(plot_disagreement_profile({"bins": [], "over_px": [],
    ...                                "under_px": []}).artists["over"])
    0
    """
    bins, over, under = profile["bins"], profile["over_px"], profile["under_px"]
    if not len(bins) == len(over) == len(under):
        raise InputError(
            f"Expected bins and counts of one length, got {len(bins)}, {len(over)}, "
            f"{len(under)}."
        )
    ax = _ax_or_new(ax)
    labels = [b.replace("_", "-").replace("gt", ">") for b in bins]
    x = np.arange(len(bins))
    # The overlays' and the report's colours, so over-painting reads alike everywhere.
    over_bars = ax.bar(
        x, over, color=COLOURS["over"], label="over-painting (label outside)"
    )
    under_bars = ax.bar(
        x,
        under,
        bottom=over,
        color=COLOURS["under"],
        label="under-painting (label inside)",
    )
    ax.set_xticks(x, labels)
    ax.set_xlabel("distance to the fine boundary (px)")
    ax.set_ylabel("disagreeing pixels")
    legend = ax.legend(fontsize="small")
    return Drawn(ax, {"over": over_bars, "under": under_bars, "legend": legend})


def save_figure(drawn: Drawn, path, *, dpi: int = 120) -> None:
    """Write the figure of a drawing to ``path`` (format from the suffix).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "empty.png"
    >>> save_figure(plot_ceiling_curves({"curves": {}}), path)
    >>> path.exists()
    True
    """
    drawn.ax.figure.savefig(path, dpi=dpi)
