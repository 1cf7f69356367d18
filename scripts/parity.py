"""Check that maskqa's presets reproduce published metric values.

Usage::

    python scripts/parity.py REFS_JSON PAIRS_DIR

REFS_JSON maps pair names to ``{"PEER.METRIC": value}`` (keys starting with ``_``
are metadata; values ``"nan"`` / ``"inf"`` are numbers, ``"error: ..."`` means the
peer raised). For every listed pair that has ``NAME_fine.png`` (reference) and
``NAME_coarse.png`` (candidate) in PAIRS_DIR (foreground: value > 127), every
covered key is computed by its preset (:mod:`maskqa.metrics.presets_parity`) and
compared: 1e-9 absolute, or 1e-6 relative for float32 peers (MONAI, seg-metrics).

Prints a table ``peer metric | pairs | max abs diff | rule``, then the keys where
the peer raised, the keys no preset covers (with the reason) and the pairs that are
missing from PAIRS_DIR. Exit status: 0 all agree, 1 some value disagrees, 2 bad
usage (unreadable refs, no such folder, no pair found).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from maskqa.geometry.cache import PairGeometry
from maskqa.metrics.presets_parity import (
    FLOAT32_PEERS,
    UNCOVERED,
    agreement,
    parse_key,
    reproduce,
)


def _read(path: Path) -> np.ndarray:
    # The peers took PNG value > 127 as foreground (refs _params.pypi.binarisation).
    return np.asarray(Image.open(path).convert("L")) > 127


def _rule(key: str) -> str:
    return "1e-6 rel" if parse_key(key).peer in FLOAT32_PEERS else "1e-9 abs"


def check(refs: dict, pairs_dir: Path) -> dict:
    """Compare every covered key of every pair found; return the findings."""
    rows: dict[str, dict] = {}
    raised: dict[str, int] = {}
    uncovered: dict[str, int] = {}
    missing: list[str] = []
    failures: list[tuple] = []
    for name, expected in refs.items():
        if name.startswith("_") or not isinstance(expected, dict):
            continue
        fine, coarse = pairs_dir / f"{name}_fine.png", pairs_dir / f"{name}_coarse.png"
        if not (fine.is_file() and coarse.is_file()):
            missing.append(name)
            continue
        keys = [
            k
            for k, v in expected.items()
            if not (isinstance(v, str) and v.startswith("error:"))
        ]
        for key in set(expected) - set(keys):
            raised[key] = raised.get(key, 0) + 1
        got = reproduce(PairGeometry(_read(fine), _read(coarse)), keys)
        for key in keys:
            if key not in got:
                uncovered[key] = uncovered.get(key, 0) + 1
                continue
            ok, diff = agreement(key, expected[key], got[key])
            row = rows.setdefault(key, {"pairs": 0, "max": 0.0, "failed": 0})
            row["pairs"] += 1
            row["max"] = max(row["max"], diff)
            if not ok:
                row["failed"] += 1
                failures.append((name, key, expected[key], got[key]))
    return {
        "rows": rows,
        "raised": raised,
        "uncovered": uncovered,
        "missing": missing,
        "failures": failures,
    }


def report(found: dict) -> None:
    rows = found["rows"]
    width = max([len(k) for k in rows] + [11])
    print(f"{'peer metric':{width}s} | pairs | max abs diff | rule     | ok")
    for key in sorted(rows):
        row = rows[key]
        status = "yes" if not row["failed"] else f"NO ({row['failed']})"
        print(
            f"{key:{width}s} | {row['pairs']:5d} | {row['max']:12.3g} | "
            f"{_rule(key):8s} | {status}"
        )
    for name, key, expected, got in found["failures"]:
        print(f"DIFFERS {name} {key}: peer {expected!r}, maskqa {got!r}")
    if found["raised"]:
        print("\npeer raised (no value to compare; a finding about the peer):")
        for key in sorted(found["raised"]):
            print(f"  {key} ({found['raised'][key]} pairs)")
    if found["uncovered"]:
        print("\nnot covered by a preset:")
        for key in sorted(found["uncovered"]):
            reason = UNCOVERED.get(parse_key(key).peer, "no preset reproduces it")
            print(f"  {key} ({found['uncovered'][key]} pairs): {reason}")
    if found["missing"]:
        print("\npairs listed in the refs but missing from PAIRS_DIR:")
        for name in found["missing"]:
            print(f"  {name}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("refs", type=Path, help="reference values (JSON)")
    parser.add_argument("pairs", type=Path, help="folder of NAME_fine/NAME_coarse PNGs")
    args = parser.parse_args(argv)
    try:
        refs = json.loads(args.refs.read_text())
    except (OSError, ValueError) as error:
        print(f"error: cannot read REFS_JSON {args.refs}: {error}", file=sys.stderr)
        return 2
    if not isinstance(refs, dict) or not args.pairs.is_dir():
        print(
            f"error: expected a JSON object of pairs in {args.refs} and a folder "
            f"PAIRS_DIR, got {args.pairs}",
            file=sys.stderr,
        )
        return 2
    found = check(refs, args.pairs)
    if not found["rows"]:
        print(f"error: no listed pair found in {args.pairs}", file=sys.stderr)
        report(found)
        return 2
    report(found)
    return 1 if found["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
