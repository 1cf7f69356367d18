"""Time maskqa against the published implementations, side by side in one process.

Usage::

    python scripts/bench.py [--real DIR] [--repeat 5]

Pairs: ``large_512`` and ``large_1024`` from tests/data/cases, and every
``NAME_fine.png`` / ``NAME_coarse.png`` pair in ``--real`` (for instance the pairs that
``refs/make_real_pairs.py`` writes). For each metric: the median time of the peer and
of maskqa's preset that reproduces it (one call from arrays, nothing cached between
calls), and the ratio peer / maskqa (> 1: maskqa is faster). Then the complete default
report (:func:`maskqa.compare`) against the sum of the peers that compute the same
families.

The peers are optional; install them beside maskqa with::

    pip install torch==2.13.0          # the CPU build on these machines, before monai
    pip install -e '.[bench]'   # pycocotools, medpy, surface-distance, faster-coco-eval
    pip install monai                   # after torch, so that it keeps the CPU build
    pip install Cython && pip install --no-deps --no-build-isolation davisinteractive
    pip install seg-metrics==1.2.8      # optional; timed on its distance metrics only

Threads are pinned to one (OpenMP, BLAS, OpenCV, torch) so that the numbers compare
single-core work. CascadePSP's mBA has no installable original: its time is quoted
from the reference measurements (2.4 ms at 512, 11.6 ms at 1024, PEERS.md sec. 10).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_peers import load_peers  # noqa: E402

from maskqa.geometry.cache import PairGeometry  # noqa: E402
from maskqa.metrics import distance, presets, presets_region, region  # noqa: E402
from maskqa.metrics.report import compare  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "data" / "cases"

#: CascadePSP compute_boundary_acc, seconds (reference measurements, PEERS.md sec. 10).
CASCADEPSP_QUOTED_S = {"large_512": 0.00237, "large_1024": 0.01159}


def _monai(fine, coarse):
    return distance.monai_surface_metrics(fine, coarse, subvoxels=False)


# peer metric -> the maskqa call that reproduces it, from (fine, coarse) arrays
MASKQA = {
    "pycocotools.iou": lambda f, c: region.iou(f, c),
    "medpy.dc": lambda f, c: region.dice(f, c),
    "medpy.jc": lambda f, c: region.iou(f, c),
    "medpy.hd": lambda f, c: distance.medpy_surface_metrics(f, c)["hd"],
    "medpy.hd95": lambda f, c: distance.medpy_surface_metrics(f, c)["hd95"],
    "medpy.assd": lambda f, c: distance.medpy_surface_metrics(f, c)["assd"],
    "surface_distance.all": lambda f, c: distance.deepmind_surface_metrics(f, c),
    # MONAI's defaults (use_subvoxels=False): the corner contours are not needed
    "monai.hd": lambda f, c: _monai(f, c)["hd"],
    "monai.hd95": lambda f, c: _monai(f, c)["hd95"],
    "monai.assd": lambda f, c: _monai(f, c)["assd"],
    "monai.nsd@1": lambda f, c: _monai(f, c)["nsd@1"],
    "monai.iou": lambda f, c: presets_region.monai_region(PairGeometry(f, c))["iou"],
    "monai.dice": lambda f, c: presets_region.monai_region(PairGeometry(f, c))["dice"],
    "davis.F": lambda f, c: presets.davis(f, c).values["davis.F"],
    "seg_metrics.hd+hd95+msd": lambda f, c: (
        presets.seg_metrics_from_geometry(PairGeometry(f, c)).values
    ),
    "faster_coco_eval.biou": lambda f, c: presets.boundary_iou_api(f, c).values,
}


def median_time(fn, *args, repeat: int) -> float:
    """Median wall time of ``fn(*args)`` over ``repeat`` runs after one warm-up."""
    fn(*args)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def load_pairs(real_dir: Path | None) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    def read(path):
        return np.asarray(Image.open(path).convert("L")) > 127

    pairs = {
        n: (read(CASES / f"{n}_fine.png"), read(CASES / f"{n}_coarse.png"))
        for n in ("large_512", "large_1024")
    }
    if real_dir is not None:
        for fine in sorted(Path(real_dir).glob("*_fine.png")):
            name = fine.name[: -len("_fine.png")]
            pairs[name] = (read(fine), read(fine.with_name(f"{name}_coarse.png")))
    return pairs


def bench_pair(name, fine, coarse, peers, repeat) -> list[tuple]:
    rows = []
    for metric, peer in peers.items():
        ours = MASKQA[metric]
        t_peer = median_time(peer, fine, coarse, repeat=repeat)
        t_ours = median_time(ours, fine, coarse, repeat=repeat)
        rows.append((name, metric, t_peer, t_ours))
    if name in CASCADEPSP_QUOTED_S:
        t_ours = median_time(
            lambda f, c: presets.cascadepsp(f, c), fine, coarse, repeat=repeat
        )
        rows.append(
            (name, "cascadepsp.mBA (quoted)", CASCADEPSP_QUOTED_S[name], t_ours)
        )
    return rows


def _biou_at_widths(fine, coarse):
    """Boundary IoU at the report's five widths, as faster-coco-eval computes it."""
    from faster_coco_eval.core import mask as fce
    from pycocotools import mask as coco

    diagonal = float(np.hypot(*fine.shape))
    rles = [coco.encode(np.asfortranarray(m.astype(np.uint8))) for m in (fine, coarse)]
    for width in (1, 2, 3, 5, 10):
        # dilation_ratio such that int(round(ratio * diagonal)) == width
        bands = [fce.rleToBoundary(r, width / diagonal, backend="opencv") for r in rles]
        coco.iou([bands[1]], [bands[0]], [0])


def full_report(name, fine, coarse, peers, repeat):
    """The default report against the peers that give the same families, summed.

    Two sums: the peers that compute the same definitions (region: pycocotools and
    MedPy Dice; boundary F at the five tolerances: DAVIS; boundary IoU at the five
    widths: faster-coco-eval; HD, HD95, ASSD and NSD on length-weighted contours:
    DeepMind; mBA: CascadePSP, quoted), and the same plus MedPy's HD, HD95 and ASSD,
    the published source of the pooled definitions (``hd95_pooled``,
    ``assd_pooled``; MedPy computes them on pixel-centre contours). The trimap curve
    has no published implementation and is in neither sum.
    """
    t_report = median_time(lambda f, c: compare(f, c), fine, coarse, repeat=repeat)
    same = {
        "pycocotools.iou": peers.get("pycocotools.iou"),
        "medpy.dc": peers.get("medpy.dc"),
        "surface_distance.all": peers.get("surface_distance.all"),
    }
    pooled = {k: peers.get(k) for k in ("medpy.hd", "medpy.hd95", "medpy.assd")}
    t_same, t_pooled, used = 0.0, 0.0, []
    for metric, fn in same.items():
        if fn is not None:
            t_same += median_time(fn, fine, coarse, repeat=repeat)
            used.append(metric)
    if peers.get("faster_coco_eval.biou") is not None:
        t_same += median_time(_biou_at_widths, fine, coarse, repeat=repeat)
        used.append("faster-coco-eval biou x 5 widths")
    if peers.get("davis.F") is not None:
        from davisinteractive.metrics.jaccard import f_measure

        for tol in (1, 2, 3, 5, 10):
            t_same += median_time(
                lambda f, c, t=tol: f_measure(f, c, bound_th=t),
                fine,
                coarse,
                repeat=repeat,
            )
        used.append("davis F x 5 tolerances")
    if name in CASCADEPSP_QUOTED_S:
        t_same += CASCADEPSP_QUOTED_S[name]
        used.append("cascadepsp (quoted)")
    for metric, fn in pooled.items():
        if fn is not None:
            t_pooled += median_time(fn, fine, coarse, repeat=repeat)
    return t_report, t_same, t_same + t_pooled, used


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--real", type=Path, help="folder of NAME_fine/NAME_coarse pairs"
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    cv2.setNumThreads(1)
    peers, missing = load_peers()
    for name, reason in missing.items():
        print(f"peer {name} not available: {reason}")
    pairs = load_pairs(args.real)

    header = f"{'pair':38s} {'metric':28s} {'peer ms':>9s} {'maskqa ms':>10s}"
    print(f"\n{header} {'ratio':>7s}")
    ratios: dict[str, list[float]] = {}
    for name, (fine, coarse) in pairs.items():
        for pair, metric, t_peer, t_ours in bench_pair(
            name, fine, coarse, peers, args.repeat
        ):
            ratios.setdefault(metric, []).append(t_peer / t_ours)
            print(
                f"{pair:38s} {metric:28s} {t_peer * 1e3:9.2f} {t_ours * 1e3:10.2f} "
                f"{t_peer / t_ours:7.1f}"
            )

    print("\nratio peer / maskqa over all pairs (min / median):")
    for metric, values in ratios.items():
        print(f"  {metric:28s} {min(values):7.1f} {statistics.median(values):7.1f}")

    print("\ncomplete default report vs the peers that compute the same families:")
    for name in ("large_512", "large_1024"):
        fine, coarse = pairs[name]
        t_report, t_same, t_all, used = full_report(
            name, fine, coarse, peers, args.repeat
        )
        print(
            f"  {name}: maskqa.compare {t_report * 1e3:.1f} ms; same definitions "
            f"{t_same * 1e3:.1f} ms ({', '.join(used)}): {t_same / t_report:.1f}x; "
            f"with MedPy's pooled HD95/ASSD {t_all * 1e3:.1f} ms: "
            f"{t_all / t_report:.1f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
