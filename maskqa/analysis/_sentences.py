"""Sentences a person can act on, written from a ceiling analysis."""

from __future__ import annotations

import math

__all__ = ["ceiling_sentences", "metric_label"]

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
        f"({summary.confidence:.0%} interval {_number(summary.ci_low)}-"
        f"{_number(summary.ci_high)}, {summary.n} images{undefined}; worst 5 % below "
        f"{_number(summary.p05)}{pooled})."
    )


def _distance_sentence(summary) -> str:
    return (
        "Even a perfect model of these labels would stay on average "
        f"{_number(summary.mean, 1)} px ({metric_label(summary.metric)}) from the fine "
        f"masks ({summary.confidence:.0%} interval {_number(summary.ci_low, 1)}-"
        f"{_number(summary.ci_high, 1)} px, {summary.n} images)."
    )


def _reach_sentence(reach: dict, widest: float) -> str | None:
    known = sorted((t, w) for t, w in reach.items() if not math.isnan(w))
    if not known:
        return None
    reached = [(t, w) for t, w in known if math.isfinite(w)]
    missed = [t for t, w in known if not math.isfinite(w)]
    parts = [f"reaches {t:g} at {_number(w, 1)} px" for t, w in reached]
    parts += [f"stays below {t:g} up to {widest:g} px" for t in missed]
    if reached:
        lead = f"These labels are accurate to about {_number(reached[0][1], 1)} px"
    else:
        lead = f"These labels are not accurate to {widest:g} px"
    return f"{lead}: the mean boundary F " + " and ".join(parts) + "."


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


def ceiling_sentences(
    metrics: dict, reach: dict, profile, widest: float = math.nan
) -> list[str]:
    """One sentence per headline metric present, the tolerance, the disagreement.

    Examples
    --------
    >>> ceiling_sentences({}, {}, None)
    []
    """
    from .ceiling import HEADLINE_METRICS, is_distance

    sentences = []
    for metric in HEADLINE_METRICS:
        summary = metrics.get(metric)
        if summary is None or summary.n == summary.n_undefined:
            continue
        maker = _distance_sentence if is_distance(metric) else _score_sentence
        sentences.append(maker(summary))
    sentence = _reach_sentence(reach, widest)
    if sentence:
        sentences.append(sentence)
    if profile is not None:
        sentences.append(_profile_sentence(profile))
    return sentences
