"""Rules for paths and operations: removed, added, deprecated, operationId changed."""

from __future__ import annotations

from typing import Any

from ._catalogue import define
from ._context import Site, deprecated
from ._lifecycle import read
from ._model import Finding, Level
from .rules_lifecycle import (
    deprecation_findings,
    lifecycle_rules,
    removal_rule,
    stability_findings,
    sunset_change_rules,
)

PATH_REMOVED = define(
    "api-path-removed-without-deprecation", Level.BREAKING, "paths",
    message="removed {target} (the whole path) without deprecating it first",
    impact="Every call to {target} now gets a 404 (or 405), with no deprecation period to migrate in.",
    why="Clients call URLs, not specs: a removed path fails every request that still uses it.",
)  # fmt: skip
PATH_REMOVED_DEPRECATED = define(
    "api-path-removed-with-deprecation", Level.WARNING, "paths",
    message="removed {target} (the whole path) after deprecating it",
    impact="Integrations that ignored the deprecation now get a 404 on {target}.",
    why="A deprecation or sunset period gives integrators time to move; those who did not still break.",
)  # fmt: skip
OPERATION_REMOVED = define(
    "api-removed-without-deprecation", Level.BREAKING, "paths",
    message="removed {target} without deprecating it first",
    impact="Calls to {target} now get a 405 Method Not Allowed (or 404) with no warning period.",
    why="Removing an operation is removing a capability integrators rely on; it needs a deprecation first.",
)  # fmt: skip
OPERATION_REMOVED_DEPRECATED = define(
    "api-removed-with-deprecation", Level.WARNING, "paths",
    message="removed {target} after deprecating it",
    impact="Integrations that ignored the deprecation of {target} now get a 405 or 404.",
    why="The removal was announced, which is how it should be done; late integrators still break.",
)  # fmt: skip
VERSION_MOVED = define(
    "api-path-version-changed", Level.INFO, "paths",
    message="{target} is the new-version path of {old_path} (compared as the same operation)",
    impact="Code stays on {old_path} until it opts in; moving to {target} brings the changes listed with it.",
    why="A version segment in the URL (/api/2.0 -> /api/2.1) is how URL-versioned APIs publish a new contract "
    "next to the old one; what matters is what changes for a client that moves.",
)  # fmt: skip
OPERATION_ADDED = define(
    "endpoint-added", Level.INFO, "paths",
    message="added {target}",
    impact="Nothing changes for existing code; {target} is available to call.",
    why="New operations are new capability: no existing request changes meaning.",
)  # fmt: skip
OPERATION_DEPRECATED = define(
    "endpoint-deprecated", Level.INFO, "paths",
    message="deprecated {target}",
    impact="Calls still work, but {target} will go away: plan the migration (generated SDKs start warning).",
    why="Deprecation announces a future removal without changing behaviour now.",
)  # fmt: skip
OPERATION_REACTIVATED = define(
    "endpoint-reactivated", Level.INFO, "paths",
    message="{target} is no longer deprecated",
    impact="Nothing breaks; a planned migration away from {target} is no longer needed.",
    why="Lifting a deprecation only removes a warning.",
)  # fmt: skip
OPERATION_ID_CHANGED = define(
    "api-operation-id-removed", Level.WARNING, "paths",
    message="operationId of {target} changed from '{old}' to '{new}'",
    impact="The HTTP call is unchanged, but SDKs generated from the spec rename the method '{old}': "
    "code calling it stops compiling after regeneration.",
    why="Generators name methods after operationIds; the wire format is unaffected, the source is not.",
)  # fmt: skip
PATH_REMOVED_BEFORE_SUNSET = define(
    "api-path-removed-before-sunset", Level.BREAKING, "paths",
    message="removed {target} (the whole path) before its sunset date {sunset}",
    impact="Integrators of {target} were promised it until {sunset}; every call to the path fails now.",
    why="Deprecation with a sunset date promises availability until that date.",
)  # fmt: skip
REMOVED_UNSTABLE = define(
    "api-removed-unstable", Level.INFO, "paths",
    message="removed {target}, which was x-stability-level {level}",
    impact="Integrators who built on {target} lose it, but a {level} operation promised no stability.",
    why="Draft and alpha operations may change or go away without a deprecation period (oasdiff reads the "
    "stability level the same way).",
)  # fmt: skip
LIFECYCLE = {**lifecycle_rules("api", "paths"), **sunset_change_rules("api", "paths")}


def removed(site: Site, old_operation: dict[str, Any], *, path_gone: bool) -> Finding:
    announced = deprecated(old_operation)
    early, fields = removal_rule(LIFECYCLE, old_operation, site.policy.today)
    if early is not None:
        if path_gone and early.id == "api-removed-before-sunset":
            early = PATH_REMOVED_BEFORE_SUNSET
        return site.finding(early, site.old_pointer, target=site.operation or "", **fields)
    life = read(old_operation)
    if life.unstable and not announced:
        return site.finding(
            REMOVED_UNSTABLE, site.old_pointer, target=site.operation or "", level=str(life.stability)
        )
    if path_gone:
        rule = PATH_REMOVED_DEPRECATED if announced else PATH_REMOVED
    else:
        rule = OPERATION_REMOVED_DEPRECATED if announced else OPERATION_REMOVED
    return site.finding(rule, site.old_pointer, target=site.operation or "")


def added(site: Site) -> Finding:
    return site.finding(OPERATION_ADDED, site.new_pointer, target=site.operation or "")


def version_moved(site: Site, old_path: str) -> Finding:
    return site.finding(VERSION_MOVED, site.new_pointer, target=site.operation or "", old_path=old_path)


def compare(site: Site, old_operation: dict[str, Any], new_operation: dict[str, Any]) -> list[Finding]:
    found: list[Finding] = []
    target = site.operation or ""
    was, now = deprecated(old_operation), deprecated(new_operation)
    if now and not was:
        found.append(site.finding(OPERATION_DEPRECATED, site.new_pointer + "/deprecated", target=target))
    elif was and not now:
        found.append(site.finding(OPERATION_REACTIVATED, site.new_pointer, target=target))
    pointer = site.new_pointer
    found += deprecation_findings(
        site, LIFECYCLE, old_operation, new_operation, target=target, pointer=pointer
    )
    found += stability_findings(site, old_operation, new_operation, target=target, pointer=pointer)
    old_id, new_id = old_operation.get("operationId"), new_operation.get("operationId")
    if old_id is not None and old_id != new_id:
        location = site.new_pointer + ("/operationId" if new_id is not None else "")
        found.append(
            site.finding(OPERATION_ID_CHANGED, location, target=target, old=str(old_id), new=str(new_id))
        )
    return found
