"""What the walker treats as the same contract, and where it reports a change (engine-level tests)."""

from __future__ import annotations

import copy
from typing import Any

from api_trainer.diff import Finding, find_changes
from api_trainer.specs import Spec


def _spec(paths: dict[str, Any], schemas: dict[str, Any] | None = None, version: str = "3.0.3") -> Spec:
    document: dict[str, Any] = {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": paths}
    if schemas is not None:
        document["components"] = {"schemas": schemas}
    return Spec(copy.deepcopy(document), source="spec.yaml")


def _ok(schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _findings(old: Spec, new: Spec) -> list[Finding]:
    return list(find_changes(old, new).findings)


CYCLE = {
    "A": {"type": "object", "properties": {"name": {"type": "string"}, "b": _ref("B")}},
    "B": {"type": "object", "properties": {"a": _ref("A"), "items": {"type": "array", "items": _ref("B")}}},
}
CYCLE_PATHS = {"/a": {"get": {"responses": _ok(_ref("A"))}}, "/b": {"get": {"responses": _ok(_ref("B"))}}}


def test_a_change_in_a_cycle_is_reported_once_for_every_operation_that_reaches_it() -> None:
    changed = copy.deepcopy(CYCLE)
    del changed["A"]["properties"]["name"]
    findings = _findings(_spec(CYCLE_PATHS, CYCLE), _spec(CYCLE_PATHS, changed))
    assert [(f.operation, f.id, f.message, f.location) for f in findings] == [
        ("GET /a", "response-optional-property-removed", "removed the optional response property 'name'",
         "/paths/~1a/get/responses/200/content/application~1json/schema/properties/name"),
        ("GET /b", "response-optional-property-removed", "removed the optional response property 'a.name'",
         "/paths/~1b/get/responses/200/content/application~1json/schema/properties/a/properties/name"),
    ]  # fmt: skip
    assert {(f.component, f.component_message) for f in findings} == {
        ("A", "removed the optional response property 'A.name'")
    }


def test_moving_properties_into_allof_or_inlining_a_component_is_no_change() -> None:
    flat = {
        "Pet": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "string"}, "tag": {"type": "string"}},
        }
    }
    composed = {
        "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
        "Pet": {"allOf": [_ref("Base"), {"type": "object", "properties": {"tag": {"type": "string"}}}]},
    }
    paths = {"/pets": {"get": {"responses": _ok(_ref("Pet"))}}}
    inlined = {"/pets": {"get": {"responses": _ok(flat["Pet"])}}}
    assert _findings(_spec(paths, flat), _spec(paths, composed)) == []
    assert _findings(_spec(paths, flat), _spec(inlined, {})) == []
    assert _findings(_spec(paths, composed), _spec(inlined, {})) == []


def test_openapi_3_0_nullable_and_3_1_null_type_are_the_same() -> None:
    old = _spec({"/a": {"get": {"responses": _ok({"type": "string", "nullable": True})}}})
    new = _spec({"/a": {"get": {"responses": _ok({"type": ["string", "null"]})}}}, version="3.1.0")
    assert _findings(old, new) == []


def test_read_only_properties_do_not_count_in_requests_and_write_only_ones_not_in_responses() -> None:
    old_schema = {
        "type": "object",
        "properties": {
            "id": {"type": "string", "readOnly": True},
            "pw": {"type": "string", "writeOnly": True},
        },
    }
    new_schema = {
        "type": "object",
        "required": ["id", "pw"],
        "properties": {
            "id": {"type": "integer", "readOnly": True},
            "pw": {"type": "integer", "writeOnly": True},
        },
    }
    paths = {
        "/u": {
            "post": {
                "requestBody": {"content": {"application/json": {"schema": _ref("U")}}},
                "responses": _ok(_ref("U")),
            }
        }
    }
    findings = _findings(_spec(paths, {"U": old_schema}), _spec(paths, {"U": new_schema}))
    assert sorted((f.id, f.message) for f in findings) == [
        ("request-property-became-required", "request property 'pw' became required"),
        ("request-property-type-changed", "request property 'pw': type/format changed from string to integer"),
        ("response-property-type-changed", "response property 'id': type/format changed from string to integer"),
    ]  # fmt: skip


def test_parameters_moved_between_path_and_operation_level_or_renamed_in_the_template_are_no_change() -> None:
    param = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    header = {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}}
    old = _spec(
        {"/jobs/{id}": {"parameters": [param], "get": {"parameters": [header], "responses": _ok({})}}}
    )
    renamed = {**param, "name": "job_id"}
    lower = {**header, "name": "idempotency-key"}
    new = _spec({"/jobs/{job_id}": {"get": {"parameters": [lower, renamed], "responses": _ok({})}}})
    assert _findings(old, new) == []


def test_a_component_reached_from_several_responses_is_reported_once_at_the_success_response() -> None:
    error = {"type": "object", "properties": {"code": {"type": "string"}, "intent": _ref("Intent")}}
    intent = {"type": "object", "properties": {"id": {"type": "string"}, "charges": {"type": "object"}}}
    responses = {**_ok(_ref("Error"), "400"), **_ok(_ref("Intent")), **_ok(_ref("Error"), "402")}
    paths = {"/pi": {"post": {"responses": responses}}}
    changed = copy.deepcopy(intent)
    del changed["properties"]["charges"]
    findings = _findings(
        _spec(paths, {"Error": error, "Intent": intent}), _spec(paths, {"Error": error, "Intent": changed})
    )
    assert [(f.id, f.location) for f in findings] == [
        (
            "response-optional-property-removed",
            "/paths/~1pi/post/responses/200/content/application~1json/schema/properties/charges",
        )
    ]


def test_a_memoised_component_keeps_each_operations_own_location() -> None:
    item = {"type": "object", "properties": {"status": {"type": "string", "enum": ["a"]}}}
    page = {"type": "object", "properties": {"data": {"type": "array", "items": _ref("Item")}}}
    paths = {"/one": {"get": {"responses": _ok(_ref("Item"))}}, "/list": {"get": {"responses": _ok(page)}}}
    changed = copy.deepcopy(item)
    changed["properties"]["status"]["enum"] = ["a", "b"]
    findings = _findings(_spec(paths, {"Item": item}), _spec(paths, {"Item": changed}))
    assert [(f.operation, f.level.value, f.message) for f in findings] == [
        ("GET /one", "warning", "response property 'status': enum value \"b\" added"),
        ("GET /list", "warning", "response property 'data[].status': enum value \"b\" added"),
    ]


def test_request_and_response_directions_judge_the_same_change_oppositely() -> None:
    narrow = {"type": "object", "properties": {"kind": {"type": "string", "enum": ["a", "b"]}}}
    wide = {"type": "object", "properties": {"kind": {"type": "string", "enum": ["a", "b", "c"]}}}
    paths = {
        "/k": {
            "post": {
                "requestBody": {"content": {"application/json": {"schema": _ref("K")}}},
                "responses": _ok(_ref("K")),
            }
        }
    }
    widened = {
        (f.id, f.level.value) for f in _findings(_spec(paths, {"K": narrow}), _spec(paths, {"K": wide}))
    }
    assert widened == {
        ("request-property-enum-value-added", "info"),
        ("response-property-enum-value-added", "warning"),
    }
    narrowed = {
        (f.id, f.level.value) for f in _findings(_spec(paths, {"K": wide}), _spec(paths, {"K": narrow}))
    }
    assert narrowed == {
        ("request-property-enum-value-removed", "breaking"),
        ("response-property-enum-value-removed", "info"),
    }


def test_a_nullable_allof_wrapper_belongs_to_its_parent_and_the_wrapped_schema_to_itself() -> None:
    refund_list = {
        "type": "object",
        "properties": {"url": {"type": "string"}, "has_more": {"type": "boolean"}},
    }
    charge = {
        "type": "object",
        "required": ["refunds"],
        "properties": {"refunds": {"allOf": [_ref("RefundList")]}},
    }
    paths = {"/charges": {"get": {"responses": _ok(_ref("Charge"))}}}
    new_charge = copy.deepcopy(charge)
    new_charge["properties"]["refunds"]["nullable"] = True
    new_list = copy.deepcopy(refund_list)
    del new_list["properties"]["has_more"]
    old = _spec(paths, {"Charge": charge, "RefundList": refund_list})
    new = _spec(paths, {"Charge": new_charge, "RefundList": new_list})
    base = "/paths/~1charges/get/responses/200/content/application~1json/schema/properties/refunds"
    assert [(f.id, f.component_message, f.location) for f in _findings(old, new)] == [
        ("response-property-became-nullable", "response property 'Charge.refunds' may now be null", base),
        ("response-optional-property-removed", "removed the optional response property 'RefundList.has_more'",
         base + "/allOf/0/properties/has_more"),
    ]  # fmt: skip


def test_a_shared_parameter_schema_is_worded_with_each_parameters_own_name() -> None:
    cursor = {"type": "string", "maxLength": 5000}
    paths = {
        f"/{name}": {
            "get": {
                "parameters": [{"name": param, "in": "query", "schema": _ref("Cursor")}],
                "responses": _ok({}),
            }
        }
        for name, param in (("a", "starting_after"), ("b", "ending_before"), ("c", "page"))
    }
    findings = _findings(
        _spec(paths, {"Cursor": cursor}), _spec(paths, {"Cursor": {**cursor, "maxLength": 100}})
    )
    assert [f.message for f in findings] == [
        f"query parameter '{param}': maxLength tightened from 5000 to 100"
        for param in ("starting_after", "ending_before", "page")
    ]


def test_a_path_parameter_named_unlike_its_template_slot_is_that_slot() -> None:
    # /pets/{petId} declared with a parameter called id: the template and the name disagree, but it is the
    # one path parameter, so the spec that fixes the name changes nothing a client sends.
    def paths(template: str) -> dict[str, Any]:
        parameter = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
        return {template: {"get": {"parameters": [parameter], "responses": {"200": {"description": "ok"}}}}}

    assert _findings(_spec(paths("/pets/{petId}")), _spec(paths("/pets/{id}"))) == []


def test_exclusive_bounds_in_the_3_0_boolean_form_and_the_3_1_numeric_form() -> None:
    def body(schema: dict[str, Any]) -> dict[str, Any]:
        content = {"application/json": {"schema": {"type": "object", "properties": {"n": schema}}}}
        return {
            "/n": {"post": {"requestBody": {"content": content}, "responses": {"200": {"description": "ok"}}}}
        }

    inclusive, exclusive = (
        {"type": "number", "maximum": 10},
        {"type": "number", "maximum": 10, "exclusiveMaximum": True},
    )
    assert [f.id for f in _findings(_spec(body(inclusive)), _spec(body(exclusive)))] == [
        "request-property-exclusive-max-decreased"
    ]
    assert [f.id for f in _findings(_spec(body(exclusive)), _spec(body(inclusive)))] == [
        "request-property-exclusive-max-increased"
    ]
    old31, new31 = {"type": "number", "exclusiveMinimum": 0}, {"type": "number", "exclusiveMinimum": 1}
    found = _findings(_spec(body(old31), version="3.1.0"), _spec(body(new31), version="3.1.0"))
    assert [(f.id, f.message) for f in found] == [
        (
            "request-property-exclusive-min-increased",
            "request property 'n': exclusiveMinimum tightened from 0 to 1",
        )
    ]


def test_prefix_items_are_compared_position_by_position_against_items() -> None:
    # Removing prefixItems makes `items` apply to the first element too: an integer there is now refused.
    tuple_ = {"type": "array", "prefixItems": [{"type": "integer"}], "items": {"type": "string"}}
    plain = {"type": "array", "items": {"type": "string"}}
    content = lambda schema: {"application/json": {"schema": schema}}  # noqa: E731
    paths = lambda schema: {"/t": {"post": {"requestBody": {"content": content(schema)}, "responses": {}}}}  # noqa: E731
    found = _findings(_spec(paths(tuple_), version="3.1.0"), _spec(paths(plain), version="3.1.0"))
    assert [(f.id, f.message) for f in found] == [
        (
            "request-property-type-changed",
            "request property '[0]': type/format changed from integer to string",
        )
    ]


def test_a_parameter_with_content_is_compared_by_its_media_type_schema() -> None:
    def paths(schema: dict[str, Any]) -> dict[str, Any]:
        parameter = {"name": "filter", "in": "query", "content": {"application/json": {"schema": schema}}}
        return {"/f": {"get": {"parameters": [parameter], "responses": {"200": {"description": "ok"}}}}}

    old = {"type": "object", "properties": {"status": {"type": "string"}}}
    new = {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}}
    found = _findings(_spec(paths(old)), _spec(paths(new)))
    assert [(f.id, f.location) for f in found] == [
        (
            "request-property-became-required",
            "/paths/~1f/get/parameters/0/content/application~1json/schema/properties/status",
        )
    ]


def test_a_sunset_header_dates_the_removal_like_x_sunset() -> None:
    # RFC 8594: the API announces the date in a Sunset response header; removing the operation before it
    # breaks the integrators it was promised to, after it is the announced removal.
    def paths(sunset: str) -> dict[str, Any]:
        header = {"Sunset": {"schema": {"type": "string", "example": sunset}}}
        gone = {"deprecated": True, "responses": {"200": {"description": "ok", "headers": header}}}
        return {"/a": {"get": {"responses": {"200": {"description": "ok"}}}, "delete": gone}}

    kept = {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}
    ahead = _findings(_spec(paths("Fri, 31 Dec 2999 23:59:59 GMT")), _spec(kept))
    assert [(f.id, f.message) for f in ahead] == [
        ("api-removed-before-sunset", "removed DELETE /a before its sunset date 2999-12-31")
    ]
    behind = _findings(_spec(paths("Sat, 01 Jan 2000 00:00:00 GMT")), _spec(kept))
    assert [f.id for f in behind] == ["api-removed-with-deprecation"]


def test_a_removed_callback_belongs_to_the_operation_that_registers_it() -> None:
    callback = {"onEvent": {"{$request.body#/url}": {"post": {"responses": {"200": {"description": "ok"}}}}}}
    old = {"/subscribe": {"post": {"callbacks": callback, "responses": {"201": {"description": "ok"}}}}}
    new = {"/subscribe": {"post": {"responses": {"201": {"description": "ok"}}}}}
    found = _findings(_spec(old), _spec(new))
    assert [(f.id, f.operation, f.location) for f in found] == [
        (
            "callback-removed",
            "POST /subscribe",
            "/paths/~1subscribe/post/callbacks/onEvent/{$request.body#~1url}",
        )
    ]
