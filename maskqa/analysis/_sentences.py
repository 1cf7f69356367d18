"""Sentences a person can act on, written from a ceiling analysis."""

from __future__ import annotations

import math

__all__ = ["ceiling_sentences", "headline_keys", "metric_label"]

_LABELS = {
    "iou": "region IoU",
    "dice": "Dice",
    "hd95": "95th-percentile Hausdorff distance",
    "hd95_pooled": "95th-percentile Hausdorff distance (pooled directions)",
}


def metric_label(metric: str) -> str:
    """A readable name: ``boundary_f@2px`` -> ``boundary F at 2 px``."""
    if "@" in metric:
        family, width = metric.split("@", 1)
        family = {
            "boundary_f": "boundary F",
            "trimap_iou": "trimap IoU",
            "nsd": "normalised surface Dice",
        }.get(family, family)
        return f"{family} at {width[:-2]} px"
    return _LABELS.get(metric, metric)


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


def _score_sentence(summary) -> str:
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
        f"({_interval(summary)}, {summary.n} images{undefined}; worst 5 % below "
        f"{_number(summary.p05)}{pooled})."
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
    missed = [t for t, w in known if not math.isfinite(w)]
    parts = [
        f"reaches {t:g} already at {w:g} px, the narrowest tolerance measured"
        if w <= narrowest
        else f"reaches {t:g} at {_number(w, 1)} px"
        for t, w in reached
    ]
    parts += [f"stays below {t:g} up to {widest:g} px" for t in missed]
    if reached and reached[0][1] <= narrowest:
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
    side = "outside" if profile.offset_pooled_px >= 0 else "inside"
    return (
        f"{over:.0%} of the disagreeing pixels are over-painting and "
        f"{1 - over:.0%} under-painting; {near:.0%} lie within "
        f"{profile.bins[0].split('_')[-1]} px of the fine boundary and {far:.0%} "
        f"farther than {profile.bins[-1][2:]} px; the label boundary lies on average "
        f"{_number(abs(profile.offset_pooled_px), 2)} px {side} the fine one."
    )


def headline_keys(keys) -> list[str]:
    """The metrics that get a sentence: the headline ones present, and for a curve
    family measured at none of the headline widths, its narrowest width.

    Examples
    --------
    >>> headline_keys(["iou", "boundary_f@3px", "boundary_f@10px", "hd95"])
    ['iou', 'boundary_f@3px', 'hd95']
    >>> headline_keys([])
    []
    """
    from .ceiling import _AT, CURVE_FAMILIES, HEADLINE_METRICS

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
    order = ("iou", "boundary_f@", "trimap_iou@", "nsd@")
    rank = {
        k: next((i for i, p in enumerate(order) if k.startswith(p)), 9) for k in chosen
    }
    return sorted(chosen, key=lambda k: rank[k])


def ceiling_sentences(metrics: dict, reach: dict, profile, widths=()) -> list[str]:
    """One sentence per headline metric present, the tolerance, the disagreement.

    ``widths`` are the boundary F tolerances measured; the tolerance sentence says
    the range it looked at.

    Examples
    --------
    >>> ceiling_sentences({}, {}, None)
    []
    >>> ceiling_sentences({}, {0.9: float("inf")}, None, (1.0, 10.0))[0]
    ... # doctest: +NORMALIZE_WHITESPACE
    'These labels are not accurate to 10 px: the mean boundary F stays below 0.9 up
    to 10 px (tolerances measured: 1 to 10 px); measure wider tolerances to find
    where it reaches 0.9.'
    """
    from .ceiling import is_distance

    sentences = []
    for metric in headline_keys(metrics):
        summary = metrics[metric]
        if summary.n == summary.n_undefined:
            continue
        maker = _distance_sentence if is_distance(metric) else _score_sentence
        sentences.append(maker(summary))
    sentence = _reach_sentence(reach, widths)
    if sentence:
        sentences.append(sentence)
    if profile is not None:
        sentences.append(_profile_sentence(profile))
    return sentences
