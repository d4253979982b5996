"""Rendering trainer results: scenarios, grades, progress and calibration checks. Renderers never compute."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..trainer import Option, Scenario
from ..trainer._check import ScenarioCheck
from ..trainer._grader import Grade
from ..trainer._progress import Progress

_DECISION_STYLE = {"right": "green", "wrong": "red", "hedged": "yellow", "none": "yellow"}


def grade_to_json(grade: Grade) -> dict[str, Any]:
    """The documented JSON shape of ``api-trainer grade --format json``."""
    return {
        "scenario": grade.scenario,
        "passed": grade.passed,
        "score": grade.score,
        "decision": grade.decision,
        "translation": asdict(grade.translation),
        "moves": asdict(grade.moves),
        "concepts": {"hit": list(grade.concepts_hit), "missed": list(grade.concepts_missed)},
        "feedback": list(grade.feedback),
    }


def render_scenario(console: Console, scenario: Scenario) -> None:
    header = f"{scenario.title}\n[dim]{scenario.id} · {scenario.topic} · {', '.join(scenario.companies)} · difficulty {scenario.difficulty}[/dim]"
    console.print(Panel(header, expand=False))
    console.print(scenario.situation, markup=False, highlight=False)
    if scenario.snippet:
        console.print(Panel(Text(scenario.snippet), border_style="dim", expand=False))
    console.print(Text(scenario.question, style="bold"))
    for number, option in enumerate(scenario.options, start=1):
        console.print(Text.assemble(f"  {number}. ", (option.id, "cyan"), f"  {option.text}"))


def render_option_feedback(console: Console, scenario: Scenario, option: Option) -> None:
    best = option.id == scenario.right
    verdict = Text(
        "The recommended contract." if best else f"Not the recommended contract ({scenario.right} is)."
    )
    verdict.stylize("green" if best else "red")
    console.print(verdict)
    console.print(Text.assemble(("Developer: ", "bold"), option.developer))
    console.print(Text.assemble(("Business: ", "bold"), option.business))


def render_grade(console: Console, grade: Grade, scenario: Scenario | None = None) -> None:
    status = Text("PASS" if grade.passed else "FAIL", style="bold green" if grade.passed else "bold red")
    console.print(
        Text.assemble(
            status,
            f"  {grade.scenario}  score {grade.score:.2f}  decision: ",
            (grade.decision, _DECISION_STYLE[grade.decision]),
        )
    )
    t, m = grade.translation, grade.moves
    checks = [
        ("technical", t.technical), ("developer", t.developer), ("business", t.business),
        ("product sentence last", t.product_sentence_last), ("requirements", m.requirements),
        ("trade-off", m.trade_off), ("instrumentation", m.instrumentation),
    ]  # fmt: skip
    # Requirements-first is asked of design scenarios only; elsewhere its absence is no failure.
    optional = {"requirements"} if scenario is not None and scenario.kind != "design" else set()
    console.print(
        Text("  ").join(
            Text(f"{'✓' if ok else '✗'} {name}", style="green" if ok else "red")
            if ok or name not in optional
            else Text(f"- {name}", style="dim")
            for name, ok in checks
        )
    )
    labels = {c.id: c.label for c in scenario.concepts} if scenario else {}
    if grade.concepts_hit:
        console.print(Text("concepts named: " + ", ".join(grade.concepts_hit), style="green"))
    if grade.concepts_missed:
        console.print(
            Text(
                "concepts missed: " + "; ".join(labels.get(c, c) for c in grade.concepts_missed),
                style="yellow",
            )
        )
    for line in grade.feedback:
        console.print(Text(f"- {line}"))


def render_reference(console: Console, scenario: Scenario) -> None:
    console.print(Panel(Text(scenario.reference), title="Reference answer", expand=False))


def render_scenario_list(console: Console, scenarios: Sequence[Scenario]) -> None:
    table = Table(title=f"{len(scenarios)} scenarios", title_justify="left")
    for column in ("id", "topic", "companies", "level", "lab", "title"):
        table.add_column(column, no_wrap=column != "title")
    for s in scenarios:
        table.add_row(
            s.id, s.topic, ",".join(s.companies), str(s.difficulty), s.lab.api if s.lab else "", s.title
        )
    console.print(table)


def render_check(console: Console, checks: Sequence[ScenarioCheck]) -> None:
    table = Table(title="Calibration check", title_justify="left")
    labels = ("strong", "engineering", "hedge", "salad", "wrong", "reference")
    table.add_column("scenario", no_wrap=True)
    for label in labels:
        table.add_column(label, justify="right")
    table.add_column("ok")
    for check in checks:
        cells = []
        for label in labels:
            rows = [r for r in check.results if r.label == label]
            cell = " ".join(f"{r.score:.2f}{'' if r.ok else '!'}" for r in rows)
            cells.append(Text(cell, style="green" if all(r.ok for r in rows) else "bold red"))
        table.add_row(
            check.scenario,
            *cells,
            Text("ok" if check.ok else "FAIL", style="green" if check.ok else "bold red"),
        )
    console.print(table)
    bad = [c for c in checks if not c.ok]
    answers = sum(len(c.results) for c in checks)
    if bad:
        console.print(
            Text(
                f"{len(bad)} of {len(checks)} scenarios grade unlike their labels ('!' marks each answer)",
                style="bold red",
            )
        )
    else:
        console.print(
            Text(f"all {answers} answers of {len(checks)} scenarios grade as labelled", style="green")
        )


def render_progress(console: Console, progress: Progress) -> None:
    if not progress.attempts:
        console.print("No scenarios answered yet. Start with: api-trainer train")
        return
    for title, rows in (
        ("Mastery by topic", progress.topics),
        ("Mastery by company style", progress.companies),
    ):
        table = Table(title=title, title_justify="left")
        for column in ("name", "answered", "passed", "mean best score"):
            table.add_column(column, justify="left" if column == "name" else "right")
        for m in rows:
            table.add_row(m.name, f"{m.answered}/{m.total}", str(m.passed), f"{m.mean_best:.2f}")
        console.print(table)
    console.print(f"{progress.attempts} attempts; due now: {len(progress.due)}")
    for sid, when in progress.due:
        console.print(f"  due   {sid}  (since {when:%Y-%m-%d %H:%M} UTC)")
    for sid, when in progress.upcoming:
        console.print(f"  next  {sid}  review on {when:%Y-%m-%d %H:%M} UTC")
    rates = ", ".join(f"{k} {v:.0%}" for k, v in progress.link_rates.items())
    console.print(f"Translation links reached: {rates}")
    if progress.weakest_link:
        console.print(Text(f"Weakest translation link: {progress.weakest_link}", style="bold yellow"))
