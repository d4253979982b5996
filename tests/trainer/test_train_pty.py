"""``api-trainer train`` driven through a pseudo-terminal, and killed mid-session."""

from __future__ import annotations

import os
import signal
import sqlite3
import tomllib
from pathlib import Path

import pexpect
import pytest

from api_trainer.trainer import bundled_pack_dir

from ..conftest import console_script

pytestmark = pytest.mark.slow
TIMEOUT = 30


def _strong_answer() -> str:
    data = tomllib.loads(
        (bundled_pack_dir() / "idempotency" / "retry-without-key.toml").read_text(encoding="utf-8")
    )
    return next(str(c["answer"]) for c in data["calibration"] if c["label"] == "strong")


def _spawn(*args: str) -> pexpect.spawn:
    env = {**os.environ, "COLUMNS": "120", "LINES": "40", "NO_COLOR": "1", "TERM": "dumb"}
    return pexpect.spawn(
        console_script(), list(args), env=env, encoding="utf-8", timeout=TIMEOUT, dimensions=(40, 120)
    )


def _answer_first_scenario(child: pexpect.spawn) -> None:
    child.expect("A mobile app retries POST")
    child.expect(r"Your choice \[1-4")
    child.sendline("?")
    child.expect("Hint 1/4")
    child.expect(r"Your choice \[1-4")
    child.sendline("1")
    child.expect("The recommended contract")
    child.expect("> ")
    for line in _strong_answer().strip().splitlines():
        child.sendline(line)
        child.expect(r"\. ")
    child.sendline("")
    child.expect("PASS")
    child.expect("Reference answer")
    child.expect("Next review of retry-without-key")
    child.expect("Enter for the next scenario, q to quit")


def test_train_then_progress_shows_the_review(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    pack = tmp_path / "pack" / "idempotency"
    pack.mkdir(parents=True)
    source = bundled_pack_dir() / "idempotency" / "retry-without-key.toml"
    (pack / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    child = _spawn("train", "--pack", str(pack.parent), "--db", str(db))
    _answer_first_scenario(child)
    child.sendline("q")
    child.expect("1 scenario answered this session")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    progress = _spawn("progress", "--pack", str(pack.parent), "--db", str(db))
    progress.expect("Mastery by topic")
    progress.expect("idempotency")
    progress.expect("next  retry-without-key  review on")
    progress.expect("Weakest translation link")
    progress.expect(pexpect.EOF)

    again = _spawn("train", "--pack", str(pack.parent), "--db", str(db))
    again.expect("Nothing due now. Next review: retry-without-key")
    again.expect(pexpect.EOF)


def test_sigkill_mid_session_keeps_every_answered_scenario(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    child = _spawn("train", "--db", str(db))
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
