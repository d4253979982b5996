"""Renderers read what a person would see: rich on a terminal, plain text elsewhere, Markdown folding."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

from api_trainer.diff import DiffReport, find_changes
from api_trainer.render.diff import json_chunks, render_markdown, render_text
from api_trainer.specs import load_spec

FIXTURES = Path(__file__).parent / "fixtures"


def _report() -> DiffReport:
    return find_changes(
        load_spec(str(FIXTURES / "pets-v1.yaml")), load_spec(str(FIXTURES / "pets-v2-breaking.yaml"))
    )


def test_terminal_output_colours_each_level_and_pipes_get_the_same_words_plain() -> None:
    report = _report()
    terminal = Console(file=io.StringIO(), force_terminal=True, color_system="standard", width=40)
    render_text(terminal, report)
    coloured = terminal.file.getvalue()  # type: ignore[attr-defined]
    assert "\x1b[1;31mbreaking\x1b[0m" in coloured and "\x1b[33mwarning \x1b[0m" in coloured
    pipe = Console(file=io.StringIO(), width=40)
    render_text(pipe, report)
    plain = pipe.file.getvalue()  # type: ignore[attr-defined]
    assert "\x1b[" not in plain
    lines = plain.splitlines()
    assert lines[0] == "GET /pets"
    # One finding, one line, however narrow the console: long lines are never wrapped.
    assert lines[1] == (
        "  breaking query parameter 'limit': maximum tightened from 100 to 50  [request-parameter-max-decreased]"
    )
    assert lines[2].startswith(
        "           -> Requests whose query parameter 'limit' was valid under maximum 100"
    )
    assert len(lines) == 3 + 2 * len(report.findings) + 1  # 3 operation headers, 2 lines each, the summary
    assert lines[-1] == f"{report.old} -> {report.new}: 5 breaking, 3 warning, 0 info"


def test_markdown_folds_a_component_change_across_operations() -> None:
    markdown = render_markdown(_report(), group_by="component")
    assert "### component `Owner`" in markdown
    assert "- **breaking** `response-property-removed`: removed response property 'Owner.name'" in markdown
    assert "in 3 operation(s): `GET /pets`, `POST /pets`, `GET /pets/{petId}`" in markdown


def test_json_streams_in_batches_that_join_into_the_report() -> None:
    report = _report()
    assert len(report.findings) > 3
    chunks = list(json_chunks(report, batch=2))
    assert len(chunks) > 3  # opening, several batches, closing
    assert json.loads("".join(chunks)) == report.as_json()
    assert json.loads("".join(json_chunks(DiffReport("a", "b")))) == {
        "changes": [],
        "summary": {"breaking": 0, "warning": 0, "info": 0},
    }
