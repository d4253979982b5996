"""Running the Typer application and turning every way it can end into one exit code and at most one line.

Typer's own standalone mode prints click's three-line usage block for a bad option, exits 1 on a closed
pipe, and lets ``--debug`` turn an error's exit code into Python's 1. Here the command is invoked directly
(``make_context`` + ``invoke``, what click's ``main`` does), so that:

* a usage error (a bad value, an unknown option or command, a missing argument) is one line naming the
  option and what was wrong, with the command's ``--help`` to try, exit 2, with or without ``--debug``;
* an :class:`~api_trainer.errors.ApiTrainerError` is one line with its exit code; under ``--debug`` the
  traceback is printed first (not for a usage error) and the exit code stays the documented one;
* a reader that closes the pipe early (``api-trainer diff A B | head``) ends the command quietly, exit 0:
  the output it wanted was written;
* Ctrl-C is exit 130; end of input at a prompt (Ctrl-D) is exit 1 with one line.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence

import typer
from typer._click.exceptions import BadParameter, ClickException, NoArgsIsHelpError, UsageError

from ..errors import EXIT_BAD_INPUT, ApiTrainerError
from ..errors import UsageError as BadUsage
from ._app import console_err

EXIT_INTERNAL = 70  # a bug in api-trainer, not the user's input (EX_SOFTWARE)
EXIT_INTERRUPTED = 130


def _say(line: str) -> None:
    console_err.print(line, markup=False, highlight=False, emoji=False, soft_wrap=True)


def _given(args: Sequence[str], names: Sequence[str]) -> str | None:
    """The value given on the command line for the option spelt one of ``names``, if it was."""
    for index, token in enumerate(args):
        for name in names:
            if token == name and index + 1 < len(args):
                return args[index + 1]
            if name.startswith("--") and token.startswith(name + "="):
                return token[len(name) + 1 :]
    return None


def usage_line(error: UsageError, args: Sequence[str]) -> str:
    """Click's message for a usage error as one line: ``--port abc: Input should be a valid integer``."""
    message = " ".join(error.format_message().split()).rstrip(".")
    param = error.param if isinstance(error, BadParameter) else None
    if param is not None and param.param_type_name == "option" and not message.startswith("Missing"):
        given = _given(args, [*param.opts, *param.secondary_opts])
        if given is not None:
            message = f"{param.opts[0]} {given}: {' '.join(error.message.split())}"
    where = error.ctx.command_path if error.ctx is not None else "api-trainer"
    return f"error: {message} (see '{where} --help')"


def run(app: typer.Typer, args: list[str], *, debug: bool) -> int:
    """Invoke ``app`` on ``args`` and return the exit code; every message goes to stderr."""
    command = typer.main.get_command(app)
    try:
        with command.make_context("api-trainer", list(args)) as ctx:
            command.invoke(ctx)
        return 0
    except typer.Exit as done:  # --help, and commands that end with an exit code
        return done.exit_code
    except NoArgsIsHelpError as shown:  # `api-trainer specs`: the group's help
        shown.show()
        return shown.exit_code
    except UsageError as error:
        _say(usage_line(error, args))
        return EXIT_BAD_INPUT
    except ClickException as error:  # click's file errors: input it cannot use
        _say(f"error: {' '.join(error.format_message().split())}")
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return _closed_pipe()
    except (typer.Abort, EOFError):
        _say("aborted: end of input")
        return 1
    except KeyboardInterrupt:
        _say("interrupted")
        return EXIT_INTERRUPTED
    except ApiTrainerError as exc:
        if debug and not isinstance(exc, BadUsage):  # a usage error is one line, --debug or not
            traceback.print_exc()
        _say(f"error: {exc}")
        return exc.exit_code
    except Exception as exc:
        if debug:
            traceback.print_exc()
            return EXIT_INTERNAL
        _say(
            f"internal error: {type(exc).__name__}: {exc} (a bug in api-trainer; rerun with --debug for the traceback)"
        )
        return EXIT_INTERNAL


def _closed_pipe() -> int:
    """The reader went away: point stdout at /dev/null so the interpreter's final flush cannot fail too
    (Python's documented recipe for SIGPIPE), and end as a success."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (captured in tests)
        pass
    return 0


def flush_stdout(code: int) -> int:
    """Flush what is still buffered for stdout; a reader that closed the pipe by now keeps ``code``."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _closed_pipe()
    except (OSError, ValueError):
        pass
    return code
