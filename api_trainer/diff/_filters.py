"""What a user narrows a report to: paths, accepted findings (``--ignore``), and the ``--fail-on`` level."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from ..errors import UsageError
from ._model import DiffReport, Finding, Level

FAIL_ON_CHOICES = ("breaking", "warning", "info", "never")


@dataclass(frozen=True)
class Accepted:
    """One accepted finding: an id, for one operation (``POST /v1/customers``) or for all when None."""

    id: str
    operation: str | None = None

    def matches(self, finding: Finding) -> bool:
        if finding.id != self.id:
            return False
        return self.operation is None or _same_operation(self.operation, finding.operation)


def _same_operation(accepted: str, operation: str | None) -> bool:
    if operation is None:
        return False
    method, _, path = accepted.strip().partition(" ")
    return f"{method.upper()} {path.strip()}" == operation


def compile_pattern(option: str, pattern: str | None) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise UsageError(f"{option} {pattern!r} is not a valid regular expression: {exc}") from exc


def load_accepted(path: Path) -> tuple[Accepted, ...]:
    """Read an ``--ignore`` file: a YAML or JSON list of ``{id, operation}`` (operation optional)."""
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise UsageError(f"{shown}: --ignore file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{shown}: cannot read the --ignore file: {exc}") from exc
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise UsageError(f"{shown}: the --ignore file is not valid YAML/JSON ({type(exc).__name__})") from exc
    if data is None:
        return ()
    if not isinstance(data, list):
        raise UsageError(f"{shown}: the --ignore file must be a list of {{id, operation}} entries")
    accepted: list[Accepted] = []
    for index, entry in enumerate(data):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise UsageError(f"{shown}: entry {index + 1} of the --ignore file needs an 'id' (a rule id)")
        operation = entry.get("operation")
        if operation is not None and not isinstance(operation, str):
            raise UsageError(f"{shown}: entry {index + 1}: 'operation' must be like 'POST /v1/customers'")
        accepted.append(Accepted(entry["id"], operation))
    return tuple(accepted)


def narrow(
    report: DiffReport,
    *,
    include: re.Pattern[str] | None = None,
    exclude: re.Pattern[str] | None = None,
    accepted: tuple[Accepted, ...] = (),
) -> DiffReport:
    """The report without findings outside the path filters or accepted by the ignore list."""

    def kept(finding: Finding) -> bool:
        path = finding.path or ""
        if include is not None and (finding.path is None or not include.search(path)):
            return False
        if exclude is not None and finding.path is not None and exclude.search(path):
            return False
        return not any(a.matches(finding) for a in accepted)

    return replace(report, findings=tuple(f for f in report.findings if kept(f)))


def fail_level(fail_on: str) -> Level | None:
    if fail_on not in FAIL_ON_CHOICES:
        raise UsageError(f"--fail-on must be one of {', '.join(FAIL_ON_CHOICES)}, not {fail_on!r}")
    return None if fail_on == "never" else Level(fail_on)


def fails(report: DiffReport, fail_on: str) -> bool:
    level = fail_level(fail_on)
    return level is not None and bool(report.at_or_above(level))
