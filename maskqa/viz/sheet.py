"""Contact sheets: the worst pairs of a dataset by a chosen metric, side by side."""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence

from .._validation import check_positive
from ..errors import InputError, ThresholdWarning
from .overlay import overlay_rgb

__all__ = [
    "LOWER_IS_BETTER",
    "lower_is_better",
    "worst_pairs",
    "read_pair",
    "contact_sheet",
]

#: Name prefixes of metrics where a smaller value is better (distances, error counts).
LOWER_IS_BETTER = (
    "hd",
    "hausdorff",
    "assd",
    "asd",
    "masd",
    "msd",
    "mean_distance",
    "over_px",
    "under_px",
    "boundary_offset",
    "mae",
    "error",
    "area_ratio_error",
)


def lower_is_better(metric: str) -> bool:
    """Whether a smaller value of ``metric`` means closer agreement.

    Parameters
    ----------
    metric : str
        A metric key, e.g. ``"iou"``, ``"hd95"``, ``"boundary_f@2px"``.

    Returns
    -------
    bool
        True for distances and error counts (:data:`LOWER_IS_BETTER` prefixes).

    Raises
    ------
    Nothing
        Unknown names are taken as scores, higher being better.

    Notes
    -----
    Overlap scores (IoU, Dice, F, NSD, mBA) are higher-is-better; distances are not.
    A preset's key is read after its prefix (``medpy.hd95`` is a distance).

    Examples
    --------
    >>> lower_is_better("hd95"), lower_is_better("boundary_f@1px")
    (True, False)
    >>> lower_is_better("medpy.hd95"), lower_is_better("davis.F")
    (True, False)
    """
    from ..analysis.ceiling import preset_metrics

    metric = str(metric)
    if preset_metrics([metric]):
        metric = metric.partition(".")[2]
    return metric.startswith(LOWER_IS_BETTER)


def worst_pairs(
    rows: Sequence[Mapping], metric: str, k: int = 12, *, lower_better=None
):
    """The ``k`` rows that score worst on ``metric``, worst first.

    Parameters
    ----------
    rows : sequence of mapping
        One flat dict per pair (rows of ``pairs.csv``).
    metric : str
        The column to rank by.
    k : int, default 12
        Most rows to return.
    lower_better : bool, optional
        Whether smaller values are better; guessed from the name by
        :func:`lower_is_better` when None.

    Returns
    -------
    list of mapping
        The worst rows. Undefined (nan) values come last, not first: a pair with no
        boundary is not the worst-drawn one.

    Raises
    ------
    InputError
        If ``k`` is not positive or no row has ``metric``.

    Notes
    -----
    Ties keep the order of ``rows``, so the result is reproducible.

    Examples
    --------
    >>> rows = [{"name": "a", "iou": 0.9}, {"name": "b", "iou": 0.1},
    ...         {"name": "c", "iou": float("nan")}]
    >>> [r["name"] for r in worst_pairs(rows, "iou", 2)]
    ['b', 'a']
    >>> worst_pairs([], "iou")
    []
    """
    k = int(check_positive(k, "k"))
    rows = list(rows)
    if rows and not any(metric in row for row in rows):
        raise InputError(
            f"Expected `metric` to be a column of the rows, got {metric!r}; columns: "
            f"{sorted(rows[0])[:12]}."
        )
    lower = lower_is_better(metric) if lower_better is None else bool(lower_better)
    sign = -1.0 if lower else 1.0

    def key(row):
        value = float(row.get(metric, math.nan))
        return (math.isnan(value), sign * value if not math.isnan(value) else 0.0)

    return sorted(rows, key=key)[:k]


def read_pair(row: Mapping, *, threshold=None, label=None):
    """Read the reference and candidate masks named by a results row.

    Parameters
    ----------
    row : mapping
        With ``reference`` and ``candidate`` paths.
    threshold : float, optional
        Foreground is ``value >= threshold`` (the run's ``params.threshold``).
    label : int or tuple of 3 int, optional
        Select the pixels equal to ``label`` (the run's ``params.label``).

    Returns
    -------
    reference, candidate : numpy.ndarray
        The two bool masks.

    Raises
    ------
    MaskReadError
        If a file is missing or unreadable.
    InputError
        If both ``threshold`` and ``label`` are given.

    Notes
    -----
    Masks are read by :func:`maskqa.io.read_mask` with the same ``threshold`` or
    ``label`` as when they were scored, so a picture shows the errors that were
    scored. Their :class:`~maskqa.errors.ThresholdWarning` and
    :class:`~maskqa.io.ReadWarning` are not repeated here: the masks were read, and
    warned about, while scoring.

    Examples
    --------
    >>> read_pair({"reference": "missing.png", "candidate": "missing.png"})
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    maskqa.errors.MaskReadError: missing.png: ...
    """
    from ..io import ReadWarning, read_mask

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ThresholdWarning)
        warnings.simplefilter("ignore", ReadWarning)
        return tuple(
            read_mask(row[side], threshold=threshold, label=label)
            for side in ("reference", "candidate")
        )


def _short(text: str, most: int = 32) -> str:
    text = str(text)
    return text if len(text) <= most else text[: most - 1] + "…"


def _value_text(value) -> str:
    value = float(value)
    return f"{value:.4g}" if math.isfinite(value) else str(value)


def _draw_tile(ax, row, number, metric, read):
    # One pair's overlay, titled with its rank, name and score; a pair whose masks
    # cannot be read says why in its tile instead of stopping the sheet.
    ax.set_xticks([]), ax.set_yticks([])
    value = _value_text(row.get(metric, math.nan))
    title = f"{number} {_short(row.get('name', ''))}\n{metric} = {value}"
    ax.set_title(title, fontsize=7, parse_math=False)
    try:
        reference, candidate = read(row)
        rgb = overlay_rgb(reference, candidate)
    except (InputError, OSError) as exc:
        ax.text(
            0.5,
            0.5,
            _short(f"not drawn: {exc}", 80),
            ha="center",
            va="center",
            fontsize=6,
            wrap=True,
            parse_math=False,
            transform=ax.transAxes,
        )
        return None
    return ax.imshow(rgb, interpolation="antialiased")


def contact_sheet(
    rows,
    metric: str,
    *,
    k=12,
    columns=4,
    tile_px=220,
    read=read_pair,
    lower_better=None,
):
    """A grid of overlays of the ``k`` worst pairs by ``metric``, worst first.

    Parameters
    ----------
    rows : sequence of mapping
        One flat dict per pair, with ``name``, ``reference``, ``candidate`` and the
        ``metric`` column (rows of ``pairs.csv``).
    metric : str
        The column to rank by (:func:`worst_pairs`).
    k : int, default 12
        Most pairs shown.
    columns : int, default 4
        Tiles per row.
    tile_px : int, default 220
        Side of each tile in picture pixels.
    read : callable, default :func:`read_pair`
        ``read(row) -> (reference, candidate)``; replace it to draw masks held in
        memory.
    lower_better : bool, optional
        Whether smaller values are better; guessed from the name when None.

    Returns
    -------
    Drawn
        ``ax`` is the figure; ``artists`` holds ``"axes"`` (one per tile), ``"rows"``
        (the rows shown, in order), ``"images"`` and ``"legend"``.

    Raises
    ------
    InputError
        As :func:`worst_pairs`, or if ``columns`` or ``tile_px`` is not positive.

    Notes
    -----
    A pair whose masks cannot be read is shown as a tile saying why, so that one bad
    file does not hide the others. Names are drawn as plain text (no math mode).

    Examples
    --------
    >>> import numpy as np
    >>> masks = {"a": (np.ones((8, 8), bool), np.zeros((8, 8), bool))}
    >>> rows = [{"name": "a", "iou": 0.0}]
    >>> sheet = contact_sheet(rows, "iou", read=lambda row: masks[row["name"]])
    >>> len(sheet.artists["axes"]), sheet.artists["images"][0].get_array().shape
    (1, (8, 8, 3))
    >>> len(contact_sheet([], "iou").artists["axes"])
    0
    """
    from matplotlib.figure import Figure

    from .overlay import Drawn, _legend_handles

    shown = worst_pairs(rows, metric, k, lower_better=lower_better)
    columns = int(check_positive(columns, "columns"))
    tile_px = int(check_positive(tile_px, "tile_px"))
    n_rows = max(1, math.ceil(len(shown) / columns))
    width = min(columns, max(1, len(shown)))
    handles = _legend_handles(None)
    width_px, ncol, legend_px = _sheet_legend_layout(width * tile_px, len(handles))

    # Pixels: room above for the first row's two-line titles, the tiles, and a
    # legend strip below them, wrapped to as many lines as the width needs.
    height_px = n_rows * (tile_px + _TITLE_PX) + legend_px
    figure = Figure(figsize=(width_px / 100, height_px / 100), dpi=100)
    margin = (width_px - width * tile_px) / 2 / width_px
    grid = figure.add_gridspec(
        n_rows,
        width,
        top=1 - _TITLE_PX / height_px,
        bottom=legend_px / height_px,
        left=0.01 + margin,
        right=0.99 - margin,
        wspace=0.05,
        hspace=_TITLE_PX / tile_px,
    )
    axes, images = [], []
    for index, row in enumerate(shown):
        ax = figure.add_subplot(grid[index // columns, index % columns])
        image = _draw_tile(ax, row, f"{index + 1}.", metric, read)
        images.extend([image] if image is not None else [])
        axes.append(ax)
    legend = figure.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=ncol,
        fontsize=_LEGEND_PT,
        frameon=False,
    )
    return Drawn(
        figure, {"axes": axes, "rows": shown, "images": images, "legend": legend}
    )


# Sizes of the sheet's text, in picture pixels at 100 dpi: a tile's two-line title,
# and one legend entry (the longest label at 7 pt, with its colour patch).
_TITLE_PX, _LEGEND_PT, _ENTRY_PX, _LINE_PX = 30, 7, 200, 16


def _sheet_legend_layout(tiles_px: int, n_entries: int) -> tuple[int, int, int]:
    # As many legend columns as fit across the tiles, the rest wrapped onto more
    # lines; a sheet narrower than one entry is widened to hold it.
    width_px = max(tiles_px, _ENTRY_PX + 20)
    ncol = max(1, min(n_entries, width_px // _ENTRY_PX))
    legend_px = 10 + _LINE_PX * math.ceil(n_entries / ncol)
    return width_px, ncol, legend_px
