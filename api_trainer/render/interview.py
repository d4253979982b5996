"""Rendering the mock interview: the loop's screens, and its report as terminal text and as Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console

from .trainer import wrapped

if TYPE_CHECKING:  # the engine imports this module; type names only, no import cycle at run time
    from ..trainer._interview import LoopReport, Plan, QuestionResult

_LINK_WORDS = {
    "technical": "the technical mechanism",
    "developer": "the developer or user outcome",
    "business": "the business outcome",
    "requirements": "requirements surfaced",
    "requirements_first": "requirements before the architecture",
    "trade_off": "a trade-off named",
    "instrumentation": "how you would know it works",
    "failure_mode": "the failure and degradation story",
    "product_close": "a close on the product outcome",
}


def words(name: str) -> str:
    return _LINK_WORDS.get(name, name.replace("_", " "))


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def render_loop_start(console: Console, plan: Plan) -> None:
    style = plan.style
    wrapped(console, f"Mock interview: {style.label} style", style="bold")
    wrapped(console, style.summary)
    for pillar in plan.empty_pillars:
        wrapped(
            console,
            f"{style.label}: this pack has no scenarios yet for the pillar '{pillar.label}'"
            f" (topics: {', '.join(pillar.topics)}); the loop asks the other pillars.",
            style="yellow",
        )
    wrapped(
        console,
        f"{len(plan.questions)} questions, {_clock(plan.seconds_per_question)} each, {_clock(plan.loop_seconds)}"
        " for the loop. No options, no hints: state your decision and explain it. An empty line ends an answer;"
        " when the time runs out, what you typed is saved as your answer. 'q' on its own line ends the loop.",
        style="dim",
    )


def render_question_header(console: Console, position: int, total: int, pillar: str, seconds: float) -> None:
    console.print()
    wrapped(console, f"Question {position} of {total} · {pillar} · {_clock(seconds)}", style="bold magenta")


def render_follow_up(console: Console, question: str, seconds: float) -> None:
    console.print()
    wrapped(console, f"Follow-up ({_clock(seconds)}): {question}", style="bold magenta")


def render_saved(console: Console, timed_out: bool) -> None:
    if timed_out:
        wrapped(console, "Time is up: your answer is saved as typed.", style="yellow")
    else:
        wrapped(console, "Saved.", style="dim")


def _verdict(r: QuestionResult) -> str:
    return "PASS" if r.passed else "FAIL"


def render_report(console: Console, report: LoopReport) -> None:
    console.print()
    wrapped(console, f"Interview report: {report.company_label} style ({report.status})", style="bold")
    for r in report.questions:
        console.print()
        wrapped(
            console,
            f"Q{r.position} {_verdict(r)} {r.scenario_id} · {r.pillar_label} · score {r.score:.2f} · "
            f"{_clock(r.seconds)} used{' (timed out)' if r.timed_out else ''}",
            style="bold green" if r.passed else "bold red",
        )
        wrapped(console, "links made: " + (", ".join(map(words, r.links_made)) or "none"), first="  ")
        if r.links_missed:
            wrapped(
                console, "links missed: " + ", ".join(map(words, r.links_missed)), first="  ", style="yellow"
            )
        wrapped(console, "moves made: " + (", ".join(map(words, r.moves_made)) or "none"), first="  ")
        if r.moves_missed:
            wrapped(
                console, "moves missed: " + ", ".join(map(words, r.moves_missed)), first="  ", style="yellow"
            )
        for reason in r.style_reasons:
            wrapped(console, reason, first="  - ", style="red")
        if r.follow_up is not None:
            f = r.follow_up
            wrapped(
                console,
                f"follow-up on {words(f.move)}: {'answered' if f.passed else 'not answered'}"
                f" ({_clock(f.seconds)}{', timed out' if f.timed_out else ''})",
                first="  ",
                style="green" if f.passed else "red",
            )
    console.print()
    wrapped(console, "By pillar:", style="bold")
    for p in report.pillars:
        made = f"; links made: {', '.join(map(words, p.links_made))}" if p.links_made else ""
        missing = f"; links missed: {', '.join(map(words, p.links_missed))}" if p.links_missed else ""
        wrapped(console, f"{p.label}: {p.passed} of {p.asked} passed{made}{missing}", first="  ", rest="    ")
    for label in report.empty_pillars:
        wrapped(console, f"{label}: no scenarios yet", first="  ", style="yellow")
    if report.weakest_link:
        wrapped(console, f"Weakest link: {words(report.weakest_link)}", style="bold yellow")
    if report.practice:
        wrapped(
            console, "Practise next: " + ", ".join(report.practice) + " (api-trainer train)", style="bold"
        )
    if report.labs:
        wrapped(console, "Labs: " + ", ".join(f"api-trainer lab start {lab}" for lab in report.labs))


def report_markdown(report: LoopReport) -> str:
    """The report as a Markdown document: every question with its answer, grade, follow-up, and the practice list."""
    out = [
        f"# Mock interview: {report.company_label} style",
        "",
        f"Started {report.started_at} UTC · seed {report.seed} · status {report.status} · "
        f"{_clock(report.seconds_used)} used",
        "",
        "| # | scenario | pillar | grade | score | time |",
        "|---|---|---|---|---|---|",
    ]
    for r in report.questions:
        out.append(
            f"| {r.position} | {r.scenario_id} | {r.pillar_label} | {_verdict(r)} | {r.score:.2f} | "
            f"{_clock(r.seconds)}{' (timed out)' if r.timed_out else ''} |"
        )
    for r in report.questions:
        out += ["", f"## Q{r.position}: {r.title} ({r.scenario_id})", "", f"Pillar: {r.pillar_label}. "
                f"Grade: **{_verdict(r)}**, score {r.score:.2f}, decision {r.decision}.", ""]  # fmt: skip
        out += ["Your answer:", ""] + [
            f"> {line}" if line else ">" for line in (r.answer or "(empty)").splitlines()
        ]
        out += [
            "",
            f"- Links made: {', '.join(map(words, r.links_made)) or 'none'}",
            f"- Links missed: {', '.join(map(words, r.links_missed)) or 'none'}",
            f"- Moves made: {', '.join(map(words, r.moves_made)) or 'none'}",
            f"- Moves missed: {', '.join(map(words, r.moves_missed)) or 'none'}",
        ]
        out += [f"- {reason}" for reason in r.style_reasons]
        out += [f"- Feedback: {line}" for line in r.feedback]
        if r.follow_up is not None:
            f = r.follow_up
            out += ["", f"Follow-up on {words(f.move)}: {f.question}", ""]
            out += [f"> {line}" if line else ">" for line in (f.answer or "(empty)").splitlines()]
            out += ["", f"Follow-up grade: **{'PASS' if f.passed else 'FAIL'}**"]
    out += ["", "## By pillar", ""]
    for p in report.pillars:
        out.append(
            f"- {p.label}: {p.passed} of {p.asked} passed; links made: "
            f"{', '.join(map(words, p.links_made)) or 'none'}; missed: {', '.join(map(words, p.links_missed)) or 'none'}"
        )
    out += [f"- {label}: no scenarios yet" for label in report.empty_pillars]
    out += ["", "## What to practise next", ""]
    if report.weakest_link:
        out.append(f"Weakest link: {words(report.weakest_link)}.")
        out.append("")
    out += [f"- `api-trainer train` on {sid}" for sid in report.practice]
    out += [f"- lab: `api-trainer lab start {lab}`" for lab in report.labs]
    if not report.practice and not report.labs:
        out.append("- nothing failed in this loop; try another company style")
    return "\n".join(out) + "\n"
