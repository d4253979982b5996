"""Every rule of the catalogue has a fixture pair that triggers it and a close case that must not.

The cases live in fixtures/rule-cases*.yaml; this module wraps each part into a small OpenAPI document.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from api_trainer.diff import Level, Policy, catalogue, find_changes
from api_trainer.specs import Spec

CASES: list[dict[str, Any]] = [
    case
    for path in sorted((Path(__file__).parent / "fixtures").glob("rule-cases*.yaml"))
    for case in yaml.safe_load(path.read_text())
]
_OK = {"200": {"description": "ok"}}


def _document(kind: str, part: Any, components: dict[str, Any] | None, openapi: str) -> dict[str, Any]:
    part = copy.deepcopy(part)
    document: dict[str, Any] = {"openapi": openapi, "info": {"title": "case", "version": "1"}, "paths": {}}
    if kind == "request-schema":
        body = {"required": True, "content": {"application/json": {"schema": part}}}
        document["paths"] = {"/things": {"post": {"requestBody": body, "responses": _OK}}}
    elif kind == "response-schema":
        ok = {"200": {"description": "ok", "content": {"application/json": {"schema": part}}}}
        document["paths"] = {"/things": {"get": {"responses": ok}}}
    elif kind == "query-schema":
        parameter = {"name": "q", "in": "query", "schema": part}
        document["paths"] = {"/things": {"get": {"parameters": [parameter], "responses": _OK}}}
    elif kind == "parameters":
        document["paths"] = {"/things/{id}": {"get": {"parameters": part, "responses": _OK}}}
    elif kind == "operation":
        document["paths"] = part
    elif kind == "document":
        document.update(part)
    else:
        raise AssertionError(f"unknown case kind {kind}")
    if components:
        document.setdefault("components", {}).update(copy.deepcopy(components))
    return document


def _diff(case: dict[str, Any], new_part: str) -> list[Any]:
    version = str(case.get("openapi", "3.0.3"))
    old = Spec(_document(case["kind"], case["old"], case.get("components"), version), source="old.yaml")
    new = Spec(
        _document(case["kind"], case[new_part], case.get("components"), version), source=f"{new_part}.yaml"
    )
    return list(find_changes(old, new, policy=Policy(**case.get("policy", {}))).findings)


@pytest.mark.parametrize("case", CASES, ids=[c["rule"] for c in CASES])
def test_rule_triggers_on_its_pair(case: dict[str, Any]) -> None:
    findings = [f for f in _diff(case, "new") if f.id == case["rule"]]
    assert findings, f"{case['rule']} not reported; got {[f.id for f in _diff(case, 'new')]}"
    expected_level = next(r.level for r in catalogue() if r.id == case["rule"])
    assert all(f.level is expected_level for f in findings)
    assert all(f.message and f.impact for f in findings)
    if "location" in case:
        assert [f.location for f in findings] == [case["location"]]


@pytest.mark.parametrize("case", CASES, ids=[c["rule"] for c in CASES])
def test_rule_stays_quiet_on_the_close_case(case: dict[str, Any]) -> None:
    assert case["rule"] not in {f.id for f in _diff(case, "close")}


@pytest.mark.parametrize("case", CASES, ids=[c["rule"] for c in CASES])
def test_old_against_itself_reports_nothing(case: dict[str, Any]) -> None:
    assert _diff(case, "old") == []


def test_every_rule_has_a_case() -> None:
    covered = [c["rule"] for c in CASES]
    assert sorted(set(covered)) == sorted(covered), "a rule has two cases"
    assert set(covered) == {r.id for r in catalogue()}


def test_catalogue_entries_are_complete_and_kebab_case() -> None:
    rules = catalogue()
    assert len({r.id for r in rules}) == len(rules)
    for rule in rules:
        assert rule.message and rule.impact and rule.why, rule.id
        assert rule.level in Level


def test_every_rule_id_that_existed_stays_and_rules_lists_every_rule(run_cli: Any) -> None:
    listed = (Path(__file__).parent / "fixtures" / "rule-ids-before-issue-14.txt").read_text().splitlines()
    before = {line for line in listed if line and not line.startswith("#")}
    ids = {r.id for r in catalogue()}
    assert len(before) == 101 and before <= ids
    shown = {r["id"] for r in json.loads(run_cli("diff", "--rules", "--format", "json").stdout)}
    assert shown == ids
