"""The batch over a dataset: score every pair, stream rows to disk, record failures.

Pairs are scored in a local process pool by default, or on a Dask cluster when a
scheduler address is given. Rows are appended to ``pairs.csv`` as each pair finishes,
so memory stays flat in the size of the dataset and an interrupted run can be resumed:
pairs already in ``pairs.csv`` are skipped with ``resume=True``.
"""

from __future__ import annotations

import contextlib
import csv
import json
import logging
import math
import os
import traceback
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from .._json import jsonable
from ..errors import InputError, MaskQAError, MaskQAWarning
from .results import (
    ERRORS_CSV,
    PAIRS_CSV,
    RUN_JSON,
    SUMMARY_JSON,
    UNPAIRED_CSV,
    WARNINGS_CSV,
    read_csv_rows,
    read_results,
    summarise,
)

__all__ = [
    "PairTask",
    "RunResult",
    "evaluate_dirs",
    "evaluate_pairs",
    "check_options",
    "plan_dirs",
    "score_pair",
]

log = logging.getLogger("maskqa.runner")


@dataclass(frozen=True)
class PairTask:
    """One pair to score: a name, the two mask files, optionally the image."""

    name: str
    reference: str
    candidate: str
    image: str | None = None


@dataclass(frozen=True)
class RunResult:
    """What a batch did: counts, the results folder and the dataset summary."""

    out_dir: Path
    n_pairs: int
    n_scored: int
    n_failed: int
    n_skipped: int
    n_unpaired: int
    summary: dict = field(repr=False)
    n_warnings: int = 0

    @property
    def exit_code(self) -> int:
        """0 when every pair was scored, 1 when some failed."""
        return 0 if self.n_failed == 0 else 1


def score_pair(
    task: PairTask, compare_kwargs: Mapping | None = None
) -> tuple[dict, dict]:
    """Read and score one pair; return its row and the report's parameters.

    The row holds the pair's identity, its pixel counts and every report value.
    ``compare_kwargs`` holds :func:`maskqa.compare`'s keyword arguments and the
    reading options ``threshold`` and ``label`` (see :func:`maskqa.read_mask`) and
    ``match_size`` (see :func:`maskqa.match_size`: how an image of another size is
    brought to the masks' size for the edge-alignment columns).

    Raises whatever reading or scoring raises; the batch records it. A mask that
    looks like a label map and reads as empty or full (a
    :class:`~maskqa.errors.LabelMapWarning`) is an :class:`~maskqa.errors.InputError`
    here: a dataset of label maps read without ``label`` would otherwise score
    empty masks as perfect agreement.

    Warns
    -----
    MaskQAWarning
        When the pair's image cannot be read or has another size than the masks
        (and ``match_size`` is not given): the pair is scored and its
        edge-alignment columns are left empty (nan).
    """
    import numpy as np

    from ..geometry.boundaries import inner_boundary
    from ..metrics.report import compare

    kwargs = dict(compare_kwargs or {})
    threshold = kwargs.pop("threshold", None)
    label = kwargs.pop("label", None)
    match = kwargs.pop("match_size", None)
    reference = _read_pair_mask(task.reference, label, threshold)
    candidate = _read_pair_mask(task.candidate, label, threshold)
    if reference.shape != candidate.shape:
        raise InputError(
            f"reference {task.reference} is {reference.shape[0]}x{reference.shape[1]} "
            f"but candidate is {candidate.shape[0]}x{candidate.shape[1]} (height x "
            "width); masks are never resized silently",
            task.candidate,
        )
    report = compare(reference, candidate, **kwargs)
    row = {
        "name": task.name,
        "reference": task.reference,
        "candidate": task.candidate,
        "height": reference.shape[0],
        "width": reference.shape[1],
        "n_reference_px": int(reference.sum()),
        "n_candidate_px": int(candidate.sum()),
        "n_intersection_px": int(np.count_nonzero(reference & candidate)),
    }
    border = kwargs.get("border", "exclude")
    for side, mask in (("reference", reference), ("candidate", candidate)):
        boundary = inner_boundary(mask, border=border)
        row[f"n_{side}_boundary_px"] = int(np.count_nonzero(boundary))
    if task.image is not None:
        row["image"] = task.image
    row.update(report.values)
    if task.image is not None:
        row.update(_alignment_columns(task.image, reference, candidate, match))
    return row, dict(report.params)


def _read_pair_mask(path, label, threshold):
    """A mask of a pair; a label map read as an empty or full mask is an error."""
    from ..io import read_mask_strict

    return read_mask_strict(
        path,
        label=label,
        threshold=threshold,
        advice="The pair is not scored: pass --label (label=) to select a class, "
        "or --threshold (threshold=).",
    )


def _alignment_columns(image_path, reference, candidate, match) -> dict:
    """Edge alignment of both masks against the pair's image (edges found once).

    An image that cannot be read, or has another size than the masks when
    ``match`` is None, leaves the columns nan with a warning: the masks' scores
    do not depend on it.
    """
    from ..geometry.edges import image_edges
    from ..io import read_image
    from ..metrics.alignment import _undefined, match_size

    masks = {"reference": reference, "candidate": candidate}
    try:
        image = read_image(image_path)
        if image.shape[:2] != reference.shape:
            if match is None:
                raise InputError(
                    f"the image is {image.shape[0]}x{image.shape[1]} but the masks "
                    f"are {reference.shape[0]}x{reference.shape[1]} (height x "
                    "width); images are never resized silently (--match-size "
                    "chooses how)",
                    image_path,
                )
            if match == "mask":
                image, _ = match_size(image, reference, "mask")
            else:
                masks = {k: match_size(image, m, "image")[1] for k, m in masks.items()}
    except InputError as exc:
        warnings.warn(
            f"{str(exc).rstrip('.')}; this pair's edge-alignment columns are left "
            "empty",
            MaskQAWarning,
            stacklevel=2,
        )
        return {
            f"{side}.{key}": math.nan
            for side in masks
            for key in _undefined("").to_dict()
        }
    edges = image_edges(image)
    columns = {}
    for side, mask in masks.items():
        for key, value in _side_alignment(edges, mask, side).to_dict().items():
            columns[f"{side}.{key}"] = value
    return columns


def _side_alignment(edges, mask, side: str):
    """Alignment of one mask of a pair; its warnings say which mask they are about."""
    from ..metrics.alignment import ProfilePeakWarning, alignment_from_edges

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = alignment_from_edges(edges, mask)
    for w in caught:
        text = str(w.message)
        if w.category is ProfilePeakWarning:
            # evaluate has no --profile-px: point to the command that has it.
            text = (
                f"{result.note}; {side}.profile_peak_px and "
                f"{side}.profile_sharpness are nan (maskqa align IMAGE MASK "
                "--profile-px N looks further)"
            )
        warnings.warn(f"{side} mask: {text}", w.category, stacklevel=2)
    return result


def _safe_score(task: PairTask, compare_kwargs):
    """Score a pair in a worker; never raise: return the error as one line of text.

    Returns ``(task, row, params, error, warnings)``: row and params are None on
    failure; ``warnings`` are the texts of the warnings raised while scoring, so
    that the batch records them once per pair, whichever process scored it.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        task, row, params, error = _score_or_error(task, compare_kwargs)
    seen = dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught)
    return task, row, params, error, list(seen)


def _score_or_error(task: PairTask, compare_kwargs):
    try:
        row, params = score_pair(task, compare_kwargs)
        return task, row, params, None
    except MaskQAError as exc:
        return task, None, None, str(exc)
    except MemoryError:
        return task, None, None, "out of memory while scoring this pair"
    except Exception as exc:  # noqa: BLE001 - a bug: keep the batch going, say where
        where = traceback.extract_tb(exc.__traceback__)[-1]
        place = f"{Path(where.filename).name}:{where.lineno}"
        return (
            task,
            None,
            None,
            f"internal error {type(exc).__name__} at {place}: {exc}",
        )


class _Writer:
    """Appends rows to pairs.csv / errors.csv as they arrive, flushing each one."""

    def __init__(self, out_dir: Path, columns: Sequence[str] | None, resume: bool):
        self.out_dir = out_dir
        self.columns = list(columns) if columns else None
        mode = "a" if resume else "w"
        self._pairs = (out_dir / PAIRS_CSV).open(mode, newline="", encoding="utf-8")
        # Failed pairs are retried on resume, so errors.csv always starts afresh.
        self._errors = (out_dir / ERRORS_CSV).open("w", newline="", encoding="utf-8")
        self._pair_writer = None
        self._error_writer = csv.writer(self._errors)
        self._error_writer.writerow(["name", "reference", "candidate", "error"])
        self._warnings = (out_dir / WARNINGS_CSV).open(
            mode, newline="", encoding="utf-8"
        )
        self._warning_writer = csv.writer(self._warnings)
        if self._warnings.tell() == 0:
            self._warning_writer.writerow(["name", "warning"])
        if self.columns is not None:
            self._pair_writer = csv.DictWriter(
                self._pairs, self.columns, extrasaction="ignore"
            )
            if self._pairs.tell() == 0:
                self._pair_writer.writeheader()

    def row(self, row: Mapping) -> None:
        if self._pair_writer is None:
            self.columns = list(row)
            self._pair_writer = csv.DictWriter(
                self._pairs, self.columns, extrasaction="ignore"
            )
            self._pair_writer.writeheader()
        self._pair_writer.writerow({k: _cell(row.get(k)) for k in self.columns})
        self._pairs.flush()

    def error(self, task: PairTask, message: str) -> None:
        self._error_writer.writerow(
            [task.name, task.reference, task.candidate, message]
        )
        self._errors.flush()

    def warning(self, task: PairTask, message: str) -> None:
        self._warning_writer.writerow([task.name, message])
        self._warnings.flush()

    def close(self) -> None:
        self._pairs.close()
        self._errors.close()
        self._warnings.close()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return repr(value)
    return value


def _already_scored(out_dir: Path) -> tuple[set[str], list[str] | None]:
    path = out_dir / PAIRS_CSV
    if not path.exists() or path.stat().st_size == 0:
        return set(), None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MaskQAWarning)
        columns, rows = read_csv_rows(path)
    return {row["name"] for row in rows}, columns


def _check_same_options(out_dir: Path, options: Mapping) -> None:
    """On resume, the options must be those of the run being continued."""
    path = out_dir / RUN_JSON
    if not path.exists():
        return
    before = json.loads(path.read_text(encoding="utf-8")).get("options", {})
    now = jsonable(dict(options))
    if before != now:
        changed = sorted(
            k for k in set(before) | set(now) if before.get(k) != now.get(k)
        )
        detail = ", ".join(
            f"{k}: {before.get(k)!r} then, {now.get(k)!r} now" for k in changed
        )
        raise InputError(
            f"cannot resume with other options than the run it continues ({detail}); "
            "rerun with the same options, or start again with --overwrite",
            out_dir,
        )


def _run_options(compare_kwargs: Mapping, tasks) -> dict:
    """What a resumed run must share with the run it continues: the options, and
    whether the pairs have images (their alignment columns)."""
    return {**compare_kwargs, "images": any(t.image is not None for t in tasks)}


def _write_run(out_dir: Path, options: Mapping) -> None:
    record = {"maskqa_version": __version__, "options": jsonable(dict(options))}
    (out_dir / RUN_JSON).write_text(json.dumps(record, indent=1), encoding="utf-8")


def _prepare_out_dir(out_dir: Path, resume: bool, overwrite: bool, options):
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError(
            "expected a folder for the results, found a file", out_dir
        ) from None
    done, columns = _already_scored(out_dir)
    if done and resume and not overwrite:
        _check_same_options(out_dir, options)
    if done and not (resume or overwrite):
        raise InputError(
            f"{PAIRS_CSV} already holds {len(done)} scored pairs: continue that run "
            "with --resume (resume=True) or start again with --overwrite "
            "(overwrite=True)",
            out_dir,
        )
    if overwrite:
        for name in (PAIRS_CSV, ERRORS_CSV, SUMMARY_JSON, WARNINGS_CSV, RUN_JSON):
            (out_dir / name).unlink(missing_ok=True)
        return set(), None
    if done:
        _keep_complete_rows(out_dir / PAIRS_CSV)
    return done, columns


def _keep_complete_rows(path: Path) -> None:
    """Rewrite pairs.csv without a row cut short by an interrupted run."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MaskQAWarning)
        columns, rows = read_csv_rows(path)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)


def _write_unpaired(out_dir: Path, unpaired: Iterable[tuple[str, str]]) -> int:
    rows = list(unpaired)
    with (out_dir / UNPAIRED_CSV).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["side", "path", "reason"])
        writer.writerows(rows)
    return len(rows)


def _run_local(tasks, compare_kwargs, workers, on_done):
    """Score tasks in a process pool (or inline with one worker), yielding results."""
    if workers <= 1:
        for task in tasks:
            on_done(*_safe_score(task, compare_kwargs))
        return
    # Keep a bounded number of pairs in flight: memory stays flat for any dataset size.
    tasks = iter(tasks)
    limit = 4 * workers
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending = set()
        for task in tasks:
            pending.add(pool.submit(_safe_score, task, compare_kwargs))
            if len(pending) >= limit:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    on_done(*future.result())
        for future in pending:
            on_done(*future.result())


@contextlib.contextmanager
def _cluster(scheduler):
    """A Dask client for ``scheduler``, closed on exit if opened here; None: local.

    ``scheduler`` is an address, a client (used as is and left open), or None.
    """
    if scheduler is None:
        yield None
        return
    try:
        from dask.distributed import Client
    except ImportError as exc:
        raise InputError(
            "a scheduler address needs dask.distributed: pip install 'maskqa[dask]'"
        ) from exc
    if isinstance(scheduler, Client):
        yield scheduler
        return
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, ValueError, TimeoutError) as exc:
        raise InputError(
            f"could not reach a Dask scheduler at {scheduler!r}: {exc}"
        ) from None
    try:
        yield client
    finally:
        client.close()


def _run_dask(tasks, compare_kwargs, client, on_done):
    """Score tasks on the Dask cluster of ``client``, in the order they finish."""
    from dask.distributed import as_completed

    tasks = list(tasks)
    futures = client.map(_safe_score, tasks, compare_kwargs=compare_kwargs, pure=False)
    for future in as_completed(futures):
        on_done(*future.result())
        future.release()


#: Local worker processes per CPU at most: more only add processes and memory.
_WORKERS_PER_CPU = 4


def _check_workers(workers) -> None:
    if workers is None:
        return
    most = _WORKERS_PER_CPU * (os.cpu_count() or 1)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InputError(f"Expected `workers` to be an integer >= 1, got {workers!r}.")
    if workers > most:
        raise InputError(
            f"Expected `workers` (--workers) to be at most {most} ("
            f"{_WORKERS_PER_CPU} per CPU: more processes than that only use memory), "
            f"got {workers}; a Dask cluster (--scheduler) scales beyond one machine."
        )


def evaluate_pairs(
    tasks: Sequence[PairTask],
    out_dir,
    *,
    compare_kwargs: Mapping | None = None,
    workers: int | None = None,
    scheduler=None,
    unpaired: Iterable[tuple[str, str]] = (),
    resume: bool = False,
    overwrite: bool = False,
    progress: Callable[[PairTask, str | None], None] | None = None,
) -> RunResult:
    """Score every pair, streaming rows to ``out_dir``; return the run's summary.

    Parameters
    ----------
    tasks : sequence of PairTask
        The pairs to score.
    out_dir : path
        The results folder (created if missing).
    compare_kwargs : mapping, optional
        Keyword arguments of :func:`maskqa.compare` (and ``threshold`` for reading).
    workers : int, optional
        Local worker processes, at most 4 per CPU (and never more than the pairs);
        default: the number of CPUs. 1 scores in this process.
    scheduler : str or dask.distributed.Client, optional
        A Dask scheduler address (``tcp://host:8786``) or client: the pairs are scored
        on that cluster instead of local processes. Same rows, same files.
    unpaired : iterable of (side, path, reason)
        Files that found no partner; written to ``unpaired.csv``.
    resume, overwrite : bool
        An existing ``pairs.csv`` is an error unless one of them is set: ``resume``
        skips the pairs it already holds, ``overwrite`` starts again.
    progress : callable, optional
        Called as ``progress(task, error_or_None)`` after each pair.

    Returns
    -------
    RunResult
    """
    out_dir = Path(out_dir)
    compare_kwargs = dict(compare_kwargs or {})
    # Bad options and an unreachable cluster are errors before anything is written.
    check_options(compare_kwargs)
    _check_workers(workers)
    with _cluster(scheduler) as client:
        return _evaluate(
            tasks, out_dir, compare_kwargs, workers, client, unpaired=unpaired,
            resume=resume, overwrite=overwrite, progress=progress,
        )  # fmt: skip


def _evaluate(
    tasks, out_dir, compare_kwargs, workers, client, *,
    unpaired, resume, overwrite, progress,
) -> RunResult:  # fmt: skip
    """:func:`evaluate_pairs` on checked options, with ``client`` or local workers."""
    options = _run_options(compare_kwargs, tasks)
    done, columns = _prepare_out_dir(out_dir, resume, overwrite, options)
    _write_run(out_dir, options)
    todo = [t for t in tasks if t.name not in done]
    n_unpaired = _write_unpaired(out_dir, unpaired)
    writer = _Writer(out_dir, columns, resume=bool(done))
    # The run's parameters: those of every pair, and VARIES where pairs differ
    # (a size-dependent setting such as the image shape or a preset's radius).
    run_params = _previous_params(out_dir) if done else {}
    n_warnings = 0
    # The log shows the first warning of each kind; warnings.csv holds them all, so
    # that a dataset of JPEG masks does not print a warning per pair.
    logged: dict[str, int] = {}

    def on_done(task, row, params, error, texts=()):
        nonlocal n_warnings
        n_warnings += len(texts)
        for text in texts:
            writer.warning(task, text)
            kind = text.split(":", 1)[0]
            logged[kind] = logged.get(kind, 0) + 1
            if logged[kind] == 1:
                log.warning("%s: %s", task.name, text)
            elif logged[kind] == 2:
                log.warning("more %ss follow: each is in %s", kind, WARNINGS_CSV)
        if error is None:
            writer.row(row)
            _merge_params(run_params, params)
        else:
            writer.error(task, error)
            log.warning("%s: %s", task.name, error)
        if progress is not None:
            progress(task, error)

    try:
        if client is not None:
            _run_dask(todo, compare_kwargs, client, on_done)
        else:
            # No more processes than pairs to score.
            workers = min(workers or os.cpu_count() or 1, max(len(todo), 1))
            _run_local(todo, compare_kwargs, workers, on_done)
    finally:
        writer.close()
    params = run_params or _previous_params(out_dir)
    for key in ("threshold", "label", "match_size"):
        params[key] = compare_kwargs.get(key)
    summary = _finish(out_dir, params, n_pairs=len(tasks))
    return RunResult(
        out_dir=out_dir,
        n_pairs=len(tasks),
        n_scored=summary["n_scored"],
        n_failed=summary["n_failed"],
        n_skipped=len(tasks) - len(todo),
        n_unpaired=n_unpaired,
        summary=summary,
        n_warnings=n_warnings,
    )


#: The value of a run parameter that differs between pairs (summary.json).
VARIES = "varies per pair"


def _merge_params(run_params: dict, params: Mapping) -> None:
    """Add a pair's parameters to the run's; a value that differs becomes VARIES.

    Values are compared as summary.json holds them, so that a resumed run, whose
    earlier parameters were read back from JSON, compares like with like.
    """
    for key, value in jsonable(params).items():
        if key not in run_params:
            run_params[key] = value
        elif run_params[key] != value:
            run_params[key] = VARIES


def _previous_params(out_dir: Path) -> dict:
    """The parameters recorded by an earlier run in this folder (for a resumed run)."""
    path = out_dir / SUMMARY_JSON
    if path.exists():
        return dict(json.loads(path.read_text()).get("params", {}))
    return {}


def _finish(out_dir: Path, params: Mapping, *, n_pairs: int) -> dict:
    """Sort pairs.csv by name (rows arrive as they finish); write the summary."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MaskQAWarning)  # warned when resumed
        columns, rows = read_csv_rows(out_dir / PAIRS_CSV)
    rows.sort(key=lambda r: r["name"])
    if rows:
        # The cells are copied as written: sorting changes no value.
        tmp = out_dir / (PAIRS_CSV + ".tmp")
        with tmp.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        tmp.replace(out_dir / PAIRS_CSV)
    summary = summarise(
        read_results(out_dir),
        params=params,
        extra={"maskqa_version": __version__, "n_pairs": n_pairs},
    )
    (out_dir / SUMMARY_JSON).write_text(json.dumps(jsonable(summary), indent=1))
    return summary


def evaluate_dirs(reference_dir, candidate_dir, out_dir, *, images_dir=None, **kwargs):
    """Pair two folders by file name and score every pair (see :func:`evaluate_pairs`).

    Files without a partner are listed in ``unpaired.csv``, never ignored; two files
    with the same name stem in one folder are listed there too, with the reason.
    """
    tasks, unpaired = plan_dirs(reference_dir, candidate_dir, images_dir=images_dir)
    return evaluate_pairs(tasks, out_dir, unpaired=unpaired, **kwargs)


def plan_dirs(reference_dir, candidate_dir, *, images_dir=None):
    """The pairs of two folders as tasks; the files left unpaired, with the reason.

    Raises
    ------
    InputError
        If the two folders have no file name in common.
    """
    from ..io import pair_files

    pairing = pair_files(reference_dir, candidate_dir)
    if not pairing.pairs:
        raise InputError(
            f"no file name in common with {candidate_dir} "
            f"({len(pairing.unpaired_reference)} reference and "
            f"{len(pairing.unpaired_candidate)} candidate files): masks pair by file "
            "name without its suffix",
            reference_dir,
        )
    images, unpaired = _match_images(pairing, images_dir)
    tasks = [
        PairTask(
            name, str(Path(ref).resolve()), str(Path(cand).resolve()), images.get(name)
        )
        for name, ref, cand in pairing.pairs
    ]
    unpaired += [
        ("reference", str(p), "no candidate with this name")
        for p in pairing.unpaired_reference
    ]
    unpaired += [
        ("candidate", str(p), "no reference with this name")
        for p in pairing.unpaired_candidate
    ]
    unpaired += list(_duplicates(pairing))
    unpaired += list(_partners_of_duplicates(pairing))
    return tasks, unpaired


def _duplicates(pairing):
    """One row per file that shares its name with another file in the same folder."""
    for side, name, paths in pairing.duplicates:
        others = ", ".join(Path(p).name for p in paths)
        for path in paths:
            yield side, str(path), f"name {name!r} is taken by several files ({others})"


def _partners_of_duplicates(pairing):
    """The files whose partner name is taken by several files on the other side."""
    for side, name, paths in pairing.duplicates:
        other = "candidate" if side == "reference" else "reference"
        for path in pairing.blocked_partners.get((other, name), ()):
            yield (
                other,
                str(path),
                (
                    f"several {side} files are named {name!r} "
                    f"({', '.join(Path(p).name for p in paths)}): the pair is ambiguous"
                ),
            )


def _match_images(pairing, images_dir) -> tuple[dict[str, str], list[tuple]]:
    """Images by pair name, and the pairs with no (or an ambiguous) image."""
    if images_dir is None:
        return {}, []
    from ..io import pair_images

    matched = pair_images([name for name, _, _ in pairing.pairs], images_dir)
    images = {name: str(Path(path).resolve()) for name, path in matched.images.items()}
    unpaired = [
        (
            "image",
            name,
            f"no image named {name!r} in {images_dir}: scored without edge alignment",
        )
        for name in matched.missing
    ]
    unpaired += [
        ("image", str(path), f"name {name!r} is taken by several images")
        for name, paths in matched.duplicates
        for path in paths
    ]
    return images, unpaired


def check_options(compare_kwargs: Mapping) -> None:
    """Check a batch's options on a small probe pair, before any pair is read.

    ``compare_kwargs`` as for :func:`evaluate_pairs`. A wrong option would
    otherwise fail every pair of the dataset, one by one.

    Raises
    ------
    InputError
        If an option is unknown or has a value :func:`maskqa.compare` or
        :func:`maskqa.read_mask` rejects.
    """
    import numpy as np

    from .._validation import binarise, check_choice
    from ..metrics.report import compare

    kwargs = dict(compare_kwargs)
    threshold = kwargs.pop("threshold", None)
    label = kwargs.pop("label", None)
    match = kwargs.pop("match_size", None)
    if threshold is not None:
        binarise(np.zeros((1, 1)), threshold=threshold, name="threshold")
    if label is not None and threshold is not None:
        raise InputError("Expected `label` or `threshold`, got both.")
    if label is not None and not _is_label(label):
        raise InputError(
            f"Expected `label` to be an integer or an (r, g, b) triple, got {label!r}."
        )
    if match is not None:
        check_choice(match, "match_size", ("image", "mask"))
    probe = np.zeros((16, 16), bool)
    probe[4:12, 4:12] = True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compare(probe, probe, **kwargs)
    except TypeError as exc:
        raise InputError(f"unknown option for maskqa.compare: {exc}") from None


def _is_label(label) -> bool:
    import numpy as np

    def integer(value):
        return isinstance(value, int | np.integer) and not isinstance(value, bool)

    if isinstance(label, tuple):
        return len(label) == 3 and all(integer(v) for v in label)
    return integer(label)
