"""Sweeps of a coarsening mechanism, and fitting mechanisms to real coarse labels.

A sweep coarsens fine masks at a series of levels and scores each result against its
fine mask, so that a team can read which guideline keeps which ceiling ("at most 4 px
simplification keeps boundary F at 2 px above 0.9") and at what cost in vertices.
A fit runs a grid of mechanisms on the fine masks of real (fine, coarse) pairs and
keeps the one whose ceiling metrics come closest to those of the real coarse labels.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .._validation import as_mask, check_choice, check_pair, check_widths
from ..errors import InputError
from ..geometry.cache import PairGeometry
from ..metrics.boundary import boundary_f_from_geometry
from ..metrics.disagreement import disagreement_from_geometry
from .ceiling import summarise_metric
from .coarsen import MECHANISMS, coarsen, format_steps, parse_steps

__all__ = [
    "SWEEP_TOLERANCES_PX",
    "FIT_METRICS",
    "POOR_FIT_ERROR",
    "DEFAULT_CANDIDATES",
    "ceiling_scores",
    "Sweep",
    "sweep",
    "guideline_sentence",
    "Fit",
    "fit_mechanism",
]

#: Tolerances of the boundary F curve of a sweep.
SWEEP_TOLERANCES_PX = (1, 2, 3, 5, 10, 20)

#: The ceiling metrics a fit matches (all in [0, 1]).
FIT_METRICS = (
    "iou",
    "boundary_f@1px",
    "boundary_f@2px",
    "boundary_f@5px",
    "boundary_f@10px",
    "boundary_f@20px",
    "over_share",
)


def _default_candidates() -> tuple[str, ...]:
    singles = (
        [f"polygon:{t}" for t in (1, 2, 3, 5, 8, 12)]
        + [f"dilate:{r}" for r in (1, 2, 3, 5, 8, 12, 16, 24, 32)]
        + [f"erode:{r}" for r in (1, 2, 3, 5, 8, 12, 16, 24)]
        + [f"smooth:{s}" for s in (1, 2, 4, 8)]
        + [f"lowres:{f}" for f in (2, 4, 8)]
    )
    pairs = [
        f"polygon:{t}+{name}:{r}"
        for t in (1, 2, 3, 5, 8)
        for name, levels in (("dilate", (1, 2, 3, 5, 8, 12, 16)), ("erode", (1, 2, 3)))
        for r in levels
    ]
    return tuple(singles + pairs)


#: Above this RMS error a fit's sentence says that no mechanism explains the labels.
POOR_FIT_ERROR = 0.1

#: The grid a fit searches: single mechanisms and polygon plus painting.
DEFAULT_CANDIDATES = _default_candidates()


def ceiling_scores(
    reference, candidate, *, tolerances_px=SWEEP_TOLERANCES_PX, border: str = "exclude"
) -> dict[str, float]:
    """The few ceiling metrics a sweep or a fit needs, fast.

    Parameters
    ----------
    reference, candidate : array_like, shape (H, W)
        Fine and (simulated or real) coarse masks.
    tolerances_px : sequence of float
        Tolerances of the boundary F.
    border : {"exclude", "include"}
        Whether mask edges on the image border count as boundary.

    Returns
    -------
    dict
        ``iou``, ``boundary_f@Npx`` (with its precision and recall) for each
        tolerance, ``boundary_offset_mean_px``
        and ``over_share`` (the fraction of disagreeing pixels that are over-painting;
        0.5 when the masks agree).

    Raises
    ------
    InputError
        On masks of different shapes or bad tolerances.

    Notes
    -----
    ``IoU = |R & C| / |R | C|``. Boundary F uses inner boundaries (mask pixels with
    a 4-neighbour outside): ``P = |{b in B_C : d(b, B_R) <= t}| / |B_C|``,
    ``R = |{b in B_R : d(b, B_C) <= t}| / |B_R|``, ``F = 2PR / (P + R)``; both empty
    give 1, one empty 0 (read from :mod:`maskqa.metrics.boundary`, as in
    ``compare()``). This is not the DAVIS seg2bmap boundary.

    References
    ----------
    .. [1] D. Martin, C. Fowlkes and J. Malik, "Learning to detect natural image
       boundaries using local brightness, color, and texture cues", TPAMI 26(5), 2004.

    Examples
    --------
    >>> import numpy as np
    >>> fine = np.zeros((12, 12), bool); fine[3:9, 3:9] = True
    >>> scores = ceiling_scores(fine, fine, tolerances_px=(1,))
    >>> scores["iou"], scores["boundary_f@1px"], scores["over_share"]
    (1.0, 1.0, 0.5)
    >>> ceiling_scores(np.zeros((4, 4)), np.zeros((4, 4)), tolerances_px=(1,))["iou"]
    1.0
    """
    tolerances = check_widths(tolerances_px, "tolerances_px")
    check_choice(border, "border", ("exclude", "include"))
    reference, candidate = check_pair(reference, candidate)
    geometry = PairGeometry(reference, candidate, border=border)
    counts = geometry.counts()
    union = counts["reference"] + counts["candidate"] - counts["intersection"]
    scores = {"iou": counts["intersection"] / union if union else 1.0}
    scores.update(boundary_f_from_geometry(geometry, tolerance_px=tolerances).to_dict())

    record = disagreement_from_geometry(geometry)
    over = counts["candidate"] - counts["intersection"]
    under = counts["reference"] - counts["intersection"]
    scores["boundary_offset_mean_px"] = record.boundary_offset_mean_px
    scores["over_share"] = over / (over + under) if over + under else 0.5
    return scores


Score = Callable[[np.ndarray, np.ndarray], Mapping[str, float]]


@dataclass(frozen=True)
class Sweep:
    """A mechanism swept over levels: per-image scores and the table of means."""

    mechanism: str
    base: str
    levels: tuple[float, ...]
    specs: tuple[str, ...]
    per_image: tuple[dict[str, np.ndarray], ...]
    seed: int

    def table(self, *, n_boot: int = 1000) -> list[dict[str, float | str]]:
        """One row per level: ``level``, ``spec``, ``vertices``, then for every
        metric its mean and ``METRIC_ci_low`` / ``METRIC_ci_high`` (seeded)."""
        rows = []
        for level, spec, columns in zip(self.levels, self.specs, self.per_image):
            row: dict[str, float | str] = {"level": level, "spec": spec}
            for key, values in columns.items():
                summary = summarise_metric(
                    values, metric=key, n_boot=n_boot, seed=self.seed
                )
                row[key] = summary.mean
                if key != "vertices":
                    row[f"{key}_ci_low"], row[f"{key}_ci_high"] = (
                        summary.ci_low,
                        summary.ci_high,
                    )
            rows.append(row)
        return rows


def _fine_list(fines) -> list[np.ndarray]:
    if isinstance(fines, np.ndarray) and fines.ndim == 2:
        fines = [fines]
    masks = [as_mask(f, f"fines[{i}]") for i, f in enumerate(fines)]
    if not masks:
        raise InputError("Expected at least one fine mask, got none.")
    return masks


def sweep(
    fines,
    mechanism: str,
    levels: Sequence[float],
    *,
    base: str = "",
    seed: int = 0,
    score: Score | None = None,
    progress: Callable[[float], None] | None = None,
) -> Sweep:
    """Coarsen fine masks at each level of one mechanism and score the results.

    Parameters
    ----------
    fines : array_like or sequence of array_like
        Fine masks (each 2-D).
    mechanism : str
        One of :data:`maskqa.analysis.coarsen.MECHANISMS`.
    levels : sequence of float
        The levels to try, in the order given.
    base : str, optional
        Steps applied before the swept one (``"polygon:2"`` sweeps painting on top
        of a 2 px polygon).
    seed : int
        Seed of random mechanisms (image ``i`` uses ``seed + i``) and of intervals.
    score : callable, optional
        ``score(fine, coarse) -> {metric: value}``; :func:`ceiling_scores` by default
        (pass ``lambda r, c: maskqa.compare(r, c).values`` for every metric).
    progress : callable, optional
        ``progress(level)``, called after each level is scored (a progress bar).

    Returns
    -------
    Sweep
        ``table()`` gives means, intervals and vertex counts per level.

    Raises
    ------
    InputError
        On an unknown mechanism, bad levels or masks.

    Notes
    -----
    The annotation cost per level is the mean vertex count over images (see
    :func:`maskqa.analysis.coarsen.coarsen`). Douglas-Peucker results at two
    tolerances are not nested, so one image may gain a little boundary F between
    close levels (1 step of 108 on the 12 real and bundled fine masks at 0-12 px);
    the mean over images fell at every step there.

    References
    ----------
    .. [1] D. H. Douglas and T. K. Peucker, Cartographica 10(2), 1973.

    Examples
    --------
    >>> import numpy as np
    >>> rows, cols = np.ogrid[:48, :48]
    >>> disk = (rows - 24) ** 2 + (cols - 24) ** 2 <= 15**2
    >>> result = sweep([disk], "polygon", [0, 2, 6])
    >>> [round(r["boundary_f@1px"], 2) for r in result.table(n_boot=10)][0]
    1.0
    >>> sweep([np.zeros((8, 8), bool)], "dilate", [1]).table(n_boot=10)[0]["iou"]
    1.0
    """
    check_choice(mechanism, "mechanism", MECHANISMS)
    masks = _fine_list(fines)
    score = score or ceiling_scores
    prefix = parse_steps(base) if base else ()
    # Every level is checked before the first is scored.
    swept = [prefix + parse_steps([(mechanism, level)]) for level in levels]
    specs, per_image = [], []
    for level, steps in zip(levels, swept):
        specs.append(format_steps(steps))
        per_image.append(_score_all(masks, masks, steps, seed, score))
        if progress is not None:
            progress(level)
    return Sweep(
        mechanism,
        base,
        tuple(float(v) for v in levels),
        tuple(specs),
        tuple(per_image),
        seed,
    )


def _score_all(
    fines, references, steps, seed, score, cache=None, *, vertices=True
) -> dict[str, np.ndarray]:
    rows = []
    for index, (fine, reference) in enumerate(zip(fines, references)):
        coarse = _coarsen_cached(fine, steps, seed + index, cache)
        scored = None if cache is None else cache.get(("score", id(coarse)))
        if scored is None:
            scored = dict(score(reference, coarse.mask))
            if vertices:
                scored["vertices"] = float(coarse.vertices)
            if cache is not None:
                # The coarse result is cached with its fine mask, which is the
                # reference in a fit: one score per distinct (fine, steps).
                cache[("score", id(coarse))] = scored
        rows.append(scored)
    keys = list(dict.fromkeys(k for row in rows for k in row))
    return {k: np.array([row.get(k, math.nan) for row in rows], float) for k in keys}


_DRAWN = ("polygon", "vertices", "jitter")


def _coarsen_cached(fine, steps, seed, cache):
    if cache is None:
        return coarsen(fine, steps, seed=seed)

    # Deterministic steps ignore the seed, so one fine mask is coarsened once.
    random = any(name == "jitter" for name, _ in steps)
    digest = hashlib.sha1(np.packbits(fine).tobytes()).hexdigest()
    key = (digest, fine.shape, steps, seed if random else None)
    if key in cache:
        return cache[key]
    head = (digest, fine.shape, steps[:-1], seed if random else None)
    if len(steps) > 1 and head in cache:
        # Reuse the cached prefix (polygon:3 for polygon:3+dilate:2).
        previous, last = cache[head], coarsen(cache[head].mask, steps[-1:], seed=seed)
        drawn_before = any(name in _DRAWN for name, _ in steps[:-1])
        keep = drawn_before and steps[-1][0] not in _DRAWN
        drawn = previous.drawn_vertices if keep else last.drawn_vertices
        cache[key] = type(last)(last.mask, drawn, steps, seed)
    else:
        cache[key] = coarsen(fine, steps, seed=seed)
    return cache[key]


def guideline_sentence(
    result: Sweep, metric: str = "boundary_f@2px", target: float = 0.9
) -> str:
    """The largest swept level that keeps a metric's mean at or above a target.

    Returns
    -------
    str
        E.g. "At most 4 px of polygon simplification keeps the mean boundary_f@2px
        at or above 0.9 (about 120 vertices per image)."

    Raises
    ------
    InputError
        If ``metric`` was not scored in the sweep.

    Examples
    --------
    >>> import numpy as np
    >>> fine = np.zeros((30, 30), bool); fine[5:25, 5:25] = True
    >>> text = guideline_sentence(sweep([fine], "dilate", [0, 1, 3]), "iou", 0.8)
    >>> text
    'At most 1 px of over-painting (dilation) keeps the mean iou at or above 0.8.'
    """
    rows = result.table(n_boot=1)
    if metric not in rows[0]:
        raise InputError(
            f"Expected `metric` to be one of the sweep's scores, got {metric!r}."
        )
    good = [r for r in rows if r[metric] >= target]
    if not good:
        return (
            f"No swept level of {result.mechanism} keeps the mean {metric} at or above "
            f"{target:g}."
        )
    # A vertex budget is finer the larger it is: the guideline is its least level.
    finer_is_larger = result.mechanism == "vertices"
    pick = min if finer_is_larger else max
    best = pick(good, key=lambda r: r["level"])
    bound = "At least" if finer_is_larger else "At most"
    what = _LEVEL_WORDS.get(result.mechanism, ("{level:g} of " + result.mechanism,))
    cost = (
        f" (about {best['vertices']:.0f} vertices per image)"
        if result.mechanism in _DRAWN
        else ""
    )
    return (
        f"{bound} {what[0].format(level=best['level'])} keeps the mean {metric} "
        f"at or above {target:g}{cost}."
    )


#: How a level of each mechanism reads in a guideline sentence.
_LEVEL_WORDS = {
    "polygon": ("{level:g} px of polygon simplification",),
    "vertices": ("a budget of {level:g} polygon vertices per mask",),
    "jitter": ("hand noise of sigma {level:g} px",),
    "dilate": ("{level:g} px of over-painting (dilation)",),
    "erode": ("{level:g} px of under-painting (erosion)",),
    "smooth": ("boundary smoothing of sigma {level:g} px",),
    "lowres": ("annotation at 1/{level:g} of the resolution",),
    "drop_small": ("leaving out parts and holes under {level:g} px^2",),
}


@dataclass(frozen=True)
class Fit:
    """The mechanism whose simulated ceiling is closest to the real one."""

    best: str
    error: float
    target: dict[str, float]
    simulated: dict[str, float]
    ranking: tuple[tuple[str, float], ...]
    metrics: tuple[str, ...]
    seed: int

    def sentence(self) -> str:
        """'These labels behave like ... (fit error ...)'."""
        words = {
            "polygon": "polygons simplified at about {} px",
            "vertices": "polygons of about {} vertices",
            "dilate": "{} px of over-painting",
            "erode": "{} px of under-painting",
            "smooth": "smoothing at about {} px",
            "lowres": "annotation at 1/{} resolution",
            "drop_small": "parts below {} px^2 left out",
            "jitter": "{} px of hand noise",
        }
        parts = [
            words[name].format(f"{level:g}") for name, level in parse_steps(self.best)
        ]
        sentence = (
            f"These labels behave like {' plus '.join(parts)} "
            f"(RMS error {self.error:.3f} over {', '.join(self.metrics)})."
        )
        if self.error > POOR_FIT_ERROR:
            # A mixed folder (e.g. inner and outer trimaps) averages opposite errors.
            sentence += (
                " No mechanism of the grid explains them well; fit groups of labels "
                "made the same way separately."
            )
        return sentence

    def to_dict(self) -> dict:
        """Every field, with the ranking as a list of ``[spec, error]``."""
        return {
            "best": self.best,
            "error": self.error,
            "target": self.target,
            "simulated": self.simulated,
            "ranking": [list(r) for r in self.ranking],
            "metrics": list(self.metrics),
            "seed": self.seed,
            "sentence": self.sentence(),
        }


def fit_mechanism(
    pairs,
    *,
    candidates: Sequence[str] = DEFAULT_CANDIDATES,
    metrics: Sequence[str] = FIT_METRICS,
    seed: int = 0,
    score: Score | None = None,
) -> Fit:
    """Find the coarsening that reproduces the real coarse labels' ceiling metrics.

    Parameters
    ----------
    pairs : sequence of (fine, coarse)
        Real pairs of masks of the same shape.
    candidates : sequence of str
        Step specifications to try (``"polygon:3+dilate:2"``).
    metrics : sequence of str
        Ceiling metrics to match, all returned by ``score``.
    seed : int
        Seed of random mechanisms.
    score : callable, optional
        As in :func:`sweep`; :func:`ceiling_scores` by default.

    Returns
    -------
    Fit
        ``best``, its RMS ``error``, the real (``target``) and simulated means, and
        the whole ranking.

    Raises
    ------
    InputError
        On no pairs, bad masks, or a metric the scorer does not return.

    Notes
    -----
    With ``m_k`` the mean over pairs of metric ``k`` for the real coarse labels and
    ``s_k`` the same for the simulated ones,
    ``error = sqrt((1/K) sum_k (s_k - m_k)^2)``; the candidate with the least error
    wins. Identical fine masks (one fine, several coarse labels) are coarsened once.

    References
    ----------
    .. [1] D. H. Douglas and T. K. Peucker, Cartographica 10(2), 1973.

    Examples
    --------
    >>> import numpy as np
    >>> fine = np.zeros((40, 40), bool); fine[10:30, 10:30] = True
    >>> coarse = coarsen(fine, "dilate:3").mask
    >>> grid = ["dilate:1", "dilate:3", "erode:2"]
    >>> fit_mechanism([(fine, coarse)], candidates=grid).best
    'dilate:3'
    >>> empty = np.zeros((8, 8), bool)
    >>> fit_mechanism([(empty, empty)], candidates=["dilate:1"]).error
    0.0
    """
    pairs = [check_pair(f, c) for f, c in pairs]
    if not pairs:
        raise InputError("Expected at least one (fine, coarse) pair, got none.")
    score = score or ceiling_scores
    metrics = tuple(metrics)
    target = _means([score(f, c) for f, c in pairs], metrics)
    fines = [f for f, _ in pairs]
    cache: dict = {}
    ranking, simulated = [], {}
    for spec in candidates:
        steps = parse_steps(spec)
        columns = _score_all(fines, fines, steps, seed, score, cache, vertices=False)
        means = {k: float(np.nanmean(columns[k])) for k in metrics}
        error = math.sqrt(np.mean([(means[k] - target[k]) ** 2 for k in metrics]))
        ranking.append((format_steps(steps), error))
        simulated[format_steps(steps)] = means
    ranking.sort(key=lambda item: item[1])
    best, error = ranking[0]
    return Fit(best, error, target, simulated[best], tuple(ranking), metrics, seed)


def _means(rows, metrics) -> dict[str, float]:
    missing = [k for k in metrics if k not in rows[0]]
    if missing:
        raise InputError(
            f"Expected the scorer to return {missing}, got {sorted(rows[0])}."
        )
    return {k: float(np.nanmean([row[k] for row in rows])) for k in metrics}
