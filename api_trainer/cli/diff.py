"""``api-trainer diff``: breaking changes between two OpenAPI versions, with what each means for integrators."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Annotated

import typer

from ..errors import EXIT_FOUND, UsageError
from ._app import console, console_err

FORMATS = ("text", "json", "markdown", "junit", "github")
GROUPINGS = ("operation", "component")

_SPEC_HELP = "A file, a bundled id (payments@2022-11-15), a bundled name, or git:REV:PATH."
OldSpec = Annotated[str | None, typer.Argument(metavar="OLD", help=_SPEC_HELP, show_default=False)]
NewSpec = Annotated[str | None, typer.Argument(metavar="NEW", help=_SPEC_HELP, show_default=False)]


def diff(
    old: OldSpec = None,
    new: NewSpec = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text, json, markdown, junit or github.")
    ] = "text",
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on", help="Exit 1 when a finding is at or above: breaking, warning, info, never."
        ),
    ] = "breaking",
    include_path: Annotated[
        str | None, typer.Option("--include-path", help="Only findings whose path matches this regex.")
    ] = None,
    exclude_path: Annotated[
        str | None, typer.Option("--exclude-path", help="Drop findings whose path matches this regex.")
    ] = None,
    group_by: Annotated[
        str, typer.Option("--group-by", help="operation, or component (fold shared-component changes).")
    ] = "operation",
    ignore: Annotated[
        Path | None, typer.Option("--ignore", help="YAML/JSON list of accepted findings: {id, operation}.")
    ] = None,
    deprecation_days_stable: Annotated[
        int,
        typer.Option(
            "--deprecation-days-stable", min=0, help="Minimum days between a deprecation and its x-sunset."
        ),
    ] = 0,
    deprecation_days_beta: Annotated[
        int,
        typer.Option(
            "--deprecation-days-beta", min=0, help="The same for operations with x-stability-level: beta."
        ),
    ] = 0,
    rules: Annotated[bool, typer.Option("--rules", help="Print the rule catalogue and exit.")] = False,
) -> None:
    """Breaking changes between two OpenAPI versions, each with what an integrating developer experiences.

    Exit 0 when nothing is at or above --fail-on, 1 when something is, 2 for input it cannot use.
    """
    from ..diff import (
        Policy,
        catalogue,
        check_readable,
        compile_pattern,
        fail_level,
        fails,
        find_changes,
        load_accepted,
        narrow,
    )
    from ..render.diff import (
        catalogue_json,
        json_chunks,
        render_catalogue,
        render_github,
        render_junit,
        render_markdown,
        render_text,
    )
    from ..specs import load_spec

    if output_format not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {output_format!r}")
    if group_by not in GROUPINGS:
        raise UsageError(f"--group-by must be one of {', '.join(GROUPINGS)}, not {group_by!r}")
    level = fail_level(fail_on)
    if rules:
        if output_format == "json":
            typer.echo(catalogue_json(catalogue()))
        else:
            render_catalogue(console, catalogue())
        return
    if old is None or new is None:
        raise UsageError("diff needs two specs: api-trainer diff OLD NEW (or --rules for the catalogue)")
    include = compile_pattern("--include-path", include_path)
    exclude = compile_pattern("--exclude-path", exclude_path)
    accepted = load_accepted(ignore) if ignore is not None else ()
    policy = Policy(
        deprecation_days_beta=deprecation_days_beta, deprecation_days_stable=deprecation_days_stable
    )
    # One short run over two large trees that hold no garbage cycles: the cyclic collector would only rescan
    # the parsed specs again and again (a third of the comparing time on two Stripe specs).
    gc.disable()
    old_spec, new_spec = load_spec(old), load_spec(new)
    check_readable(old_spec)
    check_readable(new_spec)
    report = narrow(find_changes(old_spec, new_spec, policy=policy), include=include, exclude=exclude)
    if ignore is not None:
        shown = narrow(report, accepted=accepted)
        hidden = len(report.findings) - len(shown.findings)
        report = shown
        # On stderr: what --ignore hid is worth knowing, and stdout stays the report a tool reads.
        console_err.print(
            f"--ignore {ignore}: {hidden} accepted finding(s) not shown ({len(accepted)} accepted entries)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    if output_format == "text":
        render_text(console, report, group_by=group_by)
    elif output_format == "json":
        for chunk in json_chunks(report):  # streamed: the whole text of a large report is never held
            typer.echo(chunk, nl=False)
        typer.echo("")
    elif output_format == "markdown":
        typer.echo(render_markdown(report, group_by=group_by), nl=False)
    elif output_format == "junit":
        typer.echo(render_junit(report, level), nl=False)
    else:
        typer.echo(render_github(report, level), nl=False)
    if fails(report, fail_on):
        raise typer.Exit(EXIT_FOUND)


def register(app: typer.Typer) -> None:
    app.command("diff")(diff)
