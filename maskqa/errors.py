"""Exception and warning classes of maskqa.

Every error raised on user input is a :class:`MaskQAError`; errors about a file
also carry the path, so a batch can record which item failed and why.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "MaskQAError",
    "InputError",
    "MaskReadError",
    "ShapeMismatchError",
    "MaskQAWarning",
    "ThresholdWarning",
    "LabelMapWarning",
    "ExperimentalWarning",
]


class MaskQAError(Exception):
    """Base class of every error maskqa raises on purpose."""


class InputError(MaskQAError, ValueError):
    """An argument or an input array is not what the function expects.

    Parameters
    ----------
    message : str
        What was expected and what was got.
    path : str or Path, optional
        The file the input came from, when there is one. It is prefixed to the
        message so that the user sees which file is wrong.
    """

    def __init__(self, message: str, path: str | Path | None = None):
        self.path = None if path is None else Path(path)
        self.reason = message
        text = message if path is None else f"{path}: {message}"
        super().__init__(text)


class MaskReadError(InputError):
    """A file could not be read as a mask, image, trimap or label map."""


class ShapeMismatchError(InputError):
    """Two inputs that must have the same height and width do not."""


class MaskQAWarning(UserWarning):
    """Base class of maskqa's warnings."""


class ThresholdWarning(MaskQAWarning):
    """A mask was not binary and a threshold had to be chosen for it."""


class LabelMapWarning(ThresholdWarning):
    """A label map was read as a mask and the rule made it empty or full.

    A batch (``maskqa evaluate``) records such a pair as failed rather than score
    an empty mask; ``label=`` (``--label``) selects a class. ``finding`` is the
    message without its advice: what was found in which file.
    """

    def __init__(self, message: str, finding: str | None = None):
        super().__init__(message)
        self.finding = message if finding is None else finding


class ExperimentalWarning(MaskQAWarning):
    """A code path whose results may change in a later version was used."""
