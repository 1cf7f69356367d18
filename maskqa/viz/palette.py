"""The colours of maskqa's pictures: a colour-blind-safe palette, named by meaning.

Fills and lines are taken from the Okabe-Ito palette, whose colours stay distinct under
the common colour-vision deficiencies; agreement is a neutral grey-blue so that the eye
goes to the disagreement. Every picture names its colours in a legend built from
:data:`LEGEND`, so a reader never has to remember them.
"""

from __future__ import annotations

__all__ = ["COLOURS", "LEGEND", "to_rgb"]

#: Colour of each overlay element, as ``#rrggbb``.
COLOURS = {
    "agreement": "#a9b8c9",  # neutral grey-blue: both masks paint the pixel
    "over": "#e69f00",  # Okabe-Ito orange: only the candidate paints it
    "under": "#0072b2",  # Okabe-Ito blue: only the reference paints it
    "reference_boundary": "#000000",  # black
    "candidate_boundary": "#009e73",  # Okabe-Ito bluish green
    "band": "#cc79a7",  # Okabe-Ito reddish purple: edges of the trimap band
    "background": "#ffffff",  # used when no image is given
}

#: Legend text of each overlay element, in the order the legend lists them.
LEGEND = {
    "agreement": "agreement (both masks)",
    "over": "over-painted (candidate only)",
    "under": "under-painted (reference only)",
    "reference_boundary": "reference boundary",
    "candidate_boundary": "candidate boundary",
    "band": "trimap band edge",
}


def to_rgb(colour: str) -> tuple[int, int, int]:
    """Turn a ``#rrggbb`` string into an (r, g, b) tuple of 0..255 integers.

    Parameters
    ----------
    colour : str
        A colour written ``#rrggbb``.

    Returns
    -------
    tuple of int
        The red, green and blue values.

    Raises
    ------
    InputError
        If ``colour`` is not written ``#rrggbb``.

    Notes
    -----
    Only the six-digit form is accepted, so that every colour in maskqa reads the same.

    Examples
    --------
    >>> to_rgb(COLOURS["over"])
    (230, 159, 0)
    """
    from ..errors import InputError

    text = str(colour)
    digits = text[1:]
    if (
        len(text) != 7
        or text[0] != "#"
        or any(c not in "0123456789abcdefABCDEF" for c in digits)
    ):
        raise InputError(f"Expected `colour` written as '#rrggbb', got {colour!r}.")
    return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))
