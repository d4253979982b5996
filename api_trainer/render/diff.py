"""Rendering a diff report (text, JSON, Markdown, JUnit, GitHub annotations) and the rule catalogue.

Renderers only arrange what the report holds; ``--group-by component`` folds findings that come from the
same change in a shared component (one line, the operations it reaches listed after it).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree

from rich.console import Console
from rich.text import Text

from ..diff import DiffReport, Finding, Level, Rule

LEVEL_STYLE = {Level.BREAKING: "bold red", Level.WARNING: "yellow", Level.INFO: "cyan"}
_API_WIDE = "API-wide"


@dataclass(frozen=True)
class FoldedChange:
    """Findings of one change in one component, across the operations it reaches."""

    level: Level
    id: str
    message: str
    impact: str
    operations: tuple[str, ...]


def by_operation(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.operation or _API_WIDE, []).append(finding)
    return groups


def fold_by_component(findings: Iterable[Finding]) -> tuple[dict[str, list[FoldedChange]], list[Finding]]:
    """Findings inside a component folded per (component, rule, change); the others, unfolded."""
    folded: dict[tuple[str, str, str], list[Finding]] = {}
    loose: list[Finding] = []
    for finding in findings:
        if finding.component is None or finding.component_message is None:
            loose.append(finding)
        else:
            folded.setdefault((finding.component, finding.id, finding.component_message), []).append(finding)
    components: dict[str, list[FoldedChange]] = {}
    for (component, rule_id, message), group in folded.items():
        operations = tuple(dict.fromkeys(f.operation or _API_WIDE for f in group))
        impact = group[0].component_impact or group[0].impact
        change = FoldedChange(group[0].level, rule_id, message, impact, operations)
        components.setdefault(component, []).append(change)
    return components, loose


Span = tuple[str, str]  # text, rich style ("" for none)


#: one finding's two lines, as (template, style) parts; "level" is styled by the finding's level
_FINDING_LAYOUT = (
    ("  ", ""),
    ("{level:<8}", "level"),
    (" {message}", ""),
    ("  [{rule_id}]\n", "dim"),
    ("           -> {impact}\n", "italic"),
)
_FINDING_PLAIN = "".join(template for template, _ in _FINDING_LAYOUT)


def _finding_spans(
    level: Level, rule_id: str, message: str, impact: str, width: int | None = None
) -> list[Span]:
    fields = {"level": level.value, "rule_id": rule_id, "message": message, "impact": impact}
    spans = [
        (template.format(**fields), LEVEL_STYLE[level] if style == "level" else style)
        for template, style in _FINDING_LAYOUT
    ]
    if width is None:
        return spans
    # On a terminal: the same lines wrapped at its width under their own indent (a long message continues
    # under the message, a long impact under the impact), never at the terminal's edge.
    head = _hanging(f"{message}  [{rule_id}]", width, _MESSAGE_INDENT, _MESSAGE_INDENT)[
        len(_MESSAGE_INDENT) :
    ]
    cut = head.rfind(f"[{rule_id}]")
    return [
        *spans[:2],
        (f" {head[:cut]}", ""),
        (f"{head[cut:]}\n", "dim"),
        (_hanging(impact, width, _IMPACT_INDENT, " " * len(_IMPACT_INDENT)) + "\n", "italic"),
    ]


_MESSAGE_INDENT = " " * 11  # under the message, after "  breaking "
_IMPACT_INDENT = "           -> "


def _hanging(text: str, width: int, first: str, rest: str) -> str:
    return textwrap.fill(
        text,
        width=max(width, len(first) + 20),
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _plain_text(report: DiffReport) -> str:
    """The same text as ``text_spans`` without styles, one format call per finding: the spans cost
    seconds on the 65,000 findings between two yearly Stripe specs."""
    lines: list[str] = []
    for operation, group in by_operation(report.findings).items():
        lines.append(f"{operation}\n")
        lines.extend(
            _FINDING_PLAIN.format(level=f.level.value, rule_id=f.id, message=f.message, impact=f.impact)
            for f in group
        )
    summary = report.summary
    lines.append(
        f"{report.old} -> {report.new}: {summary['breaking']} breaking, {summary['warning']} warning, "
        f"{summary['info']} info\n"
    )
    return "".join(lines)


def text_spans(report: DiffReport, *, group_by: str = "operation", width: int | None = None) -> list[Span]:
    """The text report as styled spans: grouped by operation (or folded by component), one line per
    finding and one for its impact (wrapped under their indent at ``width``), then the summary."""
    if not report.findings:
        return [(f"{report.old} -> {report.new}: ", "bold"), ("no changes\n", "")]
    spans: list[Span] = []
    findings: Iterable[Finding] = report.findings
    if group_by == "component":
        components, findings = fold_by_component(report.findings)
        for component, changes in components.items():
            spans.append((f"component {component}\n", "bold"))
            for change in changes:
                spans += _finding_spans(change.level, change.id, change.message, change.impact, width)
                shown = ", ".join(change.operations[:5])
                more = f" and {len(change.operations) - 5} more" if len(change.operations) > 5 else ""
                reach = f"in {len(change.operations)} operation(s): {shown}{more}"
                wrapped = (
                    _hanging(reach, width, _MESSAGE_INDENT, _MESSAGE_INDENT)
                    if width
                    else _MESSAGE_INDENT + reach
                )
                spans.append((f"{wrapped}\n", "dim"))
    for operation, group in by_operation(findings).items():
        spans.append((f"{operation}\n", "bold"))
        for finding in group:
            spans += _finding_spans(finding.level, finding.id, finding.message, finding.impact, width)
    summary = report.summary
    spans += [
        (f"{report.old} -> {report.new}: ", "bold"),
        (f"{summary['breaking']} breaking", LEVEL_STYLE[Level.BREAKING]),
        (", ", ""),
        (f"{summary['warning']} warning", LEVEL_STYLE[Level.WARNING]),
        (", ", ""),
        (f"{summary['info']} info\n", LEVEL_STYLE[Level.INFO]),
    ]
    return spans


def render_text(console: Console, report: DiffReport, *, group_by: str = "operation") -> None:
    """Coloured and wrapped at its width on a terminal; plain text, one line per finding and one per impact,
    written straight through otherwise (files, pipes, CI logs: grep finds a whole finding on its line).

    Rich costs tens of microseconds a line, which is minutes for the 64,000 findings between two yearly
    Stripe specs; a pipe gets no colour from rich anyway.
    """
    if console.is_terminal:  # wrapped at its width; rich leaves the colour out under NO_COLOR
        spans = text_spans(report, group_by=group_by, width=console.width)
        console.print(Text.assemble(*spans), soft_wrap=True, end="")
        return
    if group_by == "operation" and report.findings:
        console.file.write(_plain_text(report))
    else:
        console.file.write("".join(text for text, _ in text_spans(report, group_by=group_by)))
    console.file.flush()


def json_chunks(report: DiffReport, *, batch: int = 2000) -> Iterator[str]:
    """The report as JSON, one change per line, in chunks of ``batch`` changes: each line is written by the
    C encoder (``indent`` would switch the whole document to the pure-Python one, seconds for the 65,000
    changes between two yearly Stripe specs), and no chunk holds more than a batch of them."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    summary = dumps(report.summary)
    if not report.findings:
        yield f'{{"changes": [], "summary": {summary}}}'
        return
    yield '{"changes": [\n  '
    findings = report.findings
    for start in range(0, len(findings), batch):
        lead = ",\n  " if start else ""
        yield lead + ",\n  ".join(dumps(f.as_json()) for f in findings[start : start + batch])
    yield f'\n], "summary": {summary}}}'


def render_json(report: DiffReport) -> str:
    return "".join(json_chunks(report))


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: DiffReport, *, group_by: str = "operation") -> str:
    summary = report.summary
    lines = [
        f"## API changes: `{report.old}` -> `{report.new}`",
        "",
        "| level | count |",
        "|---|---|",
        *(f"| {level} | {summary[level]} |" for level in ("breaking", "warning", "info")),
        "",
    ]
    if not report.findings:
        lines.append("No changes.")
        return "\n".join(lines) + "\n"
    findings: Iterable[Finding] = report.findings
    if group_by == "component":
        components, loose = fold_by_component(report.findings)
        for component, changes in components.items():
            lines += [f"### component `{component}`", ""]
            for change in changes:
                operations = ", ".join(f"`{op}`" for op in change.operations[:10])
                if len(change.operations) > 10:
                    operations += f" and {len(change.operations) - 10} more"
                lines.append(f"- **{change.level}** `{change.id}`: {_md(change.message)}")
                lines.append(f"  - impact: {_md(change.impact)}")
                lines.append(f"  - in {len(change.operations)} operation(s): {operations}")
            lines.append("")
        findings = loose
    for operation, group in by_operation(findings).items():
        lines += [f"### `{operation}`", ""]
        for finding in group:
            lines.append(f"- **{finding.level}** `{finding.id}`: {_md(finding.message)}")
            lines.append(f"  - impact: {_md(finding.impact)}")
            lines.append(f"  - at `{finding.location}`")
        lines.append("")
    return "\n".join(lines)


def render_junit(report: DiffReport, fail_level: Level | None) -> str:
    failing = [f for f in report.findings if fail_level is not None and f.level.rank >= fail_level.rank]
    suites = ElementTree.Element("testsuites", name="api-trainer diff")
    suite = ElementTree.SubElement(
        suites,
        "testsuite",
        name=f"{report.old} -> {report.new}",
        tests=str(len(report.findings)),
        failures=str(len(failing)),
        errors="0",
        skipped="0",
    )
    for finding in report.findings:
        case = ElementTree.SubElement(
            suite,
            "testcase",
            classname=finding.operation or _API_WIDE,
            name=f"{finding.id}: {finding.message}",
        )
        body = f"{finding.impact}\nlocation: {finding.location}"
        if fail_level is not None and finding.level.rank >= fail_level.rank:
            failure = ElementTree.SubElement(
                case, "failure", message=finding.message, type=finding.level.value
            )
            failure.text = body
        else:
            ElementTree.SubElement(case, "system-out").text = f"{finding.level.value}: {body}"
    ElementTree.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: DiffReport, fail_level: Level | None) -> str:
    """Workflow commands: ``::error`` for findings at or above ``--fail-on``, else warning or notice."""
    lines = []
    for finding in report.findings:
        if fail_level is not None and finding.level.rank >= fail_level.rank:
            command = "error"
        else:
            command = "warning" if finding.level is not Level.INFO else "notice"
        title = _escape_property(f"{finding.id} ({finding.operation or _API_WIDE})")
        message = _escape_data(f"{finding.message}. {finding.impact} (at {finding.location})")
        lines.append(f"::{command} title={title}::{message}")
    return "\n".join(lines) + ("\n" if lines else "")


def render_catalogue(console: Console, rules: Sequence[Rule]) -> None:
    """Rules by area: level and id on one line, the message template and why below."""
    area = None
    for rule in rules:
        if rule.area != area:
            area = rule.area
            console.print(Text(area, style="bold underline"), soft_wrap=True)
        console.print(
            Text.assemble("  ", (f"{rule.level.value:<8}", LEVEL_STYLE[rule.level]), " ", (rule.id, "bold")),
            soft_wrap=True,
        )
        console.print(Text(f"           {rule.message}"), soft_wrap=True)
        console.print(Text(f"           why: {rule.why}", style="dim"), soft_wrap=True)
    counts = {level: sum(1 for r in rules if r.level is level) for level in Level}
    console.print(
        f"{len(rules)} rules: {counts[Level.BREAKING]} breaking, {counts[Level.WARNING]} warning, "
        f"{counts[Level.INFO]} info",
        highlight=False,
        soft_wrap=True,
    )


def catalogue_json(rules: Sequence[Rule]) -> str:
    return json.dumps(
        [
            {
                "id": r.id,
                "level": r.level.value,
                "area": r.area,
                "message": r.message,
                "impact": r.impact,
                "why": r.why,
            }
            for r in rules
        ],
        indent=2,
    )
