"""Rendering trainer results: scenarios, grades, progress and calibration checks. Renderers never compute."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..trainer import Scenario
from ..trainer._check import MAX_LONGEST_SHARE, RATIO_BOUNDS, OptionBias, ScenarioCheck
from ..trainer._present import Presentation
from ..trainer._progress import Progress

if TYPE_CHECKING:  # the grader is imported when an answer is graded, not to show the first prompt
    from ..trainer._grader import Grade

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


# A steady measure: paragraphs wrap at the terminal's width up to this many columns, so a 160-column
# terminal does not stretch a situation into two long lines.
MEASURE = 88
_INDENT = 4


def _width(console: Console) -> int:
    return max(40, min(console.width, MEASURE))


def paragraphs(text: str) -> list[str]:
    """Scenario text is hard-wrapped in TOML; a blank line separates paragraphs, other breaks are spaces.
    Lines that look like a list or code (start with "-", "*", a digit and ".", or spaces) keep their break."""
    out: list[str] = []
    for block in text.strip().split("\n\n"):
        lines = [line.rstrip() for line in block.splitlines() if line.strip()]
        current: list[str] = []
        for line in lines:
            if current and (line.startswith((" ", "-", "*", "|")) or line[:2].rstrip(".").isdigit()):
                out.append(" ".join(current))
                current = []
            current.append(line.strip())
        if current:
            out.append(" ".join(current))
    return out


def wrapped(
    console: Console,
    text: str,
    *,
    style: str = "",
    first: str = "",
    rest: str | None = None,
    width: int | None = None,
    break_long: bool = False,
) -> None:
    """One paragraph at the steady measure; ``first`` starts the first line (a number, an indent) and
    ``rest`` the following ones (a hanging indent). No line is padded to the terminal's width."""
    lines = textwrap.wrap(
        text,
        width=width or _width(console),
        initial_indent=first,
        subsequent_indent=" " * len(first) if rest is None else rest,
        break_on_hyphens=False,
        break_long_words=break_long,  # prose: a path or URL overflows whole rather than splitting
    ) or [first.rstrip()]
    for line in lines:
        console.print(Text(line, style=style), soft_wrap=True)


def print_paragraphs(console: Console, text: str, style: str = "", indent: int = 0) -> None:
    for paragraph in paragraphs(text):
        wrapped(console, paragraph, style=style, first=" " * indent)


def _numbered(console: Console, rows: Sequence[tuple[str, str, str]]) -> None:
    """Numbered items with a hanging indent: a wrapped line starts under the text, not under the number.
    Each row is (label, text, style); the text may hold several paragraphs separated by newlines."""
    for label, text, style in rows:
        head = f"{label:>{_INDENT - 1}} "
        for i, paragraph in enumerate(text.split("\n")):
            wrapped(
                console, paragraph, style=style if i == 0 else "", first=head if i == 0 else " " * _INDENT
            )


def render_scenario(console: Console, shown: Presentation) -> None:
    """Exactly what the learner sees before answering: no consequence, no verdict, no reference."""
    s = shown.scenario
    wrapped(console, s.title, style="bold")
    wrapped(
        console, f"{s.id} · {s.topic} · {', '.join(s.companies)} · difficulty {s.difficulty}", style="dim"
    )
    console.print()
    print_paragraphs(console, s.situation)
    if s.snippet:
        console.print()
        # Code keeps its lines; a line wider than the terminal folds rather than breaking the indent.
        # Code keeps its lines and spacing; a line wider than the terminal continues under its own indent.
        for line in s.snippet.splitlines():
            pad = " " * _INDENT
            wrapped(
                console,
                line,
                style="cyan",
                first=pad,
                rest=pad + "  ",
                width=max(40, console.width - 1),
                break_long=True,
            )
    console.print()
    print_paragraphs(console, s.question, style="bold")
    if shown.options:
        _numbered(console, [(f"{n}.", o.text, "") for n, o in enumerate(shown.options, start=1)])
    else:
        wrapped(
            console,
            "Open answer: no options are shown. State your decision and explain it in one answer.",
            style="dim",
        )


def render_explain_prompt(console: Console, shown: Presentation) -> None:
    console.print()
    print_paragraphs(console, shown.scenario.prompt, style="bold")
    wrapped(console, f"Your audience: {shown.audience}.", style="dim")


def presentation_to_json(shown: Presentation, *, options_by_default: bool) -> dict[str, Any]:
    """The learner-visible fields of ``scenarios show --format json``, options in presentation order."""
    s = shown.scenario
    return {
        "id": s.id,
        "title": s.title,
        "situation": s.situation,
        "snippet": s.snippet,
        "question": s.question,
        "options": [{"id": o.id, "text": o.text} for o in shown.options],
        "prompt": s.prompt,
        "audience": s.audience,
        "options_shown_by_default": options_by_default,
        "seed": shown.seed,
    }


def render_option_feedback(console: Console, shown: Presentation, choice: str | None) -> None:
    """After grading: the verdict on the pick, then every option's consequences in the order shown."""
    s = shown.scenario
    order = shown.options or s.options
    numbers = {o.id: n for n, o in enumerate(order, start=1)}
    right = s.right_option
    console.print()
    if choice is not None and choice == s.right:
        wrapped(console, f"You chose {numbers[choice]}: the recommended contract.", style="green")
    elif choice is not None:
        wrapped(
            console, f"You chose {numbers[choice]}; the recommended one is {numbers[right.id]}.", style="red"
        )
    else:
        lead = "One sound design" if s.kind == "design" else "The recommended contract"
        wrapped(console, f"{lead}: {right.text}", style="green")
    wrapped(console, "What each option does:", style="bold")
    rows = []
    for n, o in enumerate(order, start=1):
        mark = " (recommended)" if o.id == s.right else ""
        mark += " (your pick)" if o.id == choice else ""
        rows.append(
            (
                f"{n}.",
                f"{o.text}{mark}\nDeveloper: {o.developer}\nBusiness: {o.business}",
                "bold" if o.id in (s.right, choice) else "",
            )
        )
    _numbered(console, rows)


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
    design = scenario is None or scenario.kind == "design"
    checks = [
        ("technical", t.technical), ("developer", t.developer), ("business", t.business),
        ("requirements", m.requirements), ("requirements first", m.requirements_first),
        ("trade-off", m.trade_off), ("instrumentation", m.instrumentation), ("product close", m.product_close),
    ]  # fmt: skip
    # Requirements are asked of design scenarios only; elsewhere their absence is no failure (shown dim).
    optional = set() if design else {"requirements", "requirements first"}
    items = [
        Text(f"{'✓' if ok else '✗'} {name}", style="green" if ok else "red")
        if ok or name not in optional
        else Text(f"- {name}", style="dim")
        for name, ok in checks
    ]
    _items(console, items)
    if grade.concepts_hit:
        wrapped(console, "concepts named: " + ", ".join(grade.concepts_hit), style="green", rest="  ")
    if grade.concepts_missed:
        # How many, not which: a rubric label on screen is a phrase to paste back; the feedback asks instead.
        total = len(grade.concepts_hit) + len(grade.concepts_missed)
        wrapped(
            console,
            f"points not made yet: {len(grade.concepts_missed)} of {total}",
            style="yellow",
            rest="  ",
        )
    for line in grade.feedback:
        wrapped(console, line, first="- ")


def _items(console: Console, items: Sequence[Text], gap: int = 2) -> None:
    """Short items on as few lines as fit the measure, never breaking inside an item."""
    line = Text()
    for item in items:
        if line.plain and len(line.plain) + gap + len(item.plain) > _width(console):
            console.print(line, soft_wrap=True)
            line = Text()
        if line.plain:
            line.append(" " * gap)
        line.append_text(item)
    if line.plain:
        console.print(line, soft_wrap=True)


def render_reference(console: Console, scenario: Scenario) -> None:
    console.print()
    wrapped(console, "Reference answer:", style="bold")
    print_paragraphs(console, scenario.reference, indent=2)


def render_lab_offer(console: Console, scenario: Scenario) -> None:
    lab = scenario.lab
    assert lab is not None
    console.print()
    wrapped(console, "This scenario has a live lab.", style="bold magenta")
    print_paragraphs(console, lab.goal, indent=2)
    print_paragraphs(
        console,
        f"Start it in another terminal with: api-trainer lab start {scenario.id}"
        f" ; check it with: api-trainer lab check {scenario.id} (or from here).",
        indent=2,
        style="magenta",
    )


def render_leech(console: Console, scenario: Scenario, failures: int) -> None:
    wrapped(
        console,
        f"Leech: {scenario.id} has failed {failures} times. Another review alone rarely helps; "
        "read its hints, its reference answer" + (" or do its lab" if scenario.lab else "") + " first.",
        style="bold yellow",
    )


def render_scenario_list(console: Console, scenarios: Sequence[Scenario]) -> None:
    """One entry per scenario: its id and facts on one line, its title wrapped under it (no table, so
    nothing is cut at 80 columns and nothing stretches at 160)."""
    wrapped(console, f"{len(scenarios)} scenarios", style="bold")
    for s in scenarios:
        facts = f"{s.topic} · level {s.difficulty} · {', '.join(s.companies)}" + (
            f" · lab on {s.lab.api}" if s.lab else ""
        )
        wrapped(console, f"{s.id}  {facts}", style="cyan", rest=" " * _INDENT)
        wrapped(console, s.title, first=" " * _INDENT)


def render_check(console: Console, checks: Sequence[ScenarioCheck]) -> None:
    table = Table(
        title="Calibration check",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1),
        collapse_padding=True,
    )
    labels = ("strong", "engineering", "hedge", "salad", "wrong", "reference")
    headers = ("strong", "eng.", "hedge", "salad", "wrong", "ref.")
    table.add_column("scenario", no_wrap=True)
    for header in headers:
        table.add_column(header, justify="right", min_width=len(header))
    table.add_column("ok", no_wrap=True)
    for check in checks:
        cells = []
        for label in labels:
            rows = [r for r in check.results if r.label == label]
            cell = "\n".join(f"{r.score:.2f}{'' if r.ok else '!'}" for r in rows)
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


def _render_loops(console: Console, progress: Progress) -> None:
    if not progress.loops:
        return
    table = Table(title="Mock interview loops", title_justify="left")
    for column in ("#", "started (UTC)", "company", "status", "passed", "weakest link"):
        table.add_column(column, justify="right" if column in ("#", "passed") else "left")
    for loop in progress.loops:
        table.add_row(
            str(loop.id),
            loop.started_at[:16].replace("T", " "),
            loop.company,
            loop.status,
            f"{loop.passed}/{loop.questions}",
            (loop.weakest_link or "").replace("_", " "),
        )
    console.print(table)


def render_option_bias(console: Console, bias: OptionBias) -> None:
    low, high = RATIO_BOUNDS
    text = (
        f"option length bias: the right option is strictly the longest in {bias.right_longest} of "
        f"{bias.scenarios} scenarios ({bias.longest_share:.0%}, at most {MAX_LONGEST_SHARE:.0%} allowed); "
        f"median length ratio right/others {bias.median_ratio:.2f} (allowed {low}-{high})"
    )
    if not bias.ok:
        text += "; highest ratios: " + ", ".join(f"{sid} {ratio:.2f}" for sid, ratio in bias.worst)
    wrapped(console, text, style="green" if bias.ok else "bold red")


def render_progress(console: Console, progress: Progress) -> None:
    if not progress.attempts and not progress.loops:
        console.print("No scenarios answered yet. Start with: api-trainer train")
        return
    _render_loops(console, progress)
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
    leeches = dict(progress.leeches)

    def last(sid: str) -> str:
        outcome = "passed" if progress.last_passed.get(sid) else "failed"
        flag = f"; leech, failed {leeches[sid]} times" if sid in leeches else ""
        return f"(last attempt {outcome}{flag})"

    for sid, when in progress.due:
        console.print(f"  due   {sid}  since {when:%Y-%m-%d %H:%M} UTC  {last(sid)}", markup=False)
    for sid, when in progress.upcoming:
        console.print(f"  next  {sid}  review on {when:%Y-%m-%d %H:%M} UTC  {last(sid)}", markup=False)
    if progress.leeches:
        console.print(
            Text(
                "Leeches (failed 3+ times): "
                + ", ".join(f"{sid} ({n})" for sid, n in progress.leeches)
                + ". Read their hints and reference answer, or do their lab, before the next review.",
                style="bold yellow",
            )
        )
    rates = ", ".join(f"{k} {v:.0%}" for k, v in progress.link_rates.items())
    console.print(f"Translation links reached: {rates}")
    if progress.weakest_link:
        console.print(Text(f"Weakest translation link: {progress.weakest_link}", style="bold yellow"))
