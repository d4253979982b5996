"""The interactive loop of ``api-trainer train``.

All input goes through one ``ask`` function (prompt_toolkit in the CLI), never ``input()``: mixing the two
breaks on pipes. Each answered scenario is saved before the next one is shown. Nothing that judges the
options (their consequences, the verdict, the reference) is shown before the explanation is graded.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from rich.console import Console

from ..render.trainer import (
    render_explain_prompt,
    render_grade,
    render_lab_offer,
    render_leech,
    render_option_feedback,
    render_reference,
    render_scenario,
    wrapped,
)
from ._model import Scenario
from ._present import Presentation, present
from ._progress import LEECH_FAILURES, next_scenario
from ._store import ProgressStore

Ask = Callable[[str], str]
# Runs a scenario's lab check against the running lab: (passed, the report's lines).
LabCheck = Callable[[Scenario], tuple[bool, list[str]]]
QUIT = ("q", "quit", "exit")
HINT = ("?", "h", "hint")


class Quit(Exception):
    """The learner typed ``q`` (or closed the input)."""


class Hints:
    def __init__(self, console: Console, scenario: Scenario) -> None:
        self.console, self.scenario, self.used = console, scenario, 0

    def show(self) -> None:
        if self.used >= len(self.scenario.hints):
            wrapped(self.console, "No more hints.", style="dim")
            return
        self.used += 1
        hint = self.scenario.hints[self.used - 1]
        wrapped(self.console, f"Hint {self.used}/{len(self.scenario.hints)}: {hint}", style="cyan", rest="  ")


def read(ask: Ask, prompt: str) -> str:
    try:
        return ask(prompt)
    except EOFError:
        raise Quit from None


def choose(console: Console, ask: Ask, shown: Presentation, hints: Hints) -> str:
    """The option id of the number typed, counted in the order shown (an option id is accepted too)."""
    count = len(shown.options)
    while True:
        raw = read(ask, f"Your choice [1-{count}, ? hint, q quit]: ").strip().lower()
        if raw in QUIT:
            raise Quit
        if raw in HINT:
            hints.show()
            continue
        picked = shown.option_at(int(raw)) if raw.isdigit() else shown.scenario.option(raw)
        if picked is not None:
            return picked.id
        wrapped(console, f"Type a number from 1 to {count}, '?' for a hint or 'q' to quit.", style="yellow")


@dataclass
class Typed:
    """What was typed for one answer so far; ``timed_out`` when the clock, not the learner, ended it."""

    lines: list[str]
    timed_out: bool = False

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def read_lines(
    console: Console,
    ask: Ask,
    hints: Hints | None,
    *,
    prompt: Callable[[bool], str] = lambda first: "> " if first else ". ",
    expired: Callable[[], bool] = lambda: False,
    on_line: Callable[[Typed], None] = lambda typed: None,
) -> Typed:
    """Lines until an empty one. A line that is only ``q`` quits, on any line; ``?`` shows a hint.

    ``expired`` is asked after every line: when time is up, what was typed so far is the answer.
    ``on_line`` hears every accepted line (the interview saves it as it is typed)."""
    typed = Typed([])
    wrapped(
        console,
        "Write as many lines as you like; an empty line finishes. "
        + ("'?' on its own line shows a hint, " if hints is not None else "")
        + "'q' on its own line quits.",
        style="dim",
    )
    while True:
        line = read(ask, prompt(not typed.lines))
        command = line.strip().lower()
        if command in QUIT:
            raise Quit
        if command in HINT and hints is not None:
            hints.show()
        elif command:
            typed.lines.append(line)
            on_line(typed)
        elif typed.lines:
            return typed
        elif not expired():
            wrapped(console, "Write at least one line before finishing.", style="yellow")
        if expired():
            typed.timed_out = True
            return typed


_warming: list[threading.Thread] = []


def warm_grader() -> None:
    """Import the grader (its lexicons, thesaurus and stemmer) in the background, once: called when the first
    prompt is on screen, so the prompt does not wait for it and the grader is ready when an answer is in."""
    if not _warming:
        _warming.append(threading.Thread(target=_import_grader, name="warm-grader", daemon=True))
        _warming[0].start()


def _import_grader() -> None:
    import importlib

    importlib.import_module(f"{__package__}._grader")


def run_session(
    console: Console,
    ask: Ask,
    scenarios: Sequence[Scenario],
    store: ProgressStore,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    *,
    seed: int | None = None,
    open_answer: bool | None = None,
    check_lab: LabCheck | None = None,
) -> int:
    """Train until the learner quits or nothing is due; returns the number of scenarios answered.

    ``seed`` fixes the option order: the k-th scenario of the session is shown with seed ``seed + k``, so
    ``scenarios show ID --seed N`` prints the first one exactly as ``train --seed N`` does. ``open_answer``
    True shows no options anywhere, False shows them everywhere, None follows each scenario's default."""
    base = random.SystemRandom().randrange(2**31) if seed is None else seed
    answered = 0
    seen: set[str] = set()
    last_topic: str | None = None
    try:
        while True:
            scenario = next_scenario(scenarios, store, now(), skip=frozenset(seen), last_topic=last_topic)
            if scenario is None:
                _nothing_due(console, store)
                return answered
            shown = present(scenario, base + len(seen), open_answer=open_answer)
            seen.add(scenario.id)
            last_topic = scenario.topic
            render_scenario(console, shown)
            if scenario.lab is not None:
                offer_lab(console, ask, scenario, check_lab)
            hints = Hints(console, scenario)
            choice = None if shown.open else choose(console, ask, shown, hints)
            render_explain_prompt(console, shown)
            answer = read_lines(console, ask, hints).text
            from ._grader import grade  # warmed up (warm_grader) while the learner read the first prompt

            result = grade(scenario, answer, choice)
            card = store.record(scenario, result, answer, hints_used=hints.used, when=now())
            answered += 1
            render_grade(console, result, scenario)
            render_option_feedback(console, shown, choice)
            render_reference(console, scenario)
            wrapped(
                console, f"Saved. Next review of {scenario.id}: {card.due:%Y-%m-%d %H:%M} UTC.", style="dim"
            )
            failures = store.failures(scenario.id)
            if failures >= LEECH_FAILURES:
                _leech(console, ask, scenario, failures, check_lab)
            if read(ask, "Enter for the next scenario, q to quit: ").strip().lower() in QUIT:
                raise Quit
    except Quit:
        plural = "s" if answered != 1 else ""
        wrapped(
            console, f"Bye: {answered} scenario{plural} answered this session, progress saved in {store.path}"
        )
        return answered


def _leech(
    console: Console,
    ask: Ask,
    scenario: Scenario,
    failures: int,
    check_lab: LabCheck | None,
) -> None:
    """A scenario failed again and again needs a different kind of help than another review."""
    render_leech(console, scenario, failures)
    keys = "h hints, r reference" + (", l lab" if scenario.lab is not None else "")
    while True:
        raw = read(ask, f"[{keys}, Enter to go on]: ").strip().lower()
        if not raw:
            return
        if raw in QUIT:
            raise Quit
        if raw.startswith("h"):
            for n, hint in enumerate(scenario.hints, start=1):
                wrapped(console, f"Hint {n}/{len(scenario.hints)}: {hint}", style="cyan", rest="  ")
        elif raw.startswith("r"):
            render_reference(console, scenario)
        elif raw.startswith("l") and scenario.lab is not None:
            offer_lab(console, ask, scenario, check_lab)


def offer_lab(console: Console, ask: Ask, scenario: Scenario, check_lab: LabCheck | None) -> None:
    """A lab scenario says how to start its lab, and checks it here when the learner has done it."""
    render_lab_offer(console, scenario)
    if check_lab is None:
        return
    while True:
        raw = read(ask, "[c check the lab now, Enter to go on]: ").strip().lower()
        if raw in QUIT:
            raise Quit
        if not raw.startswith("c"):
            return
        passed, lines = check_lab(scenario)
        for line in lines:
            console.print(line, markup=False, highlight=False)
        if passed:
            return


def _nothing_due(console: Console, store: ProgressStore) -> None:
    due = sorted(store.due().items(), key=lambda item: item[1])
    if due:
        sid, when = due[0]
        console.print(f"Nothing due now. Next review: {sid} on {when:%Y-%m-%d %H:%M} UTC.")
    else:
        console.print("No scenarios match.")
