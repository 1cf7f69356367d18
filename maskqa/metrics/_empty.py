"""What every metric returns on empty masks: one table, applied by one helper.

=============  ===========  ================  ================  ==============
kind           both empty   reference empty   candidate empty   metrics
=============  ===========  ================  ================  ==============
``overlap``    1            0                 0                 IoU, Dice,
                                                                precision,
                                                                recall,
                                                                boundary F/P/R,
                                                                boundary IoU
``ratio``      1            inf               0                 area_ratio
``distance``   0            inf               inf               HD, HD95, ASSD
``band``       nan          nan               (computed)        trimap, mBA
=============  ===========  ================  ================  ==============

A ``band`` metric is measured in a band around the *reference* boundary: with
no reference there is no band, and the value is undefined (nan, counted as
undefined by the aggregators); an empty candidate is simply wrong everywhere in
the band and is scored.

The case is decided from the masks first, then from the pixel sets a metric is
read from (boundaries, surfaces, band seeds):

1. exactly one mask empty (as a region): that side's case, whatever the
   boundaries; both masks empty: ``"both"``;
2. both masks non-empty: the same rule on the two pixel sets. With
   ``border="exclude"`` a full mask has no boundary: two full masks are
   ``"both"`` (perfect agreement), a full mask against a partial one is the
   full side's one-empty case.

``on_empty="nan"`` gives nan for every empty case instead.
"""

from __future__ import annotations

import math

from .._validation import check_choice

__all__ = ["EMPTY_TABLE", "ON_EMPTY", "KINDS", "empty_case", "empty_value"]

#: Allowed values of every ``on_empty`` parameter.
ON_EMPTY = ("score", "nan")

#: kind -> {case: value}; a missing case means "compute the metric normally".
EMPTY_TABLE: dict[str, dict[str, float]] = {
    "overlap": {"both": 1.0, "reference": 0.0, "candidate": 0.0},
    "ratio": {"both": 1.0, "reference": math.inf, "candidate": 0.0},
    "distance": {"both": 0.0, "reference": math.inf, "candidate": math.inf},
    "band": {"both": math.nan, "reference": math.nan},
}

#: The kinds of metric the table knows.
KINDS = tuple(EMPTY_TABLE)


def empty_case(
    reference_empty: bool,
    candidate_empty: bool,
    *,
    reference_set_empty: bool | None = None,
    candidate_set_empty: bool | None = None,
) -> str | None:
    """Name the empty case of a pair: from the masks first, then from their sets.

    Parameters
    ----------
    reference_empty, candidate_empty : bool
        Whether each mask has no foreground pixel.
    reference_set_empty, candidate_set_empty : bool, optional
        Whether the pixel set the metric is read from (boundary, surface, band
        seed) is empty on each side; only consulted when neither mask is empty.

    Returns
    -------
    str or None
        ``"both"``, ``"reference"`` (only the reference is empty),
        ``"candidate"`` (only the candidate is empty), or None.

    Notes
    -----
    A mask empty as a region decides the case whatever the boundaries say: a
    full mask against an empty one is total disagreement even when, with the
    image border excluded, neither has a boundary.

    Examples
    --------
    >>> empty_case(True, True), empty_case(False, True), empty_case(False, False)
    ('both', 'candidate', None)
    >>> empty_case(False, True, reference_set_empty=True, candidate_set_empty=True)
    'candidate'
    >>> empty_case(False, False, reference_set_empty=True, candidate_set_empty=True)
    'both'
    >>> empty_case(False, False, reference_set_empty=True, candidate_set_empty=False)
    'reference'
    """
    case = _case(reference_empty, candidate_empty)
    if case is not None or reference_set_empty is None:
        return case
    return _case(reference_set_empty, bool(candidate_set_empty))


def _case(reference_empty: bool, candidate_empty: bool) -> str | None:
    if reference_empty and candidate_empty:
        return "both"
    if reference_empty:
        return "reference"
    if candidate_empty:
        return "candidate"
    return None


def empty_value(
    kind: str,
    reference_empty: bool,
    candidate_empty: bool,
    on_empty: str = "score",
    *,
    reference_set_empty: bool | None = None,
    candidate_set_empty: bool | None = None,
) -> float | None:
    """The value the table gives a metric of ``kind`` on an empty case.

    Parameters
    ----------
    kind : {"overlap", "ratio", "distance", "band"}
        The metric's row of the table.
    reference_empty, candidate_empty : bool
        Whether each mask is empty (as a region).
    on_empty : {"score", "nan"}, optional
        ``"nan"`` gives nan for every empty case.
    reference_set_empty, candidate_set_empty : bool, optional
        Whether each side's boundary (surface, band seed) is empty; decides
        the case when neither mask is empty (see :func:`empty_case`).

    Returns
    -------
    float or None
        The value to report, or None when the metric must be computed (no side
        empty, or a case the table leaves to the computation).

    Raises
    ------
    InputError
        If ``kind`` or ``on_empty`` is not an allowed value.

    Notes
    -----
    The single place where the empty-mask convention is decided; every metric
    calls it before computing, with its pixel sets when it reads boundaries.

    Examples
    --------
    >>> empty_value("overlap", True, True)
    1.0
    >>> empty_value("distance", False, True)
    inf
    >>> empty_value("band", False, True) is None
    True
    >>> empty_value("overlap", True, True, on_empty="nan")
    nan
    >>> empty_value("overlap", False, False) is None
    True

    A full mask against an empty one, neither with a boundary (border
    excluded), is total disagreement:

    >>> empty_value(
    ...     "distance", False, True, reference_set_empty=True, candidate_set_empty=True
    ... )
    inf
    """
    check_choice(kind, "kind", KINDS)
    check_choice(on_empty, "on_empty", ON_EMPTY)
    case = empty_case(
        reference_empty,
        candidate_empty,
        reference_set_empty=reference_set_empty,
        candidate_set_empty=candidate_set_empty,
    )
    if case is None:
        return None
    if on_empty == "nan":
        return math.nan
    return EMPTY_TABLE[kind].get(case)
