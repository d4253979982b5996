"""Spec-driven validation of query and form parameters, with coercion of their string values.

``validate_params`` walks the decoded parameters (strings, nested dicts and lists from ``parse_form``)
against the operation's query parameters or its form request body schema and returns the typed values plus
structured problems; each mock maps a :class:`Problem` to its own error shape. Kinds: ``unknown`` (a
parameter the schema does not have), ``missing`` (a required one absent), ``type`` (not convertible),
``range`` (outside minimum/maximum/maxLength), ``enum`` (not one of the allowed values).
"""

from __future__ import annotations

import math
import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal

from ..specs import Operation, Spec

__all__ = ["Problem", "Validated", "operation_schema", "validate_params"]

ProblemKind = Literal["unknown", "missing", "type", "range", "enum"]
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    param: str  # bracketed, as the client spelled it: ``metadata[k]``, ``amount``
    message: str
    expected: str | None = None  # ``integer``, ``boolean``, ... for ``type`` problems


@dataclass(frozen=True)
class Validated:
    params: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def operation_schema(spec: Spec, operation: Operation) -> dict[str, Any]:
    """One object schema for everything a client may send besides path parameters.

    Query parameters become properties (required ones required); a form (or JSON) request body's schema
    properties are merged in. Computed once per operation by the caller and reused.
    """
    properties: dict[str, Any] = {}
    required: list[str] = []
    for param in spec.parameters(operation):
        if param.get("in") != "query":
            continue
        name = str(param["name"])
        properties[name] = param.get("schema") or {}
        if param.get("required"):
            required.append(name)
    body = spec.get(operation.node, "requestBody")
    if isinstance(body, dict):
        content = spec.deref(body.get("content") or {})
        media = (
            content.get(FORM) or content.get("multipart/form-data") or content.get("application/json") or {}
        )
        schema = spec.deref(spec.deref(media).get("schema") or {})
        if isinstance(schema, dict):
            for name, sub in (spec.deref(schema.get("properties")) or {}).items():
                properties[name] = sub
            required.extend(str(r) for r in schema.get("required") or [] if r not in required)
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def validate_params(
    spec: Spec, schema: dict[str, Any], params: dict[str, Any], *, json_strings: bool = False
) -> Validated:
    """Coerce and check ``params``. Form and query values are all strings, so a ``string`` field takes any
    scalar; with ``json_strings`` (a JSON body) a ``string`` field takes only a JSON string, as a JSON API does."""
    problems: list[Problem] = []
    token = _JSON_STRINGS.set(json_strings)
    try:
        value = _coerce(spec, schema, params, "", problems)
    finally:
        _JSON_STRINGS.reset(token)
    return Validated(value if isinstance(value, dict) else {}, problems)


def _name(parent: str, key: str | int) -> str:
    return str(key) if not parent else f"{parent}[{key}]"


def _types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type")
    if isinstance(kind, list):
        return [str(k) for k in kind]
    return [str(kind)] if isinstance(kind, str) else []


def _coerce(spec: Spec, schema: Any, value: Any, where: str, problems: list[Problem]) -> Any:
    schema = spec.deref(schema)
    if not isinstance(schema, dict):
        return value
    for combinator in ("anyOf", "oneOf"):
        options = schema.get(combinator)
        if isinstance(options, list) and options:
            first_problems: list[Problem] | None = None
            for option in options:
                attempt: list[Problem] = []
                result = _coerce(spec, option, value, where, attempt)
                if not attempt:
                    return result
                if first_problems is None or len(attempt) < len(first_problems):
                    first_problems = attempt
            problems.extend(first_problems or [])
            return value
    if isinstance(schema.get("allOf"), list):
        for part in schema["allOf"]:
            value = _coerce(spec, part, value, where, problems)
        return value
    if value is None and schema.get("nullable") is True:  # OpenAPI 3.0; 3.1 says type: [..., "null"]
        return None
    types = _types(schema)
    if "object" in types or (not types and "properties" in schema):
        return _coerce_object(spec, schema, value, where, problems)
    if "array" in types:
        return _coerce_array(spec, schema, value, where, problems)
    if not types:
        return value
    if isinstance(value, dict | list):
        problems.append(Problem("type", where, f"Invalid {types[0]}: {where} must be a {types[0]}", types[0]))
        return value
    for kind in types:
        converted = _scalar(kind, value)
        if converted is not _FAIL:
            return _check_scalar(schema, converted, where, problems)
    shown = value if len(str(value)) < 40 else str(value)[:37] + "..."
    problems.append(Problem("type", where, f"Invalid {types[0]}: {shown}", types[0]))
    return value


_FAIL = object()
_JSON_STRINGS: ContextVar[bool] = ContextVar("json_strings", default=False)
_FORMAT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_INTEGER = re.compile(r"-?[0-9]{1,19}", re.ASCII)  # int64 at most: longer is never an amount


def _scalar(kind: str, value: Any) -> Any:
    if value is None:  # a JSON null in a field that cannot hold one is a type error, never the string "None"
        return None if kind == "null" else _FAIL
    if kind == "string":
        if isinstance(value, str):
            return value
        return _FAIL if _JSON_STRINGS.get() else str(value)
    if kind == "integer":
        if isinstance(value, bool):
            return _FAIL
        if isinstance(value, int):
            return value
        # Python's int() also takes "2_000", " 2000" and non-ASCII digits; an API takes an optional minus and
        # ASCII digits only (Stripe answers parameter_invalid_integer for the others).
        text = str(value)
        return int(text) if _INTEGER.fullmatch(text) else _FAIL
    if kind == "number":
        try:
            number = float(value)
        except (TypeError, ValueError):
            return _FAIL
        return number if math.isfinite(number) else _FAIL
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        text = str(value).lower()
        return {"true": True, "false": False}.get(text, _FAIL)
    if kind == "null":
        return None if value in ("", None) else _FAIL
    return value


def _check_scalar(schema: dict[str, Any], value: Any, where: str, problems: list[Problem]) -> Any:
    enum = schema.get("enum")
    if isinstance(enum, list) and value not in enum:
        allowed = ", ".join(str(e) if e != "" else "''" for e in enum)
        problems.append(Problem("enum", where, f"Invalid {where}: must be one of {allowed}"))
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        low, high = _FORMAT_BOUNDS.get(str(schema.get("format")), (None, None))
        minimum = schema.get("minimum", low)
        maximum = schema.get("maximum", high)
        if minimum is not None and value < minimum:
            problems.append(
                Problem("range", where, f"This value must be greater than or equal to {minimum}.")
            )
        elif maximum is not None and value > maximum:
            problems.append(Problem("range", where, f"This value must be less than or equal to {maximum}."))
    if isinstance(value, str):
        max_length, min_length = schema.get("maxLength"), schema.get("minLength")
        pattern = schema.get("pattern")
        if isinstance(max_length, int) and len(value) > max_length:
            problems.append(
                Problem("range", where, f"Invalid {where}: must be at most {max_length} characters")
            )
        elif isinstance(min_length, int) and len(value) < min_length:
            problems.append(
                Problem("range", where, f"Invalid {where}: must be at least {min_length} characters")
            )
        elif isinstance(pattern, str) and not _matches(pattern, value):
            problems.append(Problem("range", where, f"Invalid {where}: must match {pattern}"))
    return value


def _matches(pattern: str, value: str) -> bool:
    try:
        return re.search(pattern, value) is not None
    except re.error:  # an ECMA regex Python cannot read: the spec's problem, not the request's
        return True


def _count_bounds(schema: dict[str, Any], size: int, where: str, noun: str, problems: list[Problem]) -> None:
    """``maxProperties``/``minProperties`` of an object, ``maxItems``/``minItems`` of an array."""
    keys = ("maxProperties", "minProperties") if noun == "properties" else ("maxItems", "minItems")
    most, least = schema.get(keys[0]), schema.get(keys[1])
    if isinstance(most, int) and size > most:
        problems.append(Problem("range", where, f"Invalid {where}: at most {most} {noun} allowed"))
    elif isinstance(least, int) and size < least:
        problems.append(Problem("range", where, f"Invalid {where}: at least {least} {noun} required"))


def _coerce_object(
    spec: Spec, schema: dict[str, Any], value: Any, where: str, problems: list[Problem]
) -> Any:
    if value == "" and where:
        return value  # ``metadata=`` unsets; the mock decides what an empty object means
    if not isinstance(value, dict):
        problems.append(Problem("type", where, f"Invalid object: {where} must be an object", "object"))
        return value
    properties = spec.deref(schema.get("properties")) or {}
    additional = schema.get("additionalProperties", not properties)
    _count_bounds(schema, len(value), where or "body", "properties", problems)
    result: dict[str, Any] = {}
    for key, item in value.items():
        name = _name(where, key)
        if key in properties:
            result[key] = _coerce(spec, properties[key], item, name, problems)
        elif isinstance(additional, dict):
            result[key] = _coerce(spec, additional, item, name, problems)
        elif additional:
            result[key] = item
        else:
            problems.append(Problem("unknown", name, f"Received unknown parameter: {name}"))
    for key in schema.get("required") or []:
        if key not in value:
            name = _name(where, key)
            problems.append(Problem("missing", name, f"Missing required param: {name}."))
    return result


def _coerce_array(spec: Spec, schema: dict[str, Any], value: Any, where: str, problems: list[Problem]) -> Any:
    if value == "":
        return []
    if not isinstance(value, list):
        problems.append(Problem("type", where, f"Invalid array: {where} must be an array", "array"))
        return value
    items = schema.get("items") or {}
    _count_bounds(schema, len(value), where, "items", problems)
    return [_coerce(spec, items, item, _name(where, index), problems) for index, item in enumerate(value)]
