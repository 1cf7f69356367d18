"""A gallery of named canonical masks shared by the tests.

Every mask is 2-D bool, 32 x 40 unless said otherwise, built so its geometry can be
reasoned about by hand.
"""

from __future__ import annotations

import numpy as np

SHAPE = (32, 40)


def empty(shape=SHAPE):
    """No foreground at all."""
    return np.zeros(shape, bool)


def full(shape=SHAPE):
    """Every pixel foreground (its only edges are on the image border)."""
    return np.ones(shape, bool)


def single_pixel(shape=SHAPE, at=(10, 12)):
    """One foreground pixel."""
    mask = empty(shape)
    mask[at] = True
    return mask


def square(shape=SHAPE, top=8, left=10, side=12):
    """An axis-aligned square of ``side`` pixels: 8..19 x 10..21 by default."""
    mask = empty(shape)
    mask[top : top + side, left : left + side] = True
    return mask


def disk(shape=SHAPE, centre=(16, 20), radius=8.0):
    """Pixels whose centre lies within ``radius`` of ``centre``."""
    rows, cols = np.ogrid[: shape[0], : shape[1]]
    return (rows - centre[0]) ** 2 + (cols - centre[1]) ** 2 <= radius**2


def with_hole(shape=SHAPE):
    """A 16 x 16 square with a 4 x 4 hole in its middle."""
    mask = square(shape, top=8, left=12, side=16)
    mask[14:18, 18:22] = False
    return mask


def touching_border(shape=SHAPE):
    """A block cut by the left and top image borders."""
    mask = empty(shape)
    mask[:10, :12] = True
    return mask


def line(shape=SHAPE):
    """A one-pixel-wide horizontal line."""
    mask = empty(shape)
    mask[16, 5:35] = True
    return mask


def two_blobs(shape=SHAPE):
    """Two separate 6 x 6 squares."""
    mask = empty(shape)
    mask[4:10, 4:10] = True
    mask[20:26, 28:34] = True
    return mask


GALLERY = {
    "empty": empty,
    "full": full,
    "single_pixel": single_pixel,
    "square": square,
    "disk": disk,
    "with_hole": with_hole,
    "touching_border": touching_border,
    "line": line,
    "two_blobs": two_blobs,
}


def shifted(mask, dy=0, dx=0):
    """``mask`` moved by (dy, dx) pixels, what leaves the canvas is lost."""
    out = np.zeros_like(mask)
    h, w = mask.shape
    src = mask[max(0, -dy) : h - max(0, dy), max(0, -dx) : w - max(0, dx)]
    out[max(0, dy) : max(0, dy) + src.shape[0], max(0, dx) : max(0, dx) + src.shape[1]] = src
    return out
