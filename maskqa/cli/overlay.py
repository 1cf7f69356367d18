"""``maskqa overlay``: a picture of where a candidate departs from the reference."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ._common import guarded, stdout
from .align import MatchOption
from .app import app
from .compare import LABEL_MAP_ADVICE, LabelOption

__all__ = ["overlay_command"]

ExistingFile = dict(exists=True, file_okay=True, dir_okay=False, resolve_path=True)


@app.command("overlay")
@guarded
def overlay_command(
    reference: Annotated[
        Path, typer.Argument(help="Fine (reference) mask file.", **ExistingFile)
    ],
    candidate: Annotated[
        Path, typer.Argument(help="Coarse (candidate) mask file.", **ExistingFile)
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="PNG file to write.", dir_okay=False)
    ],
    image: Annotated[
        Optional[Path],
        typer.Option(
            help="The image both masks were drawn on (shown in grey).", **ExistingFile
        ),
    ] = None,
    band: Annotated[
        Optional[float],
        typer.Option(
            "--band",
            "-b",
            min=0,
            help="Also draw the edges of the trimap band of this width (px).",
        ),
    ] = None,
    crops: Annotated[
        int, typer.Option(min=0, help="Zoomed crops where the disagreement is densest.")
    ] = 3,
    crop_size: Annotated[
        int, typer.Option(min=8, help="Side of each crop in image pixels.")
    ] = 96,
    threshold: Annotated[
        Optional[float],
        typer.Option(
            help="Foreground is value >= THRESHOLD (default: the binarisation rule)."
        ),
    ] = None,
    label: LabelOption = None,
    match_size: MatchOption = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Draw REFERENCE (fine) against CANDIDATE (coarse) over IMAGE, at full resolution.

    Reads two mask files of the same size (and optionally the image) and writes one PNG:
    the overlay at the image's full resolution (agreement grey-blue, over-painted
    orange, under-painted blue, reference boundary black, candidate boundary green,
    Okabe-Ito colours), a legend, and zoomed crops where the disagreement is densest.
    """
    from ..errors import InputError, ShapeMismatchError
    from ..io import read_image, read_mask_strict
    from ..metrics.alignment import match_size as matched
    from ..viz.overlay import overlay_figure

    if out.suffix.lower() != ".png":
        raise InputError(f"Expected `--out` to be a .png file, got {out.name!r}.", out)
    reading = {"label": label, "threshold": threshold, "advice": LABEL_MAP_ADVICE}
    ref = read_mask_strict(reference, **reading)
    cand = read_mask_strict(candidate, **reading)
    if ref.shape != cand.shape:
        raise ShapeMismatchError(
            f"Expected the masks to have the same size, got reference {reference} "
            f"{_size(ref)} and candidate {candidate} {_size(cand)} (height x width); "
            "masks are never resized",
            candidate,
        )
    picture = None if image is None else read_image(image)
    if picture is not None and match_size is not None:
        # As align and evaluate: --match-size says which side is resized.
        picture, ref = matched(picture, ref, match_size.value)
        picture, cand = matched(picture, cand, match_size.value)
    if picture is not None and picture.shape[:2] != ref.shape:
        raise ShapeMismatchError(
            f"Expected `--image` to have the masks' size {_size(ref)}, got "
            f"{_size(picture)} (height x width) for image {image} and masks "
            f"{reference}, {candidate}; images are never resized silently "
            "(--match-size chooses how)",
            image,
        )
    made = overlay_figure(
        ref,
        cand,
        picture,
        band_px=band or None,
        n_crops=crops,
        crop_size_px=crop_size,
        title=f"reference {reference.name} vs candidate {candidate.name}",
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    made.figure.savefig(out, dpi=made.figure.dpi)
    stdout.print(
        f"wrote {out} ({len(made.crops)} zoomed crops)",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


def _size(array) -> str:
    return f"{array.shape[0]}x{array.shape[1]}"
