"""The results folder: its files, how rows are written and read, and the summary.

A results folder holds

- ``pairs.csv``: one row per scored pair (``name``, ``reference``, ``candidate``,
  ``height``, ``width``, then every metric of the report, in a fixed order);
- ``errors.csv``: one row per pair that could not be scored, with the reason;
- ``unpaired.csv``: files that had no partner in the other folder;
- ``summary.json``: per metric the mean of per-pair scores, the pooled score where one
  exists, and the number of pairs and of undefined (nan) values, with every convention
  and parameter used.
"""

from __future__ import annotations

import csv
import json
import math
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import MaskQAWarning

__all__ = [
    "read_csv_rows",
    "RUN_JSON",
    "WARNINGS_CSV",
    "HEADLINE_METRICS",
    "COUNT_COLUMNS",
    "ERRORS_CSV",
    "ID_COLUMNS",
    "PAIRS_CSV",
    "SUMMARY_JSON",
    "UNPAIRED_CSV",
    "Results",
    "pooled_scores",
    "read_results",
    "summarise",
]

PAIRS_CSV, ERRORS_CSV = "pairs.csv", "errors.csv"
UNPAIRED_CSV, SUMMARY_JSON = "unpaired.csv", "summary.json"
WARNINGS_CSV, RUN_JSON = "warnings.csv", "run.json"

#: Columns that identify a pair rather than score it (``image`` only with images).
ID_COLUMNS = ("name", "reference", "candidate", "height", "width", "image")

#: The headline metrics of a dataset summary (printed by ``evaluate``, shown first in
#: the HTML report), when the report has them; every column stays in pairs.csv.
HEADLINE_METRICS = (
    "iou",
    "dice",
    "boundary_f@1px",
    "boundary_f@2px",
    "boundary_f@5px",
    "boundary_iou@2px",
    "trimap_iou@3px",
    "trimap_iou@5px",
    "nsd@2px",
    "hd95",
    "assd",
    "mba",
)

#: Pixel counts written beside the scores so that pooled scores can be summed.
COUNT_COLUMNS = (
    "n_reference_px",
    "n_candidate_px",
    "n_intersection_px",
    "n_reference_boundary_px",
    "n_candidate_boundary_px",
)


_TEXT_COLUMNS = ("name", "reference", "candidate", "image")


_INTEGER_COLUMNS = frozenset(("height", "width", *COUNT_COLUMNS))


def _parse(value: str, integer: bool = False):
    if value == "":
        return math.nan
    try:
        return int(value) if integer else float(value)
    except ValueError:
        return value


@dataclass(frozen=True)
class Results:
    """A results folder read back: rows as dicts, the column order, the summary."""

    directory: Path
    columns: tuple[str, ...]
    rows: list[dict] = field(repr=False)
    errors: list[dict] = field(repr=False)
    unpaired: list[dict] = field(repr=False)
    summary: dict = field(repr=False)

    @property
    def metric_columns(self) -> tuple[str, ...]:
        """Every score column (identity and count columns left out)."""
        skip = set(ID_COLUMNS) | set(COUNT_COLUMNS)
        return tuple(c for c in self.columns if c not in skip)

    def values(self, column: str) -> np.ndarray:
        """The per-pair values of one column as a float array (nan where undefined)."""
        return np.array([float(row.get(column, math.nan)) for row in self.rows], float)


def read_csv_rows(path: Path) -> tuple[list[str], list[dict]]:
    """Header and complete rows of a CSV file (a row cut short is left out, warned)."""
    if not path.exists():
        return [], []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        columns = list(reader.fieldnames or [])
    complete = [r for r in rows if None not in r and None not in r.values()]
    if len(complete) < len(rows):
        warnings.warn(
            f"{path}: {len(rows) - len(complete)} incomplete row(s) left out (a run "
            "interrupted while writing?); `maskqa evaluate --resume` scores them again",
            MaskQAWarning,
            stacklevel=3,
        )
    return columns, complete


def read_results(directory) -> Results:
    """Read a results folder written by ``maskqa evaluate``.

    Raises
    ------
    InputError
        If the folder or its ``pairs.csv`` is missing.
    """
    from ..errors import InputError

    directory = Path(directory)
    if not (directory / PAIRS_CSV).is_file():
        raise InputError(
            f"Expected a results folder with {PAIRS_CSV} (written by "
            "`maskqa evaluate`), found none.",
            directory,
        )
    columns, raw = read_csv_rows(directory / PAIRS_CSV)
    rows = [
        {
            k: (v if k in _TEXT_COLUMNS else _parse(v, k in _INTEGER_COLUMNS))
            for k, v in r.items()
        }
        for r in raw
    ]
    _, errors = read_csv_rows(directory / ERRORS_CSV)
    _, unpaired = read_csv_rows(directory / UNPAIRED_CSV)
    summary_path = directory / SUMMARY_JSON
    summary = _read_json(summary_path) if summary_path.exists() else {}
    return Results(directory, tuple(columns), rows, errors, unpaired, summary)


def _read_json(path: Path) -> dict:
    """A JSON file of the results folder; an unreadable one is an InputError."""
    from ..errors import InputError

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"not valid JSON ({exc}); delete it or rerun", path) from None


_AT = re.compile(r"^(?P<name>[^@]+)@(?P<width>[0-9.]+)px$")


def pooled_scores(rows: Iterable[Mapping]) -> dict[str, float]:
    """Scores of the whole dataset from summed pixel counts.

    Region scores pool the areas: pooled IoU = sum |R & C| / sum |R | C|, and so on.
    Boundary precision at a tolerance pools the matched candidate boundary pixels
    over all candidate boundary pixels (each pair's precision weighted by its
    candidate boundary length), recall likewise over the reference boundaries, and
    the pooled F is their harmonic mean. Metrics with no pooled form (distances,
    bands, mBA) are left out.
    """
    rows = list(rows)
    if not rows:
        return {}
    pooled = _pooled_region(rows)
    pooled.update(_pooled_boundary(rows))
    return pooled


def _total(rows, column) -> float:
    return sum(float(r[column]) for r in rows)


def _pooled_region(rows) -> dict[str, float]:
    ref, cand = _total(rows, "n_reference_px"), _total(rows, "n_candidate_px")
    inter = _total(rows, "n_intersection_px")
    union = ref + cand - inter
    return {
        "iou": inter / union if union else 1.0,
        "dice": 2 * inter / (ref + cand) if ref + cand else 1.0,
        "precision": inter / cand if cand else (1.0 if not ref else 0.0),
        "recall": inter / ref if ref else (1.0 if not cand else 0.0),
        "area_ratio": cand / ref if ref else (1.0 if not cand else math.inf),
    }


def _pooled_boundary(rows) -> dict[str, float]:
    if "n_candidate_boundary_px" not in rows[0]:
        return {}
    n_cand = _total(rows, "n_candidate_boundary_px")
    n_ref = _total(rows, "n_reference_boundary_px")
    pooled = {}
    for column in rows[0]:
        match = _AT.match(column)
        if not match or match["name"] != "boundary_precision":
            continue
        width = match["width"]
        recall_column = f"boundary_recall@{width}px"
        if recall_column not in rows[0]:
            continue
        matched_cand = sum(
            float(r[column]) * float(r["n_candidate_boundary_px"]) for r in rows
        )
        matched_ref = sum(
            float(r[recall_column]) * float(r["n_reference_boundary_px"]) for r in rows
        )
        p = matched_cand / n_cand if n_cand else (1.0 if not n_ref else 0.0)
        r = matched_ref / n_ref if n_ref else (1.0 if not n_cand else 0.0)
        pooled[column] = p
        pooled[recall_column] = r
        pooled[f"boundary_f@{width}px"] = 2 * p * r / (p + r) if p + r else 0.0
    return pooled


def _mean(defined: np.ndarray) -> float:
    """Mean that keeps one-signed infinities and is undefined (nan) for both signs."""
    if not defined.size:
        return math.nan
    positive, negative = np.isposinf(defined).any(), np.isneginf(defined).any()
    if positive and negative:
        return math.nan
    if positive or negative:
        return math.inf if positive else -math.inf
    return float(np.mean(defined))


def _finite_stats(values: np.ndarray) -> dict:
    defined = values[~np.isnan(values)]
    mean = _mean(defined)
    return {
        "mean": mean,
        "n": int(values.size),
        "n_undefined": int(values.size - defined.size),
    }


def summarise(results: Results, *, params: Mapping | None = None, extra=None) -> dict:
    """The dataset summary of a results folder (what ``summary.json`` holds).

    The mean is over the pairs where the metric is defined; an infinite value (one
    mask empty, for a distance) stays in the mean, which is then infinite: nothing is
    dropped silently. ``n_undefined`` counts the nan values left out.
    """
    pooled = pooled_scores(results.rows)
    metrics = {}
    for column in results.metric_columns:
        stats = _finite_stats(results.values(column))
        stats["pooled"] = pooled.get(column)
        metrics[column] = stats
    summary = {
        "n_scored": len(results.rows),
        "n_failed": len(results.errors),
        "n_unpaired": len(results.unpaired),
        "params": dict(params or {}),
        "metrics": metrics,
    }
    summary.update(extra or {})
    return summary
