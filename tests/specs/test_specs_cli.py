"""``api-trainer specs``: list, show and validate, and the bad-input matrix, through the real entry point."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def test_version_prints_the_installed_version(run_cli: Callable[..., Any]) -> None:
    from importlib.metadata import version

    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"api-trainer {version('api-trainer')}"


def test_validate_a_valid_file(run_cli: Callable[..., Any]) -> None:
    result = run_cli("specs", "validate", str(FIXTURES / "minimal.yaml"))
    assert result.exit_code == 0
    assert "valid" in result.stdout and "1 operations" in result.stdout


def test_circular_refs_across_files_load_and_validate(run_cli: Callable[..., Any]) -> None:
    result = run_cli("specs", "validate", str(FIXTURES / "circular.yaml"))
    assert result.exit_code == 0, result.stdout + result.stderr


def test_show_follows_circular_refs(run_cli: Callable[..., Any]) -> None:
    result = run_cli("specs", "show", str(FIXTURES / "circular.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "GET" in result.stdout and "/nodes" in result.stdout


def test_show_one_operation_lists_its_fields_and_errors(run_cli: Callable[..., Any]) -> None:
    result = run_cli("specs", "show", str(FIXTURES / "minimal.yaml"), "--operation", "GetItem")
    assert result.exit_code == 0
    out = result.stdout
    assert "item_id" in out and "path" in out
    assert "errors: 404" in out


def test_show_unknown_operation_lists_the_known_ones(run_cli: Callable[..., Any]) -> None:
    result = run_cli("specs", "show", str(FIXTURES / "minimal.yaml"), "--operation", "Nope")
    assert result.exit_code == 2
    assert "no operation 'Nope'" in result.stderr and "GetItem" in result.stderr


def test_schema_violation_is_exit_1_with_pointer_and_line(run_cli: Callable[..., Any]) -> None:
    result = run_cli("specs", "validate", str(FIXTURES / "schema-invalid.yaml"))
    assert result.exit_code == 1
    assert "schema-invalid.yaml:8 at /paths/~1a/get: 'responses' is a required property" in result.stdout


@pytest.mark.parametrize(
    ("fixture", "exit_code", "expected"),
    [
        (
            "missing-file-ref.yaml",
            1,
            "$ref 'nowhere.yaml#/components/schemas/A' does not resolve: no such file",
        ),
        ("missing-pointer-ref.yaml", 1, "$ref '#/components/schemas/Nope' does not resolve"),
    ],
)
def test_unresolvable_refs_are_findings_of_validate(
    run_cli: Callable[..., Any], fixture: str, exit_code: int, expected: str
) -> None:
    result = run_cli("specs", "validate", str(FIXTURES / fixture))
    assert result.exit_code == exit_code
    assert expected in result.stdout
    assert ":11 at /paths/~1a/get/responses/200/content/application~1json/schema" in result.stdout


def test_unresolvable_ref_is_bad_input_for_other_commands(run_cli: Callable[..., Any]) -> None:
    result = run_cli("specs", "show", str(FIXTURES / "missing-pointer-ref.yaml"))
    assert result.exit_code == 2
    assert "does not resolve" in result.stderr


def test_schema_invalid_spec_is_bad_input_for_other_commands(run_cli: Callable[..., Any]) -> None:
    result = run_cli("specs", "show", str(FIXTURES / "schema-invalid.yaml"))
    assert result.exit_code == 2
    assert "'responses' is a required property" in result.stderr


BAD_INPUT = [
    ("does-not-exist.yaml", "does-not-exist.yaml: no such file"),
    (".", "is a directory, not a spec file"),
    ("empty.yaml", "empty.yaml: file is empty"),
    (
        "invalid-yaml.yaml",
        "invalid-yaml.yaml:4: invalid YAML: mapping values are not allowed in this context",
    ),
    ("trailing-garbage.json", "trailing-garbage.json:2: invalid JSON: Extra data"),
    ("not-openapi.yaml", "not an OpenAPI document: no 'openapi: 3.x' field"),
    ("swagger2.yaml", "Swagger 2.0 is not supported"),
    (
        "remote-ref.yaml",
        "remote $ref 'https://example.com/schemas.yaml#/A' refused (pass --allow-remote-refs",
    ),
    ("billion-laughs.yaml", "through YAML aliases (refused, not expanded)"),
    ("python-tag.yaml", "python-tag.yaml:2: invalid YAML: could not determine a constructor"),
]


@pytest.mark.parametrize(("fixture", "expected"), BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
@pytest.mark.parametrize("command", ["validate", "show"])
def test_bad_input_is_one_line_and_exit_2(
    run_cli: Callable[..., Any], fixture: str, expected: str, command: str
) -> None:
    result = run_cli("specs", command, str(FIXTURES / fixture))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert expected in lines[0]
    assert "Traceback" not in result.stderr


def test_validate_reports_every_file_even_after_a_bad_one(run_cli: Callable[..., Any]) -> None:
    result = run_cli("specs", "validate", str(FIXTURES / "empty.yaml"), str(FIXTURES / "minimal.yaml"))
    assert result.exit_code == 2
    assert "file is empty" in result.stderr
    assert "minimal.yaml" in result.stdout


def test_unknown_bundled_id_lists_what_exists(run_cli: Callable[..., Any]) -> None:
    result = run_cli("specs", "show", "payments@1999-01-01")
    assert result.exit_code == 2
    assert "unknown version '1999-01-01' of bundled API 'payments'" in result.stderr
    assert "payments@2022-11-15" in result.stderr


def test_unknown_bundled_name_lists_what_exists(run_cli: Callable[..., Any]) -> None:
    result = run_cli("specs", "show", "paymants")
    assert result.exit_code == 2
    assert "'paymants' is neither a file nor a bundled spec" in result.stderr
    assert "dataplatform@2.2" in result.stderr


def test_debug_shows_the_traceback_and_keeps_the_exit_code(run_cli: Callable[..., Any]) -> None:
    result = run_cli("--debug", "specs", "validate", str(FIXTURES / "empty.yaml"))
    assert result.exit_code == 2
    assert "Traceback" in result.stderr
    assert result.stderr.splitlines()[-1].endswith("empty.yaml: file is empty")


def test_bad_option_is_usage_exit_2(run_cli: Callable[..., Any]) -> None:
    result = run_cli("specs", "validate", "--no-such-option")
    assert result.exit_code == 2
