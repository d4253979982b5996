"""Checks for ``diff`` labs: the learner's edited spec adds the feature without breaking the bundled one.

The same engine as ``api-trainer diff OLD NEW`` (``find_changes``); the feature is a property that must now
exist in an operation's request body or ``200`` response.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ApiTrainerError, LabError
from ..specs import Spec, load_spec
from ._model import LabClient, LabResult, verdict
from ._registry import lab_check

_MAX_DEPTH = 12


def _schema_properties(spec: Spec, schema: Any, depth: int = 0) -> dict[str, Any]:
    """Top-level properties of ``schema``, through ``$ref`` and ``allOf``."""
    schema = spec.deref(schema)
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return {}
    found = dict(spec.deref(schema.get("properties")) or {})
    for part in schema.get("allOf") or []:
        found.update(_schema_properties(spec, part, depth + 1))
    return found


def _body_schema(spec: Spec, node: Any) -> Any:
    content = spec.deref(spec.get(spec.deref(node), "content") or {})
    media = spec.deref(
        content.get("application/json") or content.get("application/x-www-form-urlencoded") or {}
    )
    return media.get("schema") if isinstance(media, dict) else None


def property_exists(spec: Spec, operation: str, where: str, name: str) -> bool | None:
    """Whether ``name`` is a property of ``operation``'s request body or 200 response; None: no such operation."""
    method, _, path = operation.partition(" ")
    op = next((o for o in spec.operations() if o.method == method.upper() and o.path == path), None)
    if op is None:
        return None
    if where == "request":
        schema = _body_schema(spec, op.node.get("requestBody"))
        names = set(_schema_properties(spec, schema))
        names |= {str(spec.deref(p).get("name")) for p in spec.parameters(op)}
    else:
        responses = spec.deref(op.node.get("responses")) or {}
        names = set(_schema_properties(spec, _body_schema(spec, responses.get("200"))))
    return name in names


@lab_check(
    "diff-non-breaking",
    api="diff",
    summary="api-trainer diff finds no breaking change from the bundled spec, and the new property is there",
    params=("old", "operation", "where", "property", "keep"),
    needs_answer=True,
    needs_mock=False,
)
def non_breaking(client: LabClient, params: Mapping[str, Any]) -> LabResult:
    from ..diff import Level, find_changes

    try:
        old_ref, operation = str(params["old"]), str(params["operation"])
        where, name = str(params.get("where", "response")), str(params["property"])
    except KeyError as exc:
        raise LabError(f"[lab.params] {exc.args[0]}: required by diff-non-breaking") from exc
    if client.answer_file is None:
        raise LabError("this lab reads your edited spec: pass --answer-file FILE")
    old = load_spec(old_ref)
    try:
        new = load_spec(str(client.answer_file))
    except ApiTrainerError as exc:
        return LabResult(False, (f"your spec does not load: {exc}",))
    report = find_changes(old, new)
    breaking = [f for f in report.findings if f.level is Level.BREAKING]
    observations = [
        f"diff {old_ref} -> {client.answer_file}: " + ", ".join(f"{n} {k}" for k, n in report.summary.items())
    ]
    reasons = [f"breaking: {f.operation or 'API'}: {f.message} [{f.id}]" for f in breaking[:5]]
    if len(breaking) > 5:
        reasons.append(f"... and {len(breaking) - 5} more breaking change(s)")
    has = property_exists(new, operation, where, name)
    if has is None:
        reasons.append(f"your spec has no operation {operation}")
    elif not has:
        reasons.append(f"your spec does not add '{name}' to the {where} of {operation} yet")
    else:
        observations.append(f"'{name}' is in the {where} of {operation}")
    keep = params.get("keep")
    if keep and has is not None and not property_exists(new, operation, where, str(keep)):
        reasons.append(f"'{keep}' is gone from the {where} of {operation}: clients still read it")
    return verdict(reasons, observations)
