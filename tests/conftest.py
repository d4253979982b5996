"""Fixtures shared by every test package: running the CLI the way a user does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from api_trainer.cli import main

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run ``api-trainer ARGS`` in-process through its real entry point and capture what it prints."""

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exit_info:
            main(list(args))
        out, err = capsys.readouterr()
        code = exit_info.value.code
        return CliResult(code if isinstance(code, int) else 1, out, err)

    return run


def console_script() -> str:
    """The installed ``api-trainer`` executable next to this interpreter."""
    beside = Path(sys.executable).with_name("api-trainer")
    found = str(beside) if beside.exists() else shutil.which("api-trainer")
    if not found:
        pytest.fail("the api-trainer console script is not installed; run: pip install '.[test]'")
    return found


@pytest.fixture
def run_script(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed console script as a separate process, from a directory outside the repository."""

    def run(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
        return subprocess.run(
            [console_script(), *args],
            cwd=cwd or tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The real published specs in ../shared/corpus (override with API_TRAINER_CORPUS)."""
    path = Path(os.environ.get("API_TRAINER_CORPUS", REPO_ROOT.parent / "shared" / "corpus"))
    if not (path / "stripe").is_dir():
        pytest.skip(f"the real-spec corpus is not at {path} (set API_TRAINER_CORPUS)")
    return path
