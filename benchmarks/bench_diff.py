"""Benchmark ``api-trainer diff`` on two real Stripe specs against a baseline measured in the same run.

Diffs spec3-6546d96d-2021-04-12.json against spec3-e0123a38-2022-04-12.json (3.4 and 4.2 MB, 220 and
261 paths): loading both specs (safe parse, bundling), then comparing them (every rule, every operation,
schemas followed through $ref lazily). The baseline is the least any tool can do with these files: read
both and ``json.loads`` them. Target: the whole diff within 30x of the baseline's wall time.

Wall time is the best of ``--repeat`` runs; peak memory is tracemalloc's peak of Python allocations, in a
separate run (tracing slows the run, so it is not timed). Timings vary by machine; read the ratios.

Run: ``python benchmarks/bench_diff.py [--repeat N]`` (the corpus is found like the tests find it:
``API_TRAINER_CORPUS``, default ``<repo>/../shared/corpus``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from api_trainer.diff import find_changes
from api_trainer.specs import load_spec

OLD = "spec3-6546d96d-2021-04-12.json"
NEW = "spec3-e0123a38-2022-04-12.json"
TARGET_RATIO = 30


def _corpus() -> Path:
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
    return Path(os.environ.get("API_TRAINER_CORPUS", default)) / "stripe"


def _baseline(old: Path, new: Path) -> Callable[[], object]:
    return lambda: (json.loads(old.read_bytes()), json.loads(new.read_bytes()))


def _diff(old: Path, new: Path) -> Callable[[], object]:
    return lambda: find_changes(load_spec(str(old)), load_spec(str(new)))


def _best_time(call: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best


def _peak_bytes(call: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each; the best counts")
    args = parser.parse_args()
    corpus = _corpus()
    old, new = corpus / OLD, corpus / NEW
    if not (old.exists() and new.exists()):
        print(f"the Stripe corpus is not at {corpus} (set API_TRAINER_CORPUS)", file=sys.stderr)
        return 2
    baseline, diff = _baseline(old, new), _diff(old, new)
    report = find_changes(load_spec(str(old)), load_spec(str(new)))  # warm-up, and what the diff finds
    print(f"{OLD} -> {NEW}: {len(report.findings)} findings {report.summary}")

    base_time, diff_time = _best_time(baseline, args.repeat), _best_time(diff, args.repeat)
    load_time = _best_time(lambda: (load_spec(str(old)), load_spec(str(new))), args.repeat)
    loaded = (load_spec(str(old)), load_spec(str(new)))
    compare_time = _best_time(lambda: find_changes(*loaded), args.repeat)
    base_peak, diff_peak = _peak_bytes(baseline), _peak_bytes(diff)
    ratio = diff_time / base_time
    print(
        f"wall time  json.loads both: {base_time:.3f}s   load + diff: {diff_time:.3f}s   ratio {ratio:.1f}x"
    )
    print(
        f"peak mem   json.loads both: {base_peak / 2**20:.0f} MiB   load + diff: {diff_peak / 2**20:.0f} MiB   "
        f"ratio {diff_peak / base_peak:.1f}x"
    )
    print(
        f"measured apart: loading both specs {load_time:.3f}s ({load_time / base_time:.1f}x), "
        f"comparing them {compare_time:.3f}s "
        f"({compare_time / base_time:.1f}x)"
    )
    verdict = "within" if ratio <= TARGET_RATIO else "OVER"
    print(f"target: wall time within {TARGET_RATIO}x of the baseline: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
