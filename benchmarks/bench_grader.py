"""The grader measured on the blind answer corpus, plus its speed, as figures (no pass/fail).

Quality: ``tests/trainer/blind/`` holds answers written from the learner-visible text only, labelled by
their writers before anything was graded (see its README). Each answer is graded twice: with the option
its writer picked (as ``train`` would pass it) and with no pick (an open answer, the decision read from
the prose). The figures are counts per half; tune only on the development half.

Speed: grading time per answer against ``str.split`` of the same answers, and the trainer's first prompt
against ``python -c pass``, both measured in this run.

Run: ``python benchmarks/bench_grader.py [--half development|test|test-round2|test-round3|test-all|all] [--misses] [--no-speed]``.
``--misses`` lists the misses of the development half only: a test-half answer looked at to fix a miss
becomes development data (move it in ``split.toml``) and fresh test answers are written for the next round.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from api_trainer.trainer import Scenario, find_scenario, load_pack
from api_trainer.trainer._grader import Grade, grade

BLIND = Path(__file__).resolve().parent.parent / "tests" / "trainer" / "blind"
SEED = Path(__file__).resolve().parent.parent / "tests" / "trainer" / "seed_answers.toml"
STRONG = ("strong-natural", "strong-terse", "strong-nonnative", "strong-bullets")
WEAK = ("engineering", "hedge", "salad", "fluent-wrong", "generic-template", "rubric-stuffed")
ROUNDS = 5
# The lists in split.toml: development and development-round2 (tuned on); test (round 1), test-round2 (the half
# of round 2 never tuned on) and test-round3 (fresh answers to the scenarios no earlier round covered).
HALVES = ("development", "development-round2", "test", "test-round2", "test-round3")
# What --half selects.
SELECTIONS = {
    "development": ("development", "development-round2"),
    "test": ("test",),
    "test-round2": ("test-round2",),
    "test-round3": ("test-round3",),
    "test-all": ("test", "test-round2", "test-round3"),
    "all": HALVES,
}


@dataclass(frozen=True)
class Answer:
    scenario: str
    writer: str
    kind: str
    choice: str | None
    side: str
    text: str


def load_corpus() -> tuple[dict[str, list[Answer]], dict[str, str]]:
    """Answers per scenario, and each scenario's half."""
    split = tomllib.loads((BLIND / "split.toml").read_text(encoding="utf-8"))
    half = {sid: name for name in HALVES for sid in split.get(name, ())}
    answers: dict[str, list[Answer]] = defaultdict(list)
    for path in sorted((BLIND / "answers").glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for a in data["answers"]:
            answers[data["scenario"]].append(
                Answer(data["scenario"], data["writer"], a["kind"], a["choice"], a["side"], a["text"])
            )
    return answers, half


@dataclass
class Tally:
    n: int = 0
    ok: int = 0

    def add(self, ok: bool) -> None:
        self.n += 1
        self.ok += ok

    def __str__(self) -> str:
        pct = 100 * self.ok / self.n if self.n else 0.0
        return f"{self.ok}/{self.n} ({pct:.0f}%)"


def measure(half: str, show_misses: bool) -> None:
    answers, halves = load_corpus()
    wanted = SELECTIONS[half]
    chosen = [sid for sid in sorted(answers) if halves.get(sid) in wanted]
    pack = {s.id: s for s in load_pack()}
    with_pick: dict[str, Tally] = defaultdict(Tally)
    open_pass: dict[str, Tally] = defaultdict(Tally)
    side_read: dict[str, Tally] = defaultdict(Tally)
    template_below = Tally()
    ranked = Tally()
    template_fails = Tally()
    stuffed_fails = Tally()
    key_agrees = Tally()
    misses: list[str] = []
    for sid in chosen:
        scenario = pack[sid]
        graded: list[tuple[Answer, Grade, Grade]] = []
        for a in answers[sid]:
            picked = grade(scenario, a.text, a.choice)
            unpicked = grade(scenario, a.text)
            graded.append((a, picked, unpicked))
            strong = a.kind in STRONG
            with_pick[a.kind].add(picked.passed == strong)
            open_pass[a.kind].add(unpicked.passed == strong)
            if strong:
                key_agrees.add(a.choice in scenario.acceptable)
                side_read[a.kind].add(unpicked.decision == "right")
            elif a.kind == "fluent-wrong":
                side_read[a.kind].add(unpicked.decision == "wrong")
            if picked.passed != strong or (strong and unpicked.decision != "right"):
                misses.append(
                    f"{sid} [{a.writer} {a.kind} pick={a.choice}] picked: {_brief(picked)} | open: {_brief(unpicked)}"
                )
        strong_scores = [g.score for a, g, _ in graded if a.kind in STRONG]
        weak_scores = [g.score for a, g, _ in graded if a.kind in WEAK]
        templates = [g for a, g, _ in graded if a.kind == "generic-template"]
        stuffed = [g for a, g, _ in graded if a.kind == "rubric-stuffed"]
        if strong_scores and weak_scores:
            ranked.add(min(strong_scores) > max(weak_scores))
        if templates and strong_scores:
            template_below.add(max(t.score for t in templates) < min(strong_scores))
            template_fails.add(not any(t.passed for t in templates))
        if stuffed:
            stuffed_fails.add(not any(t.passed for t in stuffed))
    print(
        f"== blind corpus, {half} half: {len(chosen)} scenarios, {sum(len(answers[s]) for s in chosen)} answers"
    )
    print(
        f"{'kind':18} {'graded with its pick':>22} {'graded as an open answer':>26} {'side read (open)':>18}"
    )
    for kind in (*STRONG, *WEAK):
        side = str(side_read[kind]) if kind in side_read else ""
        print(f"{kind:18} {with_pick[kind]!s:>22} {open_pass[kind]!s:>26} {side:>18}")
    print("(strong rows count passes, weak rows count fails; 'side read': strong read as the safe side,")
    print(" fluent-wrong read as the unsafe side, with no option picked)")
    print(f"scenarios where every strong answer outscores every weak one: {ranked}")
    print(
        f"scenarios where the generic template fails: {template_fails}; scores below every strong: {template_below}"
    )
    print(f"scenarios where rubric-stuffed answers fail: {stuffed_fails}")
    print(f"strong answers whose writer picked an option the scenario accepts: {key_agrees}")
    if show_misses:
        if half != "development":
            print("(misses are listed for the development half only)")
        else:
            print(f"-- misses ({len(misses)})")
            for line in misses:
                print(line)


def _brief(g: Grade) -> str:
    gates = ",".join(g.gates) or "-"
    return f"{'PASS' if g.passed else 'fail'} {g.score:.2f} {g.decision} read={g.read_option} gates={gates}"


def seed_answers() -> None:
    if not SEED.exists():
        return
    data = tomllib.loads(SEED.read_text(encoding="utf-8"))
    scenario = find_scenario(data["scenario"])
    print(f"== the seed's own answers on {scenario.id}")
    for a in data["answer"]:
        for choice in (None, *a.get("choices", ())):
            g = grade(scenario, a["text"], choice)
            print(f"{a['label']:14} pick={choice!s:22} {_brief(g)}")


def _per_answer(fn: object, answers: list[tuple[Scenario, str]]) -> float:
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


def speed() -> None:
    scenarios = load_pack()
    answers = [(s, c.answer) for s in scenarios for c in s.calibration] + [
        (s, s.reference) for s in scenarios
    ]
    grade(scenarios[0], answers[0][1])  # warm caches once, as a training session would
    graded = _per_answer(grade, answers)
    split = _per_answer(lambda _s, text: text.split(), answers)
    print("== speed")
    print(f"answers graded: {len(answers)} from {len(scenarios)} scenarios, median of {ROUNDS} rounds")
    print(f"grading per answer: {graded * 1000:.2f} ms = {graded / split:.0f}x str.split of the same answer")
    script = shutil.which("api-trainer") or str(Path(sys.executable).with_name("api-trainer"))
    python_alone = _startup([sys.executable, "-c", "pass"], None)
    first_prompt = _startup([script, "train"], b"Your choice|Your answer|choice")
    print(f"python -c pass: {python_alone * 1000:.0f} ms (baseline)")
    print(
        f"api-trainer train to the first prompt: {first_prompt * 1000:.0f} ms = "
        f"{first_prompt / python_alone:.1f}x python start-up"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=tuple(SELECTIONS), default="test-all")
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    measure(args.half, args.misses)
    seed_answers()
    if not args.no_speed:
        speed()


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    main()
