"""Reading photographs as 8-bit grey or RGB arrays (for edge alignment and overlays)."""

from __future__ import annotations

import warnings

import numpy as np

from ..errors import MaskReadError
from ._decode import ReadWarning, decode

__all__ = ["read_image"]


def read_image(path) -> np.ndarray:
    """Read a photograph as an 8-bit grey (H x W) or RGB (H x W x 3) array.

    Parameters
    ----------
    path : str or pathlib.Path
        A PNG, JPEG, TIFF or BMP image, or a ``.npy`` array of shape (H, W),
        (H, W, 3) or (H, W, 4), bool, uint8 or uint16.

    Returns
    -------
    numpy.ndarray
        uint8, (H, W) for grey files, (H, W, 3) RGB otherwise.

    Raises
    ------
    MaskReadError
        If the file cannot be decoded (see :func:`maskqa.io.read_mask`), or holds
        float or signed values, or an unsupported number of channels.

    Warns
    -----
    ReadWarning
        When a non-constant alpha channel is dropped (the colour under
        transparent pixels is kept as stored).

    Notes
    -----
    Palette files are resolved to their colours. A constant alpha channel is
    dropped silently. 16-bit values ``v`` become ``round(v / 257)``, which maps
    65535 to 255 exactly. CMYK and YCbCr files are converted to RGB by Pillow.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import numpy as np
    >>> from PIL import Image
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> Image.fromarray(np.full((2, 3, 4), 200, np.uint8)).save(folder / "i.png")
    >>> read_image(folder / "i.png").shape
    (2, 3, 3)
    >>> Image.fromarray(np.zeros((2, 3), np.uint16)).save(folder / "empty.png")
    >>> read_image(folder / "empty.png")
    array([[0, 0, 0],
           [0, 0, 0]], dtype=uint8)
    """
    decoded = decode(path, "image", palette="colours")
    array = decoded.array
    if array.ndim == 3 and array.shape[2] in (2, 4):
        array = _drop_alpha(array, path)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[..., 0]
    if not (array.ndim == 2 or (array.ndim == 3 and array.shape[2] == 3)):
        raise MaskReadError(
            f"cannot read the image: expected shape (H, W) or (H, W, 3), got "
            f"{array.shape}.",
            path,
        )
    return np.ascontiguousarray(_to_uint8(array, path))


def _drop_alpha(array: np.ndarray, path) -> np.ndarray:
    alpha = array[..., -1]
    if alpha.min() != alpha.max():
        warnings.warn(
            f"{path}: the alpha channel varies; it is dropped and the colour is "
            "read as stored.",
            ReadWarning,
            stacklevel=3,
        )
    return array[..., :-1]


def _to_uint8(array: np.ndarray, path) -> np.ndarray:
    if array.dtype == np.uint8:
        return array
    if array.dtype == bool:
        return array.astype(np.uint8) * 255
    if array.dtype == np.uint16:
        return ((array.astype(np.uint32) + 128) // 257).astype(np.uint8)
    if array.dtype.kind == "i" and array.min() >= 0 and array.max() <= 65535:
        # Pillow's 32-bit mode "I" holds 16-bit data from some encoders.
        return _to_uint8(array.astype(np.uint16), path)
    raise MaskReadError(
        f"cannot read the image: expected 8- or 16-bit unsigned values, got "
        f"{array.dtype}.",
        path,
    )
