"""`api-trainer lab` through its real entry point: list, start in a subprocess, and bad input as one line."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from ..conftest import CliResult, console_script


def test_list_shows_labs_of_every_api(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("lab", "list")
    assert result.exit_code == 0
    rows = {line.split()[0]: line.split()[1] for line in result.stdout.splitlines()}
    assert rows["lab-drop-after-commit"] == "payments"
    assert rows["lab-run-now-under-429"] == "dataplatform"
    assert rows["lab-diff-rename-field"] == "diff"
    assert rows["sql-funnel-conversion"] == "dataplatform"
    assert "sql-read-what-it-measures" not in rows  # a reading drill has no lab


def test_checks_lists_the_registry(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("lab", "checks")
    assert result.exit_code == 0
    names = {line.split()[0] for line in result.stdout.splitlines()}
    assert {"pay-one-intent-after-drop", "dp-run-once", "sql-result", "diff-non-breaking"} <= names


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _read_banner(process: subprocess.Popen[str], lines: list[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)
        if "to start over" in line:
            return


def test_start_prints_url_key_goal_and_check_then_serves_the_faults(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    command = [console_script(), "lab", "start", "lab-drop-after-commit", "--port", str(port)]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path
    )
    try:
        lines: list[str] = []
        reader = threading.Thread(target=_read_banner, args=(process, lines), daemon=True)
        reader.start()
        reader.join(timeout=60)  # bounded: the banner is printed once the socket serves
        banner = "".join(lines)
        base_url = f"http://127.0.0.1:{port}"
        assert f"mock:   payments at {base_url}" in banner, banner
        assert "API key: sk_test_api_trainer" in banner
        assert "goal:   Create a PaymentIntent for amount 4200" in banner
        assert f"check:  api-trainer lab check lab-drop-after-commit --base-url {base_url}" in banner
        rules = httpx.get(f"{base_url}/_mock/faults", timeout=10).json()["data"]
        assert [r["fault"] for r in rules] == ["drop-after-commit"]
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_start_a_diff_lab_writes_the_spec(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    result = run_cli("lab", "start", "lab-diff-optional-field", "--dir", str(tmp_path / "w"))
    assert result.exit_code == 0
    assert "try:    api-trainer diff dataplatform@2.1" in result.stdout
    assert (tmp_path / "w" / "openapi.yaml").stat().st_size > 10_000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "lab-nope"], "error: unknown lab 'lab-nope'"),
        (["start", "lab-nope"], "error: unknown lab 'lab-nope'"),
        (["check", "retry-without-key"], "error: scenario 'retry-without-key' has no lab"),
        (
            ["check", "lab-drop-after-commit", "--base-url", "http://127.0.0.1:9"],
            "error: no api-trainer mock is reachable at http://127.0.0.1:9",
        ),
        (
            ["check", "sql-funnel-conversion"],
            "error: lab 'sql-funnel-conversion' reads your answer: pass --answer-file",
        ),
        (
            ["check", "sql-funnel-conversion", "--answer-file", "missing.sql"],
            "error: --answer-file missing.sql: no such file",
        ),
        (
            ["check", "lab-diff-rename-field", "--answer-file", "missing.yaml"],
            "error: --answer-file missing.yaml: no such file",
        ),
        (["check", "lab-drop-after-commit", "--format", "xml"], "error: --format xml: use text or json"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    run_cli: Callable[..., CliResult], args: list[str], message: str
) -> None:
    result = run_cli("lab", *args)
    assert result.exit_code == 2, result
    assert result.stderr.startswith(message), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_start_on_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        done = subprocess.run(
            [console_script(), "lab", "start", "lab-jobs-page-tokens", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
            check=False,
        )
    assert done.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_every_bundled_lab_names_a_known_check_and_valid_faults() -> None:
    from api_trainer.labs import build_lab_mock, find_lab, lab_scenarios

    labs = lab_scenarios()
    assert len([s for s in labs if s.id.startswith("lab-")]) >= 8
    assert {s.lab.api for s in labs if s.lab is not None} == {"payments", "dataplatform", "diff"}
    for scenario in labs:
        _scenario, check = find_lab(scenario.id)  # unknown check or API mismatch: LabError
        assert scenario.lab is not None
        if scenario.lab.api != "diff" and scenario.lab.faults:
            mock = build_lab_mock(scenario.lab.api, faults=scenario.lab.faults)  # bad rule: LabError
            mock.close()
        assert set(scenario.lab.params) <= set(check.params), (scenario.id, check.params)
