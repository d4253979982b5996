"""Benchmark ``api-trainer diff`` on two real Stripe specs against a baseline measured in the same run.

Diffs spec3-6546d96d-2021-04-12.json against spec3-e0123a38-2022-04-12.json (3.4 and 4.2 MB, 220 and 261
paths). Two measures, each against its own baseline:

- **the whole process**, as a user runs it: ``api-trainer diff OLD NEW`` (start-up, loading both specs,
  the checks ``diff`` makes on them, comparing, writing the report to a pipe), against a process that only
  starts Python and ``json.load``s both files. Wall time is the best of ``--repeat`` runs; peak memory is
  each process's maximum resident set size (``wait4``'s ``ru_maxrss``); the processes take turns. Target:
  within 20x. CPU time (user + system, from the same ``wait4``) is printed beside it: on a machine shared
  with other work it moves much less than wall time.
- **in process**, to see where the time goes: loading both specs, and comparing them, each against
  ``json.loads`` of both files.

Timings vary by machine and load; read the ratios.

Run: ``python benchmarks/bench_diff.py [--repeat N] [--format text|json]`` (the corpus is found like the
tests find it: ``API_TRAINER_CORPUS``, default ``<repo>/../shared/corpus``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from api_trainer.diff import find_changes
from api_trainer.specs import load_spec

OLD = "spec3-6546d96d-2021-04-12.json"
NEW = "spec3-e0123a38-2022-04-12.json"
TARGET_RATIO = 20


def _corpus() -> Path:
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
    return Path(os.environ.get("API_TRAINER_CORPUS", default)) / "stripe"


def _run(command: list[str]) -> tuple[float, int, int, float]:
    """Wall seconds, peak RSS in bytes, exit code and CPU seconds (user + system) of one process, its
    output drained through a pipe."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    while process.stdout.read(1 << 20):
        pass
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss * 1024, process.returncode, usage.ru_utime + usage.ru_stime


def _best(commands: list[list[str]], repeat: int) -> list[tuple[float, int, int, float]]:
    """Each command's best wall time, peak RSS, last exit code and best CPU time; the commands take turns,
    so that a burst of load on a shared machine slows the baseline and the diff alike."""
    runs: list[list[tuple[float, int, int, float]]] = [[] for _ in commands]
    for _ in range(repeat):
        for command, done in zip(commands, runs, strict=True):
            done.append(_run(command))
    return [
        (min(r[0] for r in done), max(r[1] for r in done), done[-1][2], min(r[3] for r in done))
        for done in runs
    ]


def _best_time(call: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each; the best time counts")
    parser.add_argument("--format", default="text", choices=("text", "json"), help="the diff's output format")
    args = parser.parse_args()
    corpus = _corpus()
    old, new = corpus / OLD, corpus / NEW
    if not (old.exists() and new.exists()):
        print(f"skipped: the Stripe corpus is not at {corpus} (set API_TRAINER_CORPUS)")
        return 0
    cli = shutil.which("api-trainer")
    if cli is None:
        print("skipped: api-trainer is not on PATH (pip install -e . in this environment)")
        return 0
    baseline = [
        sys.executable,
        "-c",
        f"import json; json.load(open({str(old)!r})); json.load(open({str(new)!r}))",
    ]
    diff = [cli, "diff", str(old), str(new), "--format", args.format]
    startup = [cli, "--help"]
    (
        (base_time, base_rss, _, base_cpu),
        (diff_time, diff_rss, code, diff_cpu),
        (start_time, _, _, start_cpu),
    ) = _best([baseline, diff, startup], args.repeat)
    ratio = diff_time / base_time
    print(f"{OLD} -> {NEW}, --format {args.format} (exit {code}), best of {args.repeat}")
    print(
        f"whole process  json.load both: {base_time:.3f}s {base_rss / 2**20:.0f} MiB   "
        f"api-trainer diff: {diff_time:.3f}s {diff_rss / 2**20:.0f} MiB   "
        f"ratio {ratio:.1f}x time, {diff_rss / base_rss:.1f}x peak memory"
    )
    print(
        f"  CPU time (user + system; steadier than wall time on a shared machine): {base_cpu:.3f}s and "
        f"{diff_cpu:.3f}s, ratio {diff_cpu / base_cpu:.1f}x"
    )
    print(
        f"  of which start-up (api-trainer --help): {start_time:.3f}s wall ({start_time / base_time:.1f}x), "
        f"{start_cpu:.3f}s CPU ({start_cpu / base_cpu:.1f}x)"
    )

    def loads() -> object:
        return json.loads(old.read_bytes()), json.loads(new.read_bytes())

    loaded = (load_spec(str(old)), load_spec(str(new)))
    report = find_changes(*loaded)
    json_time = _best_time(loads, args.repeat)
    load_time = _best_time(lambda: (load_spec(str(old)), load_spec(str(new))), args.repeat)
    compare_time = _best_time(lambda: find_changes(*loaded), args.repeat)
    print(
        f"in process     json.loads both: {json_time:.3f}s   loading both specs: {load_time:.3f}s "
        f"({load_time / json_time:.1f}x)   comparing them: {compare_time:.3f}s ({compare_time / json_time:.1f}x), "
        f"{len(report.findings)} findings {report.summary}"
    )
    verdict = "within" if ratio <= TARGET_RATIO else "OVER"
    print(f"target: the whole process within {TARGET_RATIO}x of the json.load process: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
