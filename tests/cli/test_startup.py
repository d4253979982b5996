"""The light commands never import the web stack or the SQL engine.

Each case runs ``api-trainer ARGS`` through its real entry point in a fresh interpreter and then lists the
top-level packages in ``sys.modules``: ``--help``, ``specs``, ``diff``, ``grade``, ``scenarios``, ``progress``
and ``train`` (up to its first prompt) must not have loaded FastAPI, Starlette, uvicorn, DuckDB or httpx,
which only the mocks, labs and the probe need; ``train`` must not have loaded the grader either. The mocks' own command must load them (so the check can
see an import when there is one).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from api_trainer.trainer import find_scenario

from ..conftest import copy_bundled

pytestmark = pytest.mark.slow

HEAVY = ("fastapi", "starlette", "uvicorn", "duckdb", "httpx")

# Runs main(ARGS) and writes the heavy top-level packages that are loaded to the file OUT. For `train`,
# prompt_toolkit's prompt is replaced by one that records them at the first prompt and then quits.
_PROBE = """
import json, sys
out, args = sys.argv[1], sys.argv[2:]
heavy = {heavy!r}

def loaded():
    return sorted({{name.split(".")[0] for name in sys.modules}} & set(heavy))

import prompt_toolkit

def first_prompt(*_args, **_kwargs):
    with open(out, "w") as handle:
        grader = "api_trainer.trainer._grader" in sys.modules
        json.dump({{"at": "first prompt", "heavy": loaded(), "grader": grader}}, handle)
    raise EOFError

prompt_toolkit.prompt = first_prompt
from api_trainer.cli import main
try:
    main(args)
except SystemExit:
    pass
try:
    open(out, "x").write(json.dumps({{"at": "exit", "heavy": loaded()}}))
except FileExistsError:
    pass
"""


def _heavy_after(tmp_path: Path, *args: str) -> dict[str, object]:
    out = tmp_path / "loaded.json"
    out.unlink(missing_ok=True)
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "API_TRAINER_DB": str(tmp_path / "p.db")}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=HEAVY), str(out), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.exists(), done.stderr
    result: dict[str, object] = json.loads(out.read_text())
    return result


@pytest.fixture(scope="module")
def answer_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    strong = next(c for c in find_scenario("retry-without-key").calibration if c.label == "strong")
    path = tmp_path_factory.mktemp("answer") / "answer.txt"
    path.write_text(strong.answer, encoding="utf-8")
    return path


LIGHT = [
    ("--help",),
    ("--version",),
    ("specs", "list"),
    ("specs", "show", "payments"),
    ("specs", "validate", "dataplatform@2.1"),
    ("diff", "dataplatform@2.1", "dataplatform@2.2"),
    ("diff", "--rules"),
    ("scenarios", "list"),
    ("scenarios", "show", "retry-without-key"),
    ("progress",),
    ("train", "--help"),
    ("mock", "--help"),
    ("probe", "--help"),
]


@pytest.mark.parametrize("args", LIGHT, ids=[" ".join(a) for a in LIGHT])
def test_a_light_command_loads_no_web_stack_or_sql_engine(tmp_path: Path, args: tuple[str, ...]) -> None:
    assert _heavy_after(tmp_path, *args) == {"at": "exit", "heavy": []}


def test_grade_loads_no_web_stack_or_sql_engine(tmp_path: Path, answer_file: Path) -> None:
    result = _heavy_after(
        tmp_path, "grade", "retry-without-key", "--answer-file", str(answer_file), "--format", "json"
    )
    assert result == {"at": "exit", "heavy": []}


def test_train_reaches_its_first_prompt_without_the_web_stack_or_sql_engine(tmp_path: Path) -> None:
    pack = copy_bundled(tmp_path / "pack", "retry-without-key")
    result = _heavy_after(
        tmp_path, "train", "--pack", str(pack), "--db", str(tmp_path / "t.db"), "--seed", "0"
    )
    # nor the grader: it is imported in the background once the prompt is on screen (warm_grader)
    assert result == {"at": "first prompt", "heavy": [], "grader": False}


def test_the_check_sees_a_heavy_import_when_a_command_makes_one(tmp_path: Path) -> None:
    # `mock` with a port that is in use fails after it loaded the mock stack: the probe must report it.
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = _heavy_after(tmp_path, "mock", "spec", "dataplatform@2.1", "--port", port, "--quiet")
    assert result["at"] == "exit"
    assert {"fastapi", "starlette", "uvicorn"} <= set(result["heavy"])  # type: ignore[arg-type]
