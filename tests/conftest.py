"""Fixtures shared by every test package: running the CLI the way a user does."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:\d+)")


@contextmanager
def running_cli_mock(
    *args: str, env: dict[str, str] | None = None
) -> Iterator[tuple[str, list[str], queue.Queue[str]]]:
    """``api-trainer mock ARGS`` as a real process: yield its URL (from the banner), the banner lines up to
    the ``control:`` line, and the queue of lines printed after it; Ctrl-C it and expect exit 0."""
    process = subprocess.Popen(
        [console_script(), "mock", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True).start()
    try:
        seen: list[str] = []
        for _ in range(50):  # bounded: the banner comes within a few lines
            seen.append(lines.get(timeout=60))
            if found := LISTENING.search(seen[-1]):
                while "control:" not in seen[-1]:  # the banner's last line
                    seen.append(lines.get(timeout=10))
                yield found.group(1), seen, lines
                break
        else:
            pytest.fail("no banner: " + "".join(seen))
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=20)
        stdout.close()
        assert code == 0  # Ctrl-C stops the mock cleanly


def copy_bundled(pack: Path, *names: str, edit: Callable[[str], str] = lambda text: text) -> Path:
    """A pack directory holding copies of the named bundled scenarios (optionally edited), laid out by topic."""
    from api_trainer.trainer import bundled_pack_dir

    for name in names:
        source = next(bundled_pack_dir().rglob(f"{name}.toml"))
        target = pack / source.parent.name / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(edit(source.read_text(encoding="utf-8")), encoding="utf-8")
    return pack
