"""Dataset analysis: the accuracy ceiling of coarse labels, coarsening simulation, fits.

- :mod:`maskqa.analysis.ceiling`: per-metric mean of images and pooled scores,
  bootstrap intervals, tolerance curves, disagreement profile, sentences.
- :mod:`maskqa.analysis.coarsen`: coarse masks from fine ones by named mechanisms.
- :mod:`maskqa.analysis.simulate`: sweeps over a mechanism's level and fits of
  mechanisms to real coarse labels.
"""

from __future__ import annotations

from .ceiling import (
    Ceiling,
    Curve,
    DisagreementProfile,
    MetricSummary,
    bootstrap_mean_interval,
    ceiling_analysis,
    summarise_metric,
    tolerance_at,
    tolerance_curve,
    write_ceiling,
)
from .coarsen import MECHANISMS, Coarsened, coarsen
from .simulate import (
    Fit,
    Sweep,
    ceiling_scores,
    fit_mechanism,
    guideline_sentence,
    sweep,
)

__all__ = [
    "Ceiling",
    "Coarsened",
    "Curve",
    "DisagreementProfile",
    "Fit",
    "MECHANISMS",
    "MetricSummary",
    "Sweep",
    "bootstrap_mean_interval",
    "ceiling_analysis",
    "ceiling_scores",
    "coarsen",
    "fit_mechanism",
    "guideline_sentence",
    "summarise_metric",
    "sweep",
    "tolerance_at",
    "tolerance_curve",
    "write_ceiling",
]
