"""``api-trainer grade``: the documented JSON shape and exit codes."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from api_trainer.trainer import bundled_pack_dir

SCENARIO = bundled_pack_dir() / "idempotency" / "retry-without-key.toml"


def _calibration(label: str) -> str:
    data = tomllib.loads(SCENARIO.read_text(encoding="utf-8"))
    return next(str(c["answer"]) for c in data["calibration"] if c["label"] == label)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answer.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_json_shape_and_exit_0_for_a_strong_answer(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    answer = _write(tmp_path, _calibration("strong"))
    result = run_cli("grade", "retry-without-key", "--answer-file", str(answer), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {
        "scenario",
        "passed",
        "score",
        "decision",
        "translation",
        "moves",
        "concepts",
        "feedback",
    }
    assert set(data["translation"]) == {"technical", "developer", "business", "product_sentence_last"}
    assert set(data["moves"]) == {
        "requirements",
        "requirements_first",
        "trade_off",
        "instrumentation",
        "failure_mode",
        "product_close",
    }
    assert set(data["concepts"]) == {"hit", "missed"}
    assert data["scenario"] == "retry-without-key"
    assert data["passed"] is True
    assert data["decision"] == "right"
    assert 0.6 <= data["score"] <= 1.0
    assert all(isinstance(v, bool) for v in data["translation"].values())


def test_exit_1_and_decision_wrong_for_an_unsafe_answer(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    answer = _write(tmp_path, _calibration("wrong"))
    result = run_cli("grade", str(SCENARIO), "--answer-file", str(answer), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["passed"] is False
    assert data["decision"] == "wrong"
    assert any("unsafe position" in line for line in data["feedback"])


def test_choice_of_a_wrong_option_makes_the_decision_wrong(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    answer = _write(tmp_path, _calibration("strong"))
    result = run_cli(
        "grade", "retry-without-key", "--answer-file", str(answer), "--choice", "no-retry", "--format", "json"
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout)["decision"] == "wrong"
    by_number = run_cli(
        "grade", "retry-without-key", "--answer-file", str(answer), "--choice", "1", "--format", "json"
    )
    assert by_number.exit_code == 0


def test_bad_input_exits_2_with_one_line(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    answer = _write(tmp_path, _calibration("strong"))
    unknown = run_cli("grade", "retry-without-kee", "--answer-file", str(answer))
    assert unknown.exit_code == 2
    assert "did you mean retry-without-key" in unknown.stderr
    missing = run_cli("grade", "retry-without-key", "--answer-file", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 2
    assert "no such answer file" in missing.stderr
    empty = run_cli("grade", "retry-without-key", "--answer-file", str(_write(tmp_path, "  \n")))
    assert empty.exit_code == 2
    assert "empty" in empty.stderr
    bad_choice = run_cli(
        "grade", "retry-without-key", "--answer-file", str(_write(tmp_path, "x")), "--choice", "9"
    )
    assert bad_choice.exit_code == 2
    assert "unknown choice '9'" in bad_choice.stderr
    for r in (unknown, missing, empty, bad_choice):
        assert len(r.stderr.strip().splitlines()) == 1


def test_text_output_names_what_is_missing(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    answer = _write(tmp_path, _calibration("engineering"))
    result = run_cli("grade", "retry-without-key", "--answer-file", str(answer))
    assert result.exit_code == 1
    assert "FAIL" in result.stdout
    assert "Say what the integrating developer" in " ".join(result.stdout.split())
