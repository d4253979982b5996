"""Rules for parameters (path, query, header, cookie): added, removed, required, moved, and their values.

Path parameters are matched by their position in the path template, so ``/jobs/{id}`` -> ``/jobs/{job_id}``
renames nothing a client sends. Header names are matched case-insensitively, as HTTP does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from ..specs import Operation, Spec, join
from ._catalogue import define
from ._context import Site, schema_findings
from ._families import request_value_rules
from ._model import Finding, Level, Rule
from ._schemas import SchemaChange, SchemaComparer, format_prop
from ._shapes import Tokens
from .rules_lifecycle import (
    deprecated_rules,
    deprecation_findings,
    lifecycle_rules,
    removal_rule,
    sunset_change_rules,
)
from .rules_request import PROPERTY_RULES

AREA = "parameters"

NEW_REQUIRED = define(
    "new-required-request-parameter", Level.BREAKING, AREA,
    message="added the required {target}",
    impact="Every existing call that does not send {target} now gets a 400.",
    why="A new required input makes every request written before it incomplete.",
)  # fmt: skip
NEW_OPTIONAL = define(
    "new-optional-request-parameter", Level.INFO, AREA,
    message="added the optional {target}",
    impact="Nothing breaks: {target} can be sent when needed.",
    why="Optional additions leave every existing request valid.",
)  # fmt: skip
REMOVED = define(
    "request-parameter-removed", Level.WARNING, AREA,
    message="removed {target}",
    impact="Calls that still send {target} get a 400 from strict servers, or the value is silently ignored "
    "(a filter that no longer filters).",
    why="The server stops honouring an input clients send; whether that errors or silently changes results "
    "depends on the server.",
)  # fmt: skip
BECAME_REQUIRED = define(
    "request-parameter-became-required", Level.BREAKING, AREA,
    message="{target} became required",
    impact="Calls that omit {target} now get a 400.",
    why="Requiring what was optional rejects requests that were valid.",
)  # fmt: skip
BECAME_OPTIONAL = define(
    "request-parameter-became-optional", Level.INFO, AREA,
    message="{target} became optional",
    impact="Nothing breaks: {target} may now be omitted.",
    why="Requiring less accepts every request that was valid.",
)  # fmt: skip
MOVED = define(
    "request-parameter-location-changed", Level.BREAKING, AREA,
    message="parameter '{name}' moved from {old} to {new}",
    impact="Calls that send '{name}' in the {old} are no longer understood: the server looks in the {new}.",
    why="Where a parameter travels is part of its identity; moving it is a removal plus an addition.",
)  # fmt: skip

LIFECYCLE = {
    **lifecycle_rules("request-parameter", AREA),
    **sunset_change_rules("request-parameter", AREA),
    **deprecated_rules("request-parameter", AREA),
}
VALUE_RULES: dict[str, Rule] = {**PROPERTY_RULES, **request_value_rules("request-parameter", AREA)}

_TEMPLATE_NAME = re.compile(r"\{([^}]+)\}")
Key = tuple[str, str]


def _parameters(spec: Spec, op: Operation) -> dict[Key, tuple[dict[str, Any], str]]:
    """Parameters by (location, name), path ones by template position, each with its JSON pointer."""
    template = _TEMPLATE_NAME.findall(op.path)
    item_pointer = op.pointer.rsplit("/", 1)[0]
    found: dict[Key, tuple[dict[str, Any], str]] = {}
    # A path parameter whose name is not in the template (``/pets/{petId}`` with ``name: id``) still fills a
    # template slot: it takes the first slot no parameter names, so that a spec whose template and parameter
    # disagree is not read as one parameter removed and another added.
    named = set()
    for source in (op.path_item.get("parameters"), op.node.get("parameters")):
        listed = spec.deref(source)
        for raw in listed if isinstance(listed, list) else []:
            param = spec.deref(raw)
            if isinstance(param, dict) and param.get("in") == "path":
                named.add(str(param.get("name")))
    free = [i for i, name in enumerate(template) if name not in named]
    slots: dict[str, int] = {}
    for base, source in (
        (item_pointer, op.path_item.get("parameters")),
        (op.pointer, op.node.get("parameters")),
    ):
        listed = spec.deref(source)
        if not isinstance(listed, list):
            continue
        for index, raw in enumerate(listed):
            param = spec.deref(raw)
            if not isinstance(param, dict) or "name" not in param or "in" not in param:
                continue
            where, name = str(param["in"]), str(param["name"])
            if where == "path" and name in template:
                key = (where, f"#{template.index(name)}")
            elif where == "path" and (name in slots or free):
                if name not in slots:
                    slots[name] = free.pop(0)
                key = (where, f"#{slots[name]}")
            else:
                key = (where, name.lower() if where == "header" else name)
            found[key] = (param, join(base, "parameters", index))
    return found


def _label(param: dict[str, Any]) -> str:
    return f"{param['in']} parameter '{param['name']}'"


def _target_for(param: dict[str, Any]) -> Callable[[Tokens], str]:
    def target(prop: Tokens) -> str:
        inner = format_prop(prop)
        if not inner:
            return _label(param)
        joiner = "" if inner.startswith("[]") else "."
        return f"{param['in']} parameter '{param['name']}{joiner}{inner}'"

    return target


def _required(param: dict[str, Any]) -> bool:
    return param.get("required") is True or param.get("in") == "path"


def check(site: Site, comparer: SchemaComparer, old_op: Operation, new_op: Operation) -> list[Finding]:
    old_params, new_params = _parameters(site.old, old_op), _parameters(site.new, new_op)
    found: list[Finding] = []
    removed = {k: v for k, v in old_params.items() if k not in new_params}
    added = {k: v for k, v in new_params.items() if k not in old_params}
    for old_key in list(removed):
        moved_to = next((k for k in added if k[1] == old_key[1] and k[0] != old_key[0]), None)
        if moved_to is not None:
            new_param, pointer = added.pop(moved_to)
            del removed[old_key]
            name = str(new_param["name"])
            found.append(
                site.finding(MOVED, pointer, target=name, name=name, old=old_key[0], new=moved_to[0])
            )
    for old_param, pointer in removed.values():
        early, fields = removal_rule(LIFECYCLE, old_param, site.policy.today)
        found.append(site.finding(early or REMOVED, pointer, target=_label(old_param), **fields))
    for new_param, pointer in added.values():
        rule = NEW_REQUIRED if _required(new_param) else NEW_OPTIONAL
        found.append(site.finding(rule, pointer, target=_label(new_param)))
    for key, (new_param, new_pointer) in new_params.items():
        if key not in old_params:
            continue
        old_param, old_pointer = old_params[key]
        if _required(new_param) and not _required(old_param):
            found.append(site.finding(BECAME_REQUIRED, new_pointer + "/required", target=_label(new_param)))
        elif _required(old_param) and not _required(new_param):
            found.append(site.finding(BECAME_OPTIONAL, new_pointer, target=_label(new_param)))
        found += _deprecation(site, old_param, new_param, new_pointer)
        old_schema, old_at = _schema_of(site.old, old_param)
        new_schema, new_at = _schema_of(site.new, new_param)
        if old_schema is not None and new_schema is not None:
            changes = _as_serialised(site, new_param, comparer.compare(old_schema, new_schema))
            found += schema_findings(
                site,
                changes,
                VALUE_RULES,
                new_base=new_pointer + new_at,
                old_base=old_pointer + old_at,
                target=_target_for(new_param),
            )
    return found


def _deprecation(site: Site, old: dict[str, Any], new: dict[str, Any], pointer: str) -> list[Finding]:
    was, now = old.get("deprecated") is True, new.get("deprecated") is True
    target = _label(new)
    found = deprecation_findings(site, LIFECYCLE, old, new, target=target, pointer=pointer)
    if now and not was:
        found.insert(0, site.finding(LIFECYCLE["became-deprecated"], pointer + "/deprecated", target=target))
    elif was and not now:
        found.insert(0, site.finding(LIFECYCLE["reactivated"], pointer, target=target))
    return found


_SCALARS = frozenset(("string", "number", "integer", "boolean"))


def _as_serialised(site: Site, param: dict[str, Any], changes: Iterable[SchemaChange]) -> list[SchemaChange]:
    """Type changes a parameter's wire form makes compatible: a path, query, header or cookie value is
    text, so any scalar becoming a string accepts what clients sent; and with the form style's explode
    (the query default) a single value is a one-element array, so a scalar becoming an array of a type
    that accepts it is compatible too (RFC 6570 form expansion; OpenAPI 3.1 4.8.12.4)."""
    result: list[SchemaChange] = []
    schema = site.new.deref(param.get("schema"))
    explode = param.get("explode", param.get("style", "form") == "form") is True
    for change in changes:
        if change.kind == "type-changed":
            fields = dict(change.fields)
            old = set(fields.get("old", "").split("/")[0].split("|"))
            new = fields.get("new", "").split("/")[0]
            node = schema
            for name in change.prop:
                node = (
                    site.new.deref(node.get("properties", {}).get(name)) if isinstance(node, dict) else None
                )
            items = site.new.deref(node.get("items")) if isinstance(node, dict) else None
            # items that only name a type; a pattern or enum on them may reject what was sent
            plain = isinstance(items, dict) and set(items) <= {"type", "format", "description", "title"}
            item_type = items.get("type") if isinstance(items, dict) and plain else None
            widened = old <= _SCALARS and new == "string"
            one_element = (
                not change.prop and explode and param.get("in") == "query" and new == "array"
                and old <= _SCALARS and item_type is not None and (item_type == "string" or {item_type} >= old)
            )  # fmt: skip
            if widened or one_element:
                change = replace(change, kind="type-generalized")
        result.append(change)
    return result


def _schema_of(spec: Spec, param: dict[str, Any]) -> tuple[Any, str]:
    """A parameter's schema: ``schema``, or the one media type's schema of a parameter using ``content``
    (a JSON-encoded query value, say), with its pointer below the parameter."""
    if "schema" in param:
        return param["schema"], "/schema"
    content = spec.deref(param.get("content"))
    if isinstance(content, dict) and len(content) == 1:
        ((media_type, media),) = content.items()
        media = spec.deref(media)
        if isinstance(media, dict) and "schema" in media:
            return media["schema"], join("/content", str(media_type), "schema")
    return None, ""
