"""``maskqa report``: the HTML page of a results folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ._common import guarded, stdout
from .app import app

__all__ = ["report_command"]

ExistingDir = dict(exists=True, file_okay=False, dir_okay=True, resolve_path=True)


@app.command("report")
@guarded
def report_command(
    results_dir: Annotated[
        Path,
        typer.Argument(
            help="Results folder written by `maskqa evaluate`.", **ExistingDir
        ),
    ],
    out: Annotated[
        Optional[Path],
        typer.Option(
            "--out",
            "-o",
            help="Page to write (default RESULTS_DIR/report.html).",
            dir_okay=False,
        ),
    ] = None,
    worst_k: Annotated[
        int, typer.Option(min=1, help="Worst pairs shown with their overlays.")
    ] = 12,
    metric: Annotated[
        Optional[str],
        typer.Option(
            help="Column that ranks the worst pairs (default: the first headline "
            "metric whose values differ between pairs, IoU when it does)."
        ),
    ] = None,
    images: Annotated[
        Optional[Path],
        typer.Option(
            help="Folder of the images (same names): drawn under the overlays.",
            **ExistingDir,
        ),
    ] = None,
    band: Annotated[
        Optional[float],
        typer.Option(
            "--band",
            "-b",
            min=0,
            help="Draw the edges of the trimap band of this width (px).",
        ),
    ] = None,
    embed: Annotated[
        bool,
        typer.Option(
            "--embed/--files",
            help="Embed the pictures in the page (one file), or write them to a "
            "folder beside it (PAGE_files/) that must stay beside it.",
        ),
    ] = True,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Write one self-contained HTML page that summarises RESULTS_DIR, for any browser.

    Reads pairs.csv, errors.csv, unpaired.csv, summary.json (and ceiling.json when
    present) and the mask files of the worst pairs (with the threshold they were
    scored with); writes one page with its pictures embedded: summary and ceiling
    tables, curves over the tolerance, the worst pairs with their overlays, a paged
    table of every pair, and every convention and parameter used. With a preset the
    summary shows the preset's metrics. The page names the metric that ranks the
    worst pairs. A folder where no pair was scored gives a page that says so, points
    to errors.csv and lists the failures.
    """
    from ..viz.report import write_report

    page = write_report(
        results_dir,
        out=out,
        worst_k=worst_k,
        metric=metric,
        images_dir=images,
        band_px=band or None,
        embed=embed,
    )
    stdout.print(f"wrote {page}", highlight=False, markup=False, soft_wrap=True)
