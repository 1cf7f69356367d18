"""``maskqa coarsen``: simulated coarse labels from fine masks, and guideline sweeps.

``maskqa coarsen FINE_DIR --out DIR --mechanism polygon --level 3`` writes one coarse
mask per fine mask (PNG, 0/255, same stem). ``--then dilate:2`` adds steps after the
mechanism. ``--sweep 0,1,2,4,8`` instead scores the mechanism at each level against
the fine masks and writes ``sweep.csv`` (one row per level: level, steps, mean vertex
count, then every metric's mean and interval), ``sweep_level.png`` and
``sweep_vertices.png``, and prints which levels keep boundary F at 2 px above 0.9.
"""

from __future__ import annotations

import csv
import enum
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from PIL import Image

from ._common import guarded, stdout
from .app import EXIT_OK, EXIT_USAGE, app

__all__ = ["Mechanism", "coarsen_command", "write_sweep"]

Mechanism = enum.Enum(
    "Mechanism",
    {
        name: name
        for name in (
            "polygon",
            "vertices",
            "dilate",
            "erode",
            "smooth",
            "lowres",
            "drop_small",
            "jitter",
        )
    },
    type=str,
)

_SUFFIXES = (".png", ".bmp", ".tif", ".tiff", ".jpg", ".jpeg", ".npy")


def _fine_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in _SUFFIXES)


def write_sweep(sweep_result, out: Path) -> list[Path]:
    """Write ``sweep.csv`` and the two sweep plots; return the paths written."""
    from ..viz.sweep import plot_sweep, save_figure

    table = sweep_result.table()
    path = out / "sweep.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    metrics = [
        k
        for k in ("iou", "boundary_f@1px", "boundary_f@2px", "boundary_f@5px")
        if k in table[0]
    ]
    n_masks = len(sweep_result.per_image[0]["vertices"])
    title = f"{sweep_result.mechanism} sweep ({n_masks} masks)"
    written = [path]
    for x in ("level", "vertices"):
        target = out / f"sweep_{x}.png"
        save_figure(plot_sweep(table, metrics, x=x, title=title), target)
        written.append(target)
    return written


@app.command("coarsen")
@guarded
def coarsen_command(
    fine_dir: Annotated[
        Path,
        typer.Argument(
            help="Folder of fine masks.",
            exists=True,
            file_okay=False,
            resolve_path=True,
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write.")],
    mechanism: Annotated[Mechanism, typer.Option(help="How annotation loses detail.")],
    level: Annotated[
        float | None, typer.Option(help="The mechanism's parameter (px, factor, ...).")
    ] = None,
    then: Annotated[
        str, typer.Option(help="Steps after the mechanism, e.g. 'dilate:2+smooth:1'.")
    ] = "",
    sweep: Annotated[
        str | None,
        typer.Option(help="Comma-separated levels: score each, write sweep.csv."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of random mechanisms (jitter).")] = 0,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Make coarse masks from FINE_DIR by a named mechanism, or sweep its level.

    Exit codes: 0 done, 2 bad usage or unreadable input.
    """
    from ..analysis.coarsen import coarsen
    from ..analysis.simulate import guideline_sentence
    from ..analysis.simulate import sweep as run_sweep
    from ..io import read_mask

    files = _fine_files(fine_dir)
    if not files or (level is None) == (sweep is None):
        stdout.print(
            "[red]error:[/red] need fine masks and exactly one of --level, --sweep"
        )
        raise typer.Exit(EXIT_USAGE)
    out.mkdir(parents=True, exist_ok=True)
    fines = [read_mask(p) for p in files]
    name = mechanism.value

    if sweep is not None:
        levels = [float(v) for v in sweep.split(",") if v.strip()]
        result = run_sweep(fines, name, levels, seed=seed)
        for path in write_sweep(result, out):
            stdout.print(f"wrote {path}")
        stdout.print(guideline_sentence(result, "boundary_f@2px", 0.9), highlight=False)
        raise typer.Exit(EXIT_OK)

    steps = f"{name}:{level:g}" + (f"+{then}" if then else "")
    for index, (path, fine) in enumerate(zip(files, fines)):
        result = coarsen(fine, steps, seed=seed + index)
        image = Image.fromarray(np.where(result.mask, 255, 0).astype(np.uint8))
        image.save(out / f"{path.stem}.png")
    stdout.print(f"wrote {len(files)} coarse masks ({steps}, seed {seed}) to {out}")
    raise typer.Exit(EXIT_OK)
