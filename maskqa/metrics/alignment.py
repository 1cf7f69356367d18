"""Edge alignment: how well a mask's boundary follows the edges of its own image.

These metrics need no fine reference mask, so every label of a dataset can be audited
against its image. They take ``(image, mask)``; the image's edges are computed once
(:func:`maskqa.geometry.edges.image_edges`) and every mask or class of a label map is
scored from them (:func:`alignment_from_edges`).

Sign convention: offsets along the boundary normal are positive outward of the mask.
A positive ``profile_peak_px`` means the image edge lies outside the mask's boundary
(the outline is drawn too tight); a negative one means the outline is too generous:
a mask drawn 10 px outside its object's edge has a peak near -10 px. A peak is only
reported within the profile's reach ``profile_px``; beyond it the peak is nan
(:class:`ProfilePeakWarning`).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass, field

import cv2
import numpy as np

from .._validation import as_mask, check_choice, check_positive
from ..errors import InputError, MaskQAWarning, ShapeMismatchError
from ..geometry.edges import BoundarySamples, ImageEdges, boundary_samples, image_edges

__all__ = [
    "WITHIN_PX",
    "Alignment",
    "ProfilePeakWarning",
    "alignment",
    "alignment_from_edges",
    "alignment_per_class",
    "match_size",
]

#: Distances (px) at which the share of boundary within reach of an edge is reported.
WITHIN_PX = (1, 2, 3)
#: Expected |cos| between a fixed direction and a uniformly random one in 2-D.
_CHANCE_AGREEMENT = 2.0 / math.pi
#: Aspect ratios that differ by more than this are not matched by ``match_size``.
_ASPECT_TOLERANCE = 0.01
#: Side (px) of the image cells that group boundary points when testing a profile
#: peak: neighbouring points read overlapping pixels (the sigma 1 px blur, the 3 x 3
#: Sobel and bilinear reads span about 7 px), points in different cells hardly do.
_PEAK_CELL_PX = 8
#: One-sided significance level at which a profile maximum counts as a peak.
_PEAK_LEVEL = 0.001


class ProfilePeakWarning(MaskQAWarning):
    """The gradient profile across a boundary has no peak within ``profile_px``.

    The mask's boundary lies ``profile_px`` or more from the image edge it follows,
    or no edge stands out of the texture there: ``profile_peak_px`` and
    ``profile_sharpness`` are nan. A larger ``profile_px`` (``--profile-px``) looks
    further.
    """


@dataclass(frozen=True)
class Alignment:
    """Edge-alignment values of one mask against its image.

    Attributes
    ----------
    alignment_score : float
        Combined score in [0, 1] (1 = boundary on sharp image edges), see
        :func:`alignment_from_edges`.
    edge_distance_mean, edge_distance_median, edge_distance_p90 : float
        Distance (px) from the boundary to the nearest image edge.
    edge_within : dict
        ``{px: share}``: share of boundary pixels within ``px`` of an edge.
    profile_peak_px : float
        Offset (px, positive outward) of the peak of the mean gradient profile
        across the boundary: positive when the image edge lies outside the
        boundary (outline too tight), negative when inside (outline too generous).
        Strictly between ``-k`` and ``k``; nan when the profile has no peak within
        ``k`` px (see ``note``). ``k`` is at most a quarter of the image's smaller
        side.
    profile_sharpness : float
        Michelson contrast (max - min) / (max + min) of that profile, in [0, 1];
        nan when there is no peak.
    normal_agreement : float
        Gradient-weighted mean of |cos| between boundary normals and image
        gradients, in [0, 1]; 2/pi is chance.
    boundary_px : int
        Number of boundary pixels scored.
    profile : tuple of float
        The mean gradient profile at offsets ``-k .. k`` px.
    note : str
        Why values are nan, or ``""``.
    """

    alignment_score: float
    edge_distance_mean: float
    edge_distance_median: float
    edge_distance_p90: float
    edge_within: dict = field(default_factory=dict)
    profile_peak_px: float = math.nan
    profile_sharpness: float = math.nan
    normal_agreement: float = math.nan
    boundary_px: int = 0
    profile: tuple = ()
    note: str = ""

    def to_dict(self) -> dict[str, float]:
        """Flat ``{key: float}``; the share within N px is ``edge_within@Npx``."""
        values = asdict(self)
        within = values.pop("edge_within")
        values.pop("profile")
        values.pop("note")
        flat = {key: float(value) for key, value in values.items()}
        flat.update({f"edge_within@{px}px": float(v) for px, v in within.items()})
        return flat


def _undefined(note: str, boundary_px: int = 0) -> Alignment:
    nan = math.nan
    within = {px: nan for px in WITHIN_PX}
    return Alignment(nan, nan, nan, nan, within, boundary_px=boundary_px, note=note)


def alignment(image, mask, *, match=None, border="exclude", profile_px=5) -> Alignment:
    """Score how well a mask's boundary follows its image's edges.

    Parameters
    ----------
    image : array_like
        (H, W) grey or (H, W, 3|4) colour image (uint8, uint16 or float in [0, 1]).
    mask : array_like
        2-D mask (binarised by maskqa's rule).
    match : {None, "image", "mask"}
        How to match sizes that differ: ``"image"`` resizes the mask to the image
        (nearest neighbour), ``"mask"`` the image to the mask (area averaging).
        ``None`` (default) raises when they differ.
    border : {"exclude", "include"}
        Whether mask edges on the image border count as boundary.
    profile_px : int
        Half-length ``k`` of the gradient profile across the boundary (px), from
        1 to a quarter of the image's smaller side.

    Returns
    -------
    Alignment

    Raises
    ------
    InputError
        If an input or option is invalid.
    ShapeMismatchError
        If the sizes differ and ``match`` is None, or their aspect ratios differ.

    Warns
    -----
    ProfilePeakWarning
        When the gradient profile has no peak within ``profile_px``.

    Notes
    -----
    See :func:`alignment_from_edges` for every formula. An empty or full mask has
    no boundary: every value is nan and ``note`` says so.

    References
    ----------
    .. [1] J. Canny, "A computational approach to edge detection", IEEE TPAMI
       8(6), 679-698, 1986. doi:10.1109/TPAMI.1986.4767851

    Examples
    --------
    >>> import numpy as np
    >>> rows, cols = np.ogrid[:64, :64]
    >>> disk = (rows - 32) ** 2 + (cols - 32) ** 2 <= 15**2
    >>> image = np.where(disk, 200, 40).astype(np.uint8)
    >>> result = alignment(image, disk)
    >>> round(result.profile_peak_px), result.alignment_score > 0.8
    (0, True)
    >>> alignment(image, np.zeros((64, 64), bool)).note
    'no boundary: the mask is empty or full'
    """
    check_choice(border, "border", ("exclude", "include"))
    k = _check_profile_px(profile_px)
    if match is not None:
        image, mask = match_size(image, mask, match)
    mask = as_mask(mask, "mask")
    _check_same_size(image, mask)
    result = _score(image_edges(image), mask, border, k)
    _warn_without_peak({None: result}, k)
    return result


def alignment_from_edges(
    edges: ImageEdges, mask, *, border="exclude", profile_px=5
) -> Alignment:
    """Score a mask against an image's precomputed edges.

    Parameters
    ----------
    edges : ImageEdges
        From :func:`maskqa.geometry.edges.image_edges`, same size as ``mask``.
    mask : array_like
        2-D mask.
    border : {"exclude", "include"}
        Whether mask edges on the image border count as boundary.
    profile_px : int
        Half-length ``k`` of the profile (px), from 1 to a quarter of the image's
        smaller side.

    Returns
    -------
    Alignment

    Raises
    ------
    InputError, ShapeMismatchError
        If the inputs or options are invalid or of different sizes.

    Warns
    -----
    ProfilePeakWarning
        When the profile has no peak within ``profile_px``: the peak and the
        sharpness are nan.

    Notes
    -----
    For boundary pixels :math:`b_i` with outward normals :math:`n_i`, the boundary
    point is the crack :math:`c_i = b_i + n_i / 2`. With :math:`d_i` the distance
    from :math:`c_i` to the nearest Canny edge pixel, :math:`G` the gradient
    magnitude and :math:`g` the gradient (both sampled bilinearly):

    - edge distance: mean, median, 90th percentile of :math:`d_i`; share
      :math:`|\\{d_i \\le t\\}| / n` for :math:`t` = 1, 2, 3 px;
    - profile :math:`p(t) = \\mathrm{mean}_i\\, G(c_i + t n_i)`, :math:`t = -k..k`;
      peak :math:`t^*` = argmax refined by a parabola through its neighbours;
      sharpness :math:`s = (\\max p - \\min p) / (\\max p + \\min p)`;
    - normal agreement :math:`A = \\sum_i |n_i \\cdot g(c_i)| / \\sum_i |g(c_i)|`;
    - score :math:`S = (E + P + N) / 3` with :math:`E = \\mathrm{mean}_i
      e^{-d_i^2/2}`, :math:`P = s\\, e^{-t^{*2}/2}`, :math:`N = \\mathrm{clip}((A -
      2/\\pi) / (1 - 2/\\pi), 0, 1)`; each term is in [0, 1], 1 when the boundary
      lies on a sharp edge and follows its direction.

    The argmax is a peak only if it is interior (:math:`|t^*| < k`) and rises above
    both ends: :math:`p(t^*) - p(\\pm k) > t_{m-1}\\, \\mathrm{SE}`, with
    :math:`t_{m-1}` the Student quantile at one-sided level 0.001 and SE the
    cluster-robust standard error of that difference over the :math:`m` cells of
    8 x 8 px that hold the boundary pixels (neighbouring points read overlapping
    pixels, so they are not independent). Otherwise :math:`t^*` and :math:`s` are
    nan, meaning *no peak within* :math:`\\pm k` *px*: the profile rises towards an
    end because the edge lies :math:`k` px or more away (a larger ``profile_px``
    finds it), or it is flat within the noise of the texture, whose maximum has a
    random sign. Then :math:`P = 0`: an edge out of reach earns nothing, and
    ``note`` says so. The peak is also pulled towards the more textured side (fur,
    hair) by a fraction of a pixel.
    Pixels too thin for a normal (one-pixel lines) count in the distances only.
    An image without edges gives infinite distances and a score of 0. A mask
    without boundary (empty, full) gives nan everywhere with a ``note``.

    References
    ----------
    .. [1] J. Canny, "A computational approach to edge detection", IEEE TPAMI
       8(6), 679-698, 1986. doi:10.1109/TPAMI.1986.4767851

    Examples
    --------
    >>> import numpy as np
    >>> from maskqa.geometry.edges import image_edges
    >>> image = np.zeros((40, 40), np.uint8)
    >>> image[:, 20:] = 255
    >>> edges = image_edges(image)
    >>> shifted = np.zeros((40, 40), bool)
    >>> shifted[:, 17:] = True  # the outline is 3 px too generous
    >>> round(alignment_from_edges(edges, shifted).profile_peak_px)
    -3
    >>> far = np.zeros((40, 40), bool)
    >>> far[:, 12:] = True  # 8 px too generous: beyond the profile's 5 px
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", ProfilePeakWarning)
    ...     alignment_from_edges(edges, far).profile_peak_px
    nan
    >>> alignment_from_edges(edges, np.ones((40, 40), bool)).boundary_px
    0
    """
    check_choice(border, "border", ("exclude", "include"))
    k = _check_profile_px(profile_px)
    mask = as_mask(mask, "mask")
    _check_same_size(edges.magnitude, mask)
    result = _score(edges, mask, border, k)
    _warn_without_peak({None: result}, k)
    return result


def _score(edges: ImageEdges, mask: np.ndarray, border: str, k: int) -> Alignment:
    """Every value of a checked mask against checked edges; warns of nothing."""
    _check_reach(k, mask.shape)
    samples = boundary_samples(mask, border=border)
    if len(samples) == 0:
        return _undefined("no boundary: the mask is empty or full")

    distances = _edge_distances(edges, samples)
    values = _profile_values(edges, samples, k)
    # Without a normal (one-pixel lines) there is no profile: nan, not a mean of none.
    profile = (
        values.mean(axis=0, dtype=np.float64)
        if len(values)
        else np.full(values.shape[1], np.nan)
    )
    peak, sharpness = _profile_peak(profile, values, _cells(samples, edges.shape))
    agreement = _normal_agreement(edges, samples)
    note = _no_peak_note(k) if math.isnan(peak) and len(values) else ""
    return _assemble(distances, profile, peak, sharpness, agreement, len(samples), note)


def _no_peak_note(k: int) -> str:
    return (
        f"no profile peak within ±{k} px: the edge lies {k} px or more from the "
        "boundary, or does not stand out of the texture"
    )


def _warn_without_peak(results: dict, k: int) -> None:
    """One :class:`ProfilePeakWarning` for the results that have no peak."""
    missing = [c for c, result in results.items() if result.note == _no_peak_note(k)]
    if not missing:
        return
    where = ""
    if missing != [None]:
        where = " of class" + ("es " if len(missing) > 1 else " ")
        where += ", ".join(str(c) for c in missing)
    warnings.warn(
        f"The gradient profile across the boundary{where} has no peak within "
        f"±{k} px: the edge lies {k} px or more away, or does not stand out of "
        "the texture; profile_peak_px and profile_sharpness are nan. Pass a larger "
        "profile_px (--profile-px) to look further.",
        ProfilePeakWarning,
        stacklevel=3,  # the caller of the public function that called this one
    )


def _assemble(
    distances, profile, peak, sharpness, agreement, count, note=""
) -> Alignment:
    finite = np.isfinite(distances)
    if finite.any():
        mean, median, p90 = (
            float(np.mean(distances)),
            float(np.median(distances)),
            float(np.percentile(distances, 90)),
        )
    else:
        mean = median = p90 = math.inf
    within = {px: float(np.mean(distances <= px)) for px in WITHIN_PX}

    closeness = float(np.mean(np.exp(-0.5 * np.where(finite, distances, np.inf) ** 2)))
    peak_term = 0.0 if math.isnan(peak) else sharpness * math.exp(-0.5 * peak**2)
    chance = (agreement - _CHANCE_AGREEMENT) / (1.0 - _CHANCE_AGREEMENT)
    direction = 0.0 if math.isnan(agreement) else min(max(chance, 0.0), 1.0)
    score = (closeness + peak_term + direction) / 3.0

    return Alignment(
        score,
        mean,
        median,
        p90,
        within,
        peak,
        sharpness,
        agreement,
        count,
        tuple(float(v) for v in profile),
        note,
    )


def _edge_distances(edges: ImageEdges, samples: BoundarySamples) -> np.ndarray:
    if not edges.edges.any():
        return np.full(len(samples), np.inf)
    rows, cols = samples.crack_points()
    return _sample(edges.distance, rows, cols).astype(np.float64)


def _profile_values(edges: ImageEdges, samples: BoundarySamples, k: int) -> np.ndarray:
    """(n, 2k+1) gradient magnitudes along the normals of the n points with one."""
    normals = samples.normals[samples.has_normal]
    if normals.shape[0] == 0:
        return np.full((0, 2 * k + 1), np.nan, np.float32)
    rows, cols = samples.crack_points()
    rows, cols = rows[samples.has_normal], cols[samples.has_normal]
    offsets = np.arange(-k, k + 1, dtype=np.float32)

    # One (n, 2k+1) grid of sample points: bilinear reads in a single remap.
    grid_rows = rows[:, None] + offsets[None, :] * normals[:, :1]
    grid_cols = cols[:, None] + offsets[None, :] * normals[:, 1:]
    return _sample(edges.magnitude, grid_rows, grid_cols)


def _cells(samples: BoundarySamples, shape: tuple[int, int]) -> np.ndarray:
    """Index of the 8 x 8 px image cell of every boundary point with a normal."""
    rows = samples.rows[samples.has_normal] // _PEAK_CELL_PX
    cols = samples.cols[samples.has_normal] // _PEAK_CELL_PX
    return rows * (-(-shape[1] // _PEAK_CELL_PX)) + cols


def _profile_peak(profile, values, cells) -> tuple[float, float]:
    """Offset and sharpness of the profile's peak; (nan, nan) when it has none."""
    k = (len(profile) - 1) // 2
    if len(values) == 0:
        return math.nan, math.nan
    j = int(np.argmax(profile))
    if not 0 < j < 2 * k or not _stands_out(values, cells, j):
        return math.nan, math.nan
    top, bottom = float(profile[j]), float(np.min(profile))
    sharpness = (top - bottom) / (top + bottom)

    left, centre, right = profile[j - 1], profile[j], profile[j + 1]
    curvature = left - 2.0 * centre + right
    shift = 0.5 * (left - right) / curvature if curvature < 0 else 0.0
    return float(j - k + shift), float(sharpness)


def _stands_out(values: np.ndarray, cells: np.ndarray, j: int) -> bool:
    """Whether column ``j`` rises above both end columns beyond their noise."""
    from scipy.special import stdtrit

    counts = np.bincount(cells)
    m = int(np.count_nonzero(counts))
    if m < 2:
        return False
    critical = float(stdtrit(m - 1, 1.0 - _PEAK_LEVEL))
    n = len(values)
    for end in (0, values.shape[1] - 1):
        rise = values[:, j].astype(np.float64) - values[:, end]
        mean = float(rise.mean())
        # Cluster-robust variance of a mean: cells' summed residuals, squared.
        residual = np.bincount(cells, rise - mean, minlength=len(counts))
        error = math.sqrt(m / (m - 1) * float(residual @ residual)) / n
        if not mean > critical * error:
            return False
    return True


def _normal_agreement(edges: ImageEdges, samples: BoundarySamples) -> float:
    if not samples.has_normal.any():
        return math.nan
    rows, cols = samples.crack_points()
    rows, cols = rows[samples.has_normal], cols[samples.has_normal]
    normals = samples.normals[samples.has_normal]
    gx = _sample(edges.dx, rows, cols)
    gy = _sample(edges.dy, rows, cols)

    weight = float(np.hypot(gx, gy).sum(dtype=np.float64))
    if weight <= 0:
        return math.nan
    along = np.abs(normals[:, 0] * gy + normals[:, 1] * gx)
    return float(along.sum(dtype=np.float64) / weight)


def _sample(array: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Bilinear reads of ``array`` at float (row, col), replicating its border."""
    shape = rows.shape
    map_x = np.ascontiguousarray(cols, np.float32).reshape(-1, 1)
    map_y = np.ascontiguousarray(rows, np.float32).reshape(-1, 1)
    # remap wants maps of at most 32767 rows; fold long point lists into columns.
    width = max(1, -(-map_x.shape[0] // 32000))
    pad = width * (-(-map_x.shape[0] // width)) - map_x.shape[0]
    map_x = np.pad(map_x[:, 0], (0, pad)).reshape(-1, width)
    map_y = np.pad(map_y[:, 0], (0, pad)).reshape(-1, width)
    values = cv2.remap(
        array, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    return values.reshape(-1)[: int(np.prod(shape))].reshape(shape)


def _check_profile_px(value) -> int:
    number = check_positive(value, "profile_px")
    if number != int(number):
        raise InputError(f"Expected `profile_px` to be a whole number, got {value!r}.")
    return int(number)


def _check_reach(k: int, shape) -> None:
    # A profile longer than a quarter of the image reads mostly the replicated
    # border and other objects' edges: its peak would be no measurement.
    most = max(1, min(shape) // 4)
    if k > most:
        raise InputError(
            f"Expected `profile_px` (--profile-px) to be at most {most} px, a quarter "
            f"of the image's smaller side ({min(shape)} px), got {k}."
        )


def _check_same_size(image, mask) -> None:
    image_shape, mask_shape = np.shape(image)[:2], np.shape(mask)[:2]
    if image_shape != mask_shape:
        raise ShapeMismatchError(
            f"Expected `image` and `mask` to have the same height and width, got "
            f"{image_shape} and {mask_shape}; pass match='image' or 'mask' "
            "(CLI: --match-size image|mask) to resize one onto the other."
        )


def match_size(image, mask, how: str):
    """Bring an image and a mask (or label map) to the same height and width.

    Parameters
    ----------
    image : array_like
        (H, W) or (H, W, C) image.
    mask : array_like
        (h, w) mask or label map; its values are never mixed.
    how : {"image", "mask"}
        ``"image"``: resize the mask to the image's size (nearest neighbour, each
        output pixel takes the mask pixel under its centre); ``"mask"``: resize
        the image to the mask's size (area averaging).

    Returns
    -------
    tuple of numpy.ndarray
        ``(image, mask)`` of equal height and width; unchanged when already equal.

    Raises
    ------
    InputError
        If ``how`` is not an allowed value.
    ShapeMismatchError
        If the two aspect ratios differ by more than 1 %: resizing would distort.

    Notes
    -----
    Nearest neighbour maps output pixel :math:`i` to input pixel
    :math:`\\lfloor (i + 1/2)\\, h / H \\rfloor`, which keeps pixel centres aligned
    (a 512 px CelebAMask-HQ label map on its 1024 px image: 2 x 2 blocks).

    Examples
    --------
    >>> import numpy as np
    >>> image, mask = match_size(np.zeros((4, 4)), np.eye(2, dtype=bool), "image")
    >>> mask.astype(int).tolist()[0]
    [1, 1, 0, 0]
    >>> match_size(np.zeros((4, 4)), np.zeros((2, 2), bool), "mask")[0].shape
    (2, 2)
    """
    check_choice(how, "how", ("image", "mask"))
    image, mask = np.asarray(image), np.asarray(mask)
    (height, width), (h, w) = image.shape[:2], mask.shape[:2]
    if (height, width) == (h, w):
        return image, mask
    if (
        min(height, width, h, w) == 0
        or abs(height * w / (width * h) - 1) > _ASPECT_TOLERANCE
    ):
        raise ShapeMismatchError(
            f"Expected `image` and `mask` to have the same aspect ratio to match "
            f"their sizes, got {(height, width)} and {(h, w)}."
        )
    if how == "image":
        rows = ((np.arange(height) + 0.5) * h / height).astype(np.intp)
        cols = ((np.arange(width) + 0.5) * w / width).astype(np.intp)
        return image, mask[rows[:, None], cols[None, :]]
    source = image.astype(np.float32) if image.dtype.kind not in "uf" else image
    resized = cv2.resize(source, (w, h), interpolation=cv2.INTER_AREA)
    return resized.astype(image.dtype, copy=False), mask


def alignment_per_class(
    image, labels, *, classes=None, match=None, border="exclude", profile_px=5
) -> dict[int, Alignment]:
    """Score every class of a label map against one image.

    Parameters
    ----------
    image : array_like
        Grey or colour image.
    labels : array_like
        2-D integer label map; the mask of class ``c`` is ``labels == c``.
    classes : iterable of int, optional
        Classes to score; default every value present except 0 (background).
    match, border, profile_px
        As in :func:`alignment`.

    Returns
    -------
    dict
        ``{class: Alignment}`` in ascending class order; a class absent from the
        map gets nan values with a note.

    Raises
    ------
    InputError, ShapeMismatchError
        As in :func:`alignment`; also if ``labels`` is not a 2-D integer array.

    Warns
    -----
    ProfilePeakWarning
        Once, naming the classes whose profile has no peak within ``profile_px``.

    Notes
    -----
    The image's edges are found once and shared by every class. A class's
    boundary includes its borders with other classes (hair against skin).

    Examples
    --------
    >>> import numpy as np
    >>> image = np.zeros((30, 30), np.uint8)
    >>> image[:, 15:] = 255
    >>> labels = np.ones((30, 30), np.uint8)
    >>> labels[:, 15:] = 2
    >>> scores = alignment_per_class(image, labels)
    >>> sorted(scores), round(scores[2].profile_peak_px)
    ([1, 2], 0)
    >>> alignment_per_class(image, labels, classes=[7])[7].note
    'no boundary: the mask is empty or full'
    """
    check_choice(border, "border", ("exclude", "include"))
    k = _check_profile_px(profile_px)
    if match is not None:
        image, labels = match_size(image, labels, match)
    labels = np.asarray(labels)
    if labels.ndim != 2 or labels.dtype.kind not in "iub":
        raise InputError(
            "Expected `labels` to be a 2-D integer label map, got "
            f"shape {labels.shape} and dtype {labels.dtype}."
        )
    _check_same_size(image, labels)
    if classes is None:
        classes = [int(c) for c in np.unique(labels) if c != 0]

    edges = image_edges(image)
    results = {int(c): _score(edges, labels == c, border, k) for c in sorted(classes)}
    _warn_without_peak(results, k)
    return results
