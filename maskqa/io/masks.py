"""Reading binary masks and label maps from PNG, JPEG, TIFF, BMP and ``.npy`` files."""

from __future__ import annotations

import warnings
from numbers import Integral

import numpy as np

from .._validation import binarise
from ..errors import InputError, LabelMapWarning, MaskReadError
from ._decode import Decoded, ReadWarning, alpha_is_mask, decode

__all__ = ["read_label_map", "read_mask", "read_mask_strict"]


def read_mask(path, *, label=None, threshold: float | None = None) -> np.ndarray:
    """Read a file as a 2-D boolean mask.

    Parameters
    ----------
    path : str or pathlib.Path
        A PNG, JPEG, TIFF or BMP image (decoded with Pillow) or a ``.npy`` array
        (read without pickle).
    label : int or tuple of 3 int, optional
        Select the pixels equal to ``label`` instead of binarising: an integer for
        a label map (grey, palette index or 16-bit value), an ``(r, g, b)`` triple
        for a colour-coded mask.
    threshold : float, optional
        Foreground is ``value >= threshold``; overrides the binarisation rule.
        Cannot be combined with ``label``.

    Returns
    -------
    numpy.ndarray
        2-D bool array, C-contiguous, True on the foreground.

    Raises
    ------
    MaskReadError
        If the file is missing, a directory, empty, not an image, truncated or
        corrupt, has too many pixels, is zero-sized, is 3-D (a ``.npy`` or a
        multi-page file), has an unsupported dtype or mode, or is a colour image
        whose channels differ and no ``label`` triple was given.
    InputError
        If ``label`` is not an integer or a triple, or both ``label`` and
        ``threshold`` are given.

    Warns
    -----
    ThresholdWarning
        When the values are not binary and a threshold had to be chosen
        (e.g. JPEG: 8-bit values thresholded at 128); the message names the file.
    ReadWarning
        When ``label`` does not occur in the file (the mask is then empty).

    Notes
    -----
    One plane is taken from the file, then binarised:

    - grey (8 or 16 bit, kept as such) and palette files give their values;
      palette files give their **indices**, never colours;
    - grey+alpha and RGBA files give the alpha channel when the alpha is not all
      255 or the colour is the same everywhere, else the grey value, which needs
      R = G = B (a colour image is an error unless ``label=(r, g, b)``);
    - binarisation (:func:`maskqa._validation.binarise`): bool as is; integers
      holding only {0, 1}, {0, 255} or {0, 65535} are foreground where non-zero;
      other values within 0..255 are ``>= 128`` and within 0..65535 ``>= 32768``,
      whatever the bit depth, with a ThresholdWarning (which also says when a
      label map would give an empty or full mask); floats ``>= 0.5``.

    With ``label``, the mask is ``plane == label`` (or all three channels equal
    to the triple).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import numpy as np
    >>> from PIL import Image
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> Image.fromarray(np.array([[0, 255], [255, 0]], np.uint8)).save(folder / "m.png")
    >>> read_mask(folder / "m.png")
    array([[False,  True],
           [ True, False]])
    >>> Image.fromarray(np.zeros((2, 3), np.uint8)).save(folder / "empty.png")
    >>> bool(read_mask(folder / "empty.png").any())
    False
    >>> np.save(folder / "labels.npy", np.array([[0, 13], [6, 13]]))
    >>> read_mask(folder / "labels.npy", label=13)
    array([[False,  True],
           [False,  True]])
    """
    if label is not None and threshold is not None:
        raise InputError(
            "Expected at most one of `label` and `threshold`, got both "
            f"(label={label!r}, threshold={threshold!r})."
        )
    label = _check_label(label)
    decoded = decode(path, "mask")
    if isinstance(label, tuple) and _is_colour(decoded):
        return np.ascontiguousarray(_select_colour(decoded.array, label, path))
    plane = _mask_plane(decoded, path, what="mask")

    if label is not None:
        return np.ascontiguousarray(_select(plane, label, path))
    if threshold is None and _is_binary_uint8(plane):
        return np.ascontiguousarray(plane != 0)
    try:
        mask = binarise(plane, threshold=threshold, name="mask", path=path)
    except MaskReadError:
        raise
    except InputError as exc:
        raise MaskReadError(exc.reason, path) from None
    return np.ascontiguousarray(mask)


def read_mask_strict(
    path, *, label=None, threshold: float | None = None, advice: str = ""
) -> np.ndarray:
    """Read a mask as :func:`read_mask` does; a label map read as empty or full fails.

    Without ``label`` or ``threshold``, a file whose values look like a label map
    and that the binarisation rule turns into an empty or full mask raises instead
    of warning: a batch records such an item as failed rather than score an empty
    mask as if it were a result.

    Parameters
    ----------
    path, label, threshold
        As in :func:`read_mask`.
    advice : str
        A sentence appended to the error's message: what the user can do.

    Returns
    -------
    numpy.ndarray
        2-D bool array, as :func:`read_mask` returns.

    Raises
    ------
    MaskReadError
        As :func:`read_mask`, and for a label map read as an empty or full mask.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> np.save(folder / "labels.npy", np.array([[0, 1, 2], [3, 4, 5]], np.uint8))
    >>> try:
    ...     read_mask_strict(folder / "labels.npy", advice="Pass --class.")
    ... except MaskReadError as error:
    ...     reason = error.reason
    >>> reason
    '`mask` looks like a label map: it holds the values 0, 1, 2, 3, 4, 5, and the
    rule for 8-bit values (>= 128) gives an empty mask. Pass --class.'
    >>> int(read_mask_strict(folder / "labels.npy", label=5).sum())
    1
    """
    if label is not None or threshold is not None:
        return read_mask(path, label=label, threshold=threshold)
    with warnings.catch_warnings():
        warnings.simplefilter("error", LabelMapWarning)
        try:
            return read_mask(path)
        except LabelMapWarning as exc:
            finding = exc.finding.removeprefix(f"{path}: ")
            raise MaskReadError(f"{finding} {advice}".strip(), path) from None


def read_label_map(path) -> np.ndarray:
    """Read a file as a 2-D map of integer labels.

    Parameters
    ----------
    path : str or pathlib.Path
        A grey, palette or 16-bit grey image (PNG, TIFF, BMP) or an integer or
        bool ``.npy`` array.

    Returns
    -------
    numpy.ndarray
        2-D integer array: uint8 for 8-bit grey and palette files (palette
        indices, never colours), uint16 for 16-bit files, the stored integer
        dtype for ``.npy`` (bool becomes uint8).

    Raises
    ------
    MaskReadError
        As :func:`read_mask`; also when the values are not integers (float
        files) or the file is a colour image (read colour-coded masks with
        ``read_mask(path, label=(r, g, b))``).

    Notes
    -----
    The plane is chosen as in :func:`read_mask` (an RGB or RGBA file with
    R = G = B and an opaque alpha gives its grey value). JPEG label maps are
    read but compression changes labels near edges; prefer PNG.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import numpy as np
    >>> from PIL import Image
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> Image.fromarray(np.array([[0, 13], [6, 13]], np.uint8)).save(folder / "l.png")
    >>> read_label_map(folder / "l.png")
    array([[ 0, 13],
           [ 6, 13]], dtype=uint8)
    >>> Image.fromarray(np.zeros((1, 2), np.uint8)).save(folder / "empty.png")
    >>> read_label_map(folder / "empty.png")
    array([[0, 0]], dtype=uint8)
    """
    decoded = decode(path, "label map")
    plane = _mask_plane(decoded, path, what="label map")
    if plane.dtype == bool:
        return plane.astype(np.uint8)
    if plane.dtype.kind not in "iu":
        raise MaskReadError(
            f"cannot read the label map: expected integer labels, got {plane.dtype} "
            "values.",
            path,
        )
    return np.ascontiguousarray(plane)


def _mask_plane(decoded: Decoded, path, *, what: str = "mask") -> np.ndarray:
    """The one 2-D plane of a decoded file that holds a mask or labels.

    Follows the channel rule of :func:`read_mask`: a plane as is; grey+alpha and
    RGBA give the alpha when it holds the mask; else the grey value (R = G = B).
    """
    array = decoded.array
    if array.ndim == 2:
        return array
    if decoded.mode == "npy" or array.ndim != 3 or array.shape[2] not in (2, 3, 4):
        raise MaskReadError(
            f"cannot read the {what}: expected a 2-D array (height, width), got "
            f"shape {array.shape}.",
            path,
        )

    colour, alpha = array, None
    if array.shape[2] in (2, 4):
        colour, alpha = array[..., :-1], array[..., -1]
    if alpha is not None and alpha_is_mask(colour, alpha):
        return alpha
    if colour.shape[2] == 1:
        return colour[..., 0]
    if np.array_equal(colour[..., 0], colour[..., 1]) and np.array_equal(
        colour[..., 1], colour[..., 2]
    ):
        return colour[..., 0]

    differ = int(np.count_nonzero(np.ptp(colour, axis=2)))
    raise MaskReadError(
        f"cannot read the {what}: a colour image (R, G, B differ at {differ} pixels); "
        "expected a grey mask. Pass label=(r, g, b) to select one colour (on the "
        "command line --label selects one grey or palette value: save the colour "
        "as its own grey mask first).",
        path,
    )


def _is_binary_uint8(plane: np.ndarray) -> bool:
    """Whether an 8-bit plane holds only {0, 1} or only {0, 255}.

    binarise skips this test on very large arrays (it would cost a sort); a
    histogram of 8-bit values is linear, so large 0/255 files do not get a
    needless ThresholdWarning.
    """
    if plane.dtype != np.uint8:
        return False
    present = set(np.flatnonzero(np.bincount(plane.ravel(), minlength=256)).tolist())
    return present <= {0, 1} or present <= {0, 255}


def _check_label(label):
    if label is None:
        return None
    if isinstance(label, Integral) and not isinstance(label, bool):
        return int(label)
    if (
        isinstance(label, (tuple, list))
        and len(label) == 3
        and all(isinstance(v, Integral) and not isinstance(v, bool) for v in label)
    ):
        return tuple(int(v) for v in label)
    raise InputError(
        f"Expected `label` to be an integer or an (r, g, b) triple of integers, "
        f"got {label!r}."
    )


def _is_colour(decoded: Decoded) -> bool:
    array = decoded.array
    return decoded.mode != "npy" and array.ndim == 3 and array.shape[2] in (3, 4)


def _select_colour(array: np.ndarray, label: tuple, path) -> np.ndarray:
    # The alpha channel plays no part: the colour names the class.
    mask = np.all(array[..., :3] == np.asarray(label), axis=2)
    if not mask.any():
        warnings.warn(
            f"{path}: colour {label} does not occur; the mask is empty.",
            ReadWarning,
            stacklevel=3,
        )
    return mask


def _select(plane: np.ndarray, label, path) -> np.ndarray:
    if isinstance(label, tuple):
        if len(set(label)) != 1:
            raise MaskReadError(
                f"cannot select label {label}: the file has one channel (grey or "
                "palette indices); pass an integer label.",
                path,
            )
        mask = plane == label[0]
    else:
        mask = plane == label

    if not mask.any():
        present = np.unique(plane)
        shown = ", ".join(str(v) for v in present[:20].tolist())
        more = ", ..." if present.size > 20 else ""
        warnings.warn(
            f"{path}: label {label} does not occur (values present: {shown}{more}); "
            "the mask is empty.",
            ReadWarning,
            stacklevel=3,
        )
    return mask
