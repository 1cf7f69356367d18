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
the band and is scored. Boundary metrics apply the same table to the boundary
pixel sets (a full mask has no boundary when ``border="exclude"``).

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


def empty_case(reference_empty: bool, candidate_empty: bool) -> str | None:
    """Name the empty case of a pair.

    Parameters
    ----------
    reference_empty, candidate_empty : bool
        Whether each side has no pixel (of mask or of boundary).

    Returns
    -------
    str or None
        ``"both"``, ``"reference"`` (only the reference is empty),
        ``"candidate"`` (only the candidate is empty), or None.

    Examples
    --------
    >>> empty_case(True, True), empty_case(False, True), empty_case(False, False)
    ('both', 'candidate', None)
    """
    if reference_empty and candidate_empty:
        return "both"
    if reference_empty:
        return "reference"
    if candidate_empty:
        return "candidate"
    return None


def empty_value(
    kind: str, reference_empty: bool, candidate_empty: bool, on_empty: str = "score"
) -> float | None:
    """The value the table gives a metric of ``kind`` on an empty case.

    Parameters
    ----------
    kind : {"overlap", "ratio", "distance", "band"}
        The metric's row of the table.
    reference_empty, candidate_empty : bool
        Whether each side is empty.
    on_empty : {"score", "nan"}, optional
        ``"nan"`` gives nan for every empty case.

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
    calls it before computing.

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
    """
    check_choice(kind, "kind", KINDS)
    check_choice(on_empty, "on_empty", ON_EMPTY)
    case = empty_case(reference_empty, candidate_empty)
    if case is None:
        return None
    if on_empty == "nan":
        return math.nan
    return EMPTY_TABLE[kind].get(case)
