"""The spec layer's engine API: lazy references, operations, parameters, bundling across files."""

from __future__ import annotations

from pathlib import Path

import pytest

from api_trainer.errors import SpecRefError
from api_trainer.specs import Spec, load_spec, parse_text

FIXTURES = Path(__file__).parent / "fixtures"


def test_refs_are_followed_lazily_and_cycles_stay_references() -> None:
    spec = load_spec(str(FIXTURES / "circular.yaml"))
    (operation,) = spec.operations()
    schema = spec.get(
        spec.get(spec.get(spec.get(operation.node, "responses"), "200"), "content"), "application/json"
    )
    node = spec.deref(schema["schema"])
    children = node["properties"]["children"]
    # The recursive item is still a reference: nothing was expanded on load.
    assert Spec.ref_of(children["items"]) == "/components/schemas/Node"
    assert spec.deref(children["items"]) is node


def test_a_ref_into_another_file_resolves_and_its_own_refs_point_into_that_file() -> None:
    spec = load_spec(str(FIXTURES / "circular.yaml"))
    node = spec.lookup("/components/schemas/Node")
    owner = spec.deref(node["properties"]["owner"])
    assert set(owner["properties"]) == {"name", "favourite", "manager"}
    assert spec.deref(owner["properties"]["manager"]) is owner
    assert spec.deref(owner["properties"]["favourite"]) is node


def test_a_ref_chain_that_loops_is_an_error_not_a_hang() -> None:
    text = """
openapi: 3.0.3
info: {title: loop, version: "1"}
paths: {}
components:
  schemas:
    A: {$ref: "#/components/schemas/B"}
    B: {$ref: "#/components/schemas/A"}
"""
    spec = Spec(parse_text(text, "loop.yaml", as_json=False), source="loop.yaml")
    with pytest.raises(SpecRefError, match="loops"):
        spec.deref(spec.lookup("/components/schemas/A"))


def test_path_level_parameters_merge_with_operation_ones() -> None:
    spec = load_spec(str(FIXTURES / "minimal.yaml"))
    (operation,) = spec.operations()
    assert operation.label == "GET /items/{item_id}"
    assert operation.pointer == "/paths/~1items~1{item_id}/get"
    assert [(p["in"], p["name"]) for p in spec.parameters(operation)] == [("path", "item_id")]


def test_bundled_specs_are_independent_copies() -> None:
    first = load_spec("payments")
    first.document["info"]["title"] = "changed"
    assert load_spec("payments").title != "changed"
