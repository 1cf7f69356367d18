"""``maskqa align`` and ``maskqa audit``: masks judged against their own images.

Neither command needs a fine reference mask: the mask's boundary is scored against
the image's edges (:mod:`maskqa.metrics.alignment`).
"""

from __future__ import annotations

import csv
import enum
import io
import math
import os
import warnings
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from ..errors import InputError, MaskQAError, ShapeMismatchError
from ._common import (
    OutputFormat,
    count,
    dumps_json,
    format_value,
    guarded,
    stderr,
    stdout,
    write_stdout,
)
from .app import EXIT_FAILURES, EXIT_OK, app

__all__ = ["ALIGNMENT_CSV", "SHOWN", "MatchSize", "align_command", "audit_command"]

#: The ranked table written by ``audit``.
ALIGNMENT_CSV, ERRORS_CSV = "alignment.csv", "errors.csv"
#: Columns printed for the worst masks (every column is in the CSV).
SHOWN = (
    "alignment_score",
    "edge_distance_mean",
    "edge_within@2px",
    "profile_peak_px",
    "profile_sharpness",
    "normal_agreement",
)

ExistingFile = {
    "exists": True,
    "dir_okay": False,
    "readable": True,
    "resolve_path": True,
}
ExistingDir = {"exists": True, "file_okay": False, "resolve_path": True}
MASK_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".npy")


class MatchSize(str, enum.Enum):
    """Which size wins when a mask and its image differ."""

    image = "image"
    mask = "mask"


class AlignBorder(str, enum.Enum):
    """Whether mask edges on the image border count as boundary."""

    exclude = "exclude"
    include = "include"


MATCH_HELP = (
    "When the mask and the image differ in size: 'image' resizes the mask to the "
    "image's size (nearest neighbour, so labels are never mixed); 'mask' resizes the "
    "image to the mask's size (area averaging). Their aspect ratios must agree within "
    "1 %. Default: a size difference is an error."
)
CLASS_HELP = (
    "Score these label values of a label map, one row each (repeat the option); "
    "with --per-class and no --class, every label except 0."
)
PER_CLASS_HELP = "Read masks as label maps and score every class separately."
PROFILE_HELP = "Half-length in px of the gradient profile across the boundary."
THRESHOLD_HELP = "Foreground is value >= THRESHOLD (default: the binarisation rule)."

# Options shared by both commands.
MatchOption = Annotated[MatchSize | None, typer.Option("--match-size", help=MATCH_HELP)]
ClassOption = Annotated[
    list[int] | None, typer.Option("--class", "-c", help=CLASS_HELP)
]
PerClassOption = Annotated[bool, typer.Option("--per-class", help=PER_CLASS_HELP)]
ThresholdOption = Annotated[float | None, typer.Option(help=THRESHOLD_HELP)]
BorderOption = Annotated[
    AlignBorder, typer.Option(help="Count mask edges on the image border?")
]
ProfileOption = Annotated[int, typer.Option("--profile-px", min=1, help=PROFILE_HELP)]
DebugOption = Annotated[bool, typer.Option(help="Show tracebacks.")]


def _options(match_size, border, profile_px) -> dict:
    return {
        "match": None if match_size is None else match_size.value,
        "border": border.value,
        "profile_px": profile_px,
    }


def _score_file(image_path, mask_path, classes, per_class, threshold, options):
    """``[(class or None, Alignment)]`` for one image and its mask file."""
    from ..io import read_image, read_label_map
    from ..metrics.alignment import alignment, alignment_per_class

    image = read_image(image_path)
    try:
        if per_class or classes:
            labels = read_label_map(mask_path)
            scores = alignment_per_class(
                image, labels, classes=classes or None, **options
            )
            return list(scores.items())
        mask = _read_binary_mask(mask_path, threshold)
        return [(None, alignment(image, mask, **options))]
    except ShapeMismatchError as exc:
        # The metric sees arrays only: name the two files here.
        raise ShapeMismatchError(
            f"{exc.reason} (`image` is {image_path}, `mask` is {mask_path})",
            mask_path,
        ) from None


def _read_binary_mask(path: Path, threshold):
    """A mask file as a binary mask; a label map that reads empty or full is an error.

    Scoring the empty mask would give nan everywhere and look like a result.
    """
    from ..io import read_mask_strict

    return read_mask_strict(
        path,
        threshold=threshold,
        advice="The mask is not scored: pass --class (repeat it for several) or "
        "--per-class to score label values, or --threshold to choose the foreground.",
    )


# Columns of a rich table: a cell of width w takes w + 3 characters (padding and a
# rule), plus 1 for the table's outer rule.
_CELL_EXTRA, _TABLE_EXTRA, _MIN_NAME = 3, 1, 12


def _number_column(table: Table, header: str, values) -> None:
    # Numbers are never cut: as wide as their longest value or their header.
    width = max([len(header), *(len(v) for v in values)])
    table.add_column(header, justify="right", no_wrap=True, min_width=width)


def _class_chunks(results, keys, width: int) -> list[list]:
    # As many class columns per table as the terminal holds beside the metric
    # names; more classes make more tables, never narrower columns.
    metric_w = max(len(k) for k in keys) + _CELL_EXTRA + _TABLE_EXTRA
    chunks, current, used = [], [], metric_w
    for label, result in results:
        header = "value" if label is None else f"class {label}"
        values = [format_value(result.to_dict()[k]) for k in keys]
        need = max([len(header), *(len(v) for v in values)]) + _CELL_EXTRA
        if current and used + need > width:
            chunks.append(current)
            current, used = [], metric_w
        current.append((label, result, header, values))
        used += need
    return chunks + [current]


def _print_one(results, image: Path, mask: Path) -> None:
    keys = list(results[0][1].to_dict())
    chunks = _class_chunks(results, keys, stdout.width)
    for number, chunk in enumerate(chunks, start=1):
        title = f"{mask.name} against the edges of {image.name}"
        if len(chunks) > 1:
            title += f" ({number} of {len(chunks)})"
        table = Table(title=title)
        table.add_column("metric", overflow="fold")
        for _, _, header, values in chunk:
            _number_column(table, header, values)
        for index, key in enumerate(keys):
            table.add_row(key, *(values[index] for *_, values in chunk))
        stdout.print(table)
    for label, result in results:
        if result.note:
            where = "" if label is None else f"class {label}: "
            stdout.print(f"[yellow]{where}{result.note}[/yellow]", highlight=False)


@app.command("align")
@guarded
def align_command(
    image: Annotated[
        Path,
        typer.Argument(help="The photograph the mask was drawn on.", **ExistingFile),
    ],
    mask: Annotated[
        Path, typer.Argument(help="The mask (or label map) file.", **ExistingFile)
    ],
    format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="table on a terminal; json or csv (metric,value rows; with classes "
            "class,metric,value) for scripts.",
        ),
    ] = OutputFormat.table,
    match_size: MatchOption = None,
    label: ClassOption = None,
    per_class: PerClassOption = False,
    threshold: ThresholdOption = None,
    border: BorderOption = AlignBorder.exclude,
    profile_px: ProfileOption = 5,
    debug: DebugOption = False,
) -> None:
    """Score how well one MASK's boundary follows the edges of its IMAGE.

    Prints the combined `alignment_score` (0..1, 1 = on sharp edges), the distance to
    the nearest image edge, the gradient-profile peak (px, + = edge outside the mask)
    and the normal agreement: a table, or JSON or CSV on stdout. Writes no file.
    """
    options = _options(match_size, border, profile_px)
    results = _score_file(image, mask, label, per_class, threshold, options)
    if format is OutputFormat.json:
        entries = [_json_entry(c, r) for c, r in results]
        body = (
            entries[0]
            if len(entries) == 1 and results[0][0] is None
            else {"classes": entries}
        )
        write_stdout(
            dumps_json(
                {"image": str(image), "mask": str(mask), **body, "params": options}
            )
        )
    elif format is OutputFormat.csv:
        write_stdout(_csv_text(results))
    else:
        _print_one(results, image, mask)


def _csv_text(results) -> str:
    # metric,value rows as `compare` writes them; a class column when classes were
    # scored. Floats are written exactly (repr), nan and inf spelled out.
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    per_class = not (len(results) == 1 and results[0][0] is None)
    writer.writerow(["class", "metric", "value"] if per_class else ["metric", "value"])
    for label, result in results:
        for key, value in result.to_dict().items():
            text = repr(value) if isinstance(value, float) else value
            writer.writerow([label, key, text] if per_class else [key, text])
    return buffer.getvalue()


def _json_entry(label, result) -> dict:
    entry = {} if label is None else {"class": label}
    entry.update(result.to_dict())
    entry["profile"] = list(result.profile)
    entry["note"] = result.note
    return entry


def _suffixes(values, default) -> tuple[str, ...]:
    if not values:
        return default
    return tuple(v.lower() if v.startswith(".") else f".{v.lower()}" for v in values)


def _list_masks(folder: Path, suffixes) -> dict[str, list[Path]]:
    """Mask files under ``folder`` by name (relative path without suffix)."""
    found: dict[str, list[Path]] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in sorted(filenames):
            path = Path(dirpath) / filename
            if filename.startswith(".") or path.suffix.lower() not in suffixes:
                continue
            name = path.relative_to(folder).with_suffix("").as_posix()
            found.setdefault(name, []).append(path)
    if not found:
        wanted = ", ".join(suffixes)
        raise InputError(
            f"Expected `MASK_DIR` to hold mask files ({wanted}), found none.", folder
        )
    return found


def _rank_key(row: dict):
    score = row["alignment_score"]
    # Worst first; masks with no boundary (nan) last: they have nothing to audit.
    return (math.isnan(score), score if not math.isnan(score) else 0.0, row["name"])


def _write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {k: repr(v) if isinstance(v, float) else v for k, v in row.items()}
            )


def _fitting_columns(rows, width: int, with_class: bool) -> list[tuple[str, list]]:
    # The SHOWN columns, most telling first, that fit beside the name (folded when
    # long, never cut) and the class; the rest are in the CSV.
    name_w = min(max(len(r["name"]) for r in rows), 16)
    used = _TABLE_EXTRA + max(name_w, _MIN_NAME) + _CELL_EXTRA
    used += (len("class") + _CELL_EXTRA) if with_class else 0
    fitting = []
    for key in SHOWN:
        values = [format_value(row[key]) for row in rows]
        need = max([len(key), *(len(v) for v in values)]) + _CELL_EXTRA
        if fitting and used + need > width:
            break
        fitting.append((key, values))
        used += need
    return fitting


def _print_worst(rows: list[dict], count: int, out: Path) -> None:
    shown = rows[:count]
    with_class = any(row["class"] is not None for row in shown)
    columns = _fitting_columns(shown, stdout.width, with_class)
    table = Table(title=f"Worst {len(shown)} of {len(rows)} by alignment")
    table.add_column("name", overflow="fold", min_width=_MIN_NAME)
    if with_class:
        table.add_column("class", justify="right", no_wrap=True)
    for key, values in columns:
        _number_column(table, key, values)
    for index, row in enumerate(shown):
        label = "" if row["class"] is None else str(row["class"])
        cells = [row["name"], *([label] if with_class else [])]
        table.add_row(*cells, *(values[index] for _, values in columns))
    stdout.print(table)
    left_out = [key for key in SHOWN if key not in dict(columns)]
    if left_out:
        stdout.print(
            f"Not shown at this terminal width: {', '.join(left_out)}.",
            highlight=False,
            soft_wrap=True,
        )
    stdout.print(
        f"Every mask, ranked worst first: {out / ALIGNMENT_CSV}",
        highlight=False,
        soft_wrap=True,
    )


def _audit_items(masks, images_dir, image_suffixes):
    """``(name, mask_path, image_path or None, error or None)`` for every mask."""
    from ..io import pair_images

    match = pair_images(list(masks), images_dir, suffixes=image_suffixes)
    duplicates = {name: paths for name, paths in match.duplicates}
    for name, mask_paths in masks.items():
        mask_path = mask_paths[0]
        if len(mask_paths) > 1:
            found = ", ".join(p.name for p in mask_paths)
            yield (
                name,
                mask_path,
                None,
                f"more than one mask named {name}: {found}; choose with --mask-suffix",
            )
        elif name in match.images:
            yield name, mask_path, match.images[name], None
        elif name in duplicates:
            found = ", ".join(p.name for p in duplicates[name])
            yield name, mask_path, None, f"more than one image named {name}: {found}"
        else:
            yield name, mask_path, None, f"no image named {name} in {images_dir}"


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def _audit_rows(items, classes, per_class, threshold, options, progress, task):
    """Score every item; returns (rows, errors), carrying on past bad files."""
    rows, errors = [], []
    for name, mask_path, image_path, problem in items:
        progress.update(task, description=name)
        try:
            if problem is not None:
                raise InputError(problem, mask_path)
            scored = _score_file(
                image_path, mask_path, classes, per_class, threshold, options
            )
        except Exception as exc:  # noqa: BLE001 - a batch carries on past any bad file
            reason = str(exc) if isinstance(exc, MaskQAError) else _describe(exc)
            errors.append(
                {
                    "name": name,
                    "mask": str(mask_path),
                    "image": "" if image_path is None else str(image_path),
                    "error": " ".join(reason.split()),
                }
            )
        else:
            for label, result in scored:
                rows.append(
                    {
                        "name": name,
                        "class": label,
                        "mask": str(mask_path),
                        "image": str(image_path),
                        **result.to_dict(),
                        "note": result.note,
                    }
                )
        progress.advance(task)
    return rows, errors


@app.command("audit")
@guarded
def audit_command(
    mask_dir: Annotated[
        Path, typer.Argument(help="Folder of masks or label maps.", **ExistingDir)
    ],
    images: Annotated[
        Path,
        typer.Option(
            "--images", help="Folder of the images, same names.", **ExistingDir
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Folder to write alignment.csv and errors.csv to.",
            file_okay=False,
            resolve_path=True,
        ),
    ],
    match_size: MatchOption = None,
    label: ClassOption = None,
    per_class: PerClassOption = False,
    threshold: ThresholdOption = None,
    border: BorderOption = AlignBorder.exclude,
    profile_px: ProfileOption = 5,
    mask_suffix: Annotated[
        list[str] | None,
        typer.Option(help="Only masks with this suffix, e.g. .png (repeat)."),
    ] = None,
    image_suffix: Annotated[
        list[str] | None,
        typer.Option(help="Only images with this suffix, e.g. .jpg (repeat)."),
    ] = None,
    worst: Annotated[
        int, typer.Option(min=0, help="How many of the worst masks to print.")
    ] = 10,
    debug: DebugOption = False,
) -> None:
    """Rank every mask in MASK_DIR by how well it follows its image's edges.

    Each mask is matched by name to an image in --images. Writes OUT/alignment.csv (one
    row per mask, or per mask and class, worst first; masks without boundary last) and
    OUT/errors.csv (files that could not be scored, with the reason), and prints the
    worst masks. Exit code 1 when some files failed.
    """
    from ..io import IMAGE_SUFFIXES
    from ..metrics.alignment import WITHIN_PX, ProfilePeakWarning

    options = _options(match_size, border, profile_px)
    masks = _list_masks(mask_dir, _suffixes(mask_suffix, MASK_SUFFIXES))
    image_suffixes = _suffixes(image_suffix, IMAGE_SUFFIXES)
    out.mkdir(parents=True, exist_ok=True)

    columns = [
        "alignment_score",
        "edge_distance_mean",
        "edge_distance_median",
        "edge_distance_p90",
        *(f"edge_within@{px}px" for px in WITHIN_PX),
        "profile_peak_px",
        "profile_sharpness",
        "normal_agreement",
        "boundary_px",
    ]
    bar = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()]
    with (
        Progress(*bar, console=stderr, transient=True) as progress,
        warnings.catch_warnings(),
    ):
        # One line after the table counts the masks without a peak, instead of a
        # warning for each of them.
        warnings.simplefilter("ignore", ProfilePeakWarning)
        task = progress.add_task("audit", total=len(masks))
        items = _audit_items(masks, images, image_suffixes)
        rows, errors = _audit_rows(
            items, label, per_class, threshold, options, progress, task
        )

    rows.sort(key=_rank_key)
    _write_csv(
        out / ALIGNMENT_CSV, rows, ["name", "class", *columns, "note", "mask", "image"]
    )
    _write_csv(out / ERRORS_CSV, errors, ["name", "mask", "image", "error"])
    if rows and worst > 0:
        _print_worst(rows, worst, out)
    elif not rows:
        stdout.print(f"No mask was scored: see {out / ERRORS_CSV}", soft_wrap=True)
    _print_without_peak(rows, profile_px)
    if errors:
        failed = f"{len(errors)} of {count(len(masks), 'mask')} failed"
        stderr.print(f"[red]{failed}:[/red] {out / ERRORS_CSV}", highlight=False)
        stderr.print(f"first failure: {errors[0]['error']}", highlight=False)
        raise typer.Exit(EXIT_FAILURES)
    raise typer.Exit(EXIT_OK)


def _print_without_peak(rows: list[dict], profile_px: int) -> None:
    """One line counting the scored rows whose profile has no peak within reach."""
    missing = sum(
        row["boundary_px"] > 0 and math.isnan(row["profile_peak_px"]) for row in rows
    )
    if missing:
        stdout.print(
            f"No profile peak within ±{profile_px} px for {missing} of "
            f"{count(len(rows), 'row')} (profile_peak_px nan, no profile term in the "
            "score): the edge lies that far or farther from the boundary, or does "
            "not stand out of the texture; a larger --profile-px looks further.",
            highlight=False,
            soft_wrap=True,
        )
