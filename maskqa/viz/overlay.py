"""Overlay pictures of a (reference, candidate) pair.

:func:`overlay_rgb` paints agreement, over-painting and under-painting over the image
(or a neutral background) at the image's full resolution, with both boundaries one
pixel thin and, optionally, the edges of the trimap band. :func:`densest_crops` finds
where the disagreement is densest, and :func:`overlay_figure` lays out the full
picture, a legend and zoomed crops of those places, because hair detail is invisible
at page size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from .._validation import check_pair, check_positive
from ..errors import InputError
from .palette import COLOURS, LEGEND, to_rgb

__all__ = [
    "Crop",
    "Drawn",
    "OverlayFigure",
    "overlay_rgb",
    "densest_crops",
    "plot_overlay",
    "overlay_figure",
    "text_scale",
]

# How strongly each fill covers the picture below it: disagreement must stand out,
# agreement only needs to be told apart from background.
_FILL_ALPHA = {"agreement": 0.45, "over": 0.85, "under": 0.85}


@dataclass(frozen=True)
class Drawn:
    """What a plot function drew: the axes and its artists by name.

    Attributes
    ----------
    ax : matplotlib.axes.Axes
        The axes drawn into.
    artists : dict
        Every artist drawn, by name (``"image"``, ``"legend"``, ``"line"``, ...).
    """

    ax: object
    artists: dict


@dataclass(frozen=True)
class Crop:
    """A window of the picture, in pixels.

    It covers rows ``top:top+height`` and columns ``left:left+width``;
    ``n_disagree`` is the number of disagreeing pixels inside it.
    """

    top: int
    left: int
    height: int
    width: int
    n_disagree: int

    @property
    def slices(self) -> tuple[slice, slice]:
        """The (row, column) slices that cut the window out of an array."""
        return (
            slice(self.top, self.top + self.height),
            slice(self.left, self.left + self.width),
        )


def _inner_boundary(mask: np.ndarray) -> np.ndarray:
    # Foreground pixels with a background 4-neighbour; the image border is not
    # background here, so a mask cut by the border gets no line along it.
    eroded = ndimage.binary_erosion(
        mask, structure=ndimage.generate_binary_structure(2, 1), border_value=1
    )
    return mask & ~eroded


def _background(image, shape) -> np.ndarray:
    if image is None:
        return np.broadcast_to(
            np.array(to_rgb(COLOURS["background"]), float), (*shape, 3)
        ).copy()
    array = np.asarray(image)
    if array.shape[:2] != tuple(shape) or array.ndim not in (2, 3):
        raise InputError(
            "Expected `image` to be (height, width) or (height, width, channels) "
            "with the "
            f"masks' height and width {tuple(shape)}, got shape {array.shape}."
        )
    array = array.astype(float)
    if array.ndim == 3:
        array = array[..., :3].mean(axis=2)
    top = array.max() if array.size else 0.0
    scale = 255.0 if top > 1.0 else 1.0
    grey = np.clip(array / scale, 0.0, 1.0)

    # A lightened grey version of the image: the content stays readable while the
    # overlay colours are the only colours in the picture.
    light = 255.0 * (0.35 + 0.6 * grey)
    return np.repeat(light[..., None], 3, axis=2)


def _band_edges(reference: np.ndarray, band_px: float) -> np.ndarray:
    # The trimap band is the set of pixels within band_px of the reference
    # boundary; its edges are drawn, not its inside, so nothing else is hidden.
    boundary = _inner_boundary(reference)
    if not boundary.any():
        return np.zeros_like(reference)
    distance = ndimage.distance_transform_edt(~boundary)
    band = distance <= band_px
    return _inner_boundary(band)


def overlay_rgb(reference, candidate, image=None, *, band_px=None) -> np.ndarray:
    """Paint a (reference, candidate) pair over an image, at full resolution.

    Parameters
    ----------
    reference, candidate : array_like of shape (H, W)
        The fine and the coarse mask, binarised by maskqa's rule.
    image : array_like of shape (H, W) or (H, W, C), optional
        The picture both masks were drawn on, shown as a lightened grey; without it
        the background is white.
    band_px : float, optional
        Draw the edges of the trimap band: the pixels within ``band_px`` of the
        reference boundary.

    Returns
    -------
    numpy.ndarray of shape (H, W, 3), uint8
        The overlay.

    Raises
    ------
    InputError
        If a mask is not 2-D, the masks or the image differ in size, or ``band_px``
        is not positive.

    Notes
    -----
    Each pixel is coloured by the pair of labels it has: agreement where
    ``reference & candidate``, over-painting where ``candidate & ~reference``,
    under-painting where ``reference & ~candidate`` (colours in
    :data:`maskqa.viz.palette.COLOURS`). The boundaries are drawn last, one pixel thin,
    as the foreground pixels with a background 4-neighbour; edges on the image border
    are not drawn, as maskqa does not count them as boundary by default.

    References
    ----------
    .. [1] M. Okabe and K. Ito, "Color Universal Design (CUD): how to make figures
       and presentations that are friendly to colorblind people", J*Fly, 2008.
       https://jfly.uni-koeln.de/color/

    Examples
    --------
    >>> import numpy as np
    >>> reference = np.zeros((4, 5), bool); reference[1:3, 1:3] = True
    >>> candidate = np.zeros((4, 5), bool); candidate[1:3, 1:4] = True
    >>> rgb = overlay_rgb(reference, candidate)
    >>> rgb.shape, rgb.dtype
    ((4, 5, 3), dtype('uint8'))
    >>> overlay_rgb(np.zeros((2, 2), bool), np.zeros((2, 2), bool))[0, 0].tolist()
    [255, 255, 255]
    """
    reference, candidate = check_pair(reference, candidate)
    rgb = _background(image, reference.shape)

    for name, where in (
        ("agreement", reference & candidate),
        ("over", candidate & ~reference),
        ("under", reference & ~candidate),
    ):
        alpha = _FILL_ALPHA[name]
        rgb[where] = (1 - alpha) * rgb[where] + alpha * np.array(to_rgb(COLOURS[name]))

    if band_px is not None:
        band_px = check_positive(band_px, "band_px")
        rgb[_band_edges(reference, band_px)] = to_rgb(COLOURS["band"])

    # The reference is drawn last so that where the two boundaries coincide the
    # fine one, the one being judged against, stays visible.
    rgb[_inner_boundary(candidate)] = to_rgb(COLOURS["candidate_boundary"])
    rgb[_inner_boundary(reference)] = to_rgb(COLOURS["reference_boundary"])
    return np.clip(np.rint(rgb), 0, 255).astype(np.uint8)


def densest_crops(reference, candidate, *, size_px=96, k=3) -> list[Crop]:
    """Find the ``k`` square windows where the disagreement meets a boundary most.

    Parameters
    ----------
    reference, candidate : array_like of shape (H, W)
        The fine and the coarse mask.
    size_px : int, default 96
        Side of each window in pixels (clipped to the image's smaller side).
    k : int, default 3
        Most windows to return; fewer when the disagreement is all in fewer places.

    Returns
    -------
    list of Crop
        Windows in decreasing order of disagreeing pixels near a boundary (then of
        all disagreeing pixels), none overlapping another; empty when the masks
        agree everywhere.

    Raises
    ------
    InputError
        If the masks are invalid or differ in size, or ``size_px`` or ``k`` is not a
        positive integer.

    Notes
    -----
    A window :math:`W` of side :math:`w` scores

    .. math:: s(W) = |D \\cap N \\cap W| \\, (w^2 + 1) + |D \\cap W|,

    with :math:`D = R \\oplus C` the disagreeing pixels and :math:`N` the pixels at
    most 3 rows and 3 columns away from either mask's boundary: windows are ranked
    by the disagreement next to a boundary, then by all of it, so that a crop inside
    a thick band of under-painting, of one solid colour, comes after one where that
    band meets an edge. The scores of every window position are a box sum. Windows
    are picked greedily, best score first. A window is moved to centre what it
    scores on when that keeps its score and overlaps no window kept before; every
    position whose window would overlap the window kept is then excluded.

    References
    ----------
    .. [1] F. C. Crow, "Summed-area tables for texture mapping", SIGGRAPH 1984,
       https://doi.org/10.1145/800031.808600

    Examples
    --------
    >>> import numpy as np
    >>> reference = np.zeros((20, 20), bool)
    >>> candidate = reference.copy(); candidate[2:5, 14:18] = True
    >>> densest_crops(reference, candidate, size_px=8, k=2)
    [Crop(top=0, left=12, height=8, width=8, n_disagree=12)]
    >>> densest_crops(reference, reference, size_px=8)
    []
    """
    reference, candidate = check_pair(reference, candidate)
    _check_count(size_px, "size_px"), _check_count(k, "k")
    side = int(min(size_px, *reference.shape))
    disagree = (reference ^ candidate).astype(np.int64)
    weights = disagree * (1 + (side * side + 1) * _near_boundary(reference, candidate))
    scores = _window_sums(weights, side)

    crops = []
    for _ in range(int(k)):
        top, left = np.unravel_index(np.argmax(scores), scores.shape)
        if scores[top, left] <= 0:
            break
        top, left = _centred(weights, scores, int(top), int(left), side)
        count = int(disagree[top : top + side, left : left + side].sum())
        crops.append(Crop(top, left, side, side, count))

        # Excluded from the window finally kept, so that no later window, nor its
        # centring, can overlap it.
        scores[
            max(0, top - side + 1) : top + side, max(0, left - side + 1) : left + side
        ] = -1
    return crops


def _check_count(value, name) -> None:
    if not float(value).is_integer() or value < 1:
        raise InputError(f"Expected `{name}` to be a positive integer, got {value!r}.")


# Disagreement within this many pixels of either mask's boundary (across rows and
# columns: a 7 x 7 square) makes a crop show an edge, not only a patch of colour.
_NEAR_PX = 3


def _near_boundary(reference, candidate) -> np.ndarray:
    boundary = _inner_boundary(reference) | _inner_boundary(candidate)
    return ndimage.maximum_filter(boundary, size=2 * _NEAR_PX + 1)


def _window_sums(values, side) -> np.ndarray:
    # Summed-area table: the sum in every window position in O(H W).
    table = np.pad(values.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    return (
        table[side:, side:]
        - table[:-side, side:]
        - table[side:, :-side]
        + table[:-side, :-side]
    )


def _centred(weights, scores, top, left, side) -> tuple[int, int]:
    # The first window of best score has what it scores on in a corner when several
    # windows tie; centre it there if nothing is lost. A position excluded by a
    # window already kept scores -1, so the centred window never overlaps one.
    window = weights[top : top + side, left : left + side]
    rows, cols = np.nonzero(window)
    centre = [np.average(v, weights=window[rows, cols]) for v in (rows, cols)]
    new_top, new_left = (
        int(np.clip(round(start + c - (side - 1) / 2), 0, n - 1))
        for start, c, n in zip((top, left), centre, scores.shape)
    )
    if scores[new_top, new_left] >= scores[top, left]:
        return new_top, new_left
    return top, left


def _legend_handles(band_px, lw=2.0):
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [
        Patch(color=COLOURS[n], label=LEGEND[n]) for n in ("agreement", "over", "under")
    ]
    names = ["reference_boundary", "candidate_boundary"] + (["band"] if band_px else [])
    for name in names:
        label = LEGEND[name] + (f" ({band_px:g} px)" if name == "band" else "")
        handles.append(Line2D([], [], color=COLOURS[name], lw=lw, label=label))
    return handles


def plot_overlay(
    reference, candidate, image=None, *, band_px=None, ax=None, legend=True
):
    """Draw the overlay of a pair into a matplotlib axes, with a legend.

    Parameters
    ----------
    reference, candidate : array_like of shape (H, W)
        The fine and the coarse mask.
    image : array_like, optional
        The picture both masks were drawn on (see :func:`overlay_rgb`).
    band_px : float, optional
        Also draw the edges of the trimap band of this width.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made when None.
    legend : bool, default True
        Add a legend naming every colour.

    Returns
    -------
    Drawn
        The axes and its artists: ``"image"`` (the AxesImage, full resolution) and,
        with ``legend``, ``"legend"``.

    Raises
    ------
    InputError
        As :func:`overlay_rgb`.

    Notes
    -----
    The overlay is shown pixel for pixel (nearest-neighbour, no smoothing) so that a
    one-pixel boundary stays one pixel at full resolution.

    Examples
    --------
    >>> import numpy as np
    >>> drawn = plot_overlay(np.zeros((6, 8), bool), np.zeros((6, 8), bool))
    >>> drawn.artists["image"].get_array().shape
    (6, 8, 3)
    """
    rgb = overlay_rgb(reference, candidate, image, band_px=band_px)
    if ax is None:
        from matplotlib.figure import Figure

        ax = Figure().add_subplot()
    artists = {"image": ax.imshow(rgb, interpolation="nearest")}
    ax.set_axis_off()
    if legend:
        artists["legend"] = ax.legend(
            handles=_legend_handles(band_px),
            loc="upper left",
            bbox_to_anchor=(1.01, 1),
            frameon=False,
            fontsize="small",
        )
    return Drawn(ax, artists)


@dataclass(frozen=True)
class OverlayFigure:
    """The figure made by :func:`overlay_figure` and what is in it.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        The whole picture; saved with ``figure.savefig(path, dpi=figure.dpi)`` the full
        overlay keeps one image pixel per picture pixel (times ``scale``).
    main : Drawn
        The full overlay.
    crops : list of Crop
        The zoomed windows, in the order shown.
    crop_axes : list of matplotlib.axes.Axes
        One axes per crop.
    legend : matplotlib.legend.Legend
        The legend naming every colour.
    scale : int
        Picture pixels per image pixel in the full overlay (1 unless the image is
        narrower than ``min_width_px``).
    """

    figure: object
    main: Drawn
    crops: list
    crop_axes: list
    legend: object
    scale: int


# Width in picture pixels up to which text is drawn at its nominal size; a wider
# picture is shown shrunk to a page or a screen, so its text, legend and crops grow
# with it to stay as readable as on a picture of this width.
_READABLE_WIDTH_PX = 1200


def text_scale(width_px: float) -> float:
    """How much larger than nominal to draw text on a picture ``width_px`` wide.

    Parameters
    ----------
    width_px : float
        Width of the picture in pixels.

    Returns
    -------
    float
        1 up to 1200 px, then proportional to the width: a 3492 px picture shown
        1200 px wide on a page keeps 8 pt text readable at ``8 * 2.91`` pt.

    Raises
    ------
    InputError
        If ``width_px`` is not positive.

    Notes
    -----
    :math:`s = \\max(1, w / 1200)`.

    Examples
    --------
    >>> text_scale(480), text_scale(3600)
    (1.0, 3.0)
    """
    return max(1.0, float(check_positive(width_px, "width_px")) / _READABLE_WIDTH_PX)


def _layout(shape, n_crops, n_entries, min_width_px):
    height, width = shape
    scale = max(1, math.ceil(min_width_px / width))
    fig_w = width * scale
    grow = text_scale(fig_w)
    # The crops share the figure's width in square tiles: no empty strip beside
    # them, and none at all without crops.
    tile = round(fig_w / n_crops) if n_crops else 0

    # A legend column takes about 220 px at 8 pt: fewer columns, more rows, on a
    # narrow picture, so that no label is cut.
    ncol = max(1, min(3, int(fig_w // (220 * grow))))
    legend_h = round((30 + 16 * math.ceil(n_entries / ncol)) * grow)
    fig_h = height * scale + legend_h + tile
    return scale, fig_w, fig_h, legend_h, tile, ncol, grow


def _zoom_crops(reference, candidate, n_crops, size_px) -> list:
    # A window of half the image's smaller side or more is no zoom: none then.
    _check_count(size_px, "crop_size_px")
    if n_crops == 0:
        return []
    if 2 * size_px >= min(np.shape(reference)):
        _check_count(n_crops, "n_crops")
        return []
    return densest_crops(reference, candidate, size_px=size_px, k=n_crops)


def _draw_crops(figure, ax, rgb, crops, tile, grow=1.0) -> list:
    # Each crop is outlined and numbered on the full overlay, and shown enlarged in
    # a row of tiles along the bottom of the figure, in the same order.
    from matplotlib.patches import Rectangle

    fig_w, fig_h = figure.get_size_inches() * figure.dpi
    label = {
        "va": "top",
        "ha": "left",
        "fontsize": 9 * grow,
        "backgroundcolor": "#ffffffcc",
    }
    crop_axes = []
    for number, crop in enumerate(crops, start=1):
        outline = Rectangle(
            (crop.left - 0.5, crop.top - 0.5),
            crop.width,
            crop.height,
            fill=False,
            edgecolor="#000000",
            lw=grow,
        )
        ax.add_patch(outline)
        ax.text(crop.left, crop.top, f" {number}", **label)

        left = (number - 1) / len(crops)
        crop_ax = figure.add_axes((left, 0, 1 / len(crops), tile / fig_h))
        crop_ax.imshow(rgb[crop.slices], interpolation="nearest", aspect="auto")
        crop_ax.set_xticks([]), crop_ax.set_yticks([])
        crop_ax.text(0.02, 0.98, f"{number}", transform=crop_ax.transAxes, **label)
        crop_axes.append(crop_ax)
    return crop_axes


def overlay_figure(
    reference,
    candidate,
    image=None,
    *,
    band_px=None,
    n_crops=3,
    crop_size_px=96,
    min_width_px=480,
    title=None,
):
    """Lay out the full-resolution overlay, a legend and zoomed crops in one figure.

    Parameters
    ----------
    reference, candidate : array_like of shape (H, W)
        The fine and the coarse mask.
    image : array_like, optional
        The picture both masks were drawn on.
    band_px : float, optional
        Also draw the edges of the trimap band of this width.
    n_crops : int, default 3
        Most zoomed crops, taken where the disagreement meets a boundary most
        (:func:`densest_crops`); 0 for none.
    crop_size_px : int, default 96
        Side of each crop window in image pixels; no crop is taken when it is half
        the image's smaller side or more.
    min_width_px : int, default 480
        Narrower images are enlarged by a whole factor up to this width, so that the
        legend fits; wider ones are shown at exactly their resolution.
    title : str, optional
        Written in the legend row, e.g. the pair's name and score.

    Returns
    -------
    OverlayFigure
        The figure and its parts.

    Raises
    ------
    InputError
        As :func:`overlay_rgb` and :func:`densest_crops`, or if ``n_crops`` is
        negative.

    Notes
    -----
    The figure is ``scale * W`` pixels wide at its own dpi; the full overlay fills its
    top ``scale * H`` rows pixel for pixel. Each crop is outlined and numbered on the
    full overlay and shown enlarged below the legend, the crops sharing the figure's
    width in square tiles. A crop of half the image's smaller side or more would show
    about the whole picture again, smaller than above it: then there are no crops and
    no row for them. On a picture wider than 1200 px, the legend, its text and the
    crop labels grow by :math:`s = w / 1200` (:func:`text_scale`), so that they stay
    readable when the picture is shown shrunk to a page.

    Examples
    --------
    >>> import numpy as np
    >>> reference = np.zeros((40, 60), bool); reference[10:30, 10:40] = True
    >>> empty = np.zeros_like(reference)
    >>> made = overlay_figure(reference, empty, n_crops=2, crop_size_px=12)
    >>> made.scale, [round(v) for v in made.figure.get_size_inches() * made.figure.dpi]
    (8, [480, 638])
    >>> len(made.crops), [round(ax.bbox.width) for ax in made.crop_axes]
    (2, [240, 240])

    A 96 px crop of a 40 px image would be no zoom: there is none, and no row for it.

    >>> made = overlay_figure(reference, empty)
    >>> made.crops, [round(v) for v in made.figure.get_size_inches() * made.figure.dpi]
    ([], [480, 398])
    >>> len(overlay_figure(reference, reference).crops)
    0
    """
    from matplotlib.figure import Figure

    rgb = overlay_rgb(reference, candidate, image, band_px=band_px)
    crops = _zoom_crops(reference, candidate, n_crops, crop_size_px)
    n_entries = len(_legend_handles(band_px))
    scale, fig_w, fig_h, legend_h, tile, ncol, grow = _layout(
        rgb.shape[:2], len(crops), n_entries, min_width_px
    )
    handles = _legend_handles(band_px, lw=2 * grow)
    dpi = 100
    figure = Figure(figsize=(fig_w / dpi, fig_h / dpi), dpi=dpi)
    main_h = rgb.shape[0] * scale

    # Axes placed in figure fractions computed from pixels, so that the overlay is
    # drawn one image pixel to scale x scale picture pixels, with no resampling.
    ax = figure.add_axes((0, 1 - main_h / fig_h, 1, main_h / fig_h))
    main = Drawn(ax, {"image": ax.imshow(rgb, interpolation="nearest", aspect="auto")})
    ax.set_axis_off()

    legend_ax = figure.add_axes((0, tile / fig_h, 1, legend_h / fig_h))
    legend_ax.set_axis_off()
    legend = legend_ax.legend(
        handles=handles,
        loc="center",
        ncol=ncol,
        frameon=False,
        fontsize=8 * grow,
        title=title,
        title_fontsize=9 * grow,
    )
    # A title is a file name or a score: plain text, never matplotlib math ($...$).
    legend.get_title().set_parse_math(False)

    crop_axes = _draw_crops(figure, ax, rgb, crops, tile, grow)
    return OverlayFigure(figure, main, crops, crop_axes, legend, scale)
