"""The published implementations, called as their users call them (for scripts/bench.py).

Each entry maps a peer metric name to a function of ``(fine, coarse)`` bool arrays.
Nothing here is maskqa code: it only calls the installed peer packages, which are an
optional extra (see scripts/bench.py for how to install them).
"""

from __future__ import annotations

import numpy as np


def _pycocotools():
    from pycocotools import mask as coco

    def iou(fine, coarse):
        dt = coco.encode(np.asfortranarray(coarse.astype(np.uint8)))
        gt = coco.encode(np.asfortranarray(fine.astype(np.uint8)))
        return float(coco.iou([dt], [gt], [0])[0][0])

    return {"pycocotools.iou": iou}


def _medpy():
    from medpy.metric import binary

    return {
        "medpy.dc": lambda f, c: binary.dc(c, f),
        "medpy.jc": lambda f, c: binary.jc(c, f),
        "medpy.hd": lambda f, c: binary.hd(c, f),
        "medpy.hd95": lambda f, c: binary.hd95(c, f),
        "medpy.assd": lambda f, c: binary.assd(c, f),
    }


def _surface_distance():
    import surface_distance as sd

    def all_metrics(fine, coarse):
        dists = sd.compute_surface_distances(fine, coarse, (1.0, 1.0))
        return (
            sd.compute_robust_hausdorff(dists, 100),
            sd.compute_robust_hausdorff(dists, 95),
            sd.compute_average_surface_distance(dists),
            [sd.compute_surface_dice_at_tolerance(dists, t) for t in (1, 2, 3, 5)],
        )

    return {"surface_distance.all": all_metrics}


def _monai():
    import torch
    from monai.metrics import (
        compute_average_surface_distance,
        compute_dice,
        compute_hausdorff_distance,
        compute_iou,
        compute_surface_dice,
    )

    torch.set_num_threads(1)

    def onehot(mask):
        m = torch.from_numpy(mask.astype(np.float32))[None, None]
        return torch.cat([1 - m, m], dim=1)

    def call(fn, **kw):
        return lambda f, c: float(
            fn(onehot(c), onehot(f), include_background=False, **kw)
        )

    def region(fn):
        # compute_iou / compute_dice take one-hot (B, C, H, W) tensors, y_pred first
        return lambda f, c: float(fn(onehot(c), onehot(f), include_background=False))

    return {
        "monai.iou": region(compute_iou),
        "monai.dice": region(compute_dice),
        "monai.hd": call(compute_hausdorff_distance),
        "monai.hd95": call(compute_hausdorff_distance, percentile=95),
        "monai.assd": call(compute_average_surface_distance, symmetric=True),
        "monai.nsd@1": call(compute_surface_dice, class_thresholds=[1.0]),
    }


def _davis():
    from davisinteractive.metrics.jaccard import f_measure

    return {"davis.F": lambda f, c: float(f_measure(f, c))}


def _faster_coco_eval():
    from faster_coco_eval.core import mask as fce
    from pycocotools import mask as coco

    def biou(fine, coarse):
        bands = []
        for m in (fine, coarse):
            rle = coco.encode(np.asfortranarray(m.astype(np.uint8)))
            bands.append(fce.rleToBoundary(rle, 0.02, backend="opencv"))
        return float(coco.iou([bands[1]], [bands[0]], [0])[0][0])

    return {"faster_coco_eval.biou": biou}


def _seg_metrics():
    from seg_metrics import seg_metrics as sg

    def distances(fine, coarse):
        # Distance metrics only: any voxel metric makes seg-metrics loop over every
        # pixel in Python (2.2 s at 512, PEERS.md sec. 10), too slow to time usefully.
        return sg.write_metrics(
            labels=[1],
            gdth_img=fine.astype(np.uint8),
            pred_img=coarse.astype(np.uint8),
            metrics=["hd", "hd95", "msd"],
            verbose=False,
        )

    return {"seg_metrics.hd+hd95+msd": distances}


LOADERS = {
    "pycocotools": _pycocotools,
    "medpy": _medpy,
    "surface_distance": _surface_distance,
    "monai": _monai,
    "davisinteractive": _davis,
    "faster_coco_eval": _faster_coco_eval,
    "seg_metrics": _seg_metrics,
}


def load_peers() -> tuple[dict, dict]:
    """The peer functions that import here, and the reason for each that does not."""
    peers, missing = {}, {}
    for name, loader in LOADERS.items():
        try:
            peers.update(loader())
        except Exception as exc:  # an optional peer missing or broken: report it
            missing[name] = f"{type(exc).__name__}: {exc}"
    return peers, missing
