"""Rendering spec summaries, the bundled list and validation reports."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..specs import BundledSpec, OperationSummary, Spec, SpecSummary, ValidationReport
from ..specs._summary import paragraphs_of

_METHOD_STYLE = {"GET": "green", "POST": "yellow", "DELETE": "red", "PUT": "blue", "PATCH": "magenta"}


def render_bundled_list(console: Console, rows: Sequence[tuple[BundledSpec, Spec]]) -> None:
    """The bundled specs; the file column (the id spelt as a path) only when the whole table fits."""
    for with_file in (True, False):
        table = Table()
        table.add_column("id", no_wrap=True, style="bold")
        table.add_column("title")
        table.add_column("ops", justify="right", no_wrap=True)
        if with_file:
            table.add_column("file (under specs/)", no_wrap=True)
        for bundled, spec in rows:
            cells = [bundled.id, spec.title, str(len(spec.operations()))]
            table.add_row(*cells, *([f"{bundled.api}/{bundled.path.name}"] if with_file else []))
        unbounded = console.options.update_width(10_000)
        if not with_file or Measurement.get(console, unbounded, table).maximum <= console.width:
            break
    # Above the table, not its title: a title wraps at the table's width, this at the terminal's.
    console.print("Bundled APIs (use the id, or the API name alone for its newest version)", markup=False)
    console.print(table)


def render_summary(console: Console, summary: SpecSummary, *, detailed: bool) -> None:
    console.print(
        Text.assemble(
            (summary.title or summary.source, "bold"),
            f"  {summary.version}  (OpenAPI {summary.openapi_version})",
        )
    )
    for op in summary.operations:
        _render_operation(console, op, detailed=detailed)


def _render_operation(console: Console, op: OperationSummary, *, detailed: bool) -> None:
    console.print()
    header = Text.assemble(
        (f"{op.method:<7}", _METHOD_STYLE.get(op.method, "bold")),
        (op.path, "bold"),
        f"  {op.operation_id or ''}",
        (" (deprecated)", "red") if op.deprecated else "",
    )
    console.print(header)
    if op.summary:
        console.print(f"  {op.summary}")
    if detailed and op.description:
        from rich.markdown import Markdown  # markdown-it loads only for the one operation shown in detail

        console.print(Padding(Markdown("\n\n".join(paragraphs_of(op.description))), (0, 0, 0, 2)))
    if op.fields:
        table = Table(show_header=True, box=None, padding=(0, 2), pad_edge=False)
        for column in ("  field", "in", "type", "required"):
            table.add_column(column)
        if detailed:
            table.add_column("description")
        for field in op.fields:
            row = [f"  {field.name}", field.location, field.type, "yes" if field.required else ""]
            if detailed:
                row.append(field.description)
            table.add_row(*row)
        console.print(table)
    if op.request_media_types:
        console.print(f"  request body: {', '.join(op.request_media_types)}")
    ok = [r.status for r in op.responses if r.status not in op.error_statuses]
    console.print(f"  responses: {', '.join(ok) or '-'}   errors: {', '.join(op.error_statuses) or '-'}")
    if detailed:
        from rich.markdown import Markdown

        for response in op.responses:
            console.print(Padding(Markdown(f"**{response.status}**: {response.description}"), (0, 0, 0, 4)))


def render_validation(console: Console, reports: Sequence[ValidationReport]) -> None:
    for report in reports:
        if report.valid:
            console.print(
                f"[green]valid[/green]    {report.source}  (OpenAPI {report.openapi_version}, "
                f"{report.operation_count} operations)",
                highlight=False,
                soft_wrap=True,
            )
            continue
        count = len(report.problems)
        console.print(
            f"[red]invalid[/red]  {report.source}  ({count} problem{'s' if count != 1 else ''})",
            highlight=False,
            soft_wrap=True,
        )
        for problem in report.problems:
            console.print(f"  {problem}", markup=False, highlight=False, soft_wrap=True)
