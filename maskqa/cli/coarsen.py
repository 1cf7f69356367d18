"""``maskqa coarsen``: simulated coarse labels from fine masks, and guideline sweeps.

``maskqa coarsen FINE_DIR --out DIR --mechanism polygon --level 3`` writes one coarse
mask per fine mask (PNG, 0/255, same name, sub-folders kept). ``--then dilate:2`` adds
steps after the mechanism. ``--sweep 0,1,2,4,8`` instead scores the mechanism at each
level against the fine masks and writes ``sweep.csv`` (one row per level: level, steps,
mean vertex count, then every metric's mean and interval), ``sweep_level.png`` and
``sweep_vertices.png``, prints the means per level and which levels keep boundary F at 2
px above 0.9.

Files are listed as ``maskqa evaluate`` lists them (:mod:`maskqa.io.pairing`): a name
is the relative path without suffix, hidden files are skipped, and a name held by two
files (``a.png`` and ``a.jpg``) is an error, never a guess. A file that cannot be read
or coarsened is recorded in ``OUT/errors.csv`` (``name``, ``path``, ``error``) and the
others are still written. ``--out`` is refused when it already holds a file this run
would write, unless ``--overwrite`` is given.

Exit codes: 0 every file written, 1 some files failed (see ``errors.csv``), 2 bad
usage or input.
"""

from __future__ import annotations

import csv
import enum
import warnings
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from PIL import Image

from ..errors import InputError
from ._common import guarded, progress_bar, stderr, stdout
from .align import ThresholdOption
from .app import EXIT_FAILURES, EXIT_OK, app
from .compare import LABEL_MAP_ADVICE, LabelOption

__all__ = ["Mechanism", "coarsen_command", "parse_levels", "write_sweep"]

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

ERRORS_CSV = "errors.csv"
SWEEP_FILES = ("sweep.csv", "sweep_level.png", "sweep_vertices.png")


def parse_levels(text: str, option: str = "--sweep") -> list[float]:
    """Comma-separated levels, each a finite number >= 0 in any float notation.

    Raises an InputError naming ``option`` and the bad item (the command line
    prints it as one line and exits 2).
    """
    items = [item.strip() for item in text.split(",")]
    if not any(items):
        raise InputError(
            f"Expected `{option}` to hold comma-separated levels such as 0,1,2,4, "
            f"got {text!r}."
        )
    levels = []
    for number, item in enumerate(items, 1):
        if not item:
            raise InputError(
                f"Expected `{option}` item {number} to be a level, got an empty item "
                f"in {text!r}."
            )
        try:
            levels.append(float(item))
        except ValueError:
            raise InputError(
                f"Expected `{option}` item {number} to be a number, got {item!r} "
                f"(in {text!r})."
            ) from None
    return levels


def _read_steps(name: str, level, then: str, sweep: str | None):
    """The steps of --level (and --then), or the steps of every --sweep level."""
    from ..analysis.coarsen import parse_steps

    if (level is None) == (sweep is None):
        got = "neither" if level is None else "both"
        raise InputError(f"Expected exactly one of `--level` and `--sweep`, got {got}.")
    if sweep is not None and then:
        raise InputError(
            "Expected `--then` with `--level` only (a sweep varies one mechanism), "
            f"got --then {then!r} with --sweep."
        )
    if sweep is None:
        steps = _checked(parse_steps, [(name, level)], "--level", f"{level:g}")
        if then:
            steps += _checked(parse_steps, then, "--then", then)
        return steps, None
    levels = parse_levels(sweep, "--sweep")
    for item in levels:
        _checked(parse_steps, [(name, item)], "--sweep", f"{item:g}")
    return None, levels


def _checked(parse, value, option: str, shown: str):
    try:
        return parse(value)
    except InputError as exc:
        raise InputError(f"Bad `{option}` value {shown!r}: {exc.reason}") from None


def _list_fine(fine_dir: Path, out: Path):
    """Names and paths of the fine masks, and error rows for duplicate names."""
    from ..io import list_files

    if out.resolve() == fine_dir.resolve():
        raise InputError(
            "Expected `--out` to be another folder than FINE_DIR (the coarse masks "
            "would replace the fine ones), got the same folder.",
            out,
        )
    found, _ = list_files(fine_dir, param="fine_dir")
    # Coarse masks of an earlier run inside FINE_DIR are not fine masks.
    inside = out.resolve()
    found = {
        name: [p for p in paths if inside not in p.resolve().parents]
        for name, paths in found.items()
    }
    files, errors = {}, []
    for name, paths in sorted(found.items()):
        if len(paths) == 1:
            files[name] = paths[0]
        elif paths:
            shown = ", ".join(p.name for p in paths)
            reason = (
                f"{len(paths)} files are named {name!r} ({shown}): none written, "
                "rename one"
            )
            errors += [(name, str(path), reason) for path in paths]
    return files, errors


def _check_out(out: Path, targets, overwrite: bool) -> None:
    existing = [path for path in targets if path.exists()]
    if existing and not overwrite:
        raise InputError(
            f"Expected an --out folder without results, found {len(existing)} files "
            f"this run would write (e.g. {existing[0].name}); pass --overwrite to "
            "replace them",
            out,
        )
    out.mkdir(parents=True, exist_ok=True)


def _write_errors(out: Path, errors) -> Path:
    path = out / ERRORS_CSV
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "path", "error"])
        writer.writerows(errors)
    return path


def _read_fine(path: Path, reading: dict) -> np.ndarray:
    """A fine mask; a label map read as empty or full fails instead of coarsening
    an empty mask. ``reading`` holds ``label`` and ``threshold``."""
    from ..io import read_mask_strict

    # A warning (a JPEG thresholded) becomes one line, not a source excerpt.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mask = read_mask_strict(path, **reading, advice=LABEL_MAP_ADVICE)
    for warning in caught:
        stderr.print(f"[yellow]warning:[/yellow] {warning.message}", highlight=False)
    return mask


def _one_line(exc: Exception) -> str:
    # errors.csv names the path in its own column; the reason alone follows it.
    text = " ".join(str(getattr(exc, "reason", None) or exc).split())
    return text or type(exc).__name__


#: The sweep table's columns printed on the terminal (sweep.csv has them all).
SWEEP_COLUMNS = ("iou", "boundary_f@1px", "boundary_f@2px", "boundary_f@5px", "hd95")


def write_sweep(sweep_result, out: Path, table=None) -> list[Path]:
    """Write ``sweep.csv`` and the two sweep plots; return the paths written.

    ``table`` is ``sweep_result.table()`` when the caller has it already.
    """
    from ..viz.sweep import plot_sweep, save_figure

    table = sweep_result.table() if table is None else table
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
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder to write.", file_okay=False)
    ],
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
    label: LabelOption = None,
    threshold: ThresholdOption = None,
    overwrite: Annotated[
        bool, typer.Option(help="Replace the files already in --out.")
    ] = False,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Make coarse masks from FINE_DIR by a named mechanism, or sweep its level.

    Files that cannot be read are listed in OUT/errors.csv and the others written.
    Exit codes: 0 every file written, 1 some files failed, 2 bad usage or input.
    """
    from ..analysis.coarsen import format_steps

    steps, levels = _read_steps(mechanism.value, level, then, sweep)
    if label is not None and threshold is not None:
        raise InputError("Expected at most one of --label and --threshold, got both.")
    reading = {"label": label, "threshold": threshold}
    out = out.resolve()
    files, errors = _list_fine(fine_dir, out)
    if levels is None:
        targets = [out / f"{name}.png" for name in files]
    else:
        targets = [out / name for name in SWEEP_FILES]
    _check_out(out, [*targets, out / ERRORS_CSV], overwrite)

    if levels is None:
        written = _coarsen_files(files, steps, out, seed, reading, errors, debug)
        stdout.print(
            f"wrote {written} coarse mask{'' if written == 1 else 's'} "
            f"({format_steps(steps)}, seed {seed}) "
            f"to {out}",
            highlight=False,
            soft_wrap=True,
        )
    else:
        _sweep_files(
            files, mechanism.value, levels, out, seed, reading, errors, debug
        )
    _write_errors(out, errors)
    if errors:
        stderr.print(
            f"[yellow]{len(errors)} files failed: see {out / ERRORS_CSV}[/yellow]",
            soft_wrap=True,
        )
    raise typer.Exit(EXIT_FAILURES if errors else EXIT_OK)


def _coarsen_files(
    files: dict, steps, out: Path, seed: int, reading: dict, errors, debug
) -> int:
    from ..analysis.coarsen import coarsen

    written = 0
    with progress_bar("coarsening", len(files)) as advance:
        for index, (name, path) in enumerate(files.items()):
            try:
                result = coarsen(_read_fine(path, reading), steps, seed=seed + index)
                target = out / f"{name}.png"
                target.parent.mkdir(parents=True, exist_ok=True)
                image = Image.fromarray(np.where(result.mask, 255, 0).astype(np.uint8))
                image.save(target)
                written += 1
            except Exception as exc:  # one bad file must not stop the folder
                if debug:
                    raise
                errors.append((name, str(path), _one_line(exc)))
            advance(name)
    return written


def _sweep_files(
    files: dict, name: str, levels, out: Path, seed, reading: dict, errors, debug
):
    from ..analysis.simulate import guideline_sentence
    from ..analysis.simulate import sweep as run_sweep

    fines = []
    with progress_bar("reading fine masks", len(files)) as advance:
        for key, path in files.items():
            try:
                fines.append(_read_fine(path, reading))
            except Exception as exc:  # one bad file must not stop the sweep
                if debug:
                    raise
                errors.append((key, str(path), _one_line(exc)))
            advance(key)
    if not fines:
        stderr.print("[red]error:[/red] no fine mask could be read: nothing swept")
        return
    with progress_bar("sweeping levels", len(levels)) as advance:
        result = run_sweep(
            fines, name, levels, seed=seed, progress=lambda v: advance(f"{v:g}")
        )
    table = result.table()
    for path in write_sweep(result, out, table):
        stdout.print(f"wrote {path}", highlight=False, soft_wrap=True)
    _print_sweep(table, name)
    stdout.print(guideline_sentence(result, "boundary_f@2px", 0.9), highlight=False)


def _print_sweep(table: list[dict], name: str) -> None:
    """The headline means of every level, one row each (sweep.csv has the rest)."""
    from rich.table import Table

    from ._common import format_value

    columns = [c for c in SWEEP_COLUMNS if c in table[0]]
    shown = Table(title=f"{name} sweep: means over the masks")
    for header in ("level", "vertices", *columns):
        shown.add_column(header, justify="right")
    for row in table:
        cells = [f"{row['level']:g}", f"{row['vertices']:.0f}"]
        shown.add_row(*cells, *(format_value(row[c]) for c in columns))
    stdout.print(shown)
