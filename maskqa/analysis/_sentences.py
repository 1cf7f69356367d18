"""Sentences a person can act on, written from a ceiling analysis."""

from __future__ import annotations

import math

import numpy as np

from .ceiling import _FEW

__all__ = [
    "NO_PAIR",
    "ceiling_sentences",
    "headline_keys",
    "metric_label",
    "no_pair_sentence",
]

_LABELS = {
    "iou": "region IoU",
    "dice": "Dice",
    "hd95": "95th-percentile Hausdorff distance",
    "hd95_pooled": "95th-percentile Hausdorff distance (pooled directions)",
}

_FAMILIES = {
    "boundary_f": "boundary F",
    "boundary_iou": "boundary IoU",
    "trimap_iou": "trimap IoU",
    "nsd": "normalised surface Dice",
}

#: The sentence of a ceiling analysis with no scored pair.
NO_PAIR = "No pair was scored: there is no ceiling to report."


def metric_label(metric: str) -> str:
    """A readable name: ``boundary_f@2px`` -> ``boundary F at 2 px``.

    A band width reads as a band (``boundary_iou@2px`` -> ``boundary IoU in a 2 px
    band``), a tolerance as a distance; a preset's key (``davis.F``) is its own name.

    Examples
    --------
    >>> metric_label("boundary_f@2px"), metric_label("boundary_iou@2px")
    ('boundary F at 2 px', 'boundary IoU in a 2 px band')
    >>> metric_label("iou"), metric_label("deepmind.nsd@1")
    ('region IoU', 'deepmind.nsd@1')
    """
    from .ceiling import _AT, width_name

    match = _AT.match(metric)
    if match is None or "." in match["family"]:
        return _LABELS.get(metric, metric)
    family, width = match["family"], match["width"]
    name = _FAMILIES.get(family, family)
    if width_name(family) == "band width":
        return f"{name} in a {width} px band"
    return f"{name} at {width} px"


def no_pair_sentence(n_failed: int = 0, n_unpaired: int = 0) -> str:
    """What a results folder without a scored pair says, and where to look.

    Examples
    --------
    >>> no_pair_sentence(1)
    'No pair was scored; see errors.csv (1 pair failed).'
    >>> no_pair_sentence(0, 3)
    'No pair was scored; see unpaired.csv (3 files unpaired).'
    >>> no_pair_sentence()
    'No pair was scored: the results folder lists no pair.'
    """
    alone = f"{n_unpaired} file{'' if n_unpaired == 1 else 's'} unpaired"
    if n_failed:
        pairs = f"{n_failed} pair{'' if n_failed == 1 else 's'} failed"
        extra = f", {alone}" if n_unpaired else ""
        return f"No pair was scored; see errors.csv ({pairs}{extra})."
    if n_unpaired:
        return f"No pair was scored; see unpaired.csv ({alone})."
    return "No pair was scored: the results folder lists no pair."


def _number(value: float, digits: int = 3) -> str:
    if math.isnan(value):
        return "undefined"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.{digits}f}"


def _interval(summary, digits: int = 3, unit: str = "") -> str:
    # An interval that cannot be computed says so instead of printing nan.
    low, high = summary.ci_low, summary.ci_high
    if math.isnan(low) or math.isnan(high):
        return f"{summary.confidence:.0%} interval undefined"
    return (
        f"{summary.confidence:.0%} interval {_number(low, digits)}-"
        f"{_number(high, digits)}{unit}"
    )


def _infinite(summary) -> str:
    count = getattr(summary, "n_infinite", 0)
    return f", {count} infinite (one mask empty)" if count else ""


def _worst(summary, values) -> str:
    # The worst images named with their real count: with few images 5 % is less
    # than one image, so the worst one is given; otherwise the k-th worst value of
    # the k = 5 % worst images (a value of an image, not an interpolated one).
    if values is None:
        return f"5th percentile {_number(summary.p05)}"
    x = np.asarray(values, float)
    x = np.sort(x[~np.isnan(x)])
    if x.size < _FEW:
        return f"the worst image scores {_number(float(x[0]))}"
    k = max(1, round(0.05 * x.size))
    worst = _number(float(x[k - 1]))
    if k == 1:
        return f"the worst image (5 %) scores {worst}"
    if x[0] == x[k - 1]:
        return f"the {k} worst images (5 %) score {worst}"
    return f"the {k} worst images (5 %) score {worst} or less"


def _score_sentence(summary, values=None) -> str:
    pooled = (
        ""
        if math.isnan(summary.pooled)
        else f"; pooled over pixels {_number(summary.pooled)}"
    )
    undefined = f", {summary.n_undefined} undefined" if summary.n_undefined else ""
    return (
        "A model that reproduced these labels perfectly would reach at most a mean "
        f"{metric_label(summary.metric)} of {_number(summary.mean)} "
        "against the fine masks "
        f"({_interval(summary)}, {summary.n} images{undefined}; "
        f"{_worst(summary, values)}{pooled})."
    )


def _distance_sentence(summary) -> str:
    return (
        "Even a perfect model of these labels would stay on average "
        f"{_number(summary.mean, 1)} px ({metric_label(summary.metric)}) from the fine "
        f"masks ({_interval(summary, 1, ' px')}, {summary.n} images"
        f"{_infinite(summary)})."
    )


def _reach_sentence(reach: dict, widths) -> str | None:
    known = sorted((t, w) for t, w in reach.items() if not math.isnan(w))
    if not known or not len(widths):
        return None
    narrowest, widest = min(widths), max(widths)
    reached = [(t, w) for t, w in known if math.isfinite(w)]
    # One clause per fact: the lowest target missed implies every higher one is
    # missed; the highest target reached at the narrowest tolerance implies every
    # lower one is reached there.
    missed = [t for t, w in known if not math.isfinite(w)][:1]
    at_narrowest = [(t, w) for t, w in reached if w <= narrowest]
    later = [(t, w) for t, w in reached if w > narrowest]
    parts = [
        f"reaches {t:g} already at {w:g} px, the narrowest tolerance measured"
        for t, w in at_narrowest[-1:]
    ]
    parts += [f"reaches {t:g} at {_number(w, 1)} px" for t, w in later]
    parts += [f"stays below {t:g} up to {widest:g} px" for t in missed]
    if at_narrowest and len(parts) > 1:
        parts[0] += ","  # the apposition ends before the next clause
    if at_narrowest:
        lead = f"These labels are accurate to {narrowest:g} px or better"
    elif reached:
        lead = f"These labels are accurate to about {_number(reached[0][1], 1)} px"
    else:
        lead = f"These labels are not accurate to {widest:g} px"
    text = (
        f"{lead}: the mean boundary F "
        + " and ".join(parts)
        + f" (tolerances measured: {narrowest:g} to {widest:g} px)"
    )
    if missed:
        text += f"; measure wider tolerances to find where it reaches {missed[0]:g}"
    return text + "."


def _profile_sentence(profile) -> str | None:
    total = profile.total_px
    if not total:
        return "The labels agree pixel for pixel with the fine masks."
    over = sum(profile.over_px) / total
    near = (profile.over_px[0] + profile.under_px[0]) / total
    far = (profile.over_px[-1] + profile.under_px[-1]) / total
    return (
        f"{over:.0%} of the disagreeing pixels are over-painting and "
        f"{1 - over:.0%} under-painting; {near:.0%} lie within "
        f"{profile.bins[0].split('_')[-1]} px of the fine boundary and {far:.0%} "
        f"farther than {profile.bins[-1][2:]} px; the label boundary lies "
        f"{_side(profile.offset_pooled_px)} the fine one over all its pixels, and "
        f"{_side(profile.offset_mean_px)} it in the mean of the images."
    )


def _side(offset_px: float) -> str:
    """``"2.5 px outside"`` / ``"1 px inside"``: a signed boundary offset in words."""
    side = "outside" if offset_px >= 0 else "inside"
    return f"{_number(abs(offset_px), 2)} px {side}"


def headline_keys(keys) -> list[str]:
    """The metrics that get a sentence.

    The headline ones present; for a curve family measured at none of the headline
    widths, its narrowest width; and of a preset's columns, the first region, the
    first boundary and the first distance metric (:func:`preset_metrics` order).

    Examples
    --------
    >>> headline_keys(["iou", "boundary_f@3px", "boundary_f@10px", "hd95"])
    ['iou', 'boundary_f@3px', 'hd95']
    >>> headline_keys(["davis.F", "davis.P", "davis.R", "davis.J"])
    ['davis.J', 'davis.F']
    >>> headline_keys([])
    []
    """
    from .ceiling import (
        _AT,
        _PRESET_RANK,
        CURVE_FAMILIES,
        HEADLINE_METRICS,
        preset_metrics,
    )

    keys = list(keys)
    chosen = [k for k in HEADLINE_METRICS if k in keys]
    for family in CURVE_FAMILIES:
        if any(k.startswith(f"{family}@") for k in chosen):
            continue
        widths = [
            (float(m["width"]), k)
            for k in keys
            if (m := _AT.match(k)) and m["family"] == family
        ]
        if widths:
            chosen.append(min(widths)[1])
    order = ("iou", "boundary_f@", "boundary_iou@", "trimap_iou@", "nsd@")
    rank = {
        k: next((i for i, p in enumerate(order) if k.startswith(p)), 9) for k in chosen
    }
    chosen = sorted(chosen, key=lambda k: rank[k])

    # A preset's columns: one sentence per kind (region 0-9, boundary 10-19,
    # distance 20-29), the first of each.
    kinds = set()
    for key in preset_metrics(keys):
        kind = _PRESET_RANK.get(key.partition(".")[2].split("@")[0], 30) // 10
        if kind < 3 and kind not in kinds:
            kinds.add(kind)
            chosen.append(key)
    return chosen


def ceiling_sentences(
    metrics: dict, reach: dict, profile, widths=(), *, values=None
) -> list[str]:
    """One sentence per headline metric present, the tolerance, the disagreement.

    ``widths`` are the boundary F tolerances measured; the tolerance sentence says
    the range it looked at. ``values`` (per-image values by metric) let a score's
    sentence name its worst images with their real count; without them it gives
    the 5th percentile.

    Examples
    --------
    >>> ceiling_sentences({}, {}, None)
    []
    >>> ceiling_sentences({}, {0.9: float("inf"), 0.95: float("inf")}, None,
    ...                   (1.0, 10.0))[0]  # doctest: +NORMALIZE_WHITESPACE
    'These labels are not accurate to 10 px: the mean boundary F stays below 0.9 up
    to 10 px (tolerances measured: 1 to 10 px); measure wider tolerances to find
    where it reaches 0.9.'
    """
    from .ceiling import is_distance

    values = values or {}
    sentences = []
    for metric in headline_keys(metrics):
        summary = metrics[metric]
        if summary.n == summary.n_undefined:
            continue
        if is_distance(metric):
            sentences.append(_distance_sentence(summary))
        else:
            sentences.append(_score_sentence(summary, values.get(metric)))
    sentence = _reach_sentence(reach, widths)
    if sentence:
        sentences.append(sentence)
    if profile is not None:
        sentences.append(_profile_sentence(profile))
    return sentences
