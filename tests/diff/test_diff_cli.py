"""``api-trainer diff`` through its real entry point: bundled specs, formats, filters, exit codes, bad input."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from api_trainer.specs import bundled_specs

FIXTURES = Path(__file__).parent / "fixtures"
SPEC_FIXTURES = Path(__file__).parent.parent / "specs" / "fixtures"
CHARGES = (
    "/paths/~1v1~1payment_intents/post/responses/200/content/application~1json/schema/properties/charges"
)
LATEST_CHARGE = CHARGES.replace("/charges", "/latest_charge")


def _json(run_cli: Callable[..., Any], *args: str) -> tuple[int, dict[str, Any]]:
    result = run_cli("diff", *args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def test_payments_2020_to_2022_reports_charges_removed_and_latest_charge_added(
    run_cli: Callable[..., Any],
) -> None:
    code, report = _json(run_cli, "payments@2020-08-27", "payments@2022-11-15")
    assert code == 1
    by_place = {(c["id"], c["location"]): c for c in report["changes"]}
    removed = by_place[("response-property-removed", CHARGES)]
    assert removed == {
        "id": "response-property-removed",
        "level": "breaking",
        "operation": "POST /v1/payment_intents",
        "method": "POST",
        "path": "/v1/payment_intents",
        "location": CHARGES,
        "message": "removed response property 'charges'",
        "impact": removed["impact"],
    }
    assert "typed SDK model fails to deserialize" in removed["impact"]
    added = by_place[("response-required-property-added", LATEST_CHARGE)]
    assert added["level"] == "info" and "latest_charge" in added["message"]
    # Charge.refunds is no longer included unless expanded: absent and null are both new for readers.
    refunds = {c["id"] for c in report["changes"] if c["operation"] == "GET /v1/charges/{charge}"}
    assert {"response-property-became-optional", "response-property-became-nullable"} <= refunds
    summary = report["summary"]
    assert summary == {
        level: sum(1 for c in report["changes"] if c["level"] == level)
        for level in ("breaking", "warning", "info")
    }


def test_a_shared_component_change_is_reported_once_per_operation(run_cli: Callable[..., Any]) -> None:
    _, report = _json(run_cli, "payments@2020-08-27", "payments@2022-11-15")
    charges = [
        c for c in report["changes"] if c["id"] == "response-property-removed" and "charges" in c["message"]
    ]
    operations = [c["operation"] for c in charges]
    assert len(operations) == len(set(operations))
    assert {"GET /v1/payment_intents", "POST /v1/payment_intents/{intent}/confirm"} <= set(operations)
    listed = next(c for c in charges if c["operation"] == "GET /v1/payment_intents")
    assert listed["message"] == "removed response property 'data[].charges'"


def test_dataplatform_2_0_to_2_1_pairs_the_versioned_paths_and_reports_the_jobs_changes(
    run_cli: Callable[..., Any],
) -> None:
    code, report = _json(run_cli, "dataplatform@2.0", "dataplatform@2.1")
    assert code == 1
    ids_by_operation: dict[str, set[str]] = {}
    for change in report["changes"]:
        ids_by_operation.setdefault(change["operation"], set()).add(change["id"])
    # /api/2.0/jobs/* -> /api/2.1/jobs/*: compared as the same operations, not removed and re-added.
    assert not any("removed-without-deprecation" in i for ids in ids_by_operation.values() for i in ids)
    assert "api-path-version-changed" in ids_by_operation["GET /api/2.1/jobs/get"]
    messages = {c["message"] for c in report["changes"]}
    assert "added the optional query parameter 'page_token'" in messages  # token paging in 2.1
    assert "removed the optional response property 'settings.notebook_task'" in messages  # single-task gone
    assert "added the optional request property 'job_clusters'" in messages  # shared job clusters
    # The SQL statement API did not change between the two versions.
    assert not any(op.startswith(("POST /api/2.0/sql", "GET /api/2.0/sql")) for op in ids_by_operation)


@pytest.mark.parametrize("bundled", [s.id for s in bundled_specs()])
def test_every_bundled_spec_diffed_against_itself_has_no_findings(
    run_cli: Callable[..., Any], bundled: str
) -> None:
    code, report = _json(run_cli, bundled, bundled)
    assert (code, report) == (0, {"changes": [], "summary": {"breaking": 0, "warning": 0, "info": 0}})


def test_text_groups_by_operation_with_level_and_impact(run_cli: Callable[..., Any]) -> None:
    result = run_cli("diff", "payments@2020-08-27", "payments@2022-11-15")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    start = lines.index("POST /v1/payment_intents")
    assert lines[start + 1].split() == [
        "breaking", "removed", "response", "property", "'charges'", "[response-property-removed]"
    ]  # fmt: skip
    assert lines[start + 2].strip().startswith("-> Code that reads response property 'charges' gets nothing")
    assert lines[-1].startswith("payments@2020-08-27 -> payments@2022-11-15: ")


def test_group_by_component_folds_one_change_across_operations(run_cli: Callable[..., Any]) -> None:
    result = run_cli("diff", "payments@2020-08-27", "payments@2022-11-15", "--group-by", "component")
    out = result.stdout
    assert "component PaymentIntent" in out
    block = out.split("component PaymentIntent", 1)[1]
    assert "removed response property 'PaymentIntent.charges'" in block
    assert block.count("removed response property 'PaymentIntent.charges'") == 1
    assert "operation(s): " in block


def test_fail_on_levels_decide_the_exit_code(run_cli: Callable[..., Any]) -> None:
    old, new = str(FIXTURES / "pets-v1.yaml"), str(FIXTURES / "pets-v2-additive.yaml")
    assert run_cli("diff", old, new).exit_code == 0  # only info findings
    assert run_cli("diff", old, new, "--fail-on", "info").exit_code == 1
    assert run_cli("diff", old, new, "--fail-on", "warning").exit_code == 0
    breaking = str(FIXTURES / "pets-v2-breaking.yaml")
    assert run_cli("diff", old, breaking).exit_code == 1
    assert run_cli("diff", old, breaking, "--fail-on", "never").exit_code == 0


def test_path_filters(run_cli: Callable[..., Any]) -> None:
    old, new = str(FIXTURES / "pets-v1.yaml"), str(FIXTURES / "pets-v2-breaking.yaml")
    _, everything = _json(run_cli, old, new)
    paths = {c["path"] for c in everything["changes"]}
    assert {"/pets", "/pets/{petId}"} <= paths
    _, only = _json(run_cli, old, new, "--include-path", r"^/pets$")
    assert {c["path"] for c in only["changes"]} == {"/pets"}
    _, without = _json(run_cli, old, new, "--exclude-path", r"\{")
    assert "/pets/{petId}" not in {c["path"] for c in without["changes"]}
    assert without["summary"]["breaking"] == sum(1 for c in without["changes"] if c["level"] == "breaking")


def test_ignore_file_accepts_deliberate_breaks(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    old, new = str(FIXTURES / "pets-v1.yaml"), str(FIXTURES / "pets-v2-breaking.yaml")
    _, report = _json(run_cli, old, new)
    breaking = [c for c in report["changes"] if c["level"] == "breaking"]
    accepted = tmp_path / "accepted.yaml"
    accepted.write_text("".join(f"- id: {c['id']}\n  operation: {c['operation']}\n" for c in breaking))
    all_accepted = run_cli("diff", old, new, "--ignore", str(accepted))
    assert all_accepted.exit_code == 0
    assert all_accepted.stderr == (
        f"--ignore {accepted}: {len(breaking)} accepted finding(s) not shown ({len(breaking)} accepted entries)\n"
    )
    accepted.write_text("".join(f"- id: {c['id']}\n  operation: {c['operation']}\n" for c in breaking[1:]))
    code, rest = _json(run_cli, old, new, "--ignore", str(accepted))
    assert code == 1 and [c for c in rest["changes"] if c["level"] == "breaking"] == breaking[:1]


def test_markdown_junit_and_github_formats(run_cli: Callable[..., Any]) -> None:
    old, new = str(FIXTURES / "pets-v1.yaml"), str(FIXTURES / "pets-v2-breaking.yaml")
    _, report = _json(run_cli, old, new)
    counts = report["summary"]
    markdown = run_cli("diff", old, new, "--format", "markdown").stdout
    assert f"| breaking | {counts['breaking']} |" in markdown and "### `GET /pets`" in markdown
    junit = ElementTree.fromstring(run_cli("diff", old, new, "--format", "junit").stdout)
    suite = junit.find("testsuite")
    assert suite is not None
    assert int(suite.get("tests", "-1")) == len(report["changes"])
    assert int(suite.get("failures", "-1")) == counts["breaking"] == len(suite.findall("testcase/failure"))
    warning_junit = ElementTree.fromstring(
        run_cli("diff", old, new, "--format", "junit", "--fail-on", "warning").stdout
    )
    assert len(warning_junit.findall("testsuite/testcase/failure")) == counts["breaking"] + counts["warning"]
    github = run_cli("diff", old, new, "--format", "github").stdout.splitlines()
    assert sum(1 for line in github if line.startswith("::error title=")) == counts["breaking"]
    assert len(github) == len(report["changes"])


def test_rules_prints_the_catalogue(run_cli: Callable[..., Any]) -> None:
    result = run_cli("diff", "--rules", "--format", "json")
    assert result.exit_code == 0
    rules = json.loads(result.stdout)
    ids = {r["id"] for r in rules}
    assert {"response-property-removed", "response-property-enum-value-added", "api-security-added"} <= ids
    assert all(set(r) == {"id", "level", "area", "message", "impact", "why"} for r in rules)
    text = run_cli("diff", "--rules").stdout
    assert "response-property-removed" in text and "breaking," in text


def _assert_one_line_exit_2(result: Any, expected: str) -> None:
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: "), result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


BAD_SPECS = [
    ("does-not-exist.yaml", "no such file"),
    (".", "is a directory, not a spec file"),
    ("empty.yaml", "file is empty"),
    ("invalid-yaml.yaml", "invalid YAML"),
    ("trailing-garbage.json", "invalid JSON: Extra data"),
    ("not-openapi.yaml", "not an OpenAPI document"),
    ("swagger2.yaml", "Swagger 2.0 is not supported"),
    ("remote-ref.yaml", "remote $ref"),
    ("billion-laughs.yaml", "refused, not expanded"),
    ("python-tag.yaml", "could not determine a constructor"),
    ("missing-pointer-ref.yaml", "does not resolve"),
]


@pytest.mark.parametrize(("fixture", "expected"), BAD_SPECS, ids=[b[0] for b in BAD_SPECS])
@pytest.mark.parametrize("side", ["old", "new"])
def test_bad_spec_is_one_line_and_exit_2(
    run_cli: Callable[..., Any], fixture: str, expected: str, side: str
) -> None:
    bad, good = str(SPEC_FIXTURES / fixture), str(SPEC_FIXTURES / "minimal.yaml")
    args = (bad, good) if side == "old" else (good, bad)
    _assert_one_line_exit_2(run_cli("diff", *args), expected)


BAD_USAGE = [
    (["payments@1999-01-01", "payments"], "unknown version '1999-01-01'"),
    (["payments"], "diff needs two specs"),
    (["payments", "payments", "--format", "xml"], "--format must be one of"),
    (["payments", "payments", "--fail-on", "sometimes"], "--fail-on must be one of"),
    (["payments", "payments", "--group-by", "tag"], "--group-by must be one of"),
    (["payments", "payments", "--include-path", "("], "is not a valid regular expression"),
    (["payments", "payments", "--ignore", "no-such-ignore.yaml"], "--ignore file not found"),
    (["git:HEAD", "payments"], "a git reference is git:REV:PATH"),
]


@pytest.mark.parametrize(("args", "expected"), BAD_USAGE, ids=[b[1] for b in BAD_USAGE])
def test_bad_usage_is_one_line_and_exit_2(
    run_cli: Callable[..., Any], args: list[str], expected: str
) -> None:
    _assert_one_line_exit_2(run_cli("diff", *args), expected)


def test_bad_ignore_file_is_one_line_and_exit_2(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    ignore = tmp_path / "ignore.yaml"
    ignore.write_text("id: not-a-list\n")
    _assert_one_line_exit_2(
        run_cli("diff", "payments", "payments", "--ignore", str(ignore)), "must be a list"
    )
    ignore.write_text("- operation: GET /pets\n")
    _assert_one_line_exit_2(run_cli("diff", "payments", "payments", "--ignore", str(ignore)), "needs an 'id'")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=repo, check=True, capture_output=True, timeout=60,
    )  # fmt: skip


def test_git_references_read_a_revision_of_the_current_repository(
    run_cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    (repo / "api").mkdir(parents=True)
    spec = repo / "api" / "openapi.yaml"
    spec.write_text((FIXTURES / "pets-v1.yaml").read_text())
    _git(repo, "init", "-q")
    _git(repo, "add", "api/openapi.yaml")
    _git(repo, "commit", "-q", "-m", "v1")
    spec.write_text((FIXTURES / "pets-v2-breaking.yaml").read_text())
    monkeypatch.chdir(repo)
    code, report = _json(run_cli, "git:HEAD:api/openapi.yaml", "api/openapi.yaml")
    assert code == 1 and report["summary"]["breaking"] == 5
    monkeypatch.chdir(repo / "api")  # PATH is relative to the current directory
    assert _json(run_cli, "git:HEAD:openapi.yaml", "git:HEAD:openapi.yaml") == (
        0,
        _json(run_cli, str(spec), str(spec))[1],
    )
    _assert_one_line_exit_2(run_cli("diff", "git:HEAD:nope.yaml", "openapi.yaml"), "does not exist in 'HEAD'")
    _assert_one_line_exit_2(run_cli("diff", "git:no-such-rev:openapi.yaml", "openapi.yaml"), "no-such-rev")


def test_renamed_path_parameter_and_inlined_schema_are_not_changes(run_cli: Callable[..., Any]) -> None:
    old, new = str(FIXTURES / "pets-v1.yaml"), str(FIXTURES / "pets-v2-additive.yaml")
    code, report = _json(run_cli, old, new)
    assert code == 0
    assert sorted((c["operation"], c["id"]) for c in report["changes"]) == [
        ("DELETE /pets/{petId}", "endpoint-added"),
        ("GET /pets", "response-optional-property-added"),
        ("GET /pets/{petId}", "response-optional-property-added"),
        ("POST /pets", "new-optional-request-property"),
        ("POST /pets", "response-optional-property-added"),
    ]


def test_a_deprecation_policy_asks_for_a_sunset_far_enough_ahead(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    operation = "    get:\n      {extra}responses: {{'200': {{description: ok}}}}\n"
    head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n"
    old, new, later = tmp_path / "old.yaml", tmp_path / "new.yaml", tmp_path / "later.yaml"
    old.write_text(head + operation.format(extra=""))
    new.write_text(head + operation.format(extra="deprecated: true\n      "))
    later.write_text(head + operation.format(extra="deprecated: true\n      x-sunset: '2999-12-31'\n      "))
    assert _json(run_cli, str(old), str(new))[0] == 0  # no policy: deprecating is news, not a break
    code, report = _json(run_cli, str(old), str(new), "--deprecation-days-stable", "30")
    assert code == 1
    assert [c["id"] for c in report["changes"] if c["level"] == "breaking"] == [
        "api-deprecated-sunset-missing"
    ]
    assert _json(run_cli, str(old), str(later), "--deprecation-days-stable", "30")[0] == 0
    result = run_cli("diff", str(old), str(new), "--deprecation-days-stable", "-1")
    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("fixture", "pointer", "expected"),
    [
        ("malformed-schema.yaml", "/paths/~1a/get/responses/200/content/application~1json/schema/required",
         "'required' of a schema must be a list of names, not a boolean"),
        ("malformed-parameter.yaml", "/paths/~1a/get/parameters/0/in", "'in' must be one of path, query"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("side", ["old", "new"])
def test_a_spec_whose_compared_parts_are_malformed_is_refused_with_exit_2(
    run_cli: Callable[..., Any], fixture: str, pointer: str, expected: str, side: str
) -> None:
    bad, good = str(FIXTURES / fixture), str(SPEC_FIXTURES / "minimal.yaml")
    result = run_cli("diff", *((bad, good) if side == "old" else (good, bad)))
    _assert_one_line_exit_2(result, expected)
    assert f"{bad} at {pointer}: " in result.stderr
    assert "specs validate" in result.stderr  # where to get every problem


def test_what_diff_does_not_check_it_does_not_refuse(run_cli: Callable[..., Any]) -> None:
    # An operation without responses is invalid 3.0, but compares as one with none: nothing is misread.
    no_responses = str(SPEC_FIXTURES / "schema-invalid.yaml")
    assert _json(run_cli, no_responses, no_responses)[0] == 0
