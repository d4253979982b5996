"""The interview loop in-process, with a stepped clock: the loop's budget ends it, quitting keeps drafts."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console

from api_trainer.render.interview import report_markdown
from api_trainer.trainer import load_pack
from api_trainer.trainer._interview import LoopReport, plan_loop, run_interview
from api_trainer.trainer._store import ProgressStore
from api_trainer.trainer._styles import styles

from ..conftest import copy_bundled


class _Script:
    """Answers from a list; every line moves the clock ``step`` seconds."""

    def __init__(self, lines: list[str], step: float) -> None:
        self.lines, self.step, self.now, self.prompts = list(lines), step, 0.0, []

    def clock(self) -> float:
        return self.now

    def ask(self, prompt: Callable[[], str], seconds_left: float | None) -> str:
        self.prompts.append(prompt())
        self.now += self.step
        if not self.lines:
            raise EOFError
        return self.lines.pop(0)


def _run(
    tmp_path: Path, script: _Script, minutes: float, per_question: float
) -> tuple[LoopReport, str, Path]:
    pack = load_pack()
    plan = plan_loop(styles()["amazon"], pack, minutes=minutes, seconds_per_question=per_question, seed=9)
    out = io.StringIO()
    db = tmp_path / "p.sqlite3"
    with ProgressStore(db) as store:
        report = run_interview(
            Console(file=out, width=80, no_color=True), script.ask, plan, store, pack, clock=script.clock
        )
    return report, out.getvalue(), db


def test_the_loop_budget_ends_the_loop_and_the_report_says_so(tmp_path: Path) -> None:
    # 4 minutes for the loop, 3 per question, 60 s per line: the first question and part of its follow-up fit
    script = _Script(["We keep the contract."] * 40, step=60)
    report, screen, db = _run(tmp_path, script, minutes=4, per_question=180)
    assert report.status == "out-of-time"
    assert len(report.questions) == 1
    assert script.prompts[0].startswith("[Q1 3:00 left · loop 4:00] > ")
    assert "Time is up: your answer is saved as typed." in screen
    with ProgressStore(db) as store:
        (loop,) = store.loops()
    assert loop.status == "out-of-time" and loop.questions == 1


def test_quitting_keeps_the_draft_and_reports_what_was_answered(tmp_path: Path) -> None:
    script = _Script(["A first line.", "A second line.", "q"], step=1)
    report, _, db = _run(tmp_path, script, minutes=45, per_question=600)
    assert report.status == "quit"
    with ProgressStore(db) as store:
        (answer,) = store.loop_answers(store.loops()[0].id)
    assert answer["answer"] == "A first line.\nA second line." and answer["status"] == "typing"
    assert "## What to practise next" in report_markdown(report)


def test_quitting_in_a_follow_up_keeps_the_answered_question_in_the_report_and_export(tmp_path: Path) -> None:
    script = _Script(["An answer that names no metric and no trade-off at all.", "", "q"], step=1)
    report, _, db = _run(tmp_path, script, minutes=45, per_question=600)
    assert report.status == "quit"
    assert [q.position for q in report.questions] == [1] and report.questions[0].follow_up is None
    with ProgressStore(db) as store:
        exported = store.export()
    (loop,) = exported["loops"]
    assert loop["status"] == "quit" and loop["questions"] == 1
    assert [a["kind"] for a in loop["answers"]] == ["answer", "follow-up"]


def test_a_style_without_scenarios_in_the_pack_says_so_in_one_line(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    pack = copy_bundled(tmp_path / "pack", "sql-cohort-retention")
    result = run_cli(
        "interview", "--company", "stripe", "--pack", str(pack), "--db", str(tmp_path / "p.sqlite3")
    )
    assert result.exit_code == 2
    assert (
        result.stderr.count("\n") == 1
        and "Stripe: this pack has no scenarios for its pillars" in result.stderr
    )
    unknown = run_cli("interview", "--company", "acme")
    assert (
        unknown.exit_code == 2
        and "styles: stripe, databricks, google, amazon, snowflake, meta" in unknown.stderr
    )
