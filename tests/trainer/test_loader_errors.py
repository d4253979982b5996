"""A bad scenario file is rejected with one line naming the file and the field, and exit code 2."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from api_trainer.trainer import bundled_pack_dir, load_scenario

GOOD = bundled_pack_dir() / "idempotency" / "retry-without-key.toml"


def _variant(tmp_path: Path, old: str, new: str, name: str = "retry-without-key.toml") -> Path:
    text = GOOD.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('title = "A mobile', 'title = "A mobile\n[broken', "not valid TOML"),
        ('title = "A mobile app retries POST /v1/charges after a timeout"\n', "", "field 'title': missing"),
        ('topic = "idempotency"', 'topic = "idempotence"', "field 'topic': 'idempotence' is not one of"),
        (
            'right = "require-key"',
            'right = "require-keys"',
            "field 'decision.right': 'require-keys' is not an option id",
        ),
        ("difficulty = 1", "difficulty = 7", "field 'difficulty': must be an integer from 1 to 3"),
        ('audience = "pm"', 'audiences = "pm"', "field 'explain.audiences': unknown field"),
        (
            'label = "salad"',
            'label = "strong"',
            "field 'calibration': needs at least one answer labelled salad",
        ),
    ],
    ids=[
        "bad-toml",
        "missing-field",
        "unknown-topic",
        "bad-option-ref",
        "bad-difficulty",
        "unknown-key",
        "no-salad",
    ],
)
def test_bad_scenario_is_one_line_and_exit_2(
    tmp_path: Path,
    run_script: Callable[..., subprocess.CompletedProcess[str]],
    old: str,
    new: str,
    expected: str,
) -> None:
    path = _variant(tmp_path, old, new)
    answer = tmp_path / "answer.txt"
    answer.write_text("Some answer.", encoding="utf-8")
    result = run_script("grade", str(path), "--answer-file", str(answer))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0]
    assert expected in lines[0]
    assert "Traceback" not in result.stderr


def test_check_rejects_a_bad_file_in_a_pack(
    tmp_path: Path, run_script: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    (tmp_path / "idempotency").mkdir()
    _variant(tmp_path / "idempotency", 'right = "require-key"', 'right = "nope"')
    result = run_script("scenarios", "check", str(tmp_path))
    assert result.returncode == 2
    assert "field 'decision.right'" in result.stderr


def test_id_must_match_file_name(tmp_path: Path) -> None:
    path = tmp_path / "renamed.toml"
    path.write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(Exception, match="must match the file name 'renamed'"):
        load_scenario(path)


def test_lab_table_is_loaded_and_validated(tmp_path: Path) -> None:
    lab = '\n[lab]\napi = "payments"\ngoal = "Charge once despite a dropped response"\ncheck = "single-charge"\n'
    lab += '[[lab.faults]]\nfault = "drop-after-commit"\nmatch = "POST /v1/charges"\ntimes = 1\n'
    path = tmp_path / "retry-without-key.toml"
    path.write_text(GOOD.read_text(encoding="utf-8") + lab, encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.lab is not None
    assert scenario.lab.api == "payments"
    assert scenario.lab.faults[0]["fault"] == "drop-after-commit"
    path.write_text(
        GOOD.read_text(encoding="utf-8") + lab.replace('"payments"', '"ledger"'), encoding="utf-8"
    )
    with pytest.raises(
        Exception, match=re.escape("field 'lab.api': 'ledger' is not one of payments, dataplatform, diff")
    ):
        load_scenario(path)
