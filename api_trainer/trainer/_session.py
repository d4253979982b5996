"""The interactive loop of ``api-trainer train``.

All input goes through one ``ask`` function (prompt_toolkit in the CLI), never ``input()``: mixing the two
breaks on pipes. Each answered scenario is saved before the next one is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from rich.console import Console
from rich.text import Text

from ..render.trainer import render_grade, render_option_feedback, render_reference, render_scenario
from ._grader import grade
from ._model import Scenario
from ._progress import next_scenario
from ._store import ProgressStore

Ask = Callable[[str], str]
QUIT = ("q", "quit", "exit")
HINT = ("?", "h", "hint")


class _Quit(Exception):
    pass


class _Hints:
    def __init__(self, console: Console, scenario: Scenario) -> None:
        self.console, self.scenario, self.used = console, scenario, 0

    def show(self) -> None:
        if self.used >= len(self.scenario.hints):
            self.console.print(Text("No more hints.", style="dim"))
            return
        self.used += 1
        self.console.print(
            Text(
                f"Hint {self.used}/{len(self.scenario.hints)}: {self.scenario.hints[self.used - 1]}",
                style="cyan",
            )
        )


def _read(ask: Ask, prompt: str) -> str:
    try:
        return ask(prompt)
    except EOFError:
        raise _Quit from None


def _choose(console: Console, ask: Ask, scenario: Scenario, hints: _Hints) -> str:
    count = len(scenario.options)
    while True:
        raw = _read(ask, f"Your choice [1-{count}, ? hint, q quit]: ").strip().lower()
        if raw in QUIT:
            raise _Quit
        if raw in HINT:
            hints.show()
            continue
        if raw.isdigit() and 1 <= int(raw) <= count:
            return scenario.options[int(raw) - 1].id
        if scenario.option(raw):
            return raw
        console.print(
            Text(
                f"Type a number from 1 to {count}, an option id, '?' for a hint or 'q' to quit.",
                style="yellow",
            )
        )


def _explain(console: Console, ask: Ask, scenario: Scenario, hints: _Hints) -> str:
    console.print(Text(f"Explain it to a {scenario.audience}: {scenario.prompt}", style="bold"))
    console.print(
        Text(
            "Write as many lines as you like; an empty line finishes. '?' on its own line shows a hint, 'q' quits.",
            style="dim",
        )
    )
    lines: list[str] = []
    while True:
        line = _read(ask, "> " if not lines else ". ")
        command = line.strip().lower()
        if command in QUIT and not lines:
            raise _Quit
        if command in HINT:
            hints.show()
            continue
        if not command:
            if lines:
                return "\n".join(lines)
            console.print(Text("Write at least one line before finishing.", style="yellow"))
            continue
        lines.append(line)


def run_session(
    console: Console,
    ask: Ask,
    scenarios: Sequence[Scenario],
    store: ProgressStore,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> int:
    """Train until the learner quits or nothing is due; returns the number of scenarios answered."""
    answered = 0
    seen: set[str] = set()
    try:
        while True:
            scenario = next_scenario(scenarios, store, now(), skip=frozenset(seen))
            if scenario is None:
                _nothing_due(console, store)
                return answered
            seen.add(scenario.id)
            render_scenario(console, scenario)
            hints = _Hints(console, scenario)
            choice = _choose(console, ask, scenario, hints)
            option = scenario.option(choice)
            assert option is not None
            render_option_feedback(console, scenario, option)
            first_pick_wrong = choice != scenario.right
            if first_pick_wrong:
                console.print(
                    Text(
                        "Now explain the contract you would recommend after this feedback: the explanation is "
                        "graded on the decision it argues for; the first pick still counts for your review schedule.",
                        style="yellow",
                    )
                )
            answer = _explain(console, ask, scenario, hints)
            result = grade(scenario, answer, None if first_pick_wrong else choice)
            card = store.record(
                scenario,
                result,
                answer,
                hints_used=hints.used,
                when=now(),
                first_choice=choice if first_pick_wrong else None,
            )
            answered += 1
            render_grade(console, result, scenario)
            render_reference(console, scenario)
            console.print(
                Text(f"Saved. Next review of {scenario.id}: {card.due:%Y-%m-%d} (UTC).", style="dim")
            )
            if _read(ask, "Enter for the next scenario, q to quit: ").strip().lower() in QUIT:
                raise _Quit
    except _Quit:
        console.print(
            f"Bye: {answered} scenario{'s' if answered != 1 else ''} answered this session, progress saved in {store.path}"
        )
        return answered


def _nothing_due(console: Console, store: ProgressStore) -> None:
    due = sorted(store.due().items(), key=lambda item: item[1])
    if due:
        sid, when = due[0]
        console.print(f"Nothing due now. Next review: {sid} on {when:%Y-%m-%d %H:%M} UTC.")
    else:
        console.print("No scenarios match.")
