"""``maskqa evaluate``: a folder of reference masks against a folder of candidates."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..runner.results import HEADLINE_METRICS
from ._common import count, format_value, guarded, progress_bar, stderr, stdout
from .align import MatchSize
from .app import EXIT_FAILURES, EXIT_OK, app
from .compare import (
    BAND_HELP,
    PRESET_HELP,
    TOLERANCE_HELP,
    Border,
    LabelOption,
    compare_kwargs,
)

__all__ = ["evaluate_command", "print_summary"]

ExistingDir = {
    "exists": True,
    "file_okay": False,
    "dir_okay": True,
    "resolve_path": True,
}


EVALUATE_MATCH_HELP = (
    "With --images, when an image and its masks differ in size (edge-alignment "
    "columns only; the masks are always scored at their own size): 'image' resizes "
    "the masks to the image's size (nearest neighbour); 'mask' resizes the image to "
    "the masks' size (area averaging). Aspect ratios must agree within 1 %. "
    "Default: that pair's alignment columns are left empty, with a warning."
)


def print_summary(summary: dict, out_dir: Path) -> None:
    """Print the dataset summary: the accuracy ceiling of the candidate labels."""
    metrics = summary.get("metrics", {})
    if not summary.get("n_scored"):
        stdout.print(
            f"No pair was scored ({summary.get('n_failed', 0)} failed, "
            f"{summary.get('n_unpaired', 0)} files unpaired): see "
            f"{out_dir / 'errors.csv'}",
            highlight=False,
            soft_wrap=True,
        )
        return
    table = Table(
        title="Accuracy ceiling of the candidate labels (reference = fine masks)"
    )
    table.add_column("metric")
    table.add_column("mean of pairs", justify="right")
    table.add_column("pooled", justify="right")
    table.add_column("pairs", justify="right")
    table.add_column("undefined", justify="right")
    keys = [k for k in HEADLINE_METRICS if k in metrics] or list(metrics)[:12]
    for key in keys:
        entry = metrics[key]
        pooled = entry.get("pooled")
        table.add_row(
            key,
            format_value(_as_float(entry.get("mean"))),
            "-" if pooled is None else format_value(_as_float(pooled)),
            str(entry.get("n", "")),
            str(entry.get("n_undefined", "")),
        )
    stdout.print(table)
    stdout.print(
        f"{summary.get('n_scored', 0)} pairs scored, "
        f"{summary.get('n_failed', 0)} failed, "
        f"{summary.get('n_unpaired', 0)} files unpaired. Pooled: one score from the "
        "pixel counts summed over all pairs.",
        highlight=False,
    )
    stdout.print(f"every metric per pair: {out_dir / 'pairs.csv'}", soft_wrap=True)
    stdout.print(
        f"conventions, dataset scores: {out_dir / 'summary.json'}", soft_wrap=True
    )


def _as_float(value):
    if isinstance(value, str):
        return float(value)
    return math.nan if value is None else float(value)


@app.command("evaluate")
@guarded
def evaluate_command(
    reference_dir: Annotated[
        Path,
        typer.Argument(
            help="Folder of fine (reference) masks.",
            metavar="REFERENCE_DIR",
            **ExistingDir,
        ),
    ],
    candidate_dir: Annotated[
        Path,
        typer.Argument(
            help="Folder of coarse (candidate) masks.",
            metavar="CANDIDATE_DIR",
            **ExistingDir,
        ),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Results folder to write.", file_okay=False),
    ],
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Local worker processes (default: all CPUs)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Dask scheduler address (tcp://host:8786): score on that cluster."
        ),
    ] = None,
    images: Annotated[
        Path | None,
        typer.Option(
            help="Folder of images (same names): adds edge-alignment columns.",
            **ExistingDir,
        ),
    ] = None,
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
        float | None, typer.Option(help="Foreground is value >= THRESHOLD.")
    ] = None,
    label: LabelOption = None,
    match_size: Annotated[
        MatchSize | None, typer.Option("--match-size", help=EVALUATE_MATCH_HELP)
    ] = None,
    resume: Annotated[
        bool, typer.Option(help="Continue a run: skip pairs already in pairs.csv.")
    ] = False,
    overwrite: Annotated[
        bool, typer.Option(help="Replace the results already in --out.")
    ] = False,
    report: Annotated[
        bool, typer.Option(help="Also write the HTML report (report.html).")
    ] = False,
    ceiling: Annotated[
        bool, typer.Option(help="Also write the ceiling analysis (ceiling.json).")
    ] = False,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Score every pair of masks with the same name in REFERENCE_DIR and CANDIDATE_DIR.

    Pairs files by name (the stem: a.png pairs with a.jpg), shows progress, and
    writes to --out: pairs.csv (one row per pair: reference, candidate, iou, dice
    and every other metric), summary.json (mean of per-pair scores and pooled
    scores, undefined counts, every convention and parameter), errors.csv (pairs
    that could not be scored, with the reason) and unpaired.csv (files without a
    partner). Prints the dataset summary.

    With --ceiling and no --tolerance, boundary curves run from 1 to 20 px.

    Exit codes: 0 every pair scored, 1 some pairs failed, 2 bad usage or input,
    3 internal error.
    """
    from ..runner import evaluate_pairs, plan_dirs

    tasks, unpaired = plan_dirs(reference_dir, candidate_dir, images_dir=images)
    if ceiling and not tolerance and not preset:
        # The ceiling reads curves up to 20 px: where coarse labels reach F = 0.9.
        from .ceiling import CEILING_TOLERANCES_PX

        tolerance = list(CEILING_TOLERANCES_PX)
    kwargs = compare_kwargs(preset, tolerance, band, border, threshold, label)
    if match_size is not None:
        if images is None:
            from ..errors import InputError

            raise InputError("Expected --images with --match-size, got no --images.")
        kwargs["match_size"] = match_size.value
    with progress_bar("scoring pairs", len(tasks)) as advance:
        result = evaluate_pairs(
            tasks,
            out,
            unpaired=unpaired,
            compare_kwargs=kwargs,
            workers=workers,
            scheduler=scheduler,
            resume=resume,
            overwrite=overwrite,
            progress=lambda task, error: advance(task.name),
        )
    print_summary(result.summary, out)
    if result.n_failed:
        stderr.print(
            f"[yellow]{count(result.n_failed, 'pair')} failed: "
            f"see {out / 'errors.csv'}[/yellow]"
        )
    if result.n_unpaired:
        stderr.print(
            f"[yellow]{count(result.n_unpaired, 'file')} unpaired: "
            f"see {out / 'unpaired.csv'}[/yellow]"
        )
    if result.n_warnings:
        stderr.print(
            f"[yellow]{count(result.n_warnings, 'warning')}: "
            f"see {out / 'warnings.csv'}[/yellow]"
        )
    if ceiling:
        from .ceiling import write_ceiling

        data = write_ceiling(out, seed=0, n_boot=2000, fit=False)
        for sentence in data["sentences"]:
            stdout.print(f"- {sentence}", highlight=False)
        stdout.print(f"ceiling analysis: {out / 'ceiling.json'}, {out / 'ceiling.md'}")
    if report:
        from ..viz.report import write_report

        stdout.print(f"report: {write_report(out, images_dir=images)}")
    raise typer.Exit(EXIT_OK if result.n_failed == 0 else EXIT_FAILURES)
