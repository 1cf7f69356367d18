"""The batch over a dataset: local processes or a Dask cluster, streamed to disk."""

from .batch import (
    PairTask,
    RunResult,
    evaluate_dirs,
    evaluate_pairs,
    plan_dirs,
    score_pair,
)
from .results import Results, read_results, summarise

__all__ = [
    "PairTask",
    "Results",
    "RunResult",
    "evaluate_dirs",
    "evaluate_pairs",
    "plan_dirs",
    "read_results",
    "score_pair",
    "summarise",
]
