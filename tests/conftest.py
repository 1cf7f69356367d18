"""Shared fixtures: the synthetic cases, the peer reference values, ../shared data."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
CASES = TESTS / "data" / "cases"
# Copied unchanged from the project's reference folder (refs/reference_values.json and
# refs/real_pairs_reference.json): values returned by the published implementations
# (pycocotools, MedPy, MONAI, DeepMind surface-distance, DAVIS 2017, boundary-iou-api,
# CascadePSP, ...) on the synthetic cases in tests/data/cases and on the real pairs.
PEER_SYNTHETIC = TESTS / "data" / "peer_values_synthetic.json"
PEER_REAL = TESTS / "data" / "peer_values_real.json"
# Research-only and unknown-licence data live outside the repository, beside it
# (or where MASKQA_SHARED points, for a clone kept elsewhere).
SHARED = Path(os.environ.get("MASKQA_SHARED") or ROOT.parent / "shared")


def _decode(value):
    if isinstance(value, str) and value in ("inf", "-inf", "nan"):
        return float(value)
    return value


def load_peer_values(path):
    data = json.loads(Path(path).read_text())
    return {
        case: {k: _decode(v) for k, v in values.items()}
        for case, values in data.items()
        if not case.startswith("_")
    }


def read_case(name):
    """The (fine, coarse) = (reference, candidate) bool masks of a synthetic case."""
    fine = np.asarray(Image.open(CASES / f"{name}_fine.png")) > 0
    coarse = np.asarray(Image.open(CASES / f"{name}_coarse.png")) > 0
    return fine, coarse


CASE_NAMES = sorted(p.name[: -len("_fine.png")] for p in CASES.glob("*_fine.png"))


@pytest.fixture(scope="session")
def peer_synthetic():
    return load_peer_values(PEER_SYNTHETIC)


@pytest.fixture(scope="session")
def peer_real():
    return load_peer_values(PEER_REAL)


@pytest.fixture(scope="session")
def shared_data():
    """../shared/data, or skip: that data is research-only and never in the repository."""
    path = SHARED / "data"
    if not path.is_dir():
        pytest.skip("../shared/data is absent: the research-only real data is not shipped")
    return path


@pytest.fixture(scope="session")
def real_pairs(tmp_path_factory, shared_data):
    """The real (fine, coarse) pairs made by ../shared/refs/make_real_pairs.py."""
    import subprocess
    import sys

    script = SHARED / "refs" / "make_real_pairs.py"
    if not script.exists():
        pytest.skip("../shared/refs/make_real_pairs.py is absent")
    out = tmp_path_factory.mktemp("real_pairs")
    subprocess.run(
        [sys.executable, str(script), str(shared_data), str(out)],
        check=True,
        capture_output=True,
    )
    return out


def close(a, b, tol=1e-9):
    """Equality for metric values, nan == nan and inf == inf."""
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return a == b or abs(a - b) <= tol
