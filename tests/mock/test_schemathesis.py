"""Schemathesis for 60 s against each bundled mock, with a fixed seed: no server error, and every request
that violates the bundled spec rejected (``not_a_server_error,negative_data_rejection``).

The mock runs in this process on 127.0.0.1 and a free port; schemathesis is its own CLI process, as a user
would run it. Its report is printed on failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_trainer.mock_servers.dataplatform.app import build_app
from api_trainer.mock_servers.payments import PaymentsConfig, PaymentsMock

from api_trainer.mock import BackgroundServer
from api_trainer.specs import find_bundled

pytestmark = pytest.mark.slow

SECONDS = 60
SEED = 20261203


def _schemathesis() -> str:
    beside = Path(sys.executable).with_name("schemathesis")
    found = str(beside) if beside.exists() else shutil.which("schemathesis")
    if not found:
        pytest.fail("schemathesis is not installed; it is in the test extra: pip install '.[test]'")
    return found


def _run(spec_id: str, base_url: str, token: str, cwd: Path) -> None:
    spec = find_bundled(spec_id).path
    command = [
        _schemathesis(),
        "run",
        str(spec),
        "--url",
        base_url,
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        "not_a_server_error,negative_data_rejection",
        "--seed",
        str(SEED),
        "--max-time",
        str(SECONDS),
        "--no-color",
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "schemathesis_hooks", "PYTHONPATH": str(Path(__file__).parent)}
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=cwd, env=env, timeout=SECONDS * 3, check=False
    )
    # The failures (each with its curl line) come before the warnings; the summary ends the report.
    failures = done.stdout.split("=== WARNINGS ===")[0][-8000:]
    assert done.returncode == 0, failures + done.stdout[-1500:] + done.stderr[-2000:]


@pytest.fixture
def payments_url() -> Iterator[str]:
    mock = PaymentsMock(PaymentsConfig(seed=SEED))
    try:
        with BackgroundServer(mock.app).running() as server:
            yield server.base_url
    finally:
        mock.close()


@pytest.fixture
def dataplatform_url() -> Iterator[str]:
    mock = build_app(seed=SEED, time_scale=1000.0)
    try:
        with BackgroundServer(mock.app).running() as server:
            yield server.base_url
    finally:
        mock.close()


def test_payments_mock_survives_schemathesis(payments_url: str, tmp_path: Path) -> None:
    _run("payments@2023-08-16", payments_url, "sk_test_schemathesis", tmp_path)


def test_dataplatform_mock_survives_schemathesis(dataplatform_url: str, tmp_path: Path) -> None:
    _run("dataplatform@2.2", dataplatform_url, "dapi-schemathesis", tmp_path)
