"""``maskqa compare``: one pair of masks, one report."""

from __future__ import annotations

import csv
import enum
import io
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ._common import (
    OutputFormat,
    dumps_json,
    format_value,
    guarded,
    stdout,
    write_stdout,
)
from .app import app

__all__ = ["TOLERANCE_HELP", "Border", "ExistingFile", "compare_command"]


class Border(str, enum.Enum):
    """Whether mask edges on the image border count as boundary."""

    exclude = "exclude"
    include = "include"


ExistingFile = {
    "exists": True,
    "dir_okay": False,
    "readable": True,
    "resolve_path": True,
}

TOLERANCE_HELP = (
    "Boundary tolerance in pixels; repeat for a curve (default 1 2 3 5 10)."
)
BAND_HELP = (
    "Trimap band width in pixels; repeat for a curve "
    "(default 1 2 3 4 5 7 10 15 20 30 40)."
)
PRESET_HELP = (
    "Report a published convention instead of maskqa's default: davis, "
    "boundary-iou-api, deepmind, medpy, monai, cascadepsp, pycocotools, seg-metrics."
)


LABEL_HELP = (
    "Select this value of label maps as the mask (instead of binarising); "
    "excludes --threshold."
)
LabelOption = Annotated[int | None, typer.Option(help=LABEL_HELP)]
#: What to do about a label map read as an empty or full mask (io.read_mask_strict).
LABEL_MAP_ADVICE = (
    "pass --label to select a class, or --threshold to choose the foreground."
)


def compare_kwargs(preset, tolerance, band, border, threshold, label=None) -> dict:
    """The keyword arguments of maskqa.compare that the command-line options set.

    ``threshold`` and ``label`` are reading options (a batch passes them on).
    """
    kwargs = {"border": border.value if isinstance(border, enum.Enum) else border}
    if preset:
        kwargs["preset"] = preset
    if tolerance:
        kwargs["tolerance_px"] = tuple(tolerance)
    if band:
        kwargs["band_px"] = tuple(band)
    if threshold is not None:
        kwargs["threshold"] = threshold
    if label is not None:
        kwargs["label"] = label
    return kwargs


def _print_table(report, reference: Path, candidate: Path) -> None:
    # The names on a line of their own: a table title wraps to the table's width.
    stdout.print(
        f"[bold]{reference.name}[/bold] (reference) vs "
        f"[bold]{candidate.name}[/bold] (candidate)",
        highlight=False,
        soft_wrap=True,
    )
    table = Table()
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in report.values.items():
        table.add_row(key, format_value(value))
    stdout.print(table)
    conventions = ", ".join(f"{k}={v}" for k, v in report.params.items())
    stdout.print(f"[dim]{conventions}[/dim]", highlight=False)


def _csv_text(report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["metric", "value"])
    for key, value in report.values.items():
        writer.writerow([key, repr(value) if isinstance(value, float) else value])
    return buffer.getvalue()


@app.command("compare")
@guarded
def compare_command(
    reference: Annotated[
        Path,
        typer.Argument(
            help="Fine (reference) mask file.", metavar="REFERENCE", **ExistingFile
        ),
    ],
    candidate: Annotated[
        Path,
        typer.Argument(
            help="Coarse (candidate) mask file.", metavar="CANDIDATE", **ExistingFile
        ),
    ],
    format: Annotated[
        OutputFormat,
        typer.Option(
            "--format", "-f", help="table on a terminal; json or csv for scripts."
        ),
    ] = OutputFormat.table,
    preset: Annotated[str | None, typer.Option(help=PRESET_HELP)] = None,
    tolerance: Annotated[
        list[float] | None, typer.Option("--tolerance", "-t", help=TOLERANCE_HELP)
    ] = None,
    band: Annotated[
        list[float] | None, typer.Option("--band", "-b", help=BAND_HELP)
    ] = None,
    border: Annotated[
        Border, typer.Option(help="Count mask edges on the image border as boundary?")
    ] = Border.exclude,
    threshold: Annotated[
        float | None,
        typer.Option(
            help="Foreground is value >= THRESHOLD (default: the binarisation rule)."
        ),
    ] = None,
    label: LabelOption = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Compare one REFERENCE mask (fine) with one CANDIDATE mask (coarse).

    Reads two mask files (PNG, JPEG, TIFF, BMP or .npy) of the same size and prints
    every metric of the report: a table on a terminal, or JSON / CSV on stdout. Writes
    no file.
    """
    from ..errors import InputError, ShapeMismatchError
    from ..io import read_mask_strict
    from ..metrics.report import compare

    # A label map read as an empty mask on both sides would score as a perfect
    # agreement: an error, as in evaluate.
    reading = {"label": label, "threshold": threshold, "advice": LABEL_MAP_ADVICE}
    ref = read_mask_strict(reference, **reading)
    cand = read_mask_strict(candidate, **reading)
    if label is not None and not ref.any() and not cand.any():
        raise InputError(
            f"--label {label} occurs in neither {reference} nor {candidate}: both "
            "masks are empty, which would score as perfect agreement."
        )
    kwargs = compare_kwargs(preset, tolerance, band, border, None)

    if ref.shape != cand.shape:
        raise ShapeMismatchError(
            f"reference is {ref.shape[0]}x{ref.shape[1]} but candidate is "
            f"{cand.shape[0]}x{cand.shape[1]} (height x width); masks are never "
            "resized",
            candidate,
        )
    report = compare(ref, cand, **kwargs)
    if format is OutputFormat.json:
        write_stdout(
            dumps_json(
                {
                    "reference": str(reference),
                    "candidate": str(candidate),
                    "values": report.values,
                    "params": report.params,
                }
            )
        )
    elif format is OutputFormat.csv:
        write_stdout(_csv_text(report))
    else:
        _print_table(report, reference, candidate)
