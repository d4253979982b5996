"""``api-trainer mock payments`` as a user runs it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from ..conftest import console_script


def test_port_in_use_is_one_line_and_exit_2(run_cli: Callable[..., Any]) -> None:
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    try:
        result = run_cli("mock", "payments", "--port", str(holder.getsockname()[1]))
    finally:
        holder.close()
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "already in use" in result.stderr


def test_bad_options_are_exit_2(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    bad = tmp_path / "faults.yaml"
    bad.write_text("- fault: meteor\n")
    result = run_cli("mock", "payments", "--port", "0", "--faults", str(bad))
    assert result.exit_code == 2 and "rule 1: field 'fault'" in result.stderr
    version = run_cli("mock", "payments", "--port", "0", "--api-version", "1999-01-01")
    assert version.exit_code == 2 and "bundled: 2020-08-27" in version.stderr


def test_serves_logs_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200", "NO_COLOR": "1"}
    process = subprocess.Popen(
        [console_script(), "mock", "payments", "--port", "0", "--state", str(state)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        banner = [process.stdout.readline()]
        for _ in range(20):  # bounded: up to the banner's last line
            if "control:" in banner[-1]:
                break
            banner.append(process.stdout.readline())
        assert any("Stripe's OpenAPI spec 2023-08-16" in line for line in banner)
        assert banner[0].startswith("payments mock (Stripe-like) listening on http://127.0.0.1:")
        base = banner[0].split(" on ")[1].strip()
        assert any("stripe.StripeClient(" in line and base in line for line in banner)
        created = httpx.post(
            f"{base}/v1/customers", data={"email": "a@b.co"}, auth=("sk_test_cli", ""), timeout=10
        )
        assert created.status_code == 200
        log_line = process.stdout.readline()
        assert "POST" in log_line and "/v1/customers 200" in log_line
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Traceback" not in err and "mock stopped" in out
    # --state kept the customer across a restart
    from api_trainer.mock import Store

    assert Store(state).count("sk_test_cli", "customer") == 1


def test_a_second_server_on_the_same_state_file_exits_2(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200", "NO_COLOR": "1"}
    first = subprocess.Popen(
        [console_script(), "mock", "payments", "--port", "0", "--state", str(state), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert first.stdout is not None
        assert "listening on" in first.stdout.readline()
        second = subprocess.run(
            [console_script(), "mock", "payments", "--port", "0", "--state", str(state)],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
    finally:
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=20)
    assert second.returncode == 2
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and str(state) in lines[0] and f"pid {first.pid}" in lines[0]
