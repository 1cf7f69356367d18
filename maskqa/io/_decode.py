"""Decoding a file into a numpy array: the one place that talks to Pillow and numpy.

Every reader of :mod:`maskqa.io` starts here. The file is checked (exists, is a
regular file, is not empty), decoded with Pillow (or ``numpy.load`` without
pickle for ``.npy``), and every failure is turned into a
:class:`~maskqa.errors.MaskReadError` that names the file and the problem.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from ..errors import MaskQAWarning, MaskReadError

__all__ = ["Decoded", "ReadWarning", "alpha_is_mask", "check_file", "decode"]

# Pillow modes whose pixels numpy reads directly as one plane (or stacked channels).
_PLANE_MODES = {"1", "L", "P", "I", "F", "I;16", "I;16L", "I;16B", "I;16N"}
_CHANNEL_MODES = {"LA", "PA", "RGB", "RGBA"}

# Modes that only need a lossless change of representation before reading.
_CONVERT = {
    "RGBX": "RGB",
    "RGBa": "RGBA",
    "La": "LA",
    "CMYK": "RGB",
    "YCbCr": "RGB",
    "HSV": "RGB",
}


# What Pillow raises on files it cannot decode (UnidentifiedImageError is an OSError).
_PILLOW_FAILURES = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    MemoryError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


class ReadWarning(MaskQAWarning):
    """A file was read, but something in it may not be what the user meant."""


@dataclass(frozen=True)
class Decoded:
    """Pixels of one file before any mask, label or image rule is applied.

    ``array`` is 2-D (one plane) or 3-D (height, width, channels); ``mode`` is the
    Pillow mode (``"npy"`` for numpy files) and ``format`` the file format.
    """

    array: np.ndarray
    mode: str
    format: str


def check_file(path, what: str = "mask") -> Path:
    """Return ``path`` as a Path if it names a non-empty regular file.

    Raises
    ------
    MaskReadError
        If the path is missing, a directory or another non-file, or empty.
    """
    path = Path(path)
    if not path.exists():
        raise MaskReadError(f"cannot read the {what}: no such file.", path)
    if path.is_dir():
        raise MaskReadError(f"cannot read the {what}: this is a directory.", path)
    if not path.is_file():
        raise MaskReadError(f"cannot read the {what}: not a regular file.", path)
    if path.stat().st_size == 0:
        raise MaskReadError(
            f"cannot read the {what}: the file is empty (0 bytes).", path
        )
    return path


def decode(path, what: str = "mask", *, palette: str = "indices") -> Decoded:
    """Decode ``path`` into a :class:`Decoded` array.

    ``palette="indices"`` keeps a palette image's indices (masks, label maps,
    trimaps); ``palette="colours"`` resolves them to RGB(A) (photographs).
    """
    path = check_file(path, what)
    if path.suffix.lower() == ".npy":
        array = _load_npy(path, what)
        return Decoded(array, "npy", "NPY")

    image = _open_image(path, what)
    if image.mode in ("P", "PA") and palette == "colours":
        image = image.convert("RGBA")
    elif image.mode in _CONVERT:
        image = image.convert(_CONVERT[image.mode])
    if image.mode not in _PLANE_MODES | _CHANNEL_MODES:
        raise MaskReadError(
            f"cannot read the {what}: unsupported image mode {image.mode!r} "
            "(expected grey, palette, 16-bit grey, grey+alpha, RGB or RGBA).",
            path,
        )

    # A copy, so that the file can be closed now (multi-page formats keep it open).
    array = np.array(image)
    image.close()
    if image.mode.startswith("I;16"):
        # Big-endian 16-bit pixels come back as '>u2'; give callers native uint16.
        array = array.astype(np.uint16)
    _check_size(array, path, what)
    return Decoded(array, image.mode, image.format or path.suffix.lstrip(".").upper())


def alpha_is_mask(colour: np.ndarray, alpha: np.ndarray) -> bool:
    """Whether a grey+alpha or RGBA file keeps its mask in the alpha channel.

    It does when the alpha is not all 255 (something was made transparent) or
    when the colour is the same everywhere (nothing else could hold a mask).
    """
    if alpha.min() < 255:
        return True
    first = colour[0, 0]
    return bool(np.all(colour == first))


def _open_image(path: Path, what: str) -> Image.Image:
    # A decompression bomb warning is an error here: a mask reader must not
    # quietly allocate gigabytes because of a crafted or mislabelled header.
    image = None
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(path)
            frames = getattr(image, "n_frames", 1)
            image.load()
        except _PILLOW_FAILURES as exc:
            # Pillow keeps the file open when decoding fails: close it first.
            if image is not None:
                image.close()
            raise _decode_error(exc, path, what) from None

    if frames != 1:
        image.close()
        raise MaskReadError(
            f"cannot read the {what}: the file holds {frames} frames or pages; "
            "expected a single image.",
            path,
        )
    return image


def _decode_error(exc: Exception, path: Path, what: str) -> MaskReadError:
    """The MaskReadError that explains a Pillow failure."""
    if isinstance(exc, PermissionError):
        return MaskReadError(f"cannot read the {what}: permission denied.", path)
    if isinstance(exc, UnidentifiedImageError):
        return MaskReadError(
            f"cannot read the {what}: not an image file Pillow recognises "
            f"(suffix {path.suffix or 'none'!r}).",
            path,
        )
    if isinstance(exc, (Image.DecompressionBombError, Image.DecompressionBombWarning)):
        return MaskReadError(
            f"cannot read the {what}: too many pixels ({exc}). Raise "
            "PIL.Image.MAX_IMAGE_PIXELS if the file is trusted.",
            path,
        )
    return MaskReadError(
        f"cannot read the {what}: the file is truncated or corrupt ({exc}).", path
    )


def _load_npy(path: Path, what: str) -> np.ndarray:
    try:
        array = np.load(path, allow_pickle=False)
    except ValueError as exc:
        # numpy says "cannot be loaded when allow_pickle=False" for object arrays.
        raise MaskReadError(
            f"cannot read the {what}: not a plain numeric .npy array ({exc}).", path
        ) from None
    except PermissionError:
        raise MaskReadError(
            f"cannot read the {what}: permission denied.", path
        ) from None
    except (OSError, EOFError) as exc:
        raise MaskReadError(
            f"cannot read the {what}: the .npy file is truncated or corrupt ({exc}).",
            path,
        ) from None
    if not isinstance(array, np.ndarray):
        raise MaskReadError(f"cannot read the {what}: not a .npy array.", path)
    if array.dtype.kind not in "biuf" or array.dtype.names is not None:
        raise MaskReadError(
            f"cannot read the {what}: unsupported dtype {array.dtype} "
            "(expected bool, integer or float).",
            path,
        )
    _check_size(array, path, what)
    return array


def _check_size(array: np.ndarray, path: Path, what: str) -> None:
    if array.ndim < 2 or 0 in array.shape:
        raise MaskReadError(
            f"cannot read the {what}: zero-sized or not an image "
            f"(shape {array.shape}).",
            path,
        )
