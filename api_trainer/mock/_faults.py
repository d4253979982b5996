"""The fault engine shared by every mock: rules, the ``X-Mock-Fault`` header, seeded randomness.

A mock registers the faults it knows as :class:`FaultKind`s: a name, an action and typed parameters, and
for ``respond`` faults a function that renders the response in that API's own error shape (payments renders
``rate-limit`` as Stripe's 429 ``rate_limit``, the data platform as Databricks' 429
``REQUEST_LIMIT_EXCEEDED``). Actions:

* ``respond``: answer in front of the API; nothing runs and nothing is stored.
* ``delay``: wait ``ms`` milliseconds, then handle the request normally.
* ``drop-before-commit``: close the connection without a response; nothing is written.
* ``drop-after-commit``: handle the request fully (objects and idempotency record stored), then close the
  connection without a response.

Rules: ``{"match": {"method": "POST", "path": "/v1/**"}, "fault": NAME, "times": 1, "probability": 1.0,
"params": {}}``. ``method`` is optional; ``path`` is a glob over the URL path (``*`` within one segment,
``**`` across segments); ``probability`` (default 1) is drawn per matching request from one seeded RNG;
``times`` (default unlimited) counts faults actually fired, after which the rule is spent and no longer
listed. The first live rule in creation order wins; the header form ``X-Mock-Fault: NAME;param=value``
wins over every rule.
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import ApiTrainerError, UsageError

__all__ = [
    "DELAY",
    "DROP_AFTER_COMMIT",
    "DROP_BEFORE_COMMIT",
    "FaultEngine",
    "FaultKind",
    "FaultParam",
    "FaultRegistry",
    "FaultResponse",
    "FaultRule",
    "FaultRuleError",
    "FiredFault",
    "compile_glob",
    "load_rules_file",
]

Action = Literal["respond", "delay", "drop-before-commit", "drop-after-commit"]


class FaultRuleError(ValueError):
    """A rule (or header) that cannot be used; ``field`` names the part that is wrong (``probability``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class FaultParam:
    name: str
    kind: type[int] | type[float] | type[str]
    default: int | float | str | None = None
    minimum: float | None = 0


@dataclass(frozen=True)
class FaultResponse:
    """An injected answer: the mock-specific status, headers and JSON body."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FaultKind:
    name: str
    action: Action
    description: str
    params: tuple[FaultParam, ...] = ()
    render: Callable[[Mapping[str, Any]], FaultResponse] | None = None


DELAY = FaultKind(
    "delay", "delay", "wait `ms` milliseconds, then answer normally", (FaultParam("ms", int, 1000),)
)
DROP_BEFORE_COMMIT = FaultKind(
    "drop-before-commit", "drop-before-commit", "close the connection without answering; nothing is written"
)
DROP_AFTER_COMMIT = FaultKind(
    "drop-after-commit",
    "drop-after-commit",
    "process the request and store its result, then close the connection without answering",
)


class FaultRegistry:
    """The faults one mock knows, by name."""

    def __init__(self, kinds: list[FaultKind] | None = None) -> None:
        self._kinds: dict[str, FaultKind] = {}
        for kind in kinds or []:
            self.register(kind)

    def register(self, kind: FaultKind) -> None:
        if kind.action == "respond" and kind.render is None:
            raise ValueError(f"fault {kind.name!r} answers in front of the API and needs a renderer")
        self._kinds[kind.name] = kind

    def get(self, name: str) -> FaultKind | None:
        return self._kinds.get(name)

    def names(self) -> list[str]:
        return sorted(self._kinds)

    def kinds(self) -> list[FaultKind]:
        return [self._kinds[n] for n in self.names()]

    def check_params(self, kind: FaultKind, raw: Mapping[str, Any], where: str) -> dict[str, Any]:
        """Typed parameters with defaults filled in; ``FaultRuleError`` naming ``where.param`` otherwise."""
        known = {p.name: p for p in kind.params}
        values: dict[str, Any] = {p.name: p.default for p in kind.params if p.default is not None}
        for name, value in raw.items():
            param = known.get(name)
            if param is None:
                allowed = ", ".join(known) or "none"
                raise FaultRuleError(
                    f"{where}.{name}", f"unknown parameter of fault '{kind.name}' (allowed: {allowed})"
                )
            try:
                if isinstance(value, bool):
                    raise ValueError
                converted = param.kind(value)
            except (TypeError, ValueError):
                raise FaultRuleError(
                    f"{where}.{name}", f"must be a {param.kind.__name__}, got {value!r}"
                ) from None
            if param.minimum is not None and isinstance(converted, int | float) and converted < param.minimum:
                raise FaultRuleError(f"{where}.{name}", f"must be at least {param.minimum}")
            values[name] = converted
        return values


_GLOB_OK = re.compile(r"^/[A-Za-z0-9_\-./*{}~%:]*$")


def compile_glob(pattern: str) -> re.Pattern[str]:
    """``/v1/customers/*`` matches one segment, ``/v1/**`` any number (including none after ``/v1/``)."""
    if not isinstance(pattern, str) or not _GLOB_OK.match(pattern):
        raise FaultRuleError("match.path", f"not a path glob starting with '/': {pattern!r}")
    if "***" in pattern:
        raise FaultRuleError("match.path", f"'***' is not a glob: {pattern!r}")
    parts: list[str] = []
    for segment in pattern.split("/"):
        if segment == "**":
            parts.append("\0")
        elif "**" in segment:
            raise FaultRuleError("match.path", f"'**' must be a whole segment: {pattern!r}")
        else:
            parts.append("[^/]*".join(re.escape(piece) for piece in segment.split("*")))
    regex = "/".join(parts)
    regex = regex.replace("/\0", "(?:/.*)?").replace("\0", ".*")
    return re.compile(f"^{regex}$")


@dataclass
class FaultRule:
    id: str
    fault: str
    method: str | None
    path: str
    pattern: re.Pattern[str]
    probability: float
    times: int | None
    params: dict[str, Any]
    fired: int = 0

    @property
    def spent(self) -> bool:
        return self.times is not None and self.fired >= self.times

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and self.pattern.match(path) is not None

    def as_json(self) -> dict[str, Any]:
        match: dict[str, Any] = {"path": self.path}
        if self.method is not None:
            match["method"] = self.method
        return {
            "id": self.id,
            "match": match,
            "fault": self.fault,
            "times": self.times,
            "probability": self.probability,
            "params": self.params,
            "fired": self.fired,
        }


@dataclass(frozen=True)
class FiredFault:
    """A fault chosen for one request: its kind, parameters, and the rule id (None for the header form)."""

    kind: FaultKind
    params: dict[str, Any]
    rule_id: str | None = None

    @property
    def name(self) -> str:
        return self.kind.name

    def response(self) -> FaultResponse:
        assert self.kind.render is not None
        return self.kind.render(self.params)


_RULE_KEYS = {"match", "fault", "times", "probability", "params"}
_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}


class FaultEngine:
    """The live rules of one running mock. Thread-safe; ``seed`` makes probabilistic faults reproducible."""

    def __init__(self, registry: FaultRegistry, *, seed: int | None = None) -> None:
        self.registry = registry
        self.seed = seed
        self._rng = random.Random(seed)
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()
        self._next_id = 1

    # rules -------------------------------------------------------------------------------------------

    def parse_rule(self, raw: Any) -> FaultRule:
        """Validate a rule as posted; the id is assigned by :meth:`add`."""
        if not isinstance(raw, dict):
            raise FaultRuleError("rule", "must be a JSON object")
        unknown = sorted(set(raw) - _RULE_KEYS)
        if unknown:
            raise FaultRuleError(unknown[0], f"unknown field (allowed: {', '.join(sorted(_RULE_KEYS))})")
        name = raw.get("fault")
        if not isinstance(name, str):
            raise FaultRuleError("fault", f"required, one of: {', '.join(self.registry.names())}")
        kind = self.registry.get(name)
        if kind is None:
            raise FaultRuleError(
                "fault", f"unknown fault '{name}' (known: {', '.join(self.registry.names())})"
            )
        match = raw.get("match", {})
        if not isinstance(match, dict):
            raise FaultRuleError("match", "must be an object with 'path' and optional 'method'")
        extra = sorted(set(match) - {"method", "path"})
        if extra:
            raise FaultRuleError(f"match.{extra[0]}", "unknown field (allowed: method, path)")
        method = match.get("method")
        if method is not None:
            if not isinstance(method, str) or method.upper() not in _METHODS:
                raise FaultRuleError("match.method", f"not an HTTP method: {method!r}")
            method = method.upper()
        path = match.get("path", "/**")
        pattern = compile_glob(path)
        probability = raw.get("probability", 1.0)
        if (
            isinstance(probability, bool)
            or not isinstance(probability, int | float)
            or not 0 <= probability <= 1
        ):
            raise FaultRuleError("probability", f"must be a number from 0 to 1, got {probability!r}")
        times = raw.get("times")
        if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 1):
            raise FaultRuleError("times", f"must be a positive integer or absent, got {times!r}")
        params = raw.get("params") or {}
        if not isinstance(params, dict):
            raise FaultRuleError("params", "must be an object")
        checked = self.registry.check_params(kind, params, "params")
        return FaultRule("", name, method, path, pattern, float(probability), times, checked)

    def add(self, raw: Any) -> FaultRule:
        rule = self.parse_rule(raw)
        with self._lock:
            rule.id = f"flt_{self._next_id}"
            self._next_id += 1
            self._rules.append(rule)
        return rule

    def rules(self) -> list[FaultRule]:
        with self._lock:
            return [r for r in self._rules if not r.spent]

    def delete(self, rule_id: str) -> bool:
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if r.id != rule_id or r.spent]
            return len(self._rules) != before

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def reset(self) -> None:
        with self._lock:
            self._rules.clear()
            self._rng = random.Random(self.seed)

    # choosing ----------------------------------------------------------------------------------------

    def parse_header(self, value: str) -> FiredFault:
        """``X-Mock-Fault: rate-limit;retry_after=3``."""
        name, *pairs = [part.strip() for part in value.split(";")]
        kind = self.registry.get(name)
        if kind is None:
            raise FaultRuleError(
                "X-Mock-Fault", f"unknown fault '{name}' (known: {', '.join(self.registry.names())})"
            )
        raw: dict[str, str] = {}
        for pair in pairs:
            if not pair:
                continue
            key, sep, val = pair.partition("=")
            if not sep:
                raise FaultRuleError("X-Mock-Fault", f"expected param=value, got {pair!r}")
            raw[key.strip()] = val.strip()
        return FiredFault(kind, self.registry.check_params(kind, raw, "X-Mock-Fault"))

    def choose(self, method: str, path: str, header: str | None = None) -> FiredFault | None:
        """The fault for this request, if any; a fired rule counts towards its ``times``."""
        if header:
            return self.parse_header(header)
        if not self._rules:
            return None
        with self._lock:
            for rule in self._rules:
                if rule.spent or not rule.matches(method, path):
                    continue
                if rule.probability < 1.0 and self._rng.random() >= rule.probability:
                    continue
                rule.fired += 1
                kind = self.registry.get(rule.fault)
                assert kind is not None
                self._rules = [r for r in self._rules if not r.spent]
                return FiredFault(kind, dict(rule.params), rule.id)
        return None


def load_rules_file(engine: FaultEngine, path: Path) -> list[FaultRule]:
    """``--faults FILE``: a YAML (or JSON) list of rules, each added in order; any bad rule stops startup."""
    from ..specs import read_document

    try:
        document = read_document(path)
    except ApiTrainerError as exc:
        raise UsageError(f"--faults {path}: {exc.message}") from exc
    if not isinstance(document, list):
        raise UsageError(f"--faults {path}: expected a YAML list of rules, got a {type(document).__name__}")
    added = []
    for index, raw in enumerate(document, start=1):
        try:
            added.append(engine.add(raw))
        except FaultRuleError as exc:
            raise UsageError(f"--faults {path}: rule {index}: field '{exc.field}': {exc.message}") from exc
    return added
