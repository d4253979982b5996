"""``api-trainer train | progress | grade | scenarios``: the scenario trainer's commands."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import EXIT_FOUND, AnswerFileError, ApiTrainerError, UsageError
from ..trainer import COMPANIES, TOPICS, find_scenario, load_pack
from ._app import console

# The grader and the renderers load when a command needs them: tests/cli/test_startup.py.
if TYPE_CHECKING:
    from ..trainer import Scenario

scenarios_app = typer.Typer(help="List and check scenario packs.", no_args_is_help=True)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Progress database (default: $API_TRAINER_DB, else the user data dir)."),
]
PackOption = Annotated[
    Path | None, typer.Option("--pack", help="A directory of scenario packs instead of the bundled ones.")
]
TopicOption = Annotated[str | None, typer.Option("--topic", help=f"One of: {', '.join(TOPICS)}.")]


def _filtered(pack: Path | None, topic: str | None, company: str | None = None) -> list[Scenario]:
    if topic is not None and topic not in TOPICS:
        raise UsageError(f"unknown topic '{topic}'; topics: {', '.join(TOPICS)}")
    if company is not None and company not in COMPANIES:
        raise UsageError(f"unknown company style '{company}'; styles: {', '.join(COMPANIES)}")
    return [
        s
        for s in load_pack(pack)
        if (topic is None or s.topic == topic) and (company is None or company in s.companies)
    ]


@scenarios_app.command("list")
def list_scenarios(topic: TopicOption = None, pack: PackOption = None) -> None:
    """A table of the scenarios in the bundled packs (or --pack DIR)."""
    from ..render.trainer import render_scenario_list

    render_scenario_list(console, _filtered(pack, topic))


@scenarios_app.command("show")
def show(
    scenario: Annotated[str, typer.Argument(metavar="ID", help="A scenario id, or a path to a .toml file.")],
    seed: Annotated[
        int,
        typer.Option(
            "--seed", help="The presentation seed (train --seed N shows its first scenario with N)."
        ),
    ] = 0,
    open_answer: Annotated[
        bool | None,
        typer.Option(
            "--open/--options", help="Show no options (open answer) / show them (default: as train)."
        ),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    pack: PackOption = None,
) -> None:
    """Print exactly what a learner sees before answering, options in presentation order."""
    from ..render.trainer import presentation_to_json, render_explain_prompt, render_scenario
    from ..trainer._present import present, shows_options_by_default

    if output_format not in ("text", "json"):
        raise UsageError(f"unknown format '{output_format}'; use text or json")
    loaded = find_scenario(scenario, pack)
    # JSON is read by users of `grade --choice`: it lists the options unless --open asks for none.
    default = False if output_format == "json" else None
    shown = present(loaded, seed, open_answer=default if open_answer is None else open_answer)
    if output_format == "json":
        data = presentation_to_json(shown, options_by_default=shows_options_by_default(loaded))
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    render_scenario(console, shown)
    render_explain_prompt(console, shown)
    if shown.options:
        ids = ", ".join(f"{n}={o.id}" for n, o in enumerate(shown.options, start=1))
        console.print(f"(grade --choice takes the option id: {ids})", style="dim", markup=False)


@scenarios_app.command("check")
def check(
    path: Annotated[
        Path | None, typer.Argument(help="A pack directory or one scenario file (default: bundled).")
    ] = None,
) -> None:
    """Validate packs, grade every calibration answer, and measure option-length bias: exit 1 when any answer
    grades unlike its label or a pack's right options are recognisable by length."""
    from ..render.trainer import render_check, render_option_bias
    from ..trainer import load_scenario
    from ..trainer._check import check_scenarios, option_bias

    single = path is not None and path.is_file()
    scenarios = [load_scenario(path)] if single and path is not None else load_pack(path)
    checks = check_scenarios(scenarios)
    render_check(console, checks)
    # Length bias is a property of a pack: one file on its own is not judged on it.
    bias = None if single else option_bias(scenarios)
    if bias is not None:
        render_option_bias(console, bias)
    if not all(c.ok for c in checks) or (bias is not None and not bias.ok):
        raise typer.Exit(EXIT_FOUND)


def grade_command(
    scenario: Annotated[
        str, typer.Argument(help="A bundled scenario id, or a path to a scenario .toml file.")
    ],
    answer_file: Annotated[
        Path, typer.Option("--answer-file", help="The explanation to grade (UTF-8 text).")
    ],
    choice: Annotated[
        str | None,
        typer.Option(
            "--choice", help="The option id chosen, or its number (in file order, or as shown with --seed)."
        ),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed", help="Count a numeric --choice in the order `scenarios show ID --seed N` shows."
        ),
    ] = None,
) -> None:
    """Grade one answer without a terminal: exit 0 when it passes, 1 when not, 2 for bad input."""
    from ..render.trainer import grade_to_json, render_grade
    from ..trainer._grader import grade

    if output_format not in ("text", "json"):
        raise UsageError(f"unknown format '{output_format}'; use text or json")
    loaded = find_scenario(scenario)
    try:
        answer = answer_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AnswerFileError(f"{answer_file}: no such answer file") from None
    except IsADirectoryError:
        raise AnswerFileError(f"{answer_file}: is a directory, not an answer file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AnswerFileError(f"{answer_file}: cannot read the answer: {exc}") from None
    if not answer.strip():
        raise AnswerFileError(f"{answer_file}: the answer file is empty")
    if choice is not None:
        from ..trainer._present import shuffled

        order = shuffled(loaded, seed) if seed is not None else loaded.options
        ids = [o.id for o in order]
        if choice.isdigit() and 1 <= int(choice) <= len(ids):
            choice = ids[int(choice) - 1]
        elif choice not in ids:
            raise UsageError(
                f"unknown choice '{choice}' for {loaded.id}; options: {', '.join(ids)} (or 1-{len(ids)})"
            )
    result = grade(loaded, answer, choice)
    if output_format == "json":
        typer.echo(json.dumps(grade_to_json(result), indent=2))
    else:
        render_grade(console, result, loaded)
    if not result.passed:
        raise typer.Exit(EXIT_FOUND)


def train(
    topic: TopicOption = None,
    company: Annotated[str | None, typer.Option("--company", help=f"One of: {', '.join(COMPANIES)}.")] = None,
    pack: PackOption = None,
    db: DbOption = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Fix the option order (scenario k of the session uses N+k).")
    ] = None,
    open_answer: Annotated[
        bool | None,
        typer.Option(
            "--open/--options",
            help="Open answers everywhere (no options shown) / options everywhere. Default: design questions open.",
        ),
    ] = None,
) -> None:
    """Interactive training: scenario, choice, explanation, grade, then consequences and reference; FSRS reviews."""
    from prompt_toolkit import prompt

    from ..trainer._session import run_session, warm_grader
    from ..trainer._store import ProgressStore

    def ask(text: str) -> str:
        return prompt(text, pre_run=warm_grader)  # the grader loads once the first prompt is on screen

    scenarios = _filtered(pack, topic, company)
    with ProgressStore(db) as store:
        run_session(
            console,
            ask,
            scenarios,
            store,
            seed=seed,
            open_answer=open_answer,
            check_lab=_lab_checker(ask, pack),
        )


def _lab_checker(
    ask: Callable[[str], str], pack: Path | None
) -> Callable[[Scenario], tuple[bool, list[str]]]:
    def run(scenario: Scenario) -> tuple[bool, list[str]]:
        from ..labs import check_lab, find_lab
        from ..labs._render import render_report

        try:
            _, lab_check = find_lab(scenario.id, pack if pack is not None else None)
            answer = None
            if lab_check.needs_answer:
                raw = ask("Your answer file (SQL, edited spec or text): ").strip()
                answer = Path(raw).expanduser() if raw else None
            report = check_lab(scenario.id, answer_file=answer, pack=pack)
        except ApiTrainerError as exc:
            return False, [f"not checked: {exc}"]
        return report.passed, render_report(report)

    return run


def progress(
    export: Annotated[Path | None, typer.Option("--export", help="Write progress to this JSON file.")] = None,
    reset: Annotated[bool, typer.Option("--reset", help="Delete all progress (asks first).")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask before --reset.")] = False,
    pack: PackOption = None,
    db: DbOption = None,
) -> None:
    """Mastery per topic and company style, due reviews, weakest translation link; export or reset."""
    from ..render.trainer import render_progress
    from ..trainer._progress import summarise
    from ..trainer._store import ProgressStore, write_json_atomically

    with ProgressStore(db) as store:
        if reset:
            if not yes:
                from prompt_toolkit.shortcuts import confirm

                if not confirm(f"Delete all progress in {store.path}?"):
                    console.print("Nothing deleted.")
                    return
            store.reset()
            console.print(f"Progress reset: {store.path}")
            return
        if export is not None:
            write_json_atomically(export, store.export())
            console.print(f"Exported {len(store.attempts())} attempts to {export}")
            return
        render_progress(console, summarise(load_pack(pack), store))


def register(app: typer.Typer) -> None:
    app.add_typer(scenarios_app, name="scenarios")
    app.command("grade")(grade_command)
    app.command("train")(train)
    app.command("progress")(progress)
