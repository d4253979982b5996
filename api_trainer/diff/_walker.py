"""Pairing two specs' operations and running every area's rules on each pair."""

from __future__ import annotations

import re

from ..specs import Operation, Spec
from . import rules_parameters, rules_paths, rules_request, rules_responses, rules_security, rules_webhooks
from ._context import Site
from ._model import DiffReport, Finding
from ._policy import Policy
from ._schemas import SchemaComparer

_TEMPLATE = re.compile(r"\{[^}]*\}")
Route = tuple[str, str]
_VERSION_SEGMENT = re.compile(r"(?<=/)v?\d+(?:\.\d+)*(?=/|$)")


def normalise_path(path: str) -> str:
    """``/jobs/{job_id}`` and ``/jobs/{id}`` are the same URL to a client: ``/jobs/{}``."""
    return _TEMPLATE.sub("{}", path)


def version_free(path: str) -> str:
    """``/api/2.1/jobs/get`` -> ``/api/{version}/jobs/get``: a version segment of a URL-versioned API."""
    return _VERSION_SEGMENT.sub("{version}", normalise_path(path))


def _by_route(spec: Spec) -> dict[Route, Operation]:
    routes: dict[Route, Operation] = {}
    for op in spec.operations():
        routes.setdefault((op.method, normalise_path(op.path)), op)
    return routes


def _pair_version_moves(
    old_routes: dict[Route, Operation], new_routes: dict[Route, Operation]
) -> dict[Route, Route]:
    """Operations only in NEW paired with ones only in OLD that differ by a URL version segment."""
    gone: dict[Route, Route] = {}
    for route in old_routes:
        if route not in new_routes:
            gone.setdefault((route[0], version_free(route[1])), route)
    moved: dict[Route, Route] = {}
    for route in new_routes:
        if route not in old_routes:
            old_route = gone.pop((route[0], version_free(route[1])), None)
            if old_route is not None:
                moved[route] = old_route
    return moved


def find_changes(old: Spec, new: Spec, *, policy: Policy | None = None) -> DiffReport:
    """Every finding between two loaded specs, in a stable order: API-wide first, then by NEW's paths."""
    old_routes, new_routes = _by_route(old), _by_route(new)
    new_paths = {route[1] for route in new_routes}
    policy = policy or Policy()
    requests = SchemaComparer(old, new, "request", policy)
    responses = SchemaComparer(old, new, "response", policy)
    api = Site(old, new, None, None, "/servers", "/servers", policy=policy)
    found: list[Finding] = rules_security.check_servers(api)
    found += rules_webhooks.check_webhooks(api, requests, responses)
    moved = _pair_version_moves(old_routes, new_routes)
    for route, old_op in old_routes.items():
        if route not in new_routes and route not in moved.values():
            site = api.at(old_op.method, old_op.path, old_op.pointer, old_op.pointer)
            found.append(rules_paths.removed(site, old_op.node, path_gone=route[1] not in new_paths))
    for route, new_op in new_routes.items():
        site = api.at(new_op.method, new_op.path, new_op.pointer, new_op.pointer)
        matched = old_routes.get(route) or (old_routes[moved[route]] if route in moved else None)
        if matched is None:
            found.append(rules_paths.added(site))
            continue
        site = api.at(new_op.method, new_op.path, matched.pointer, new_op.pointer)
        if route in moved:
            found.append(rules_paths.version_moved(site, matched.path))
        found += rules_paths.compare(site, matched.node, new_op.node)
        found += rules_security.check(site, matched, new_op)
        found += rules_parameters.check(site, requests, matched, new_op)
        found += rules_request.check(site, requests, matched, new_op)
        found += rules_responses.check(site, responses, matched, new_op)
        if "callbacks" in matched.node or "callbacks" in new_op.node:
            found += rules_webhooks.check_callbacks(site, requests, responses, matched.node, new_op.node)
    return DiffReport(old.source, new.source, tuple(found))
