"""Benchmark how fast ``api-trainer`` starts, as a ratio to ``python -c pass`` measured in the same run.

Five processes take turns (so a burst of load on a shared machine slows the baseline and the commands
alike), each run ``--repeat`` times; the best wall time counts, and CPU time (user + system, from
``wait4``) is printed beside it because on a shared machine it moves much less than wall time:

- ``python -c pass``: the baseline, the interpreter starting and stopping;
- ``api-trainer --help``; goal: at most 15x the baseline;
- ``api-trainer specs list`` (loads the six bundled specs); goal: at most 20x; once with the bundled
  specs' parse cache (``api_trainer/_cache.py``) as a user has it after the first run, once with it
  off (``API_TRAINER_CACHE_DIR=``), as on the first run;
- ``api-trainer diff dataplatform@2.1 dataplatform@2.2`` (two bundled specs of about 90 kB);
- ``api-trainer train`` to its first prompt, in a pseudo-terminal (pexpect), on a fresh progress database
  and a one-scenario pack; the time is from spawning to the prompt on screen, then the process is killed.
  Goal: under 0.5 s.

Timings vary by machine and load; read the ratios. Run: ``python benchmarks/bench_startup.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pexpect

from api_trainer.trainer import bundled_pack_dir

HELP_GOAL, SPECS_GOAL, TRAIN_GOAL_SECONDS = 15, 20, 0.5
TRAIN_SCENARIO = "retry-without-key"
NO_CACHE = "NOCACHE"


def _run(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one process, its output drained through a pipe. A first item ``NOCACHE``
    runs the rest with the bundled specs' parse cache off."""
    env = None
    if command[0] == NO_CACHE:
        command, env = command[1:], {**os.environ, "API_TRAINER_CACHE_DIR": ""}
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert process.stdout is not None
    while process.stdout.read(1 << 16):
        pass
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {os.waitstatus_to_exitcode(status)}")
    return elapsed, usage.ru_utime + usage.ru_stime


def _train_to_prompt(cli: str, pack: Path, scratch: Path, run: int) -> tuple[float, float]:
    """Seconds from spawning ``train`` in a pseudo-terminal to its first prompt; CPU is not measured (nan)."""
    db = scratch / f"progress-{run}.sqlite3"
    env = {**os.environ, "COLUMNS": "100", "LINES": "40", "NO_COLOR": "1", "TERM": "dumb"}
    started = time.perf_counter()
    child = pexpect.spawn(
        cli,
        ["train", "--pack", str(pack), "--db", str(db), "--seed", "0"],
        env=env,
        encoding="utf-8",
        timeout=60,
    )
    try:
        child.expect(r"Your choice \[")
        elapsed = time.perf_counter() - started
    finally:
        child.close(force=True)
    return elapsed, float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=7, help="runs of each; the best time counts")
    args = parser.parse_args()
    cli = shutil.which("api-trainer")
    if cli is None:
        print("skipped: api-trainer is not on PATH (pip install -e . in this environment)")
        return 0
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "api-trainer --help": [cli, "--help"],
        "api-trainer specs list": [cli, "specs", "list"],
        "api-trainer specs list (parse cache off)": [NO_CACHE, cli, "specs", "list"],
        "api-trainer diff dataplatform@2.1 dataplatform@2.2": [
            cli,
            "diff",
            "dataplatform@2.1",
            "dataplatform@2.2",
        ],
    }
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        pack = scratch / "pack"
        source = next(bundled_pack_dir().rglob(f"{TRAIN_SCENARIO}.toml"))
        (pack / source.parent.name).mkdir(parents=True)
        shutil.copy(source, pack / source.parent.name / source.name)
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in [*commands, "api-trainer train"]}
        for n in range(args.repeat):
            for name, command in commands.items():
                runs[name].append(_run(command))
            runs["api-trainer train"].append(_train_to_prompt(cli, pack, scratch, n))
    base_wall = min(r[0] for r in runs["python -c pass"])
    base_cpu = min(r[1] for r in runs["python -c pass"])
    print(f"best of {args.repeat}; ratios against python -c pass in the same run")
    width = max(len(name) for name in runs)
    best: dict[str, float] = {}
    for name, done in runs.items():
        wall = best[name] = min(r[0] for r in done)
        cpus = [r[1] for r in done if r[1] == r[1]]
        cpu = (
            f"   CPU {min(cpus):.3f}s ({min(cpus) / base_cpu:5.1f}x)" if cpus else "   (to the first prompt)"
        )
        print(f"{name:<{width}}  {wall:.3f}s ({wall / base_wall:5.1f}x){cpu}")
    help_ratio = best["api-trainer --help"] / base_wall
    specs_ratio = best["api-trainer specs list"] / base_wall
    train = best["api-trainer train"]
    print(
        f"goals: --help <= {HELP_GOAL}x: {'met' if help_ratio <= HELP_GOAL else 'MISSED'} ({help_ratio:.1f}x); "
        f"specs list <= {SPECS_GOAL}x: {'met' if specs_ratio <= SPECS_GOAL else 'MISSED'} ({specs_ratio:.1f}x); "
        f"train to its first prompt < {TRAIN_GOAL_SECONDS}s: "
        f"{'met' if train < TRAIN_GOAL_SECONDS else 'MISSED'} ({train:.3f}s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
