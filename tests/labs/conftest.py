"""Lab mocks started for real on 127.0.0.1 and a free port, with the lab's own faults, as `lab start` runs them."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from api_trainer.labs import LabReport, build_lab_mock, check_lab
from api_trainer.mock import BackgroundServer
from api_trainer.trainer import find_scenario

TIME_SCALE = 1000.0  # simulated run lifecycles pass in milliseconds


@dataclass
class RunningLab:
    lab_id: str
    base_url: str
    key: str

    def check(self, answer_file: Path | None = None, key: str | None = None) -> LabReport:
        return check_lab(self.lab_id, base_url=self.base_url, key=key or self.key, answer_file=answer_file)

    def journal(self) -> list[dict[str, Any]]:
        data: list[dict[str, Any]] = httpx.get(self.base_url + "/_mock/requests", timeout=10).json()["data"]
        return data


@pytest.fixture
def start_lab() -> Iterator[Callable[[str], RunningLab]]:
    """Start a lab's mock (faults loaded) in this process; everything started is stopped at teardown."""
    stops: list[Callable[[], None]] = []

    def start(lab_id: str) -> RunningLab:
        scenario = find_scenario(lab_id)
        assert scenario.lab is not None
        mock = build_lab_mock(scenario.lab.api, faults=scenario.lab.faults, time_scale=TIME_SCALE)
        server = BackgroundServer(mock.app).start()
        stops.extend([mock.close, server.stop])
        return RunningLab(lab_id, server.base_url, mock.key)

    yield start
    for stop in reversed(stops):
        stop()


@pytest.fixture
def clean_databricks_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("DATABRICKS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
