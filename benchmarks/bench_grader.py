"""Grading time per answer and start-up time to the first prompt, as ratios against same-run baselines.

Baselines: ``str.split`` of the same answers (the cheapest possible look at the text) for grading, and
``python -c pass`` for start-up. Run: ``python benchmarks/bench_grader.py``.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from api_trainer.trainer import load_pack
from api_trainer.trainer._grader import grade

ROUNDS = 5


def _per_answer(fn: object, answers: list[tuple[object, str]]) -> float:
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for scenario, text in answers:
            fn(scenario, text)  # type: ignore[operator]
        timings.append((time.perf_counter() - start) / len(answers))
    return statistics.median(timings)


def _startup(argv: list[str], until: bytes | None) -> float:
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        if until is None:
            subprocess.run(argv, check=True, capture_output=True)
        else:
            import pexpect

            with tempfile.TemporaryDirectory() as tmp:
                child = pexpect.spawn(argv[0], [*argv[1:], "--db", str(Path(tmp) / "p.sqlite3")], timeout=60)
                child.expect(until)
                timings.append(time.perf_counter() - start)
                child.terminate(force=True)
                continue
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    scenarios = load_pack()
    answers = [(s, c.answer) for s in scenarios for c in s.calibration] + [
        (s, s.reference) for s in scenarios
    ]
    grade(scenarios[0], answers[0][1])  # warm caches once, as a training session would
    graded = _per_answer(grade, answers)
    split = _per_answer(lambda _s, text: text.split(), answers)
    print(f"answers graded: {len(answers)} from {len(scenarios)} scenarios, median of {ROUNDS} rounds")
    print(f"grading per answer: {graded * 1000:.2f} ms = {graded / split:.0f}x str.split of the same answer")

    script = shutil.which("api-trainer") or str(Path(sys.executable).with_name("api-trainer"))
    python_alone = _startup([sys.executable, "-c", "pass"], None)
    first_prompt = _startup([script, "train"], b"Your choice")
    print(f"python -c pass: {python_alone * 1000:.0f} ms (baseline)")
    print(
        f"api-trainer train to the first prompt: {first_prompt * 1000:.0f} ms = {first_prompt / python_alone:.1f}x python start-up"
    )


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    main()
