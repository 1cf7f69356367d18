"""Mean Boundary Accuracy (mBA) of CascadePSP, with its radii or with yours.

The band at radius r is the morphological gradient of the reference (its
dilation minus its erosion by an OpenCV ellipse of size 2r + 1), which straddles
the reference edge; the accuracy is the fraction of band pixels where the two
masks agree; mBA is the mean over the radii.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from .._validation import check_choice, check_widths
from ..errors import InputError
from ..geometry.cache import PairGeometry
from ._empty import ON_EMPTY, empty_value
from .boundary import px_key

__all__ = ["MBA", "cascadepsp_radii", "mba", "mba_from_geometry"]


@dataclass(frozen=True)
class MBA:
    """Boundary accuracy at each radius and their mean ``mba``."""

    radius_px: tuple[int, ...]
    accuracy: tuple[float, ...]
    mba: float

    def to_dict(self) -> dict[str, float]:
        """``mba`` and ``boundary_accuracy@Npx`` for each distinct radius."""
        out = {"mba": float(self.mba)}
        for radius, value in zip(self.radius_px, self.accuracy):
            out[px_key("boundary_accuracy", radius)] = float(value)
        return out


def cascadepsp_radii(shape) -> tuple[int, ...]:
    """The five radii CascadePSP uses for an image of ``shape`` (H, W).

    Parameters
    ----------
    shape : tuple of int
        (H, W) of the image.

    Returns
    -------
    tuple of int
        :math:`r_i = 1 + \\lfloor (m - 1) i / 5 \\rfloor_0`, i = 0..4, with
        :math:`m = (H + W) / 300` and truncation toward zero (so every radius
        is 1 when H + W < 600).

    Notes
    -----
    The sum of the sides, not the diagonal, as in CascadePSP's
    ``compute_boundary_acc``.

    References
    ----------
    .. [1] H. K. Cheng, J. Chung, Y.-W. Tai, C.-K. Tang, "CascadePSP: toward
       class-agnostic and very high-resolution segmentation via global and local
       refinement", CVPR 2020. doi:10.1109/CVPR42600.2020.00829

    Examples
    --------
    >>> cascadepsp_radii((512, 512)), cascadepsp_radii((1024, 1024))
    ((1, 1, 1, 2, 2), (1, 2, 3, 4, 5))
    >>> cascadepsp_radii((1, 1))
    (1, 1, 1, 1, 1)
    """
    height, width = shape
    max_r = (height + width) / 300
    return tuple(1 + int((max_r - 1) / 5 * i) for i in range(5))


def mba(
    reference,
    candidate,
    *,
    radius_px=None,
    on_empty: str = "score",
    threshold=None,
) -> MBA:
    """Mean boundary accuracy in morphological-gradient bands of the reference.

    Parameters
    ----------
    reference : array_like, shape (H, W)
        The fine mask (CascadePSP's ``gt``); the band comes from it alone.
    candidate : array_like, shape (H, W)
        The coarse mask (``seg``).
    radius_px : int or sequence of int, optional
        Radii in pixels; None (default) takes CascadePSP's five radii from the
        image size (:func:`cascadepsp_radii`).
    on_empty : {"score", "nan"}, optional
        Empty rule (empty reference: no band, nan; empty candidate: scored).
    threshold : float, optional
        Foreground is ``value >= threshold``.

    Returns
    -------
    MBA
        ``accuracy`` per radius and their mean ``mba``.

    Raises
    ------
    InputError
        On invalid masks, radii or options.
    ShapeMismatchError
        If the masks differ in shape.

    Notes
    -----
    With :math:`E_r` OpenCV's ellipse of size :math:`(2r+1)^2` (not the
    Euclidean disk for r >= 2) and :math:`F` the reference,

    .. math::

        G_r = (F \\oplus E_r) \\setminus (F \\ominus E_r),\\quad
        \\mathrm{acc}_r = \\frac{|\\{p \\in G_r : C_p = F_p\\}|}{|G_r|},\\quad
        \\mathrm{mBA} = \\frac{1}{n}\\sum_i \\mathrm{acc}_{r_i}

    Pixels beyond the image border are neutral in the dilation and erosion.
    A reference that is empty or full has no band: nan. Reproduces
    CascadePSP's ``compute_boundary_acc`` exactly with the default radii.

    References
    ----------
    .. [1] H. K. Cheng, J. Chung, Y.-W. Tai, C.-K. Tang, "CascadePSP: toward
       class-agnostic and very high-resolution segmentation via global and local
       refinement", CVPR 2020. doi:10.1109/CVPR42600.2020.00829

    Examples
    --------
    >>> import numpy as np
    >>> ref = np.zeros((9, 9), bool); ref[3:6, 3:6] = True
    >>> mba(ref, ref).mba
    1.0
    >>> mba(ref, np.zeros((9, 9)), radius_px=1).accuracy
    (0.6,)
    >>> mba(np.zeros((9, 9)), ref).mba
    nan
    """
    need = 0 if radius_px is None else max(check_widths(radius_px, "radius_px"))
    geometry = PairGeometry(reference, candidate, threshold=threshold, margin_px=need)
    return mba_from_geometry(geometry, radius_px=radius_px, on_empty=on_empty)


def mba_from_geometry(
    geometry: PairGeometry, *, radius_px=None, on_empty: str = "score"
) -> MBA:
    """:func:`mba` on a :class:`~maskqa.geometry.cache.PairGeometry`.

    Parameters
    ----------
    geometry : PairGeometry
        The pair (its ``border`` is not used: the band ignores the image border).
    radius_px : int or sequence of int, optional
        Radii; None for CascadePSP's.
    on_empty : {"score", "nan"}, optional
        Empty rule.

    Returns
    -------
    MBA
        As :func:`mba`.

    Raises
    ------
    InputError
        On invalid radii (radii must be whole pixels) or options.

    Examples
    --------
    >>> import numpy as np
    >>> g = PairGeometry(np.zeros((5, 5)), np.zeros((5, 5)))
    >>> mba_from_geometry(g, radius_px=(1, 2)).accuracy
    (nan, nan)
    """
    radii = _radii(geometry.shape, radius_px)
    check_choice(on_empty, "on_empty", ON_EMPTY)
    # The band ignores the image border: a full reference has none.
    fixed = empty_value(
        "band",
        geometry.reference_empty,
        geometry.candidate_empty,
        on_empty,
        reference_set_empty=geometry.boundary_empty("reference", "exclude"),
        candidate_set_empty=geometry.boundary_empty("candidate", "exclude"),
    )
    if fixed is not None:
        return MBA(radii, (fixed,) * len(radii), fixed)
    accuracy = tuple(_accuracy(geometry, min(r, geometry.width_cap())) for r in radii)
    return MBA(radii, accuracy, float(np.mean(accuracy)))


def _radii(shape, radius_px) -> tuple[int, ...]:
    if radius_px is None:
        return cascadepsp_radii(shape)
    radii = check_widths(radius_px, "radius_px")
    if any(not r.is_integer() for r in radii):
        raise InputError(
            f"Expected `radius_px` to hold whole pixels, got {radius_px!r}."
        )
    return tuple(int(r) for r in radii)


def _accuracy(geometry: PairGeometry, radius: int) -> float:
    def compute():
        ref = geometry.crop("reference", radius).view(np.uint8)
        cand = geometry.crop("candidate", radius).view(np.uint8)
        if radius >= geometry.width_cap():
            # A disk wider than the diagonal reaches every pixel from every
            # pixel: the dilation of a non-empty reference is the whole image
            # and the erosion of a non-full one is empty, so the band is the
            # image (the window is the image at this margin).
            return float(np.count_nonzero(ref == cand) / ref.size)
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1,) * 2)
        band = cv2.dilate(ref, kernel) != cv2.erode(ref, kernel)
        size = np.count_nonzero(band)
        agree = np.count_nonzero(band & (ref == cand))
        return float(agree / size) if size else math.nan

    return geometry.cached(("mba", radius, geometry.margin_for(radius)), compute)
