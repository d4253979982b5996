"""The root Typer application and the consoles every command group prints through."""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(
    name="api-trainer",
    help=(
        "Become fluent in API contracts: run stateful mocks of a payments and a data-platform API, "
        "diff OpenAPI versions for breaking changes, and train on contract decisions.\n\n"
        "Global options: --version, --debug (show tracebacks)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class _Console(Console):
    """A console whose reader closing the pipe (``| head``) ends the command as a success: rich's default
    exits 1; the CLI's runner (``_run.run``) catches the ``BrokenPipeError`` and exits 0."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


# emoji=False: a message naming ``:x:`` or ``:warning:`` (an operation path, a user's text) prints as written.
console = _Console(soft_wrap=False, emoji=False)
console_err = _Console(stderr=True, soft_wrap=True, emoji=False)


@app.callback()
def _root() -> None:
    """api-trainer: mock, diff and train on API contracts."""


class _Options:
    """Global options read before Typer runs (``--debug``), visible to every command."""

    debug: bool = False


options = _Options()
