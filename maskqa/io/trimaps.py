"""Reading trimaps: definite foreground, one unknown value, definite background."""

from __future__ import annotations

import numpy as np

from .._validation import check_choice
from ..errors import MaskReadError
from ._decode import decode
from .masks import _mask_plane

__all__ = ["read_trimap", "trimap_regions"]

_UNKNOWN_AS = ("foreground", "background")


def trimap_regions(path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read a trimap as its three regions.

    Parameters
    ----------
    path : str or pathlib.Path
        An 8-bit trimap (grey, palette with index = grey value, RGB(A) with
        R = G = B, or a uint8 / bool ``.npy``) holding 0 (background), 255
        (foreground) and at most one other value (unknown).

    Returns
    -------
    foreground, unknown, background : numpy.ndarray
        Three 2-D bool arrays of the file's shape; every pixel is True in
        exactly one of them.

    Raises
    ------
    MaskReadError
        If the file cannot be read (see :func:`maskqa.io.read_mask`), is not
        8-bit, or holds more than one value other than 0 and 255 (the message
        lists them).

    Notes
    -----
    The unknown value is detected, not assumed: pymatting's lemur trimaps use
    102 and 128, alphamatting.com ones 128. Two or more intermediate values are
    an error rather than a guess, because they mean a lossy file (JPEG) or not
    a trimap: a soft alpha matte read as a trimap would silently turn every
    fractional pixel into "unknown". A bool file has no unknown region.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import numpy as np
    >>> from PIL import Image
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> tri = np.array([[0, 102, 255, 255]], np.uint8)
    >>> Image.fromarray(tri).save(folder / "t.png")
    >>> [region.astype(int).tolist() for region in trimap_regions(folder / "t.png")]
    [[[0, 0, 1, 1]], [[0, 1, 0, 0]], [[1, 0, 0, 0]]]
    >>> Image.fromarray(np.zeros((1, 3), np.uint8)).save(folder / "empty.png")
    >>> [int(region.sum()) for region in trimap_regions(folder / "empty.png")]
    [0, 0, 3]
    """
    plane = _mask_plane(decode(path, "trimap"), path, what="trimap")
    if plane.dtype == bool:
        return plane, np.zeros_like(plane), ~plane
    if plane.dtype != np.uint8:
        raise MaskReadError(
            f"cannot read the trimap: expected 8-bit values 0, 255 and one unknown "
            f"value, got dtype {plane.dtype}.",
            path,
        )

    values = np.unique(plane)
    intermediate = [int(v) for v in values if v not in (0, 255)]
    if len(intermediate) > 1:
        shown = ", ".join(str(v) for v in intermediate[:12])
        more = ", ..." if len(intermediate) > 12 else ""
        raise MaskReadError(
            "cannot read the trimap: expected 0, 255 and one unknown value, got "
            f"{len(intermediate)} values other than 0 and 255 ({shown}{more}); "
            "a lossy (JPEG) file or an alpha matte is not a trimap.",
            path,
        )

    foreground = plane == 255
    background = plane == 0
    unknown = ~(foreground | background)
    return foreground, unknown, background


def read_trimap(path, *, unknown_as: str = "foreground") -> np.ndarray:
    """Read a trimap as a bool mask, the unknown band counted on one side.

    Parameters
    ----------
    path : str or pathlib.Path
        A trimap file, as in :func:`trimap_regions`.
    unknown_as : {"foreground", "background"}
        ``"foreground"`` gives definite foreground plus the unknown band (the
        generous outline a rough annotator paints); ``"background"`` gives the
        definite foreground only.

    Returns
    -------
    numpy.ndarray
        2-D bool array, True on the foreground.

    Raises
    ------
    MaskReadError
        As :func:`trimap_regions`.
    InputError
        If ``unknown_as`` is not one of the allowed values.

    Notes
    -----
    With ``F``, ``U`` the foreground and unknown regions:
    ``mask = F | U`` for ``unknown_as="foreground"``, ``mask = F`` otherwise.
    The unknown value is detected as in :func:`trimap_regions`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import numpy as np
    >>> from PIL import Image
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> Image.fromarray(np.array([[0, 128, 255]], np.uint8)).save(folder / "t.png")
    >>> read_trimap(folder / "t.png").astype(int)
    array([[0, 1, 1]])
    >>> read_trimap(folder / "t.png", unknown_as="background").astype(int)
    array([[0, 0, 1]])
    >>> Image.fromarray(np.zeros((1, 3), np.uint8)).save(folder / "empty.png")
    >>> bool(read_trimap(folder / "empty.png").any())
    False
    """
    check_choice(unknown_as, "unknown_as", _UNKNOWN_AS)
    foreground, unknown, _ = trimap_regions(path)
    if unknown_as == "foreground":
        return foreground | unknown
    return foreground
