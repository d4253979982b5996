"""Bad input, as a user types it: one line on stderr naming what was wrong, the documented exit code, no
traceback and no usage block, with or without ``--debug``; a closed pipe is a success; no emoji codes."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from ..conftest import CliResult, console_script, copy_bundled

Run = Callable[..., CliResult]


def _one_line(result: CliResult, code: int, *expected: str) -> str:
    lines = result.stderr.splitlines()
    assert result.exit_code == code, result.stderr
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "Usage:" not in result.stderr
    assert result.stdout == ""
    for text in expected:
        assert text in lines[0]
    return lines[0]


USAGE_ERRORS = [
    (("mock", "payments", "--port", "abc"), ["--port abc:", "integer", "api-trainer mock payments --help"]),
    (("mock", "payments", "--port=abc"), ["--port abc:", "integer"]),
    (("probe", "GET", "/v1/customers", "--retries", "many"), ["--retries many:", "integer"]),
    (("diff", "--deprecation-days-beta", "-3", "a", "b"), ["--deprecation-days-beta -3:", "greater than"]),
    (("nosuch",), ["No such command 'nosuch'", "api-trainer --help"]),
    (("specs", "nosuch"), ["No such command 'nosuch'", "api-trainer specs --help"]),
    (("diff", "a", "b", "--fromat", "json"), ["No such option: --fromat", "--format"]),
    (("diff", "--format"), ["'--format' requires an argument"]),
    (("grade",), ["Missing argument"]),
    (("grade", "retry-without-key"), ["Missing option '--answer-file'"]),
    (("train", "--topic", "nosuch"), ["unknown topic 'nosuch'"]),
]


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
@pytest.mark.parametrize(("args", "expected"), USAGE_ERRORS, ids=[" ".join(a) for a, _ in USAGE_ERRORS])
def test_a_usage_error_is_one_line_and_exit_2(
    run_cli: Run, args: tuple[str, ...], expected: list[str], debug: bool
) -> None:
    _one_line(run_cli(*(("--debug",) if debug else ()), *args), 2, *expected)


def test_an_input_error_under_debug_keeps_its_exit_code_after_the_traceback(
    run_cli: Run, tmp_path: Path
) -> None:
    (tmp_path / "answer.txt").write_bytes(b"retry \xff\xfe")
    result = run_cli("--debug", "grade", "retry-without-key", "--answer-file", str(tmp_path / "answer.txt"))
    assert result.exit_code == 2
    assert "Traceback" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("error: ")


@pytest.mark.parametrize(
    ("content", "expected"),
    [(None, "no such answer file"), (b"retry \xff\xfe", "cannot read the answer"), (b"  \n", "is empty")],
    ids=["missing", "not-utf8", "empty"],
)
def test_an_unreadable_answer_file_is_one_line(
    run_cli: Run, tmp_path: Path, content: bytes | None, expected: str
) -> None:
    answer = tmp_path / "answer.txt"
    if content is not None:
        answer.write_bytes(content)
    _one_line(run_cli("grade", "retry-without-key", "--answer-file", str(answer)), 2, str(answer), expected)


def test_an_answer_file_that_is_a_directory_is_one_line(run_cli: Run, tmp_path: Path) -> None:
    _one_line(run_cli("grade", "retry-without-key", "--answer-file", str(tmp_path)), 2, "is a directory")


@pytest.mark.parametrize("command", [("train",), ("scenarios", "list"), ("progress",)])
def test_an_empty_pack_is_an_error(run_cli: Run, tmp_path: Path, command: tuple[str, ...]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    db = tmp_path / "p.db"
    extra = ("--db", str(db)) if command[0] != "scenarios" else ()
    _one_line(run_cli(*command, "--pack", str(empty), *extra), 2, str(empty), "no scenario files")


@pytest.mark.parametrize("command", [("train",), ("progress",)])
def test_a_database_in_a_missing_folder_is_an_error_and_creates_nothing(
    run_cli: Run, tmp_path: Path, command: tuple[str, ...]
) -> None:
    missing = tmp_path / "no" / "such"
    pack = copy_bundled(tmp_path / "pack", "retry-without-key")
    line = _one_line(
        run_cli(*command, "--pack", str(pack), "--db", str(missing / "p.db")), 2, "does not exist"
    )
    assert str(missing) in line
    assert not (tmp_path / "no").exists()


def test_an_unknown_scenario_with_no_near_match_says_how_many_and_where_to_see_them(run_cli: Run) -> None:
    from api_trainer.trainer import load_pack

    line = _one_line(run_cli("scenarios", "show", "zzzz"), 2, "unknown scenario 'zzzz'")
    assert f"`api-trainer scenarios list` shows all {len(load_pack())}" in line


def test_an_unknown_scenario_suggests_near_ids(run_cli: Run) -> None:
    _one_line(run_cli("scenarios", "show", "retry-without-ke"), 2, "did you mean retry-without-key")


@pytest.mark.parametrize("command", ["start", "check"])
def test_an_unknown_lab_suggests_labs_only(run_cli: Run, command: str) -> None:
    from api_trainer.labs import lab_scenarios

    # Near a scenario without a lab: it is no answer for a lab command, so nothing close is suggested.
    line = _one_line(run_cli("lab", command, "retry-without-ke"), 2, "unknown lab 'retry-without-ke'")
    assert "retry-without-key" not in line
    assert f"`api-trainer lab list` shows all {len(lab_scenarios())}" in line
    lab = lab_scenarios()[0].id
    _one_line(run_cli("lab", command, lab[:-1]), 2, f"did you mean {lab}")


def test_a_misspelt_field_is_one_validation_problem_at_its_line(run_cli: Run, tmp_path: Path) -> None:
    spec = tmp_path / "typo.yaml"
    spec.write_text(
        'openapi: 3.0.3\ninfo:\n  title: T\n  version: "1"\npaths:\n  /a:\n    get:\n      summary: s\n'
        '      respones:\n        "200":\n          description: ok\n',
        encoding="utf-8",
    )
    result = run_cli("specs", "validate", str(spec))
    assert result.exit_code == 1
    assert "(1 problem)" in result.stdout
    assert (
        f"{spec}:9 at /paths/~1a/get/respones: unknown field 'respones': did you mean 'responses'?"
        in " ".join(result.stdout.split())
    )


def test_emoji_codes_in_a_message_print_as_written(run_cli: Run) -> None:
    line = _one_line(run_cli("scenarios", "show", ":x:"), 2)
    assert "':x:'" in line


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ("diff", "--rules"),
        ("specs", "show", "payments"),
        ("diff", "payments@2020-08-27", "payments@2023-08-16"),
    ],
    ids=["diff --rules", "specs show", "diff"],
)
def test_a_reader_that_closed_the_pipe_is_a_success(tmp_path: Path, args: tuple[str, ...]) -> None:
    # The read end is closed before the command writes anything, so its first write meets a closed pipe.
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    process = subprocess.Popen(
        [console_script(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, env=env
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    with process.stderr:
        stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0, stderr
    assert stderr == ""
