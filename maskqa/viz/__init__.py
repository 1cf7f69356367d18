"""Pictures of mask comparisons: overlays, curves, contact sheets and the HTML report.

This layer draws results and computes no metric. Names are imported on first use, so
that ``import maskqa.viz`` stays light; matplotlib is imported only when a function that
draws is called.
"""

from __future__ import annotations

import importlib

# public name -> module that defines it
_EXPORTS = {
    "COLOURS": "maskqa.viz.palette",
    "LEGEND": "maskqa.viz.palette",
    "Crop": "maskqa.viz.overlay",
    "Drawn": "maskqa.viz.overlay",
    "OverlayFigure": "maskqa.viz.overlay",
    "overlay_rgb": "maskqa.viz.overlay",
    "densest_crops": "maskqa.viz.overlay",
    "plot_overlay": "maskqa.viz.overlay",
    "overlay_figure": "maskqa.viz.overlay",
    "curve_families": "maskqa.viz.plots",
    "curve_points": "maskqa.viz.plots",
    "distance_bins": "maskqa.viz.plots",
    "plot_curve": "maskqa.viz.plots",
    "plot_interval_curve": "maskqa.viz.plots",
    "plot_disagreement_by_distance": "maskqa.viz.plots",
    "plot_score_distribution": "maskqa.viz.plots",
    "lower_is_better": "maskqa.viz.sheet",
    "worst_pairs": "maskqa.viz.sheet",
    "contact_sheet": "maskqa.viz.sheet",
    "write_report": "maskqa.viz.report",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'maskqa.viz' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
