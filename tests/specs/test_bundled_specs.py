"""The bundled specs, seen the way a user sees them after ``pip install .``, from outside the repository."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from api_trainer.specs import bundled_specs, find_bundled, load_spec


def test_specs_list_from_another_directory_shows_every_bundled_version(
    run_script: Callable[..., Any],
) -> None:
    result = run_script("specs", "list")
    assert result.returncode == 0, result.stderr
    for bundled_id in (
        "payments@2020-08-27",
        "payments@2022-11-15",
        "payments@2023-08-16",
        "dataplatform@2.0",
        "dataplatform@2.1",
        "dataplatform@2.2",
    ):
        assert bundled_id in result.stdout


def test_every_bundled_file_validates(run_script: Callable[..., Any]) -> None:
    ids = [s.id for s in bundled_specs()]
    assert len(ids) >= 6
    result = run_script("specs", "validate", *ids)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("valid ") == len(ids)


@pytest.mark.parametrize(
    ("name", "newest"), [("payments", "payments@2023-08-16"), ("dataplatform", "dataplatform@2.2")]
)
def test_a_bare_name_means_the_newest_version(name: str, newest: str) -> None:
    assert find_bundled(name).id == newest
    assert load_spec(name).bundled_id == newest


def test_every_operation_is_documented_for_an_integrator() -> None:
    for bundled in bundled_specs():
        spec = load_spec(bundled.id)
        ids = [op.operation_id for op in spec.operations()]
        assert all(ids), f"{bundled.id}: an operation has no operationId"
        assert len(ids) == len(set(ids)), f"{bundled.id}: duplicate operationIds"
        for op in spec.operations():
            assert op.node.get("summary"), f"{bundled.id} {op.label}: no summary"
            assert op.node.get("description"), f"{bundled.id} {op.label}: no description"
            body = spec.get(op.node, "requestBody")
            if isinstance(body, dict):
                media = [spec.deref(m) for m in (spec.get(body, "content") or {}).values()]
                assert any("example" in m or "examples" in m for m in media), (
                    f"{bundled.id} {op.label}: no request example"
                )
            successes = [
                spec.deref(r) for s, r in spec.get(op.node, "responses").items() if str(s).startswith("2")
            ]
            assert any(
                not r.get("content")
                or any("example" in m or "examples" in m for m in map(spec.deref, r["content"].values()))
                for r in successes
            ), f"{bundled.id} {op.label}: no response example"
            statuses = [str(s) for s in spec.get(op.node, "responses")]
            assert any(s.startswith(("4", "5")) for s in statuses), (
                f"{bundled.id} {op.label}: no error responses"
            )


def test_real_stripe_specs_validate(run_script: Callable[..., Any], corpus_dir: Path) -> None:
    files = sorted(str(p) for p in (corpus_dir / "stripe").glob("spec3-*"))
    assert len(files) == 4
    result = run_script("specs", "validate", *files, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("valid ") == 4
