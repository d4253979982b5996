"""Diff labs: the learner edits a copy of the bundled spec; the check runs the diff engine on it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..conftest import CliResult

JOB_FIELDS = "        creator_user_name: {type: string}\n        run_as_user_name"
CREATE_JOB = "        - type: object\n          properties:\n            access_control_list:\n"


def _start(run_cli: Callable[..., CliResult], lab_id: str, directory: Path) -> str:
    result = run_cli("lab", "start", lab_id, "--dir", str(directory))
    assert result.exit_code == 0, result.stderr
    assert f"api-trainer lab check {lab_id} --answer-file {directory / 'openapi.yaml'}" in result.stdout
    text = (directory / "openapi.yaml").read_text()
    assert JOB_FIELDS in text and CREATE_JOB in text
    return text


def test_rename_kept_alongside_passes(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    text = _start(run_cli, "lab-diff-rename-field", tmp_path / "lab")
    spec = tmp_path / "lab" / "openapi.yaml"
    spec.write_text(
        text.replace(
            JOB_FIELDS,
            "        creator_user_name: {type: string, deprecated: true}\n"
            "        created_by: {type: string}\n        run_as_user_name",
        )
    )
    result = run_cli("lab", "check", "lab-diff-rename-field", "--answer-file", str(spec))
    assert result.exit_code == 0, result.stdout
    assert "'created_by' is in the response of GET /api/2.1/jobs/get" in result.stdout


def test_rename_in_place_fails_as_breaking(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    text = _start(run_cli, "lab-diff-rename-field", tmp_path / "lab")
    spec = tmp_path / "lab" / "openapi.yaml"
    spec.write_text(text.replace(JOB_FIELDS, "        created_by: {type: string}\n        run_as_user_name"))
    result = run_cli("lab", "check", "lab-diff-rename-field", "--answer-file", str(spec))
    assert result.exit_code == 1
    # creator_user_name is optional, so its removal is a warning for the diff (readers had to cope with its
    # absence); the lab still fails on it, since clients read it
    assert ": 0 breaking, 2 warning, 2 info" in result.stdout
    assert "'creator_user_name' is gone from the response" in result.stdout


def test_optional_field_passes_required_field_fails(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    text = _start(run_cli, "lab-diff-optional-field", tmp_path / "lab")
    spec = tmp_path / "lab" / "openapi.yaml"
    optional = CREATE_JOB + "              type: array\n"
    assert optional in text
    added = "            budget_policy_id: {type: string}\n"
    spec.write_text(text.replace(CREATE_JOB, CREATE_JOB.replace("properties:\n", "properties:\n" + added)))
    result = run_cli("lab", "check", "lab-diff-optional-field", "--answer-file", str(spec))
    assert result.exit_code == 0, result.stdout

    required = CREATE_JOB.replace(
        "properties:\n", "required: [budget_policy_id]\n          properties:\n" + added
    )
    spec.write_text(text.replace(CREATE_JOB, required))
    result = run_cli("lab", "check", "lab-diff-optional-field", "--answer-file", str(spec))
    assert result.exit_code == 1
    assert "breaking: POST /api/2.1/jobs/create" in result.stdout

    spec.write_text(text)  # the untouched copy: nothing breaks, but the feature is missing
    result = run_cli("lab", "check", "lab-diff-optional-field", "--answer-file", str(spec))
    assert result.exit_code == 1
    assert "does not add 'budget_policy_id' to the request of POST /api/2.1/jobs/create" in result.stdout
