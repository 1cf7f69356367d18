"""Time edge alignment of one 1024 x 1024 image and its mask on a single core.

Usage: python scripts/bench_alignment.py [--repeat N]

Inputs are seeded: a synthetic RGB photograph (a textured disk on a noisy ramp) with
the ``large_1024`` fine mask of tests/data/cases, and, when the research-only shared
folder is present (``../shared`` beside the clone, or the folder that the environment
variable ``MASKQA_SHARED`` names, as for the tests), the CelebAMask-HQ sample 1
(1024 px image, 512 px hair label upsampled by 2); a line says when it is skipped.
Prints
the median time (ms) of each stage over N runs after a warm-up, the best total (the
machine's own cost when other processes compete for the core), and whether the
median whole call stays within the 50 ms budget. No published implementation computes
these metrics, so there is no peer ratio to print. Correctness lives in the tests.
Run it pinned to one core: ``taskset -c 0 python scripts/bench_alignment.py``.
"""

from __future__ import annotations

import argparse
import os
import warnings

# One core: pin the numerical libraries before they are imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import statistics
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from maskqa.geometry.edges import image_edges
from maskqa.metrics.alignment import (
    ProfilePeakWarning,
    alignment,
    alignment_from_edges,
    match_size,
)

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MASKQA_SHARED") or ROOT.parent / "shared")
CELEBA = "data/celebamask-hq-samples/MaskGAN_demo/samples"
BUDGET_MS = 50.0


def synthetic(seed: int = 0):
    """A seeded 1024 px RGB image whose object edge follows the large_1024 mask."""
    mask = np.asarray(Image.open(ROOT / "tests/data/cases/large_1024_fine.png")) > 0
    rng = np.random.default_rng(seed)
    ramp = np.linspace(40, 90, mask.shape[1])[None, :]
    base = np.where(mask, 170.0, ramp)
    texture = cv2.GaussianBlur(rng.normal(0, 25, mask.shape), (0, 0), 2.0)
    grey = base + np.where(mask, texture, 0) + rng.normal(0, 6, mask.shape)
    tint = np.array([1.0, 0.9, 0.8])
    rgb = np.clip(grey[..., None] * tint, 0, 255).astype(np.uint8)
    return "synthetic_1024", rgb, mask


def celebamask():
    """CelebAMask-HQ sample 1 (research-only: read from SHARED, never copied)."""
    folder = SHARED / CELEBA
    if not folder.is_dir():
        print(
            f"celebamask_hq_1_hair skipped: {folder} is absent (set MASKQA_SHARED to "
            "the shared folder)"
        )
        return None
    image = np.asarray(Image.open(folder / "1.jpg").convert("RGB"))
    labels = np.asarray(Image.open(folder / "1.png"))
    _, hair = match_size(image, labels == 13, "image")
    return "celebamask_hq_1_hair", image, hair


def median_ms(function, repeat: int) -> float:
    """Median wall time (ms) over ``repeat`` calls after a warm-up."""
    return statistics.median(times_ms(function, repeat))


def times_ms(function, repeat: int) -> list[float]:
    function()  # warm-up: first-call allocations and imports
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(1000.0 * (time.perf_counter() - start))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    cv2.setNumThreads(1)
    # A mask without a profile peak warns on every call; the timing is what matters.
    warnings.simplefilter("ignore", ProfilePeakWarning)

    cases = [case for case in (synthetic(), celebamask()) if case is not None]
    print(
        f"{'case':24s} {'edges':>8s} {'scoring':>8s} {'total':>8s} {'best':>8s}  budget"
    )
    for case in cases:
        print(bench_case(*case, args.repeat))


def bench_case(name: str, image: np.ndarray, mask: np.ndarray, repeat: int) -> str:
    """One line: median ms of finding edges, of scoring from them, of the whole call."""
    edges = image_edges(image)
    t_edges = median_ms(lambda: image_edges(image), repeat)
    t_score = median_ms(lambda: alignment_from_edges(edges, mask), repeat)
    totals = times_ms(lambda: alignment(image, mask), repeat)
    t_total = statistics.median(totals)
    verdict = "ok" if t_total < BUDGET_MS else "OVER"
    boundary = alignment_from_edges(edges, mask).boundary_px
    return (
        f"{name:24s} {t_edges:8.1f} {t_score:8.1f} {t_total:8.1f} {min(totals):8.1f}  "
        f"{verdict} (< {BUDGET_MS:.0f} ms; {boundary} boundary px)"
    )


if __name__ == "__main__":
    main()
