"""``api-trainer interview`` through a pseudo-terminal: countdown, time-out, follow-ups, the report, kill -9.

The interview clock is stepped (``API_TRAINER_CLOCK_STEP``): every line typed moves it forward, so nothing
waits for real time to pass.
"""

from __future__ import annotations

import io
import os
import signal
import sqlite3
from pathlib import Path

import pexpect
import pytest

from api_trainer.trainer import load_pack
from api_trainer.trainer._interview import plan_loop
from api_trainer.trainer._styles import styles

from ..conftest import console_script, copy_bundled

pytestmark = pytest.mark.slow
TIMEOUT = 30
# three API-fluency decisions and one system design question: exactly a Stripe loop
PACK = ("retry-without-key", "quota-429-not-503", "offset-vs-cursor", "payments-10k-tps-design")
STEP = 60  # seconds the clock moves per line typed
PER_QUESTION = 300


def _pack(tmp_path: Path) -> Path:
    return copy_bundled(tmp_path / "pack", *PACK)


def _spawn(tmp_path: Path, *extra: str) -> tuple[pexpect.spawn, io.StringIO]:
    env = {
        **os.environ, "COLUMNS": "100", "LINES": "40", "NO_COLOR": "1", "TERM": "dumb",
        "API_TRAINER_CLOCK_STEP": str(STEP),
    }  # fmt: skip
    args = [
        "interview", "--company", "stripe", "--seed", "4", "--pack", str(_pack(tmp_path)),
        "--db", str(tmp_path / "p.sqlite3"), "--minutes", "60", "--seconds-per-question", str(PER_QUESTION), *extra,
    ]  # fmt: skip
    child = pexpect.spawn(
        console_script(), args, env=env, encoding="utf-8", timeout=TIMEOUT, dimensions=(40, 100)
    )
    screen = io.StringIO()
    child.logfile_read = screen
    return child, screen


def _plan(tmp_path: Path) -> list[str]:
    plan = plan_loop(
        styles()["stripe"],
        load_pack(tmp_path / "pack"),
        minutes=60,
        seconds_per_question=PER_QUESTION,
        seed=4,
    )
    return [q.scenario.id for q in plan.questions]


def _answer(child: pexpect.spawn, *lines: str) -> None:
    for line in lines:
        child.expect(r"\] > ")
        child.sendline(line)
    child.expect(r"\] > ")
    child.sendline("")


def _after_answer(child: pexpect.spawn, follow_up: str) -> bool:
    """Answer the follow-up if one comes; True when one came."""
    index = child.expect([r"Follow-up \(\d+:\d\d\): ", r"Question \d of 4", "Interview report"])
    if index != 0:
        return False
    _answer(child, follow_up)
    return True


ENGINEERING = (
    "Add an Idempotency-Key header to POST /v1/charges and store the key with a hash of the body in Redis "
    "for 24 hours; on a repeat return the stored response, while the first is running return 409."
)
DEVELOPER_FOLLOW_UP = (
    "The developer sees the same charge come back on a retry, so they can retry safely after a timeout "
    "without building their own deduplication or reconciliation."
)


def test_a_stripe_loop_with_countdown_follow_ups_time_out_and_report(tmp_path: Path) -> None:
    report = tmp_path / "out" / "report.md"
    child, screen = _spawn(tmp_path, "--report", str(report))
    planned = _plan(tmp_path)
    child.expect("Mock interview: Stripe style")
    child.expect("Question 1 of 4")
    child.expect(r"\[Q1 5:00 left · loop 60:00\] > ")  # the countdown, per question and for the loop
    assert "Your choice" not in screen.getvalue()  # an interview gives no options
    child.sendline(ENGINEERING)
    child.expect(r"\[Q1 4:00 left · loop 59:00\] > ")
    child.sendline("")
    child.expect("Saved.")
    # an engineering-mode answer misses the developer outcome, which the Stripe style requires
    child.expect(r"Follow-up \(1:15\): What does the developer \(or user\) see when this fails")
    _answer(child, DEVELOPER_FOLLOW_UP)

    child.expect("Question 2 of 4")
    for n in range(5):  # five lines of 60 s each use the whole 5:00
        child.expect(r"\] > ")
        child.sendline(f"Line {n + 1} of an answer that runs out of time.")
    child.expect("Time is up: your answer is saved as typed.")
    _after_answer(child, "I would watch the error rate per integration and the support tickets.")
    for _ in (3, 4):
        _answer(child, "We would keep the contract stable so developers can rely on it and merchants stay.")
        _after_answer(child, "We give up some flexibility, which is acceptable because trust matters more.")
    child.expect("Interview report: Stripe style \\(finished\\)")
    child.expect("Weakest link")
    child.expect("Practise next")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    with sqlite3.connect(tmp_path / "p.sqlite3") as conn:
        rows = conn.execute(
            "SELECT position, kind, scenario_id, answer, timed_out, status, passed FROM loop_answers ORDER BY id"
        ).fetchall()
        (status,) = conn.execute("SELECT status FROM loops").fetchone()
    assert status == "finished"
    answers = [r for r in rows if r[1] == "answer"]
    assert [r[2] for r in answers] == planned
    assert answers[0][3] == ENGINEERING  # saved as given
    assert answers[1][4] == 1 and answers[1][3].count("\n") == 4  # timed out, all five lines kept
    first_follow_up = next(r for r in rows if r[1] == "follow-up" and r[0] == 1)
    assert (
        first_follow_up[3] == DEVELOPER_FOLLOW_UP and first_follow_up[6] == 1
    )  # graded: it names the developer
    assert all(r[5] == "answered" for r in rows)

    text = report.read_text(encoding="utf-8")
    for sid in planned:
        assert f"({sid})" in text
    assert text.count("Grade: **") == 4
    assert "Follow-up on the developer or user outcome" in text and "Follow-up grade: **PASS**" in text
    assert "## What to practise next" in text and "- `api-trainer train` on " in text

    progress = pexpect.spawn(
        console_script(), ["progress", "--pack", str(tmp_path / "pack"), "--db", str(tmp_path / "p.sqlite3")],
        env={**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}, encoding="utf-8", timeout=TIMEOUT,
    )  # fmt: skip
    progress.expect("Mock interview loops")
    progress.expect("stripe")
    progress.expect("finished")
    progress.expect(pexpect.EOF)


def test_kill_9_mid_loop_loses_no_saved_answer(tmp_path: Path) -> None:
    child, _ = _spawn(tmp_path)
    planned = _plan(tmp_path)
    child.expect("Question 1 of 4")
    _answer(child, ENGINEERING)
    _after_answer(child, DEVELOPER_FOLLOW_UP)
    child.expect("Question 2 of 4")
    child.expect(r"\] > ")
    child.sendline("A first line that was typed before the terminal died.")
    child.expect(r"\] > ")  # the line is saved as a draft before the next prompt appears
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL

    with sqlite3.connect(tmp_path / "p.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute(
            "SELECT kind, scenario_id, answer, status FROM loop_answers ORDER BY id"
        ).fetchall()
        (status,) = conn.execute("SELECT status FROM loops").fetchone()
    assert status == "running"  # the loop never finished, and says so
    assert rows[0] == ("answer", planned[0], ENGINEERING, "answered")
    assert rows[1] == ("follow-up", planned[0], DEVELOPER_FOLLOW_UP, "answered")
    assert rows[2] == (
        "answer",
        planned[1],
        "A first line that was typed before the terminal died.",
        "typing",
    )
