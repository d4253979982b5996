"""``api-trainer lab list | checks | start | check``: live labs on the mocks and the diff."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import EXIT_FOUND, UsageError
from ._app import console

lab_app = typer.Typer(
    help="Live labs: start a lab's mock with its faults, then check what you did.", no_args_is_help=True
)

PackOption = Annotated[
    Path | None, typer.Option("--pack", help="A directory of scenario packs instead of the bundled ones.")
]


def _print(lines: list[str]) -> None:
    for line in lines:
        console.print(line, markup=False, highlight=False, soft_wrap=True)


@lab_app.command("list")
def list_labs(pack: PackOption = None) -> None:
    """The scenarios that carry a lab: id, the API it runs on, title."""
    from ..labs import lab_scenarios
    from ..labs._render import render_list

    _print(render_list(lab_scenarios(pack)))


@lab_app.command("checks")
def list_checks() -> None:
    """Every lab check a scenario's [lab] check can name, with the params it reads."""
    from ..labs import all_checks
    from ..labs._render import render_checks

    _print(render_checks(all_checks()))


@lab_app.command("start")
def start(
    lab_id: Annotated[str, typer.Argument(metavar="ID", help="A lab id from `api-trainer lab list`.")],
    port: Annotated[
        int | None,
        typer.Option("--port", help="Port on 127.0.0.1 (default: as `api-trainer mock`; 0 picks one)."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed for sample data and probabilistic faults.")] = 0,
    directory: Annotated[
        Path | None, typer.Option("--dir", help="diff labs: where to write the spec to edit (default ./ID).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No live log line per request.")] = False,
    pack: PackOption = None,
) -> None:
    """Start the lab's mock in the foreground with its faults (diff labs: write the spec to edit)."""
    from ..labs import DEFAULT_PORTS, build_lab_mock, check_command, find_lab, prepare_diff_lab
    from ..labs._render import render_diff_start, render_start
    from .mock import live_logger, run_mock

    scenario, lab_check = find_lab(lab_id, pack)
    lab = scenario.lab
    assert lab is not None
    if lab.api == "diff":
        spec_file = prepare_diff_lab(scenario, directory or Path(scenario.id))
        _print(render_diff_start(scenario, str(spec_file), check_command(scenario, None, str(spec_file))))
        return
    chosen = DEFAULT_PORTS[lab.api] if port is None else port
    # run_mock fills in {port} once bound, so --port 0 still prints the real URL.
    base_url = "http://127.0.0.1:{port}" if chosen == 0 else f"http://127.0.0.1:{chosen}"
    answer = "my.sql" if lab.check == "sql-result" else ("answer.txt" if lab_check.needs_answer else None)

    def build() -> tuple[Any, list[str]]:
        mock = build_lab_mock(
            lab.api, faults=lab.faults, seed=seed, where=str(scenario.path), log=live_logger(quiet)
        )
        return mock.app, render_start(scenario, base_url, mock.key, check_command(scenario, base_url, answer))

    # The same path as `api-trainer mock payments|dataplatform`: bind (a port in use is one line), serve.
    run_mock("127.0.0.1", chosen, build)


@lab_app.command("check")
def check(
    lab_id: Annotated[str, typer.Argument(metavar="ID", help="A lab id from `api-trainer lab list`.")],
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="The lab's mock (default: the port `lab start` uses).")
    ] = None,
    key: Annotated[str | None, typer.Option("--key", help="The API key you used (payments labs).")] = None,
    answer_file: Annotated[
        Path | None, typer.Option("--answer-file", help="Your SQL, edited spec or written answer.")
    ] = None,
    output: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    pack: PackOption = None,
) -> None:
    """Say PASSED or NOT YET, and why: exit 0 passed, 1 not yet, 2 bad input."""
    from ..labs import check_lab
    from ..labs._render import render_report

    if output not in ("text", "json"):
        raise UsageError(f"--format {output}: use text or json")
    report = check_lab(lab_id, base_url=base_url, key=key, answer_file=answer_file, pack=pack)
    if output == "json":
        console.print_json(json.dumps(report.as_json()))
    else:
        _print(render_report(report))
    if not report.passed:
        raise typer.Exit(EXIT_FOUND)


def register(app: typer.Typer) -> None:
    app.add_typer(lab_app, name="lab")
