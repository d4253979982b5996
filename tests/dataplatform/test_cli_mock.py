"""``api-trainer mock dataplatform`` run as a user runs it: a real process, a free port, then the SDK."""

from __future__ import annotations

import os
import queue
import re
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk.service import jobs

from ..conftest import running_cli_mock


@contextmanager
def running_mock(*args: str, home: Path) -> Iterator[tuple[str, queue.Queue[str]]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABRICKS_")}
    env["HOME"] = str(home)
    with running_cli_mock("dataplatform", "--port", "0", *args, env=env) as (url, _, lines):
        yield url, lines


def _client(url: str, home: Path, monkeypatch: pytest.MonkeyPatch) -> WorkspaceClient:
    for name in list(os.environ):
        if name.startswith("DATABRICKS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    return WorkspaceClient(host=url, token="dapi-cli-test")


def test_mock_command_serves_the_sdk_logs_loads_faults_and_keeps_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "dp.sqlite"
    rules = tmp_path / "faults.yaml"
    rules.write_text('- match: {path: "/api/2.2/jobs/list"}\n  fault: status-503\n  times: 1\n')
    task = jobs.Task(task_key="t", notebook_task=jobs.NotebookTask(notebook_path="/t"))
    first = ("--time-scale", "1000", "--state", str(state), "--faults", str(rules))
    with running_mock(*first, home=tmp_path) as (url, lines):
        workspace = _client(url, tmp_path, monkeypatch)
        assert list(workspace.jobs.list()) == []  # the SDK retried the startup file's 503 once
        job_id = workspace.jobs.create(name="kept", tasks=[task]).job_id
        run = workspace.jobs.run_now(job_id=job_id).result()
        assert run.state is not None and run.state.result_state == jobs.RunResultState.SUCCESS
        logged = []
        for _ in range(30):  # bounded: the rest of the banner, then one log line per request
            logged.append(lines.get(timeout=10))
            if "/api/2.2/jobs/run-now" in logged[-1]:
                break
    text = "".join(logged)
    assert re.search(r"GET +/api/2\.2/jobs/list\S* 503 fault=status-503", text), text
    assert re.search(r"GET +/api/2\.2/jobs/list\S* 200", text), text
    with running_mock("--state", str(state), "--quiet", home=tmp_path) as (url, _):
        workspace = _client(url, tmp_path, monkeypatch)
        assert workspace.jobs.get(job_id).settings.name == "kept"  # type: ignore[union-attr]
        assert [r.run_id for r in workspace.jobs.list_runs(job_id=job_id)] == [run.run_id]


def test_port_in_use_and_bad_options_are_one_line_exit_2(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        in_use = run_cli("mock", "dataplatform", "--port", str(port))
    assert in_use.exit_code == 2
    assert "Traceback" not in in_use.stderr and len(in_use.stderr.strip().splitlines()) == 1
    assert str(port) in in_use.stderr
    bad_scale = run_cli("mock", "dataplatform", "--time-scale", "0")
    assert bad_scale.exit_code == 2 and "--time-scale" in bad_scale.stderr
    bad_rules = tmp_path / "bad.yaml"
    bad_rules.write_text("- fault: meteor-strike\n")
    bad_faults = run_cli("mock", "dataplatform", "--port", "0", "--faults", str(bad_rules))
    assert bad_faults.exit_code == 2 and "meteor-strike" in bad_faults.stderr
    assert "Traceback" not in bad_faults.stderr and len(bad_faults.stderr.strip().splitlines()) == 1
