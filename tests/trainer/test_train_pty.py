"""``api-trainer train`` driven through a pseudo-terminal: shuffled options, no giveaways, open answers, kill -9."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
from pathlib import Path

import pexpect
import pytest

from api_trainer.trainer import find_scenario
from api_trainer.trainer._present import present

from ..conftest import console_script, copy_bundled

pytestmark = pytest.mark.slow
TIMEOUT = 30
SCENARIO = find_scenario("retry-without-key")


def _strong_answer() -> str:
    return next(c.answer for c in SCENARIO.calibration if c.label == "strong")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _spawn(*args: str, columns: int = 120) -> tuple[pexpect.spawn, io.StringIO]:
    env = {**os.environ, "COLUMNS": str(columns), "LINES": "40", "NO_COLOR": "1", "TERM": "dumb"}
    child = pexpect.spawn(
        console_script(), list(args), env=env, encoding="utf-8", timeout=TIMEOUT, dimensions=(40, columns)
    )
    screen = io.StringIO()
    child.logfile_read = screen
    return child, screen


def _one_scenario_pack(tmp_path: Path, *names: str) -> Path:
    return copy_bundled(tmp_path / "pack", *names)


def _send_answer(child: pexpect.spawn, answer: str) -> None:
    child.expect("> ")
    for line in answer.strip().splitlines():
        child.sendline(line)
        child.expect(r"\. ")
    child.sendline("")


def test_options_are_shuffled_by_seed_and_the_number_maps_to_the_shown_option(tmp_path: Path) -> None:
    pack = _one_scenario_pack(tmp_path, "retry-without-key")
    db = tmp_path / "progress.sqlite3"
    seed = 7
    shown = present(SCENARIO, seed)
    assert shown.options[0].id != SCENARIO.right  # this seed does not put the right option first
    number = next(n for n, o in enumerate(shown.options, start=1) if o.id == SCENARIO.right)

    child, screen = _spawn("train", "--pack", str(pack), "--db", str(db), "--seed", str(seed))
    child.expect(r"Your choice \[1-4")
    before_pick = _flat(screen.getvalue())
    positions = [before_pick.index(f"{n}. {_flat(o.text)}") for n, o in enumerate(shown.options, start=1)]
    assert positions == sorted(positions)  # shown in the seeded order, numbered in that order
    child.sendline("?")
    child.expect("Hint 1/4")
    child.expect(r"Your choice \[1-4")
    child.sendline(str(number))
    child.expect("Your audience: a PM")
    _send_answer(child, _strong_answer())
    child.expect("PASS")
    before_grade = _flat(screen.getvalue()[: screen.getvalue().index("PASS")])
    # Nothing that judges the options reached the screen before the explanation was graded.
    for option in SCENARIO.options:
        assert _flat(option.developer) not in before_grade
        assert _flat(option.business) not in before_grade
    assert "recommended" not in before_grade
    assert "Reference answer" not in before_grade
    child.expect(f"You chose {number}: the recommended contract")
    child.expect("What each option does")
    child.expect("Reference answer")
    child.expect("Next review of retry-without-key")
    child.expect("Enter for the next scenario, q to quit")
    child.sendline("q")
    child.expect("1 scenario answered this session")
    child.expect(pexpect.EOF)
    after = _flat(screen.getvalue())
    assert _flat(SCENARIO.right_option.developer) in after  # the consequences do appear, after grading
    with sqlite3.connect(db) as conn:
        (choice, answer) = conn.execute("SELECT choice, answer FROM attempts").fetchone()
    assert choice == SCENARIO.right
    assert answer == "\n".join(_strong_answer().strip().splitlines())  # saved as given

    progress, _ = _spawn("progress", "--pack", str(pack), "--db", str(db))
    progress.expect("Mastery by topic")
    progress.expect(r"next  retry-without-key  review on \S+ \S+ UTC  \(last attempt passed\)")
    progress.expect(pexpect.EOF)


def test_open_answer_shows_no_options_and_reads_the_decision_from_the_prose(tmp_path: Path) -> None:
    pack = _one_scenario_pack(tmp_path, "retry-without-key")
    db = tmp_path / "progress.sqlite3"
    child, screen = _spawn("train", "--open", "--pack", str(pack), "--db", str(db), "--seed", "1")
    child.expect("Open answer: no options are shown")
    child.expect("Your audience: a PM")
    _send_answer(child, _strong_answer())
    child.expect(r"PASS  retry-without-key  score \S+  decision: right")
    before_grade = _flat(screen.getvalue()[: screen.getvalue().index("PASS")])
    assert "Your choice" not in before_grade
    for option in SCENARIO.options:
        assert _flat(option.text) not in before_grade
    child.expect("The recommended contract")
    child.expect("Enter for the next scenario")
    child.sendline("q")
    child.expect(pexpect.EOF)
    with sqlite3.connect(db) as conn:
        (choice, decision) = conn.execute("SELECT choice, decision FROM attempts").fetchone()
    assert (choice, decision) == (None, "right")


def test_design_questions_are_open_by_default(tmp_path: Path) -> None:
    pack = _one_scenario_pack(tmp_path, "payments-10k-tps-design")
    child, screen = _spawn("train", "--pack", str(pack), "--db", str(tmp_path / "p.sqlite3"))
    child.expect("Open answer: no options are shown")
    child.expect("> ")
    child.sendline("q")
    child.expect("0 scenarios answered")
    child.expect(pexpect.EOF)
    assert "Your choice" not in screen.getvalue()


def test_q_on_a_later_line_of_the_explanation_quits(tmp_path: Path) -> None:
    pack = _one_scenario_pack(tmp_path, "retry-without-key")
    db = tmp_path / "progress.sqlite3"
    child, _ = _spawn("train", "--pack", str(pack), "--db", str(db), "--seed", "2")
    child.expect("Your choice")
    child.sendline("1")
    child.expect("> ")
    child.sendline("A first line of an answer.")
    child.expect(r"\. ")
    child.sendline("q")
    child.expect("0 scenarios answered this session")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_sigkill_mid_session_keeps_every_answered_scenario(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    child, _ = _spawn("train", "--db", str(db), "--options", "--seed", "11")
    child.expect("Your choice")
    # answer whichever scenario comes first with a short text, then the next one, then die mid-scenario
    answered = []
    for _ in range(2):
        child.sendline("1")
        child.expect("> ")
        child.sendline("We would use the first option because it keeps developers safe and merchants happy.")
        child.expect(r"\. ")
        child.sendline("")
        child.expect(r"Next review of ([a-z0-9-]+)")
        answered.append(child.match.group(1))
        child.expect("Enter for the next scenario")
        child.sendline("")
        child.expect("Your choice")
    child.sendline("2")
    child.expect("> ")
    child.sendline("Half an answer that is never finished")
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = [r[0] for r in conn.execute("SELECT scenario_id FROM attempts ORDER BY id")]
        cards = {r[0] for r in conn.execute("SELECT scenario_id FROM cards")}
    assert rows == answered
    assert cards == set(answered)


def test_a_lab_scenario_offers_its_lab_and_checks_it_from_train(tmp_path: Path) -> None:
    pack = _one_scenario_pack(tmp_path, "sql-cohort-retention")
    answer = tmp_path / "my.sql"
    answer.write_text("SELECT 1 AS cohort\n", encoding="utf-8")
    child, _ = _spawn("train", "--pack", str(pack), "--db", str(tmp_path / "p.sqlite3"), "--seed", "1")
    child.expect("This scenario has a live lab.")
    child.expect("api-trainer lab start sql-cohort-retention")
    child.expect(r"\[c check the lab now, Enter to go on\]: ")
    child.sendline("c")
    child.expect("Your answer file")
    child.sendline(str(answer))
    child.expect("NOT YET  sql-cohort-retention")  # the real check ran, on its own data-platform mock
    child.expect(r"\[c check the lab now, Enter to go on\]: ")
    child.sendline("")
    child.expect(r"Your choice \[1-3")
    child.sendline("q")
    child.expect("0 scenarios answered")
    child.expect(pexpect.EOF)
