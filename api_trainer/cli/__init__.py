"""The ``api-trainer`` command: parse arguments, call one engine function, render, map errors to exit codes.

Every command group lives in its own module here and stays thin. Errors are ``ApiTrainerError``s: printed as
one line on stderr with their exit code, and with a traceback only under ``--debug``.
"""

from __future__ import annotations

import sys

from ..errors import ApiTrainerError
from . import diff, interview, lab, mock, probe, trainer
from ._app import app, console_err, options
from .specs import specs_app

EXIT_INTERNAL = 70  # a bug in api-trainer, not the user's input (EX_SOFTWARE)

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
        sys.exit(0)
    try:
        # Standalone mode: typer handles usage errors (exit 2), --help and typer.Exit itself and calls
        # sys.exit; what reaches us is ours to report.
        app(args=args, prog_name="api-trainer")
        code = 0
    except KeyboardInterrupt:
        console_err.print("interrupted")
        code = 130
    except ApiTrainerError as exc:
        if debug:
            raise
        console_err.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        code = exc.exit_code
    except Exception as exc:
        if debug:
            raise
        console_err.print(
            f"internal error: {type(exc).__name__}: {exc} (a bug in api-trainer; rerun with --debug for the traceback)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        code = EXIT_INTERNAL
    sys.exit(code)


__all__ = ["app", "main"]
