"""Rules for security requirements of operations and the API's global ``servers``.

An operation's security is a list of alternatives (any one suffices), each a set of schemes that must all
be satisfied, with scopes. A client holding the credentials of an old alternative keeps working when some
new alternative asks for no more schemes and no more scopes than it holds.
"""

from __future__ import annotations

from ..specs import Operation, Spec, join
from ._catalogue import define
from ._context import Site
from ._model import Finding, Level

AREA = "security"

SECURITY_ADDED = define(
    "api-security-added", Level.BREAKING, AREA,
    message="{target} now also requires the security scheme(s) {schemes}",
    impact="Calls to {target} made with the old credentials alone now get a 401 or 403.",
    why="A client can only send credentials it was built to send; a new requirement locks it out.",
)  # fmt: skip
SECURITY_REMOVED = define(
    "api-security-removed", Level.BREAKING, AREA,
    message="{target} no longer accepts the security scheme(s) {schemes}",
    impact="Clients that authenticate to {target} with {schemes} now get a 401.",
    why="Integrators chose one way to authenticate; removing it rejects all their calls.",
)  # fmt: skip
SCOPE_ADDED = define(
    "api-security-scope-added", Level.BREAKING, AREA,
    message="{target} now requires the scope(s) {scopes} of {scheme}",
    impact="Tokens issued without {scopes} now get a 403 on {target}; users must re-consent.",
    why="Existing tokens carry only the scopes they were granted.",
)  # fmt: skip
SERVER_REMOVED = define(
    "api-server-removed", Level.BREAKING, AREA,
    message="the server {url} was removed from the global servers",
    impact="Clients and generated SDKs configured with {url} as their base URL stop reaching the API.",
    why="The base URL is part of every request a client makes.",
)  # fmt: skip
SERVER_ADDED = define(
    "api-server-added", Level.INFO, AREA,
    message="the server {url} was added to the global servers",
    impact="Nothing breaks: {url} is one more base URL to use.",
    why="An extra server leaves existing base URLs working.",
)  # fmt: skip

Requirement = dict[str, frozenset[str]]


def _requirements(spec: Spec, op: Operation) -> tuple[list[Requirement], str]:
    if "security" in op.node:
        raw, pointer = op.node.get("security"), op.pointer + "/security"
    else:
        raw, pointer = spec.document.get("security"), "/security"
    alternatives: list[Requirement] = []
    for item in spec.deref(raw) or []:
        if isinstance(item, dict):
            alternatives.append({str(k): frozenset(map(str, v or [])) for k, v in item.items()})
    return (alternatives or [{}]), pointer


def _satisfies(held: Requirement, asked: Requirement) -> bool:
    return all(scheme in held and scopes <= held[scheme] for scheme, scopes in asked.items())


def check(site: Site, old_op: Operation, new_op: Operation) -> list[Finding]:
    old_alternatives, _ = _requirements(site.old, old_op)
    new_alternatives, pointer = _requirements(site.new, new_op)
    target = site.operation or ""
    found: list[Finding] = []
    for held in old_alternatives:
        if any(_satisfies(held, asked) for asked in new_alternatives):
            continue
        same_schemes = [a for a in new_alternatives if set(a) <= set(held)]
        wider = [a for a in new_alternatives if set(a) > set(held)]
        if same_schemes:
            asked = same_schemes[0]
            for scheme, scopes in sorted(asked.items()):
                extra = scopes - held.get(scheme, frozenset())
                if extra:
                    found.append(
                        site.finding(
                            SCOPE_ADDED,
                            pointer,
                            target=target,
                            scheme=scheme,
                            scopes=", ".join(sorted(extra)),
                        )
                    )
        elif wider:
            extra_schemes = ", ".join(sorted(set(wider[0]) - set(held)))
            found.append(site.finding(SECURITY_ADDED, pointer, target=target, schemes=extra_schemes))
        else:
            schemes = ", ".join(sorted(held)) or "(none: anonymous access)"
            found.append(site.finding(SECURITY_REMOVED, pointer, target=target, schemes=schemes))
    return found


def _servers(spec: Spec) -> dict[str, int]:
    servers = spec.deref(spec.document.get("servers"))
    urls: dict[str, int] = {}
    if isinstance(servers, list):
        for index, server in enumerate(servers):
            server = spec.deref(server)
            if isinstance(server, dict) and isinstance(server.get("url"), str):
                urls.setdefault(server["url"].rstrip("/"), index)
    return urls


def check_servers(site: Site) -> list[Finding]:
    old_urls, new_urls = _servers(site.old), _servers(site.new)
    found: list[Finding] = []
    for url, index in old_urls.items():
        if url not in new_urls:
            found.append(site.finding(SERVER_REMOVED, join("/servers", index), target=url, url=url))
    for url, index in new_urls.items():
        if url not in old_urls:
            found.append(site.finding(SERVER_ADDED, join("/servers", index), target=url, url=url))
    return found
