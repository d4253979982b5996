"""Text for the lab commands: a person reads these lines; ``--format json`` prints the objects instead."""

from __future__ import annotations

from ..trainer import Scenario
from ._model import Check
from ._runner import LabReport


def render_list(scenarios: list[Scenario]) -> list[str]:
    if not scenarios:
        return ["no scenario carries a lab"]
    width = max(len(s.id) for s in scenarios)
    return [f"{s.id:<{width}}  {s.lab.api if s.lab else '':<12}  {s.title}" for s in scenarios]


def render_checks(checks: list[Check]) -> list[str]:
    width = max(len(c.name) for c in checks)
    lines = []
    for c in checks:
        extra = f" [params: {', '.join(c.params)}]" if c.params else ""
        lines.append(f"{c.name:<{width}}  {c.api:<12}  {c.summary}{extra}")
    return lines


def render_report(report: LabReport) -> list[str]:
    head = "PASSED" if report.passed else "NOT YET"
    lines = [f"{head}  {report.lab_id}  (check {report.check} on {report.target})"]
    lines += [f"  - {reason}" for reason in report.result.reasons]
    if report.result.observations:
        lines.append("  seen:")
        lines += [f"    {o}" for o in report.result.observations]
    return lines


def render_start(scenario: Scenario, base_url: str, key: str, command: str) -> list[str]:
    assert scenario.lab is not None
    kind = "API key" if scenario.lab.api == "payments" else "token"
    return [
        f"lab {scenario.id}: {scenario.title}",
        f"  mock:   {scenario.lab.api} at {base_url}",
        f"  {kind}: {key}",
        f"  goal:   {scenario.lab.goal}",
        f"  check:  {command}",
        f"  journal: {base_url}/_mock/requests    (Ctrl-C stops the mock)",
        "  to start over, stop and start the lab again (POST /_mock/reset also clears the lab's faults)",
    ]


def render_diff_start(scenario: Scenario, spec_file: str, command: str) -> list[str]:
    assert scenario.lab is not None
    return [
        f"lab {scenario.id}: {scenario.title}",
        f"  task:   {scenario.lab.goal}",
        f"  edit:   {spec_file}   (a copy of {scenario.lab.params.get('old')})",
        f"  try:    api-trainer diff {scenario.lab.params.get('old')} {spec_file}",
        f"  check:  {command}",
    ]
