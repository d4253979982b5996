"""The ``api-trainer`` command: parse arguments, call one engine function, render, map errors to exit codes.

Every command group lives in its own module here and stays thin. Errors are ``ApiTrainerError``s: printed as
one line on stderr with their exit code, and with a traceback only under ``--debug`` (see ``_run``).
"""

from __future__ import annotations

import sys

from . import diff, interview, lab, mock, probe, trainer
from ._app import app, options
from ._run import EXIT_INTERNAL, flush_stdout, run
from .specs import specs_app

app.add_typer(specs_app, name="specs")
for _group in (diff, mock, probe, trainer, interview, lab):
    _group.register(app)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    options.debug = debug
    if args in (["--version"], ["-V"]):
        from .. import __version__

        print(f"api-trainer {__version__}")
        sys.exit(flush_stdout(0))
    sys.exit(flush_stdout(run(app, args, debug=debug)))


__all__ = ["EXIT_INTERNAL", "app", "main"]
