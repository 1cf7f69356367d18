"""maskqa: how far apart are a coarse and a fine mask of the same object?

The public surface is listed in ``__all__``; names are imported on first use so that
``import maskqa`` stays light (it never imports matplotlib).
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "compare": "maskqa.metrics.report",
    "Report": "maskqa.metrics.report",
    "PairGeometry": "maskqa.geometry.cache",
    "iou": "maskqa.metrics.region",
    "dice": "maskqa.metrics.region",
    "region": "maskqa.metrics.region",
    "boundary_f": "maskqa.metrics.boundary",
    "boundary_iou": "maskqa.metrics.boundary",
    "trimap": "maskqa.metrics.trimap",
    "mba": "maskqa.metrics.mba",
    "surface_distances": "maskqa.metrics.distance",
    "SurfaceDistances": "maskqa.metrics.distance",
    "disagreement_by_distance": "maskqa.metrics.disagreement",
    "alignment": "maskqa.metrics.alignment",
    "Alignment": "maskqa.metrics.alignment",
    "alignment_per_class": "maskqa.metrics.alignment",
    "match_size": "maskqa.metrics.alignment",
    "PRESETS": "maskqa.metrics.presets",
    "trimap_regions": "maskqa.io",
    "pair_images": "maskqa.io",
    "Pairing": "maskqa.io",
    "read_mask": "maskqa.io",
    "read_trimap": "maskqa.io",
    "read_image": "maskqa.io",
    "read_label_map": "maskqa.io",
    "pair_files": "maskqa.io",
    "MaskQAError": "maskqa.errors",
    "InputError": "maskqa.errors",
    "MaskReadError": "maskqa.errors",
    "ShapeMismatchError": "maskqa.errors",
    "MaskQAWarning": "maskqa.errors",
    "ThresholdWarning": "maskqa.errors",
    "LabelMapWarning": "maskqa.errors",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'maskqa' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
