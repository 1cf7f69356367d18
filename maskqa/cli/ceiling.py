"""``maskqa ceiling``: how much do coarse labels cap a model, and how fine are they?

Scores every pair of REFERENCE_DIR (fine) and CANDIDATE_DIR (coarse) with boundary F,
trimap IoU and NSD at 1 to 20 px, then writes into ``--out``, beside the results folder
of ``maskqa evaluate`` (``pairs.csv``, ``summary.json``, ...):

- ``ceiling.json``: the analysis, format below;
- ``ceiling.md``: the sentences and a table of headline metrics;
- ``ceiling_curves.png``: every curve with its bootstrap interval;
- ``disagreement.png``: disagreeing pixels by distance to the fine boundary.

``ceiling.json`` (non-finite numbers are the strings ``"inf"``, ``"-inf"``, ``"nan"``)::

    {
      "params": {"n_boot", "confidence", "seed", "targets": [0.9, 0.95], "n_images"},
      "metrics": {METRIC: {"metric", "mean", "pooled", "median", "p05", "p95",
                           "minimum", "maximum", "ci_low", "ci_high", "n",
                           "n_undefined", "n_infinite", "confidence", "n_boot",
                           "seed"}},
      "curves": {FAMILY: {"family", "widths_px": [...], "points": [<as metrics>]}},
      "tolerance_for_f": {"0.9": px, "0.95": px},   # inf: never reached
      "disagreement": {"bins": ["0_1", ..., "gt20"], "over_px": [...],
                       "under_px": [...], "over_fraction": [...],
                       "under_fraction": [...], "offset_mean_px",
                       "offset_pooled_px", "n"} or null,
      "sentences": ["A model that reproduced these labels perfectly ...", ...],
      "fit": {"best", "error", "target", "simulated", "ranking", "metrics", "seed",
              "sentence"}                           # with --fit only
    }

``mean`` is the mean of per-image scores, ``pooled`` the dataset score from summed
pixel counts (nan where the metric has no pooled form); ``ci_low``/``ci_high`` is the
percentile bootstrap interval of the mean over images, reproducible from ``seed``.
``n_infinite`` counts infinite values (distances of pairs with one empty mask): one
makes the mean and the upper end of the interval inf; values of both signs (a boundary
offset) leave the mean and the interval undefined (nan).

The curves and sentences use whatever tolerances ``pairs.csv`` holds, so
``maskqa evaluate --ceiling`` with its own ``--tolerance`` values works the same way;
the sentences name the range of tolerances measured.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ._common import count, guarded, progress_bar, stderr, stdout
from .app import EXIT_FAILURES, EXIT_OK, app
from .compare import LabelOption

__all__ = [
    "CEILING_TOLERANCES_PX",
    "MIN_BOOT",
    "ceiling_command",
    "draw_ceiling",
    "write_ceiling",
]

#: Tolerances and band widths of the ceiling curves.
CEILING_TOLERANCES_PX = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20)

#: The fewest bootstrap resamples the command accepts: the 2.5th and 97.5th
#: percentiles of fewer resamples are read from a handful of values.
MIN_BOOT = 100


def draw_ceiling(out_dir: Path, data: dict) -> list[Path]:
    """Draw ``ceiling_curves.png`` and ``disagreement.png`` from ceiling data."""
    from ..viz.sweep import plot_ceiling_curves, plot_disagreement_profile, save_figure

    written = []
    if data.get("curves"):
        save_figure(plot_ceiling_curves(data), out_dir / "ceiling_curves.png")
        written.append(out_dir / "ceiling_curves.png")
    if data.get("disagreement"):
        save_figure(
            plot_disagreement_profile(data["disagreement"]),
            out_dir / "disagreement.png",
        )
        written.append(out_dir / "disagreement.png")
    return written


def write_ceiling(results_dir, *, seed: int = 0, n_boot: int = 2000, fit: bool = False):
    """The ceiling files of a results folder: JSON, Markdown, plots (and the fit).

    This is what ``maskqa evaluate --ceiling`` should call to get the plots too;
    :func:`maskqa.analysis.ceiling.write_ceiling` writes the JSON and Markdown only.
    """
    from .._json import jsonable
    from ..analysis.ceiling import ceiling_markdown
    from ..analysis.ceiling import write_ceiling as write_analysis

    out = Path(results_dir)
    ceiling = write_analysis(out, n_boot=n_boot, seed=seed)
    data = ceiling.to_dict()
    markdown = ceiling_markdown(ceiling)
    if fit:
        result = _fit_from_results(out, seed)
        if result is not None:
            data["fit"] = result.to_dict()
            markdown += f"\n## Which coarsening this resembles\n\n{result.sentence()}\n"
    (out / "ceiling.json").write_text(json.dumps(jsonable(data), indent=1))
    (out / "ceiling.md").write_text(markdown)
    draw_ceiling(out, data)
    return data


def _fit_from_results(out: Path, seed: int):
    from ..analysis.simulate import fit_mechanism
    from ..io import read_mask
    from ..runner import read_results

    rows = read_results(out).rows
    if not rows:
        return None
    pairs = [(read_mask(r["reference"]), read_mask(r["candidate"])) for r in rows]
    return fit_mechanism(pairs, seed=seed)


@app.command("ceiling")
@guarded
def ceiling_command(
    reference_dir: Annotated[
        Path,
        typer.Argument(
            help="Folder of fine (reference) masks.",
            exists=True,
            file_okay=False,
            resolve_path=True,
        ),
    ],
    candidate_dir: Annotated[
        Path,
        typer.Argument(
            help="Folder of coarse (candidate) masks, same file names.",
            exists=True,
            file_okay=False,
            resolve_path=True,
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Results folder to write.")],
    seed: Annotated[
        int, typer.Option(help="Seed of the bootstrap (and of the fit).")
    ] = 0,
    n_boot: Annotated[
        int,
        typer.Option(
            min=MIN_BOOT,
            help=f"Bootstrap resamples (at least {MIN_BOOT}: fewer give no usable "
            "percentile interval).",
        ),
    ] = 2000,
    fit: Annotated[
        bool,
        typer.Option(help="Also find the coarsening mechanism these labels resemble."),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Local worker processes (default: all CPUs)."),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option(help="Replace results already in --out.")
    ] = False,
    resume: Annotated[
        bool,
        typer.Option(help="Continue a run: skip pairs already in --out's pairs.csv."),
    ] = False,
    threshold: Annotated[
        float | None, typer.Option(help="Foreground is value >= THRESHOLD.")
    ] = None,
    label: LabelOption = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """The accuracy ceiling that CANDIDATE_DIR's labels impose against REFERENCE_DIR.

    Writes the results folder of `maskqa evaluate` plus ceiling.json, ceiling.md and
    plots into --out, and prints the sentences. Exit codes: 0 every pair scored, 1 some
    pairs failed, 2 bad usage or input.
    """
    from ..runner import evaluate_pairs, plan_dirs

    tasks, unpaired = plan_dirs(reference_dir, candidate_dir)
    kwargs = {"tolerance_px": CEILING_TOLERANCES_PX, "band_px": CEILING_TOLERANCES_PX}
    if threshold is not None:
        kwargs["threshold"] = threshold
    if label is not None:
        kwargs["label"] = label
    with progress_bar("scoring pairs", len(tasks)) as advance:
        result = evaluate_pairs(
            tasks,
            out,
            unpaired=unpaired,
            compare_kwargs=kwargs,
            workers=workers,
            overwrite=overwrite,
            resume=resume,
            progress=lambda task, error: advance(task.name),
        )
    data = write_ceiling(out, seed=seed, n_boot=n_boot, fit=fit)
    if not result.n_scored:
        stderr.print(
            f"[red]No pair was scored: see {out / 'errors.csv'}[/red]", soft_wrap=True
        )
    for sentence in data["sentences"]:
        stdout.print(f"- {sentence}", highlight=False)
    if "fit" in data:
        stdout.print(f"- {data['fit']['sentence']}", highlight=False)
    stdout.print(f"ceiling analysis: {out / 'ceiling.json'}, {out / 'ceiling.md'}")
    if result.n_failed:
        stderr.print(
            f"[yellow]{count(result.n_failed, 'pair')} failed: "
            f"see {out / 'errors.csv'}[/yellow]"
        )
    raise typer.Exit(EXIT_OK if result.n_failed == 0 else EXIT_FAILURES)
