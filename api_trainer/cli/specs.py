"""``api-trainer specs``: list, show and validate OpenAPI documents."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import EXIT_FOUND, EXIT_OK, ApiTrainerError, UsageError
from ._app import console, console_err, options

specs_app = typer.Typer(help="List, show and validate OpenAPI documents.", no_args_is_help=True)

SpecArgument = Annotated[
    str,
    typer.Argument(help="A file (YAML or JSON), a bundled id like payments@2022-11-15, or a bundled name."),
]
RemoteRefs = Annotated[
    bool, typer.Option("--allow-remote-refs", help="Fetch http(s) $refs instead of refusing them.")
]
OutsideRefs = Annotated[
    bool,
    typer.Option(
        "--allow-outside-refs",
        help="Resolve file $refs outside the spec's folder (still regular files only, size-capped).",
    ),
]


@specs_app.command("list")
def list_specs() -> None:
    """A table of the bundled APIs and versions."""
    from ..render.specs import render_bundled_list
    from ..specs import bundled_specs, load_spec

    rows = [(bundled, load_spec(bundled.id)) for bundled in bundled_specs()]
    render_bundled_list(console, rows)


@specs_app.command("show")
def show(
    spec: SpecArgument,
    operation: Annotated[
        str | None, typer.Option("--operation", "-o", help="Show only this operationId.")
    ] = None,
    allow_remote_refs: RemoteRefs = False,
    allow_outside_refs: OutsideRefs = False,
) -> None:
    """Operations with their parameters, request bodies, responses and error codes."""
    from ..render.specs import render_summary
    from ..specs import load_spec, summarise_spec

    loaded = load_spec(
        spec, allow_remote_refs=allow_remote_refs, allow_outside_refs=allow_outside_refs, validate=True
    )
    summary = summarise_spec(loaded, operation)
    if operation is not None and not summary.operations:
        known = ", ".join(sorted(op.operation_id for op in loaded.operations() if op.operation_id))
        raise UsageError(f"no operation '{operation}' in {loaded.source}; operationIds: {known}")
    render_summary(console, summary, detailed=operation is not None)


@specs_app.command("validate")
def validate(
    files: Annotated[list[str], typer.Argument(help="Files or bundled ids to validate.")],
    allow_remote_refs: RemoteRefs = False,
    allow_outside_refs: OutsideRefs = False,
) -> None:
    """Validate OpenAPI 3.0/3.1 documents: exit 0 when all are valid, 1 when any is not."""
    from ..render.specs import render_validation
    from ..specs import validate_reference

    exit_code = EXIT_OK
    for reference in files:
        try:
            report = validate_reference(
                reference, allow_remote_refs=allow_remote_refs, allow_outside_refs=allow_outside_refs
            )
        except ApiTrainerError as exc:  # one unreadable file must not hide the others' results
            if options.debug:
                raise
            console_err.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
            exit_code = max(exit_code, exc.exit_code)
            continue
        render_validation(console, [report])
        if not report.valid:
            exit_code = max(exit_code, EXIT_FOUND)
    if exit_code:
        raise typer.Exit(exit_code)
