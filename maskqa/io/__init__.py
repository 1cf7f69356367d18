"""Reading masks, images, label maps and trimaps; pairing files of two folders.

Every reader returns numpy arrays and raises :class:`maskqa.errors.MaskReadError`
naming the file and the problem. This layer computes no metric.
"""

from __future__ import annotations

from ._decode import ReadWarning
from .images import read_image
from .masks import read_label_map, read_mask, read_mask_strict
from .pairing import (
    DEFAULT_SUFFIXES,
    IMAGE_SUFFIXES,
    ImageMatch,
    Pairing,
    list_files,
    pair_files,
    pair_images,
)
from .trimaps import read_trimap, trimap_regions

__all__ = [
    "list_files",
    "DEFAULT_SUFFIXES",
    "IMAGE_SUFFIXES",
    "ImageMatch",
    "Pairing",
    "ReadWarning",
    "pair_files",
    "pair_images",
    "read_image",
    "read_label_map",
    "read_mask",
    "read_mask_strict",
    "read_trimap",
    "trimap_regions",
]
