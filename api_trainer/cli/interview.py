"""``api-trainer interview``: a timed mock interview loop in one company's style, with follow-ups and a report."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from ._app import console

# For tests and demos: each line typed moves the interview clock forward by this many seconds, instead of
# real time passing. Nothing waits.
ENV_CLOCK_STEP = "API_TRAINER_CLOCK_STEP"


class _SteppedClock:
    def __init__(self, step: float) -> None:
        self.step, self.now = step, 0.0

    def __call__(self) -> float:
        return self.now


def _terminal_ask(prompt_fn: Callable[[], str], seconds_left: float | None) -> str:
    """One line from the terminal; the prompt's countdown redraws every second, and when the time runs out
    the line ends with what was typed so far."""
    import asyncio

    from prompt_toolkit import PromptSession
    from prompt_toolkit.application.current import get_app

    def arm_timer() -> None:
        if seconds_left is None:
            return
        app = get_app()

        def time_up() -> None:
            if app.is_running and not app.future.done():  # type: ignore[union-attr]
                app.exit(result=app.current_buffer.text)

        asyncio.get_running_loop().call_later(max(0.0, seconds_left), time_up)

    session: PromptSession[str] = PromptSession()
    return session.prompt(prompt_fn, refresh_interval=1.0, pre_run=arm_timer)


def interview(
    company: Annotated[
        str, typer.Option("--company", help="stripe, databricks, google, amazon, snowflake or meta.")
    ],
    minutes: Annotated[float, typer.Option("--minutes", help="The loop's time budget.", min=1)] = 45,
    seconds_per_question: Annotated[
        float | None,
        typer.Option(
            "--seconds-per-question", help="Time per question (default: the loop's time split evenly).", min=1
        ),
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Fix the questions chosen.")] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Also write the report as Markdown to this file.")
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option("--db", help="Progress database (default: $API_TRAINER_DB, else the user data dir)."),
    ] = None,
    pack: Annotated[
        Path | None, typer.Option("--pack", help="A directory of scenario packs instead of the bundled ones.")
    ] = None,
) -> None:
    """A mock interview: 4-6 open questions across the company's pillars, a countdown, one follow-up per
    answer on what it missed, the company's grading emphasis, and a report saved with your progress."""
    import random
    import time

    from ..render.interview import render_report, report_markdown
    from ..trainer import load_pack
    from ..trainer._interview import plan_loop, run_interview
    from ..trainer._store import ProgressStore, write_text_atomically
    from ..trainer._styles import styles

    known = styles()
    if company not in known:
        raise UsageError(f"unknown company style '{company}'; styles: {', '.join(known)}")
    style = known[company]
    chosen_seed = random.SystemRandom().randrange(2**31) if seed is None else seed
    plan = plan_loop(
        style, load_pack(pack), minutes=minutes, seconds_per_question=seconds_per_question, seed=chosen_seed
    )
    if not plan.questions:
        missing = "; ".join(f"{p.label} (topics: {', '.join(p.topics)})" for p in plan.empty_pillars)
        raise UsageError(f"{style.label}: this pack has no scenarios for its pillars: {missing}")
    if report is not None and report.exists() and report.is_dir():
        raise UsageError(f"--report {report}: is a directory")

    step = os.environ.get(ENV_CLOCK_STEP)
    if step:
        stepped = _SteppedClock(float(step))
        clock: Callable[[], float] = stepped

        def ask(prompt_fn: Callable[[], str], seconds_left: float | None) -> str:
            from prompt_toolkit import prompt

            line = prompt(prompt_fn())
            stepped.now += stepped.step
            return line
    else:
        clock, ask = time.monotonic, _terminal_ask

    with ProgressStore(db) as store:
        result = run_interview(console, ask, plan, store, load_pack(pack), clock=clock)
    render_report(console, result)
    if report is not None:
        write_text_atomically(report, report_markdown(result), what="report")
        console.print(f"Report written to {report}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.command("interview")(interview)
