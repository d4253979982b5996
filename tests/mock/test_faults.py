from __future__ import annotations

from pathlib import Path

import pytest

from api_trainer.errors import UsageError
from api_trainer.mock import (
    DELAY,
    DROP_AFTER_COMMIT,
    FaultEngine,
    FaultKind,
    FaultParam,
    FaultRegistry,
    FaultResponse,
    FaultRuleError,
    compile_glob,
    load_rules_file,
)

BOOM = FaultKind(
    "status-500",
    "respond",
    "a 500",
    (FaultParam("code", str, "boom"),),
    render=lambda p: FaultResponse(500, {"code": p["code"]}),
)


def engine(seed: int | None = 1) -> FaultEngine:
    return FaultEngine(FaultRegistry([BOOM, DELAY, DROP_AFTER_COMMIT]), seed=seed)


@pytest.mark.parametrize(
    ("glob", "path", "hit"),
    [
        ("/v1/customers/*", "/v1/customers/cus_1", True),
        ("/v1/customers/*", "/v1/customers/cus_1/sources", False),
        ("/v1/**", "/v1/customers/cus_1/sources", True),
        ("/v1/**", "/v2/customers", False),
        ("/v1/*/cus_*", "/v1/customers/cus_9", True),
        ("/v1/payment_intents", "/v1/payment_intents/pi_1", False),
    ],
)
def test_globs(glob: str, path: str, hit: bool) -> None:
    assert bool(compile_glob(glob).match(path)) is hit


def test_times_counts_fired_faults_and_spent_rules_disappear() -> None:
    faults = engine()
    rule = faults.add({"match": {"method": "post", "path": "/v1/**"}, "fault": "status-500", "times": 2})
    assert rule.id.startswith("flt_")
    assert faults.choose("GET", "/v1/customers") is None  # method does not match: not counted
    fired = [faults.choose("POST", "/v1/customers") for _ in range(3)]
    assert [f.name if f else None for f in fired] == ["status-500", "status-500", None]
    assert faults.rules() == []


def test_first_live_rule_wins_and_header_wins_over_rules() -> None:
    faults = engine()
    faults.add({"match": {"path": "/v1/**"}, "fault": "delay", "params": {"ms": 5}})
    faults.add({"match": {"path": "/v1/**"}, "fault": "status-500"})
    chosen = faults.choose("GET", "/v1/x")
    assert chosen is not None and chosen.name == "delay" and chosen.params == {"ms": 5}
    header = faults.choose("GET", "/v1/x", "status-500;code=teapot")
    assert header is not None and header.response() == FaultResponse(500, {"code": "teapot"})


def test_probability_is_reproducible_with_a_seed() -> None:
    def draws(seed: int) -> list[bool]:
        faults = engine(seed)
        faults.add({"match": {"path": "/**"}, "fault": "status-500", "probability": 0.3})
        return [faults.choose("POST", "/v1/a") is not None for _ in range(200)]

    first = draws(7)
    assert first == draws(7)
    assert 20 < sum(first) < 100  # about 30% of 200; a fixed seed makes this exact, not flaky


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({"fault": "nope"}, "fault"),
        ({"fault": "delay", "match": {"path": "v1/x"}}, "match.path"),
        ({"fault": "delay", "match": {"path": "/v1/a**"}}, "match.path"),
        ({"fault": "delay", "probability": 1.5}, "probability"),
        ({"fault": "delay", "params": {"seconds": 1}}, "params.seconds"),
        ({"fault": "delay", "params": {"ms": "soon"}}, "params.ms"),
        ({"fault": "delay", "times": 0}, "times"),
        ({"fault": "delay", "match": {"method": "FETCH"}}, "match.method"),
        ({"fault": "delay", "colour": "red"}, "colour"),
    ],
)
def test_a_bad_rule_names_its_field(rule: dict[str, object], field: str) -> None:
    with pytest.raises(FaultRuleError) as caught:
        engine().add(rule)
    assert caught.value.field == field


def test_delete_one_and_all() -> None:
    faults = engine()
    a = faults.add({"fault": "delay"})
    faults.add({"fault": "delay"})
    assert faults.delete(a.id) and not faults.delete(a.id)
    assert len(faults.rules()) == 1
    faults.clear()
    assert faults.rules() == []


def test_rules_file(tmp_path: Path) -> None:
    good = tmp_path / "faults.yaml"
    good.write_text(
        "- match: {method: POST, path: /v1/payment_intents}\n  fault: drop-after-commit\n  times: 1\n"
    )
    faults = engine()
    [rule] = load_rules_file(faults, good)
    assert rule.as_json()["match"] == {"method": "POST", "path": "/v1/payment_intents"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("- fault: delay\n- fault: delay\n  probability: 2\n")
    with pytest.raises(UsageError, match="rule 2: field 'probability'"):
        load_rules_file(engine(), bad)
